import { Given, Then, When } from '@cucumber/cucumber';
import { assertCount, assertGroupCounts, assertListHolds, assertRowsHoldOnly, assertStatisticsChange } from '../src/harness/query-expectations.js';
import { quotedNames } from '../src/harness/registry-expectations.js';
import type { HubWorld } from './support/world.js';

/** The back end finds, counts and lists its devices (features/queries/). */
When(/^the back end looks for devices (.+) by their ids$/, async function (this: HubWorld, devices: string) {
  await this.scenario.queries.findByIds(quotedNames(devices));
});

When('the back end counts the devices installed at site {string}', async function (this: HubWorld, site: string) {
  await this.scenario.queries.countAtSite(site);
});

Then(/^it counts (\d+) devices?$/, function (this: HubWorld, count: string) {
  assertCount(this.scenario.queries.lastCount, Number(count));
});

When('the back end counts the devices at site {string} per mode', async function (this: HubWorld, site: string) {
  await this.scenario.queries.countPerModeAtSite(site);
});

Then(/^it counts (.+ in mode .+)$/, function (this: HubWorld, counts: string) {
  assertGroupCounts(this.scenario.queries.lastGroups, [...counts.matchAll(/(\d+) devices? in mode "([^"]+)"/g)].map((match) => [match[2] ?? '', Number(match[1])]));
});

When('the back end reads the id and last activity time of the enabled devices at site {string} that are disconnected', async function (this: HubWorld, site: string) {
  await this.scenario.queries.readIdleAtSite(site);
});

Then(/^it gets only the id and last activity time of devices? (.+)$/, function (this: HubWorld, devices: string) {
  const ids = quotedNames(devices).map((device) => this.scenario.devices.deviceId(device));
  assertRowsHoldOnly(this.scenario.queries.lastRows, ids, ['deviceId', 'lastActivityTime']);
});

When('the back end lists its devices', async function (this: HubWorld) {
  await this.scenario.queries.list();
});

Then(/^the list holds devices? (.+)$/, function (this: HubWorld, devices: string) {
  assertListHolds(this.scenario.queries.lastList, quotedNames(devices).map((device) => this.scenario.devices.deviceId(device)));
});

Given(/^the back end has read the registry statistics$|^the back end reads the registry statistics again$/, async function (this: HubWorld) {
  await this.scenario.queries.readStatistics();
});

Then(/^the registry counts (\d+) more devices?, (\d+) more of them disabled$/, function (this: HubWorld, more: string, disabled: string) {
  assertStatisticsChange(this.scenario.queries.statisticsChange(), { more: Number(more), moreDisabled: Number(disabled) });
});
