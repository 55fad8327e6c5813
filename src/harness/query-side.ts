import {
  countDevices, countDevicesPer, listDeviceIds, queryRows, readRegistryStatistics,
  type GroupCount, type QueryRow, type RegistryStatistics,
} from '../flows/find-devices.js';
import type { QueriedTwin } from '../flows/query-twins.js';
import type { RegistrySide } from './registry-side.js';
import type { ScenarioScope } from './scenario-scope.js';

/**
 * The back end finding, counting and listing its devices, in the steps' words and with the docs'
 * queries. Every query is limited to the scenario's own site tag or ids (RegistrySide), so that on a
 * shared real hub it sees only this scenario's devices; what it found is kept for the Then steps.
 */
export class QuerySide {
  lastCount?: number;
  lastGroups?: GroupCount[];
  lastRows?: QueryRow[];
  lastList?: string[];
  private statistics: RegistryStatistics[] = [];

  constructor(
    private readonly scope: ScenarioScope,
    private readonly devices: RegistrySide,
  ) {}

  private atSite(site: string): string {
    return `tags.site = '${this.devices.siteTag(site)}'`;
  }

  /** `SELECT * FROM devices WHERE deviceId IN [...]` (the docs' module example, on devices). */
  async findByIds(names: readonly string[]): Promise<QueriedTwin[][]> {
    const ids = names.map((name) => `'${this.devices.deviceId(name)}'`).join(', ');
    return this.devices.query(`deviceId IN [${ids}]`);
  }

  async countAtSite(site: string): Promise<number> {
    this.lastCount = await countDevices(this.scope.registry, this.atSite(site));
    return this.lastCount;
  }

  /** The docs' GROUP BY example, on the desired mode. */
  async countPerModeAtSite(site: string): Promise<GroupCount[]> {
    this.lastGroups = await countDevicesPer(this.scope.registry, 'properties.desired.mode', this.atSite(site));
    return this.lastGroups;
  }

  /** The docs' projection example: the id and last activity time of enabled devices that are disconnected. */
  async readIdleAtSite(site: string): Promise<QueryRow[]> {
    const sql = `SELECT DeviceId, LastActivityTime FROM devices WHERE ${this.atSite(site)} AND status = 'enabled' AND connectionState = 'Disconnected'`;
    this.lastRows = await queryRows(this.scope.registry, sql);
    return this.lastRows;
  }

  async list(): Promise<string[]> {
    this.lastList = await listDeviceIds(this.scope.registry);
    return this.lastList;
  }

  async readStatistics(): Promise<RegistryStatistics> {
    const statistics = await readRegistryStatistics(this.scope.registry);
    this.statistics.push(statistics);
    return statistics;
  }

  /** How the last two reads of the statistics differ. */
  statisticsChange(): RegistryStatistics {
    const [before, after] = this.statistics.slice(-2);
    if (before === undefined || after === undefined) throw new Error('The back end has not read the registry statistics twice.');
    return {
      totalDeviceCount: after.totalDeviceCount - before.totalDeviceCount,
      enabledDeviceCount: after.enabledDeviceCount - before.enabledDeviceCount,
      disabledDeviceCount: after.disabledDeviceCount - before.disabledDeviceCount,
    };
  }
}
