import { Given, Then, When } from '@cucumber/cucumber';
import { assertEtagRefused } from '../src/harness/error-expectations.js';
import { assertHasProperty, assertLacksProperty, assertPatchCarries, assertVersionIncreased } from '../src/harness/twin-expectations.js';
import { desiredVersionOf } from '../src/flows/twin-snapshot.js';
import type { HubWorld } from './support/world.js';

When('the back end sets the desired property {property} to {value}', async function (this: HubWorld, name: string, value: unknown) {
  await this.scenario.setDesired(this.scenario.currentModule, { [name]: value });
});

Given('another back end has since set the desired property {property} to {value}', async function (this: HubWorld, name: string, value: unknown) {
  await this.scenario.setDesired(this.scenario.currentModule, { [name]: value });
});

When('the back end removes the desired property {property}', async function (this: HubWorld, name: string) {
  await this.scenario.setDesired(this.scenario.currentModule, { [name]: null });
});

Given('the back end has read the module twin', async function (this: HubWorld) {
  await this.scenario.readTwin(this.scenario.currentModule);
});

When('the back end sets the desired property {property} to {value} based on the twin it read', async function (this: HubWorld, name: string, value: unknown) {
  const etag = this.scenario.lastRead?.etag;
  await this.scenario.attempt(() => this.scenario.setDesired(this.scenario.currentModule, { [name]: value }, etag));
});

Then('the update is refused because the twin has changed', function (this: HubWorld) {
  assertEtagRefused(this.scenario.lastError);
});

Then('the module twin shows the desired property {property} as {value}', async function (this: HubWorld, name: string, value: unknown) {
  assertHasProperty((await this.scenario.readTwin(this.scenario.currentModule)).desired, name, value, 'the desired properties');
});

Then('the module twin no longer has the desired property {property}', async function (this: HubWorld, name: string) {
  assertLacksProperty((await this.scenario.readTwin(this.scenario.currentModule)).desired, name, 'the desired properties');
});

Then('the desired properties version has gone up', function (this: HubWorld) {
  const update = this.scenario.lastUpdateOrFail();
  assertVersionIncreased(update.before, update.after, 'desired');
});

Then('the module receives a desired patch setting {property} to {value}', async function (this: HubWorld, name: string, value: unknown) {
  const version = desiredVersionOf(this.scenario.lastUpdateOrFail().after);
  assertPatchCarries(await this.scenario.waitForPatch(this.scenario.currentModule, version), name, value);
});

Then('the module receives a desired patch removing {property}', async function (this: HubWorld, name: string) {
  const version = desiredVersionOf(this.scenario.lastUpdateOrFail().after);
  assertPatchCarries(await this.scenario.waitForPatch(this.scenario.currentModule, version), name, null);
});
