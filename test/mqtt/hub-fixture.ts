import { randomBytes } from 'node:crypto';
import type { Registry as RegistryType } from 'azure-iothub';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/index.js';
import { clientFromConnectionString, type DeviceSideClient } from '../../src/flows/device-client-factory.js';
import type { DeviceTransport } from '../../src/flows/device-twin-session.js';
import { Registry } from '../../src/sdk.js';
import { clientIdOf } from '../../src/control/emulator-control-client.js';
import { waitFor, withDeadline } from '../../src/wait-for.js';

const STOP_LIMIT_MS = 10_000;

export interface IdentityKeys {
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly primaryKey: string;
}

/** An embedded emulator with its own hub name (the in-process route is per host name) and a Registry on it. */
export class HubFixture {
  private constructor(
    readonly emulator: StartedIotHubEmulator,
    readonly registry: RegistryType,
  ) {}

  /** `controlPlane`: also serve the HTTP control plane on the emulator's HTTPS listener (/_emulator/); `configure`: any other builder setting. */
  static async start(options: { controlPlane?: boolean; configure?: (builder: IotHubEmulator) => IotHubEmulator } = {}): Promise<HubFixture> {
    const builder = new IotHubEmulator().withHubName(`mqtt-test-${randomBytes(4).toString('hex')}`).withControlPlane(options.controlPlane ?? false);
    const emulator = await (options.configure?.(builder) ?? builder).start();
    return new HubFixture(emulator, Registry.fromConnectionString(emulator.getServiceConnectionString()));
  }

  get serviceConnectionString(): string {
    return this.emulator.getServiceConnectionString();
  }

  async createDevice(deviceId: string): Promise<IdentityKeys> {
    const { responseBody } = await this.registry.create({ deviceId });
    return { deviceId, primaryKey: responseBody.authentication?.symmetricKey?.primaryKey ?? '' };
  }

  async createModule(deviceId: string, moduleId: string): Promise<IdentityKeys> {
    const response: { responseBody: { authentication?: { symmetricKey?: { primaryKey?: string } } } } = await this.registry.addModule({ deviceId, moduleId });
    return { deviceId, moduleId, primaryKey: response.responseBody.authentication?.symmetricKey?.primaryKey ?? '' };
  }

  /** A new device and a module of it (ids from `prefix`): the two kinds of identity a device-side test covers. */
  async createDeviceAndModule(prefix: string): Promise<[IdentityKeys, IdentityKeys]> {
    const deviceId = newId(prefix);
    return [await this.createDevice(deviceId), await this.createModule(deviceId, newId(`${prefix}-m`))];
  }

  /** The identity's connection string; with GatewayHostName (the MQTT port) for Mqtt only, as the other transports dial HostName. */
  connectionString(identity: IdentityKeys, key = identity.primaryKey, transport: DeviceTransport = 'mqtt'): string {
    const module = identity.moduleId === undefined ? '' : `;ModuleId=${identity.moduleId}`;
    const gateway = transport === 'mqtt' ? `;GatewayHostName=${this.emulator.mqttGatewayHostName}` : '';
    return `HostName=${this.emulator.hostName};DeviceId=${identity.deviceId}${module};SharedAccessKey=${key}${gateway}`;
  }

  /** An SDK client (not yet open) over `transport` that trusts the emulator's certificate. */
  async client(identity: IdentityKeys, transport: DeviceTransport = 'mqtt'): Promise<DeviceSideClient> {
    const client = clientFromConnectionString(this.connectionString(identity, identity.primaryKey, transport), identity.moduleId !== undefined, transport);
    await client.setOptions({ ca: this.emulator.caCertificate });
    return client;
  }

  /** The reasons the activity feed gives for each end of this client id's connections, as they come; `stop` ends the recording. */
  recordDisconnectReasons(clientId: string): { readonly reasons: string[]; stop: () => void } {
    const reasons: string[] = [];
    const stop = this.emulator.activity.subscribe((event) => event.type === 'disconnected' && event.clientId === clientId && reasons.push(event.reason));
    return { reasons, stop };
  }

  /** Resolves once the hub no longer counts the identity as connected, over any transport; call it before the disconnect to see it announced. */
  async untilDisconnected(identity: IdentityKeys, timeoutMs = 5_000): Promise<void> {
    const { control } = this.emulator;
    await waitFor(() => (control.isConnected(identity) ? undefined : true), {
      description: `the hub to see ${clientIdOf(identity)} disconnected`,
      timeoutMs,
      changes: control.connectionChanges,
    });
  }

  /** The control plane's base URL; the fixture must have been started with `controlPlane`. */
  get controlPlaneUrl(): string {
    return `https://localhost:${this.emulator.httpsPort ?? 0}/_emulator`;
  }

  /** A hub that cannot close (a listener left behind) fails the file here instead of keeping it alive. */
  async stop(): Promise<void> {
    await withDeadline(this.emulator.stop(), STOP_LIMIT_MS, 'the emulator to stop');
  }
}

export const newId = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;
