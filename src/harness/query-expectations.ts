import assert from 'node:assert/strict';
import type { GroupCount, QueryRow, RegistryStatistics } from '../flows/find-devices.js';

/** Assertions on what the back end's counts, groups, projections, lists and statistics answered. */
export function assertCount(count: number | undefined, expected: number): void {
  assert.equal(count, expected, 'the number of devices the query counted');
}

/** `expected`: [value, count] pairs, in any order. */
export function assertGroupCounts(groups: readonly GroupCount[] | undefined, expected: readonly (readonly [string, number])[]): void {
  assert.ok(groups !== undefined, 'the scenario has not counted per group yet');
  const found = new Map(groups.map((group) => [String(group.value), group.numberOfDevices]));
  assert.deepEqual(found, new Map(expected), `the counts per group: ${JSON.stringify(groups)}`);
}

/** Each row holds exactly these properties, for exactly these devices. */
export function assertRowsHoldOnly(rows: readonly QueryRow[] | undefined, deviceIds: readonly string[], properties: readonly string[]): void {
  assert.ok(rows !== undefined, 'the scenario has not queried yet');
  assert.deepEqual(rows.map((row) => row.deviceId).sort(), [...deviceIds].sort(), `the devices in ${JSON.stringify(rows)}`);
  for (const row of rows) assert.deepEqual(Object.keys(row).sort(), [...properties].sort(), `the properties of ${JSON.stringify(row)}`);
}

/** The list holds these devices (on a shared hub it holds others too). */
export function assertListHolds(list: readonly string[] | undefined, deviceIds: readonly string[]): void {
  assert.ok(list !== undefined, 'the back end has not listed its devices');
  const missing = deviceIds.filter((deviceId) => !list.includes(deviceId));
  assert.deepEqual(missing, [], `devices missing from the list of ${list.length}`);
}

/** The statistics grew by `more` devices, `moreDisabled` of them disabled and the rest enabled. */
export function assertStatisticsChange(change: RegistryStatistics, expected: { more: number; moreDisabled: number }): void {
  const { more, moreDisabled } = expected;
  assert.deepEqual(change, { totalDeviceCount: more, enabledDeviceCount: more - moreDisabled, disabledDeviceCount: moreDisabled }, 'how the registry statistics changed');
}
