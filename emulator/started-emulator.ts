import type { HubMetrics } from './observe/hub-metrics.js';
import type { ActivityFeed } from './state/activity.js';
import { developmentEmulatorConnectionString, eventHubsConnectionString } from './amqp/event-hubs/connection-string.js';
import type { EmulatorControl } from './control/control-plane.js';
import type { HubCore } from './hub-core.js';
import type { Interception } from './servers/hub-host-route.js';
import type { ListeningServer } from './servers/listening.js';

/** The AMQPS port the SDKs dial when the host name names none (wire notes §1.1). */
export const DEFAULT_AMQPS_PORT = 5671;

/** The MQTT over TLS port the device SDKs dial when HostName names none (wire notes §1.1). */
export const DEFAULT_MQTTS_PORT = 8883;

export interface StartedParts {
  readonly core: HubCore;
  readonly mqtt: ListeningServer;
  readonly amqp: ListeningServer;
  /** The plain loopback AMQP listener (`UseDevelopmentEmulator=true`), when asked for, and its address. */
  readonly amqpPlain?: { readonly server: ListeningServer; readonly host: string };
  readonly https: ListeningServer | undefined;
  readonly interceptions: readonly Interception[];
  /** DPS's MQTT listener, and whether the provisioning host's 8883 is routed to it in process. */
  readonly provisioningMqtt: { readonly listener: ListeningServer; readonly routed: boolean };
}

export interface EventHubsConnectionOptions {
  readonly policyName?: string;
  /** The string for the plain loopback listener, with `UseDevelopmentEmulator=true` (needs `withAmqpPlainPort`). */
  readonly developmentEmulator?: boolean;
}

function failNoPlainListener(): never {
  throw new Error('The emulator serves no plain AMQP listener: start it with .withAmqpPlainPort(port) (CLI --amqp-plain-port) for UseDevelopmentEmulator=true.');
}

/** A running emulator: connection strings for clients, the CA to trust, the control plane, stop(). */
export class StartedIotHubEmulator {
  readonly hostName: string;
  readonly caCertificate: string;
  readonly mqttPort: number;
  /** The AMQP over TLS listener's port (the service SDK's `Client`, AMQP devices). */
  readonly amqpPort: number;
  /** The plain (non-TLS) loopback AMQP listener's port, for `UseDevelopmentEmulator=true` clients; undefined unless asked for. */
  readonly amqpPlainPort: number | undefined;
  /** The HTTPS listener's port (REST, MQTT over WebSockets, control plane); undefined without one. */
  readonly httpsPort: number | undefined;
  readonly control: EmulatorControl;
  /** What the adapters did, as they did it (state/activity.ts): the request log, the metrics and the inspector read it. */
  readonly activity: ActivityFeed;
  /** The Prometheus metrics `GET /_emulator/metrics` serves (docs/observability.md). */
  readonly metrics: HubMetrics;
  /** The Device Provisioning Service: the host devices and the service SDK dial (port 443: routed in process), and its ID scope. */
  readonly provisioningHost: string;
  readonly idScope: string;

  constructor(private readonly parts: StartedParts) {
    this.hostName = parts.core.hostName;
    this.caCertificate = parts.core.state.tls.cert;
    this.mqttPort = parts.mqtt.port;
    this.amqpPort = parts.amqp.port;
    this.amqpPlainPort = parts.amqpPlain?.server.port;
    this.httpsPort = parts.https?.port;
    this.control = parts.core.control;
    this.activity = parts.core.activity;
    this.metrics = parts.core.metrics;
    this.provisioningHost = parts.core.provisioning.hostName;
    this.idScope = parts.core.provisioning.service.idScope;
  }

  /**
   * What `azure-iot-provisioning-device-mqtt` takes as provisioningHost (it dials `mqtts://<this>`):
   * the provisioning host when its 8883 is routed in process, else the listener's address with its port.
   */
  get provisioningMqttHost(): string {
    const { listener, routed } = this.parts.provisioningMqtt;
    if (routed) return this.provisioningHost;
    if (this.parts.interceptions.length > 0) return `127.0.0.1:${listener.port}`;
    return listener.port === 8883 ? this.provisioningHost : `${this.provisioningHost}:${listener.port}`;
  }

  /** For `ProvisioningServiceClient.fromConnectionString` (policy provisioningserviceowner). */
  get provisioningServiceConnectionString(): string {
    const { provisioning } = this.parts.core;
    return `HostName=${provisioning.hostName};SharedAccessKeyName=provisioningserviceowner;SharedAccessKey=${provisioning.service.serviceKey}`;
  }

  getServiceConnectionString(policyName = 'iothubowner'): string {
    const policy = this.parts.core.state.policies.find((candidate) => candidate.name === policyName);
    if (policy === undefined) throw new Error(`The emulator has no shared access policy named '${policyName}'.`);
    return `HostName=${this.hostName};SharedAccessKeyName=${policy.name};SharedAccessKey=${policy.primaryKey}`;
  }

  /**
   * The built-in endpoint's Event Hub-compatible connection string, for `EventHubConsumerClient`. In
   * process the hub's host name is routed to the AMQP listener on 5671 (so no port); served as a
   * network service (no route), it names the listener's port. `{ developmentEmulator: true }`: the
   * string for the plain loopback listener (`UseDevelopmentEmulator=true`), when one was asked for.
   */
  getEventHubsConnectionString(options: string | EventHubsConnectionOptions = 'iothubowner'): string {
    const { policyName = 'iothubowner', developmentEmulator = false } = typeof options === 'string' ? { policyName: options } : options;
    const policy = this.parts.core.state.policies.find((candidate) => candidate.name === policyName);
    if (policy === undefined) throw new Error(`The emulator has no shared access policy named '${policyName}'.`);
    const hubName = this.parts.core.eventHub.name;
    if (developmentEmulator) {
      const plain = this.parts.amqpPlain ?? failNoPlainListener();
      return developmentEmulatorConnectionString({ host: plain.host, port: plain.server.port, policy, hubName });
    }
    const port = this.parts.interceptions.length > 0 ? DEFAULT_AMQPS_PORT : this.amqpPort;
    return eventHubsConnectionString({ hostName: this.hostName, port, policy, hubName });
  }

  /**
   * The HostName of an `x509=true` device connection string, which ignores GatewayHostName (wire
   * notes §7.1): in process the hub's host name, whose port 8883 is routed to the MQTT listener;
   * served as a network service, the host name with the MQTT port unless that is 8883.
   */
  get x509HostName(): string {
    const routed = this.parts.interceptions.length > 0;
    return routed || this.mqttPort === DEFAULT_MQTTS_PORT ? this.hostName : `${this.hostName}:${this.mqttPort}`;
  }

  /** Where device and module clients connect: put it in `GatewayHostName` (wire notes §1.1). */
  get mqttGatewayHostName(): string {
    return `127.0.0.1:${this.mqttPort}`;
  }

  async stop(): Promise<void> {
    for (const interception of this.parts.interceptions) interception.stop();
    await this.parts.core.closeAdapters();
    await Promise.all([this.parts.mqtt.close(), this.parts.amqp.close(), this.parts.amqpPlain?.server.close(), this.parts.https?.close(), this.parts.provisioningMqtt.listener.close()]);
    await this.parts.core.closeState();
  }
}
