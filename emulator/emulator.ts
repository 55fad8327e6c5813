import { EmulatorControl } from './control/control-plane.js';
import { createHubBroker, type HubBroker } from './mqtt/broker.js';
import { RestApi } from './rest/router.js';
import { createHttpControlPlane } from './control/http-control-plane.js';
import { generateTlsMaterial, type TlsMaterial } from './servers/certificate.js';
import { listenHttps } from './servers/https-server.js';
import { listenMqttOverTls, type ListeningServer } from './servers/mqtt-tls-server.js';
import { routeHubHost, type Interception } from './servers/hub-host-route.js';
import { openHubState, type HubState } from './persistence/hub-state.js';
import { systemClock, type Clock } from './state/clock.js';
import type { SharedAccessPolicy } from './state/policies.js';

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
  /** Overrides `<hubName>.azure-devices.net`, e.g. `localhost` for a standalone emulator. */
  readonly hostName?: string;
  /** How the REST API is served (see RestFrontEnd); several may be combined. */
  readonly restFrontEnds: readonly RestFrontEnd[];
  /** Port of the HTTPS listener (REST, MQTT over WebSockets, control plane); 0 picks a free port. */
  readonly httpsPort: number;
  /** The TLS certificate and key of both listeners; generated when absent. */
  readonly tls?: TlsMaterial;
  /** Serves the control plane over HTTP under /_emulator/ (needs the HTTPS front end). */
  readonly controlPlane: boolean;
  /** The control plane on a non-loopback address must be asked for explicitly (issue 7, Security). */
  readonly allowRemoteControlPlane: boolean;
  readonly maxRequestBodyBytes: number;
  /** Keeps registry, twins, policies, certificate and MQTT sessions there (SQLite); in memory when absent. */
  readonly dataDirectory?: string;
}

/**
 * - `https`: a real HTTPS listener, reached by its address (the standalone emulator).
 * - `routed`: the same listener on loopback, plus an in-process route of `<hostName>:443` to it, so
 *   the unmodified Registry in this process reaches it by the connection string alone (the default).
 * - `nock`: nock intercepts `https://<hostName>` in this process and calls the REST API directly.
 */
export type RestFrontEnd = 'routed' | 'https' | 'nock';

const servesListener = (settings: EmulatorSettings): boolean => settings.restFrontEnds.includes('https') || settings.restFrontEnds.includes('routed');

const DEFAULT_SETTINGS: EmulatorSettings = {
  hubName: 'emulator-hub',
  bindAddress: '127.0.0.1',
  mqttPort: 0,
  clock: systemClock,
  restFrontEnds: ['routed'],
  httpsPort: 0,
  controlPlane: false,
  allowRemoteControlPlane: false,
  // Registry and twin bodies are small (a twin section is capped at 32 KB); 256 KiB leaves headroom.
  maxRequestBodyBytes: 256 * 1024,
};

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

  withMaxRequestBodyBytes(maxRequestBodyBytes: number): this {
    return this.with({ maxRequestBodyBytes });
  }

  async start(): Promise<StartedIotHubEmulator> {
    const { settings } = this;
    assertControlPlaneAllowed(settings);
    const hostName = settings.hostName ?? `${settings.hubName}.azure-devices.net`;
    const state = await openHubState({
      dataDirectory: settings.dataDirectory, clock: settings.clock, ownerKey: settings.ownerKey, tls: settings.tls, generateTls: () => generateTlsMaterial(hostName),
    });
    const { registry, policies, tls } = state;
    const broker = await createHubBroker({ hostName, registry, policies, clock: settings.clock, sessions: state.sessions, aedesPersistence: state.aedesPersistence });
    const control = new EmulatorControl(registry, broker);
    const rest = new RestApi({ hostName, registry, policies, methods: broker.methods, clock: settings.clock });
    const listeners: ListeningServer[] = [];
    try {
      const mqtt = await listenMqttOverTls({ aedes: broker.aedes, tls, host: settings.bindAddress, port: settings.mqttPort });
      listeners.push(mqtt);
      const https = servesListener(settings)
        ? await listenHttps({
            tls, host: settings.bindAddress, port: settings.httpsPort, aedes: broker.aedes, rest: (request) => rest.handle(request),
            maxRequestBodyBytes: settings.maxRequestBodyBytes, now: () => settings.clock.now(),
            ...(settings.controlPlane ? { controlPlane: createHttpControlPlane(control) } : {}),
          })
        : undefined;
      if (https !== undefined) listeners.push(https);
      const interceptions = await interceptHubHost(settings, { hostName, ca: tls.cert, https, rest });
      return new StartedIotHubEmulator({ hostName, policies, caCertificate: tls.cert, mqtt, https, broker, interceptions, control, state });
    } catch (error) {
      await Promise.allSettled(listeners.map((listener) => listener.close()));
      await broker.close();
      await state.close();
      throw error;
    }
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
  readonly https: ListeningServer | undefined;
  readonly broker: HubBroker;
  readonly interceptions: readonly Interception[];
  readonly control: EmulatorControl;
  readonly state: HubState;
}

/** The in-process front ends: the route to the listener, and nock. */
async function interceptHubHost(
  settings: EmulatorSettings,
  served: { hostName: string; ca: string; https: ListeningServer | undefined; rest: RestApi },
): Promise<Interception[]> {
  const interceptions: Interception[] = [];
  if (settings.restFrontEnds.includes('routed') && served.https !== undefined) {
    // A wildcard bind is dialled on loopback: the route never leaves the machine.
    const listenerHost = settings.bindAddress === '0.0.0.0' || settings.bindAddress === '::' ? '127.0.0.1' : settings.bindAddress;
    interceptions.push(routeHubHost({ hostName: served.hostName, listenerHost, listenerPort: served.https.port, ca: served.ca }));
  }
  // nock is loaded only when asked for: importing it switches interception on for the whole process,
  // which slows every real HTTPS request there, and costs the standalone emulator's start-up.
  if (settings.restFrontEnds.includes('nock')) {
    const { interceptHubHost: interceptWithNock } = await import('./servers/nock-interceptor.js');
    interceptions.push(interceptWithNock(served.hostName, (request) => served.rest.handle(request), { maxRequestBodyBytes: settings.maxRequestBodyBytes, now: () => settings.clock.now() }));
  }
  return interceptions;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;

function assertControlPlaneAllowed(settings: EmulatorSettings): void {
  if (settings.controlPlane && !servesListener(settings)) {
    throw new Error('The HTTP control plane is served by the HTTPS listener: add .withRestFrontEnd(\'https\') or \'routed\'.');
  }
  if (settings.controlPlane && !LOOPBACK.test(settings.bindAddress) && !settings.allowRemoteControlPlane) {
    throw new Error(
      `Refusing to serve the control plane on the non-loopback address ${settings.bindAddress}: anyone who can reach it ` +
        'could reset the emulator. Bind to 127.0.0.1, or allow it explicitly (--allow-remote-control-plane).',
    );
  }
}

/** A running emulator: connection strings for clients, the CA to trust, the control plane, stop(). */
export class StartedIotHubEmulator {
  readonly hostName: string;
  readonly caCertificate: string;
  readonly mqttPort: number;
  /** The HTTPS listener's port (REST, MQTT over WebSockets, control plane); undefined without one. */
  readonly httpsPort: number | undefined;
  readonly control: EmulatorControl;

  constructor(private readonly parts: StartedParts) {
    this.hostName = parts.hostName;
    this.caCertificate = parts.caCertificate;
    this.mqttPort = parts.mqtt.port;
    this.httpsPort = parts.https?.port;
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
    for (const interception of this.parts.interceptions) interception.stop();
    await this.parts.broker.close();
    await Promise.all([this.parts.mqtt.close(), this.parts.https?.close()]);
    await this.parts.state.close();
  }
}
