import type { DeviceTwinSession } from '../flows/device-twin-session.js';
import { connectDevice, type DeviceEndpoint } from '../flows/device-connection.js';
import {
  deleteDevice, readDeviceDocument, readDeviceTwin, registerDevice, registerDevicesAtOnce, setDeviceStatus, updateDeviceTwin,
  type BulkResult, type DeviceDocument, type RegisteredDevice,
} from '../flows/device-registry.js';
import { queryTwins, type QueriedTwin } from '../flows/query-twins.js';
import type { JsonObject } from '../flows/twin-snapshot.js';
import type { ScenarioContext } from './scenario-context.js';

/**
 * What a scenario does with device identities, twins and queries, in the steps' words. Devices are
 * named in business words; each scenario gets its own ids (ScenarioIds), and its site tags are made
 * unique the same way, so that a query on a shared real hub only finds this scenario's devices.
 */
export class RegistryScenario {
  private readonly keys = new Map<string, string>();
  private readonly reads = new Map<string, DeviceDocument>();
  private readonly sessions = new Map<string, DeviceTwinSession>();
  private readonly created = new Set<string>();
  lastBulk?: BulkResult;
  lastQuery?: QueriedTwin[][];
  lastDesiredVersion?: number;

  constructor(private readonly scenario: ScenarioContext) {}

  deviceId(name: string): string {
    return this.scenario.ids.idFor(name);
  }

  nameOf(deviceId: string): string {
    return [...this.created].find((name) => this.deviceId(name) === deviceId) ?? deviceId;
  }

  siteTag(site: string): string {
    return this.scenario.ids.idFor(`site-${site}`);
  }

  private get registry() {
    return this.scenario.registry;
  }

  async register(name: string): Promise<RegisteredDevice> {
    this.created.add(name);
    const device = await registerDevice(this.registry, this.deviceId(name));
    this.keys.set(name, device.primaryKey);
    return device;
  }

  async registerAtOnce(names: readonly string[]): Promise<BulkResult> {
    names.forEach((name) => this.created.add(name));
    this.lastBulk = await registerDevicesAtOnce(this.registry, names.map((name) => this.deviceId(name)));
    return this.lastBulk;
  }

  async read(name: string): Promise<DeviceDocument> {
    const document = await readDeviceDocument(this.registry, this.deviceId(name));
    this.reads.set(name, document);
    return document;
  }

  async setStatus(name: string, status: 'enabled' | 'disabled', options: { reason?: string; withEarlierRead?: boolean } = {}): Promise<void> {
    const guardWith = options.withEarlierRead === true ? this.reads.get(name) : undefined;
    if (options.withEarlierRead === true && guardWith === undefined) throw new Error(`The scenario has not read device '${name}'.`);
    await setDeviceStatus(this.registry, { deviceId: this.deviceId(name), status, ...(options.reason === undefined ? {} : { statusReason: options.reason }), ...(guardWith === undefined ? {} : { guardWith }) });
  }

  async delete(name: string): Promise<void> {
    await deleteDevice(this.registry, this.deviceId(name));
  }

  private endpoint(): DeviceEndpoint {
    const { target } = this.scenario;
    return {
      hostName: target.hostName,
      transport: target.deviceTransport,
      ...(target.gatewayHostName === undefined ? {} : { gatewayHostName: target.gatewayHostName }),
      ...(target.ca === undefined ? {} : { ca: target.ca }),
    };
  }

  async connect(name: string): Promise<DeviceTwinSession> {
    const key = this.keys.get(name);
    if (key === undefined) throw new Error(`The scenario has not registered device '${name}'.`);
    // These devices get disabled and deleted under their clients' feet: no automatic reconnects.
    const session = await connectDevice(this.endpoint(), { deviceId: this.deviceId(name), sharedAccessKey: key, reconnect: false });
    this.sessions.set(name, session);
    return session;
  }

  session(name: string): DeviceTwinSession {
    const session = this.sessions.get(name);
    if (session === undefined) throw new Error(`Device '${name}' is not connected in this scenario.`);
    return session;
  }

  async updateTwin(name: string, patch: JsonObject): Promise<number> {
    this.lastDesiredVersion = (await updateDeviceTwin(this.registry, this.deviceId(name), patch)).desiredVersion;
    return this.lastDesiredVersion;
  }

  async readTwin(name: string): Promise<{ tags: JsonObject; desired: JsonObject }> {
    return readDeviceTwin(this.registry, this.deviceId(name));
  }

  async query(condition: string, pageSize?: number): Promise<QueriedTwin[][]> {
    this.lastQuery = await queryTwins(this.registry, `SELECT * FROM devices WHERE ${condition}`, pageSize);
    return this.lastQuery;
  }

  /** Registers the devices and tags them with the scenario's own name for the site. */
  async installAtSite(names: readonly string[], site: string): Promise<void> {
    for (const name of names) {
      await this.register(name);
      await this.updateTwin(name, { tags: { site: this.siteTag(site) } });
    }
  }

  /** `tags.site = '<site>'`, AND each `path = 'value'` given; string values only. */
  async queryBySite(site: string, alsoEqual: Record<string, string> = {}, pageSize?: number): Promise<QueriedTwin[][]> {
    const conditions = [`tags.site = '${this.siteTag(site)}'`, ...Object.entries(alsoEqual).map(([path, value]) => `${path} = '${value}'`)];
    return this.query(conditions.join(' AND '), pageSize);
  }

  async cleanUp(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((session) => session.close()));
    await Promise.allSettled([...this.created].map((name) => deleteDevice(this.registry, this.deviceId(name))));
  }
}

const scenarios = new WeakMap<ScenarioContext, RegistryScenario>();

/** The registry side of a scenario, created on first use and kept with the scenario's context. */
export function registryScenarioOf(scenario: ScenarioContext): RegistryScenario {
  let registry = scenarios.get(scenario);
  if (registry === undefined) {
    registry = new RegistryScenario(scenario);
    scenarios.set(scenario, registry);
  }
  return registry;
}

export async function cleanUpRegistryScenario(scenario: ScenarioContext): Promise<void> {
  await scenarios.get(scenario)?.cleanUp();
}
