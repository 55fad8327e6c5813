import { Given, Then, When } from '@cucumber/cucumber';
import { assertFoundExactly, assertPageCount, assertRefusedAsInvalid, quotedNames } from '../src/harness/registry-expectations.js';
import type { HubWorld } from './support/world.js';

Given(/^devices? (.+) (?:is|are) installed at site "([^"]+)"$/, async function (this: HubWorld, devices: string, site: string) {
  await this.scenario.devices.installAtSite(quotedNames(devices), site);
});

Given(/^the back end has asked devices? (.+) for mode "([^"]+)"$/, async function (this: HubWorld, devices: string, mode: string) {
  for (const device of quotedNames(devices)) await this.scenario.devices.updateTwin(device, { properties: { desired: { mode } } });
});

When(/^the back end looks for the devices installed at site "([^"]+)"(, two at a time)?$/, async function (this: HubWorld, site: string, paged?: string) {
  await this.scenario.devices.queryBySite(site, {}, paged === undefined ? undefined : 2);
});

When('the back end looks for the devices at site {string} asked for mode {string}', async function (this: HubWorld, site: string, mode: string) {
  await this.scenario.devices.queryBySite(site, { 'properties.desired.mode': mode });
});

Then(/^it finds devices? (.+)$/, function (this: HubWorld, devices: string) {
  const { devices: registry } = this.scenario;
  assertFoundExactly(registry.lastQuery, quotedNames(devices).map((device) => registry.deviceId(device)));
});

Then('the results came in {int} pages', function (this: HubWorld, pages: number) {
  assertPageCount(this.scenario.devices.lastQuery, pages);
});

When('the back end looks for devices with a query that is not valid', async function (this: HubWorld) {
  await this.scenario.attempt(() => this.scenario.devices.query('tags.site ='));
});

Then('the query is refused as invalid', function (this: HubWorld) {
  assertRefusedAsInvalid(this.scenario.last.error);
});
