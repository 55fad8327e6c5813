import type { Registry } from 'azure-iothub';
import { MAX_QUERY_PAGES } from './query-twins.js';

/**
 * The back end's reads of the whole registry through the official Registry client, as the docs'
 * examples make them: queries that answer rows rather than twins (projections, COUNT, GROUP BY),
 * `Registry.list()` and `Registry.getRegistryStatistics()`.
 */
export type QueryRow = Readonly<Record<string, unknown>>;

/** Every row of a query, page after page (the SDK is handed the continuation token each time). */
export async function queryRows(registry: Registry, sql: string, pageSize?: number): Promise<QueryRow[]> {
  const query = registry.createQuery(sql, pageSize);
  const rows: QueryRow[] = [];
  for (let pages = 0; query.hasMoreResults; pages++) {
    if (pages >= MAX_QUERY_PAGES) throw new Error(`The query '${sql}' returned more than ${MAX_QUERY_PAGES} pages.`);
    rows.push(...((await query.next(query.continuationToken)).result as QueryRow[]));
  }
  return rows;
}

/** `SELECT COUNT() AS numberOfDevices FROM devices WHERE ...`: one row, whose count is returned. */
export async function countDevices(registry: Registry, condition: string): Promise<number> {
  const [row] = await queryRows(registry, `SELECT COUNT() AS numberOfDevices FROM devices WHERE ${condition}`);
  const count = row?.numberOfDevices;
  if (typeof count !== 'number') throw new Error(`The count query answered ${JSON.stringify(row)}.`);
  return count;
}

export interface GroupCount {
  readonly value: unknown;
  readonly numberOfDevices: number;
}

/** `SELECT <property> AS value, COUNT() AS numberOfDevices ... GROUP BY <property>`: one row per value. */
export async function countDevicesPer(registry: Registry, property: string, condition: string): Promise<GroupCount[]> {
  const sql = `SELECT ${property} AS value, COUNT() AS numberOfDevices FROM devices WHERE ${condition} GROUP BY ${property}`;
  return (await queryRows(registry, sql)).map((row) => ({ value: row.value, numberOfDevices: Number(row.numberOfDevices) }));
}

/** `Registry.list()`: the SDK's own call for the device list (`GET /devices/`), as device ids. */
export async function listDeviceIds(registry: Registry): Promise<string[]> {
  return (await registry.list()).responseBody.map((device) => device.deviceId);
}

export interface RegistryStatistics {
  readonly totalDeviceCount: number;
  readonly enabledDeviceCount: number;
  readonly disabledDeviceCount: number;
}

/** `Registry.getRegistryStatistics()` (`GET /statistics/devices`). */
export async function readRegistryStatistics(registry: Registry): Promise<RegistryStatistics> {
  const { totalDeviceCount, enabledDeviceCount, disabledDeviceCount } = (await registry.getRegistryStatistics()).responseBody;
  return { totalDeviceCount, enabledDeviceCount, disabledDeviceCount };
}
