import {
  deleteDevice, readDeviceDocument, readDeviceTwin, registerDevice, registerDevicesAtOnce, setDeviceStatus, updateDeviceTwin,
  type BulkResult, type DeviceDocument, type RegisteredDevice,
} from '../flows/device-registry.js';
import { queryTwins, type QueriedTwin } from '../flows/query-twins.js';
import type { JsonObject } from '../flows/twin-snapshot.js';
import type { ScenarioScope } from './scenario-scope.js';

/**
 * What the back end does with device identities, twins and queries, in the steps' words. Devices are
 * named in business words; each scenario gets its own ids (ScenarioIds), and its site tags are made
 * unique the same way, so that a query on a shared real hub only finds this scenario's devices.
 */
export class RegistrySide {
  private readonly keys = new Map<string, string>();
  private readonly reads = new Map<string, DeviceDocument>();
  lastBulk?: BulkResult;
  lastQuery?: QueriedTwin[][];
  lastDesiredVersion?: number;

  constructor(private readonly scope: ScenarioScope) {}

  deviceId(name: string): string {
    return this.scope.ids.idFor(name);
  }

  /** The scenario's own value for a site tag, so that a query on a shared hub finds only its devices. */
  siteTag(site: string): string {
    return this.scope.ids.idFor(`site-${site}`);
  }

  private get registry() {
    return this.scope.registry;
  }

  async register(name: string): Promise<RegisteredDevice> {
    this.scope.cleanup.deleteDevice(this.deviceId(name));
    const device = await registerDevice(this.registry, this.deviceId(name));
    this.keys.set(name, device.primaryKey);
    return device;
  }

  async registerAtOnce(names: readonly string[]): Promise<BulkResult> {
    names.forEach((name) => this.scope.cleanup.deleteDevice(this.deviceId(name)));
    this.lastBulk = await registerDevicesAtOnce(this.registry, names.map((name) => this.deviceId(name)));
    return this.lastBulk;
  }

  /** The key the device signs with: the one the registration returned, or the registry's. */
  async primaryKeyOf(name: string): Promise<string> {
    const known = this.keys.get(name);
    if (known !== undefined) return known;
    const key = (await readDeviceDocument(this.registry, this.deviceId(name))).authentication?.symmetricKey?.primaryKey;
    if (key === undefined) throw new Error(`Device '${name}' has no symmetric key.`);
    return key;
  }

  async read(name: string): Promise<DeviceDocument> {
    const document = await readDeviceDocument(this.registry, this.deviceId(name));
    this.reads.set(name, document);
    return document;
  }

  /** Whether the hub has the device: its generation id, or undefined when the hub answers DeviceNotFound. */
  async generationIdOf(name: string): Promise<string | undefined> {
    try {
      return (await this.registry.get(this.deviceId(name))).responseBody.generationId;
    } catch (error) {
      if ((error as { name?: unknown }).name === 'DeviceNotFoundError') return undefined;
      throw error;
    }
  }

  async setStatus(name: string, status: 'enabled' | 'disabled', options: { reason?: string; withEarlierRead?: boolean } = {}): Promise<void> {
    const guardWith = options.withEarlierRead === true ? this.reads.get(name) : undefined;
    if (options.withEarlierRead === true && guardWith === undefined) throw new Error(`The scenario has not read device '${name}'.`);
    await setDeviceStatus(this.registry, { deviceId: this.deviceId(name), status, statusReason: options.reason, guardWith });
  }

  async delete(name: string): Promise<void> {
    await deleteDevice(this.registry, this.deviceId(name));
  }

  async updateTwin(name: string, patch: JsonObject): Promise<number> {
    this.lastDesiredVersion = (await updateDeviceTwin(this.registry, this.deviceId(name), patch)).desiredVersion;
    return this.lastDesiredVersion;
  }

  lastDesiredVersionOrFail(): number {
    if (this.lastDesiredVersion === undefined) throw new Error('The back end has not changed desired properties in this scenario.');
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
}
