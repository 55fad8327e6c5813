import { openHubCore, type HubCore } from './hub-core.js';
import { createHttpControlPlane } from './control/http-control-plane.js';
import { assertControlPlaneAllowed, DEFAULT_SETTINGS, servesListener, type EmulatorSettings, type RestFrontEnd } from './emulator-settings.js';
import type { RestApi } from './rest/router.js';
import { listenAmqpOverTls, listenAmqpPlainOnLoopback } from './servers/amqp-tls-server.js';
import { routeHubHost, type Interception } from './servers/hub-host-route.js';
import { listenHttps } from './servers/https-server.js';
import type { ListeningServer } from './servers/listening.js';
import { listenMqttOverTls } from './servers/mqtt-tls-server.js';
import { AmqpEndpoint } from './amqp/amqp-endpoint.js';
import type { LogFormat, LogLevel } from './observe/log-settings.js';
import { startRequestLog } from './observe/request-log.js';
import type { ProvisioningApi } from './provisioning/provisioning-api.js';
import type { RestHandler } from './servers/nock-interceptor.js';
import type { Clock } from './state/clock.js';
import type { TlsMaterial } from './state/tls-material.js';
import type { ProvisioningSettings } from './provisioning-core.js';
import { DEFAULT_EVENT_HUB_OPTIONS, type EventHubOptions } from './state/event-hub-store.js';
import { DEFAULT_AMQPS_PORT, DEFAULT_MQTTS_PORT, StartedIotHubEmulator, type StartedParts } from './started-emulator.js';

export { StartedIotHubEmulator } from './started-emulator.js';
export type { EmulatorSettings, RestFrontEnd } from './emulator-settings.js';

const HTTPS_PORT = 443;

/**
 * Builder for an emulator around one core (registry, policies, broker). By default it is served
 * in-process (REST from a loopback HTTPS listener the hub's host name is routed to, MQTT over TLS on
 * loopback); `.withRestFrontEnd('https')` serves it as a network service instead
 * (docs/standalone-emulator.md).
 */
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

  /** AMQP over TLS; the hub's is 5671, which the service SDK dials unless the host name names a port. */
  withAmqpPort(amqpPort: number): this {
    return this.with({ amqpPort });
  }

  /**
   * Plain AMQP (no TLS) on loopback for `UseDevelopmentEmulator=true` clients, as the Event Hubs
   * emulator offers (its 5672); 0 picks a free port. Never bound beyond 127.0.0.1 / ::1.
   */
  withAmqpPlainPort(amqpPlainPort: number): this {
    return this.with({ amqpPlainPort });
  }

  withOwnerKey(ownerKey: string): this {
    return this.with({ ownerKey });
  }

  withClock(clock: Clock): this {
    return this.with({ clock });
  }

  withHostName(hostName: string): this {
    return this.with({ hostName });
  }

  withRestFrontEnd(...restFrontEnds: RestFrontEnd[]): this {
    return this.with({ restFrontEnds });
  }

  withHttpsPort(httpsPort: number): this {
    return this.with({ httpsPort });
  }

  withTlsMaterial(tls: TlsMaterial): this {
    return this.with({ tls });
  }

  withControlPlane(controlPlane: boolean, options: { allowRemote?: boolean } = {}): this {
    return this.with({ controlPlane, allowRemoteControlPlane: options.allowRemote ?? false });
  }

  /** Persistence (docs/reliability.md): state survives a restart or a crash of the emulator. */
  withDataDirectory(dataDirectory: string): this {
    return this.with({ dataDirectory });
  }

  /** The Device Provisioning Service served with the hub: ID scope, service key, host name, retry-after (README, Device Provisioning Service). */
  withProvisioning(provisioning: ProvisioningSettings): this {
    return this.with({ provisioning: { ...this.settings.provisioning, ...provisioning } });
  }

  withMaxRequestBodyBytes(maxRequestBodyBytes: number): this {
    return this.with({ maxRequestBodyBytes });
  }

  /** The built-in Event Hub-compatible endpoint: partition count, extra consumer groups, in-memory retention (README, Event Hub-compatible endpoint). */
  withEventHub(options: { partitionCount?: number; consumerGroups?: readonly string[]; retention?: Partial<EventHubOptions['retention']> }): this {
    const current = this.settings.eventHub ?? DEFAULT_EVENT_HUB_OPTIONS;
    const eventHub: EventHubOptions = {
      partitionCount: options.partitionCount ?? current.partitionCount,
      consumerGroups: options.consumerGroups ?? current.consumerGroups,
      retention: { ...current.retention, ...options.retention },
    };
    return this.with({ eventHub });
  }

  /**
   * Trusts a CA certificate (PEM; several in one text are all trusted) for certificateAuthority
   * identities: the emulator's equivalent of uploading and verifying it on the hub. Repeatable.
   */
  withX509CertificateAuthority(pem: string): this {
    return this.with({ x509CertificateAuthorities: [...(this.settings.x509CertificateAuthorities ?? []), pem] });
  }

  /**
   * The request log (docs/observability.md): one line per request, connection and refusal at
   * `info`, refusals only at `warn`, packets at `debug`; to stderr unless `write` is given.
   * An embedded emulator logs nothing unless asked.
   */
  withRequestLog(options: { level: LogLevel; format?: LogFormat; write?: (line: string) => void }): this {
    return this.with({ requestLog: { level: options.level, format: options.format ?? 'text', write: options.write ?? ((line) => process.stderr.write(line)) } });
  }

  async start(): Promise<StartedIotHubEmulator> {
    const { settings } = this;
    assertControlPlaneAllowed(settings);
    const core = await openHubCore(settings, settings.hostName ?? `${settings.hubName}.azure-devices.net`);
    if (settings.requestLog !== undefined) startRequestLog(core.activity, settings.requestLog);
    const listeners: ListeningServer[] = [];
    try {
      const opened = await listen(settings, core, listeners);
      const provisioningMqtt = await listenMqttOverTls({ aedes: core.provisioning.broker.aedes, certificates: core.provisioning.certificates, tls: core.state.tls, host: settings.bindAddress, port: settings.provisioning?.mqttPort ?? 0 });
      listeners.push(provisioningMqtt);
      const interceptions = await interceptHubHost(settings, { hostName: core.hostName, ca: core.state.tls.cert, ...opened, rest: core.rest, provisioning: core.provisioning.api });
      const provisioningRoute = routeProvisioningHost(settings, { hostName: core.provisioning.hostName, hubHostName: core.hostName, ca: core.state.tls.cert, https: opened.https, mqtt: provisioningMqtt });
      interceptions.push(...provisioningRoute);
      return new StartedIotHubEmulator({ core, ...opened, interceptions, provisioningMqtt: { listener: provisioningMqtt, routed: provisioningRoute.length > 0 } });
    } catch (error) {
      await core.closeAdapters();
      await Promise.allSettled(listeners.map((listener) => listener.close()));
      await core.closeState();
      throw error;
    }
  }

  private with(change: Partial<EmulatorSettings>): this {
    this.settings = { ...this.settings, ...change };
    return this;
  }
}

/** Opens the listeners (recorded in `opened` as they open, so a failure closes those already open). */
async function listen(settings: EmulatorSettings, core: HubCore, opened: ListeningServer[]): Promise<Omit<StartedParts, 'core' | 'interceptions' | 'provisioningMqtt'>> {
  const { tls } = core.state;
  const host = settings.bindAddress;
  const { certificates } = core.broker;
  const mqtt = await listenMqttOverTls({ aedes: core.broker.aedes, certificates, tls, host, port: settings.mqttPort });
  opened.push(mqtt);
  const amqp = await listenAmqpOverTls({
    container: core.amqp.container, hasOpened: (socket) => core.amqp.hasOpened(socket), presentCertificate: (socket, certificate) => core.amqp.presentCertificate(socket, certificate), tls, host, port: settings.amqpPort, connectionOptions: AmqpEndpoint.CONNECTION_OPTIONS,
  });
  opened.push(amqp);
  const amqpPlain = await listenAmqpPlain(settings, core, opened);
  if (!servesListener(settings)) return { mqtt, amqp, ...amqpPlain, https: undefined };
  const https = await listenHttps({
    tls, host, port: settings.httpsPort, aedes: core.broker.aedes, certificates, rest: (request) => core.rest.handle(request),
    amqp: { container: core.amqp.container, connectionOptions: AmqpEndpoint.CONNECTION_OPTIONS, presentCertificate: (transport, certificate) => core.amqp.presentCertificate(transport, certificate) },
    maxRequestBodyBytes: settings.maxRequestBodyBytes, now: () => settings.clock.now(),
    ...(settings.controlPlane ? { controlPlane: createHttpControlPlane(core.control, { metrics: core.metrics }) } : {}),
    provisioning: core.provisioning.api,
    activity: { feed: core.activity, hubRouteOf: (path) => core.rest.routeTemplate(path) },
  });
  opened.push(https);
  return { mqtt, amqp, ...amqpPlain, https };
}

/** The opt-in plain listener: on ::1 when that is the bind address, else on 127.0.0.1, whatever the bind address. */
async function listenAmqpPlain(settings: EmulatorSettings, core: HubCore, opened: ListeningServer[]): Promise<Pick<StartedParts, 'amqpPlain'>> {
  if (settings.amqpPlainPort === undefined) return {};
  const host = settings.bindAddress === '::1' ? '::1' : '127.0.0.1';
  const server = await listenAmqpPlainOnLoopback({
    container: core.amqp.container, hasOpened: (socket) => core.amqp.hasOpened(socket), host, port: settings.amqpPlainPort, connectionOptions: AmqpEndpoint.CONNECTION_OPTIONS,
  });
  opened.push(server);
  return { amqpPlain: { server, host } };
}

/** A wildcard bind is dialled on loopback: the route never leaves the machine. */
function loopbackFor(bindAddress: string): string {
  return bindAddress === '0.0.0.0' || bindAddress === '::' ? '127.0.0.1' : bindAddress;
}

/** The in-process front ends: the route to the listeners (HTTPS when routed, AMQPS always), and nock. */
async function interceptHubHost(
  settings: EmulatorSettings,
  served: { hostName: string; ca: string; https: ListeningServer | undefined; amqp: ListeningServer; mqtt: ListeningServer; rest: RestApi; provisioning: ProvisioningApi },
): Promise<Interception[]> {
  const interceptions: Interception[] = [];
  if (settings.restFrontEnds.includes('routed') || settings.restFrontEnds.includes('nock')) {
    const listenerHost = loopbackFor(settings.bindAddress);
    // 8883 too: an `x509=true` connection string ignores GatewayHostName and dials HostName:8883 (wire notes §7.1).
    const ports = new Map([[DEFAULT_AMQPS_PORT, served.amqp.port], [DEFAULT_MQTTS_PORT, served.mqtt.port]]);
    if (settings.restFrontEnds.includes('routed') && served.https !== undefined) ports.set(HTTPS_PORT, served.https.port);
    interceptions.push(routeHubHost({ hostName: served.hostName, listenerHost, ports, ca: served.ca }));
  }
  // nock is loaded only when asked for: importing it switches interception on for the whole process,
  // which slows every real HTTPS request there, and costs the standalone emulator's start-up.
  if (settings.restFrontEnds.includes('nock')) {
    const { interceptHubHost: interceptWithNock } = await import('./servers/nock-interceptor.js');
    // DPS shares the hub's host name by default, so its paths are served there too (as the HTTPS listener does).
    const handle: RestHandler = (request) => (served.provisioning.claims(request.path) ? served.provisioning.handle(request) : served.rest.handle(request));
    interceptions.push(interceptWithNock(served.hostName, handle, { maxRequestBodyBytes: settings.maxRequestBodyBytes, now: () => settings.clock.now() }));
  }
  return interceptions;
}

/** DPS's MQTT port (docs, "Use MQTT to connect to DPS"): the SDK dials `mqtts://<provisioningHost>`, 8883 unless the host names a port. */
const DPS_MQTT_PORT = 8883;

/**
 * A provisioning host of its own (`withProvisioning({hostName})`) is routed in process: its 443 to the
 * HTTPS listener (device API and service API), its 8883 to DPS's MQTT listener.
 */
function routeProvisioningHost(settings: EmulatorSettings, served: { hostName: string; hubHostName: string; ca: string; https: ListeningServer | undefined; mqtt: ListeningServer }): Interception[] {
  if (!settings.restFrontEnds.includes('routed') || served.https === undefined || served.hostName.toLowerCase() === served.hubHostName.toLowerCase()) return [];
  const ports = new Map([[HTTPS_PORT, served.https.port], [DPS_MQTT_PORT, served.mqtt.port]]);
  return [routeHubHost({ hostName: served.hostName, listenerHost: loopbackFor(settings.bindAddress), ports, ca: served.ca })];
}
