import { randomBytes, randomUUID } from 'node:crypto';
import { EmulatorControl } from './control/control-plane.js';
import { createHubBroker, type HubBroker } from './mqtt/broker.js';
import { RestApi } from './rest/router.js';
import { generateTlsMaterial } from './servers/certificate.js';
import { listenMqttOverTls, type ListeningServer } from './servers/mqtt-tls-server.js';
import { interceptHubHost, type Interception } from './servers/nock-interceptor.js';
import { systemClock, type Clock } from './state/clock.js';
import { defaultPolicies, type SharedAccessPolicy } from './state/policies.js';
import { IdentityRegistry } from './state/registry.js';

export interface EmulatorSettings {
  /** The hub's name; its host name is `<hubName>.azure-devices.net`, as on Azure. */
  readonly hubName: string;
  /** Address the MQTT/TLS listener binds to: loopback unless asked otherwise. */
  readonly bindAddress: string;
  /** 0 picks a free port. */
  readonly mqttPort: number;
  /** The iothubowner policy's primary key; generated when absent. */
  readonly ownerKey?: string;
  readonly clock: Clock;
}

const DEFAULT_SETTINGS: EmulatorSettings = { hubName: 'emulator-hub', bindAddress: '127.0.0.1', mqttPort: 0, clock: systemClock };

export const generateSymmetricKey = (): string => randomBytes(32).toString('base64');

/** Builder for an emulator served in-process (REST through nock, MQTT over TLS on loopback). */
export class IotHubEmulator {
  private settings: EmulatorSettings = DEFAULT_SETTINGS;

  withHubName(hubName: string): this {
    return this.with({ hubName });
  }

  withBindAddress(bindAddress: string): this {
    return this.with({ bindAddress });
  }

  withMqttPort(mqttPort: number): this {
    return this.with({ mqttPort });
  }

  withOwnerKey(ownerKey: string): this {
    return this.with({ ownerKey });
  }

  withClock(clock: Clock): this {
    return this.with({ clock });
  }

  async start(): Promise<StartedIotHubEmulator> {
    const { settings } = this;
    const hostName = `${settings.hubName}.azure-devices.net`;
    const registry = new IdentityRegistry({ clock: settings.clock, generateKey: generateSymmetricKey, generateGenerationId: () => randomUUID() });
    const policies = defaultPolicies(generateSymmetricKey, settings.ownerKey);
    const tls = await generateTlsMaterial(hostName);
    const broker = await createHubBroker({ hostName, registry, policies, clock: settings.clock });
    const mqtt = await listenMqttOverTls({ aedes: broker.aedes, tls, host: settings.bindAddress, port: settings.mqttPort });
    const rest = new RestApi({ hostName, registry, policies, desiredPatches: broker.desiredPatches, clock: settings.clock });
    const interception = interceptHubHost(hostName, (request) => rest.handle(request));
    return new StartedIotHubEmulator({ hostName, policies, caCertificate: tls.cert, mqtt, broker, interception, control: new EmulatorControl(registry, broker) });
  }

  private with(change: Partial<EmulatorSettings>): this {
    this.settings = { ...this.settings, ...change };
    return this;
  }
}

interface StartedParts {
  readonly hostName: string;
  readonly policies: readonly SharedAccessPolicy[];
  readonly caCertificate: string;
  readonly mqtt: ListeningServer;
  readonly broker: HubBroker;
  readonly interception: Interception;
  readonly control: EmulatorControl;
}

/** A running emulator: connection strings for clients, the CA to trust, the control plane, stop(). */
export class StartedIotHubEmulator {
  readonly hostName: string;
  readonly caCertificate: string;
  readonly mqttPort: number;
  readonly control: EmulatorControl;

  constructor(private readonly parts: StartedParts) {
    this.hostName = parts.hostName;
    this.caCertificate = parts.caCertificate;
    this.mqttPort = parts.mqtt.port;
    this.control = parts.control;
  }

  getServiceConnectionString(policyName = 'iothubowner'): string {
    const policy = this.parts.policies.find((candidate) => candidate.name === policyName);
    if (policy === undefined) throw new Error(`The emulator has no shared access policy named '${policyName}'.`);
    return `HostName=${this.hostName};SharedAccessKeyName=${policy.name};SharedAccessKey=${policy.primaryKey}`;
  }

  /** Where device and module clients connect: put it in `GatewayHostName` (wire notes §1.1). */
  get mqttGatewayHostName(): string {
    return `127.0.0.1:${this.mqttPort}`;
  }

  async stop(): Promise<void> {
    this.parts.interception.stop();
    await this.parts.broker.close();
    await this.parts.mqtt.close();
  }
}
