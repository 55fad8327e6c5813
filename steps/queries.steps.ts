import { Given, Then, When } from '@cucumber/cucumber';
import { registryScenarioOf } from '../src/harness/registry-scenario.js';
import { assertFoundExactly, assertPageCount, assertRefusedAsInvalid, quotedNames } from '../src/harness/registry-expectations.js';
import type { HubWorld } from './support/world.js';

Given(/^devices? (.+) (?:is|are) installed at site "([^"]+)"$/, async function (this: HubWorld, devices: string, site: string) {
  await registryScenarioOf(this.scenario).installAtSite(quotedNames(devices), site);
});

Given('the back end has asked device {string} for mode {string}', async function (this: HubWorld, device: string, mode: string) {
  await registryScenarioOf(this.scenario).updateTwin(device, { properties: { desired: { mode } } });
});

When(/^the back end looks for the devices installed at site "([^"]+)"(, two at a time)?$/, async function (this: HubWorld, site: string, paged?: string) {
  await registryScenarioOf(this.scenario).queryBySite(site, {}, paged === undefined ? undefined : 2);
});

When('the back end looks for the devices at site {string} asked for mode {string}', async function (this: HubWorld, site: string, mode: string) {
  await registryScenarioOf(this.scenario).queryBySite(site, { 'properties.desired.mode': mode });
});

Then(/^it finds devices? (.+)$/, function (this: HubWorld, devices: string) {
  const registry = registryScenarioOf(this.scenario);
  assertFoundExactly(registry.lastQuery, quotedNames(devices).map((device) => registry.deviceId(device)));
});

Then('the results came in {int} pages', function (this: HubWorld, pages: number) {
  assertPageCount(registryScenarioOf(this.scenario).lastQuery, pages);
});

When('the back end looks for devices with a query that is not valid', async function (this: HubWorld) {
  await this.scenario.attempt(() => registryScenarioOf(this.scenario).query('tags.site ='));
});

Then('the query is refused as invalid', function (this: HubWorld) {
  assertRefusedAsInvalid(this.scenario.lastError);
});
