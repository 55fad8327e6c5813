import { Given, Then, When } from '@cucumber/cucumber';
import { assertEtagRefused } from '../src/harness/error-expectations.js';
import { assertHasProperty, assertLacksProperty, assertOnlyPatch, assertPatchIsExactly, assertVersionIncreased } from '../src/harness/twin-expectations.js';
import type { HubWorld } from './support/world.js';

When('the back end sets the desired property {property} to {value}', async function (this: HubWorld, name: string, value: unknown) {
  await this.scenario.modules.setDesired(this.scenario.modules.current, { [name]: value });
});

Given('another back end has since set the desired property {property} to {value}', async function (this: HubWorld, name: string, value: unknown) {
  await this.scenario.modules.setDesired(this.scenario.modules.current, { [name]: value });
});

When('the back end removes the desired property {property}', async function (this: HubWorld, name: string) {
  await this.scenario.modules.setDesired(this.scenario.modules.current, { [name]: null });
});

Given('the back end has read the module twin', async function (this: HubWorld) {
  await this.scenario.modules.readTwin(this.scenario.modules.current);
});

When('the back end sets the desired property {property} to {value} based on the twin it read', async function (this: HubWorld, name: string, value: unknown) {
  const { modules } = this.scenario;
  await this.scenario.attempt(() => modules.setDesiredBasedOnLastRead(modules.current, { [name]: value }));
});

Then('the update is refused because the twin has changed', function (this: HubWorld) {
  assertEtagRefused(this.scenario.last.error);
});

Then('the module twin shows the desired property {property} as {value}', async function (this: HubWorld, name: string, value: unknown) {
  assertHasProperty((await this.scenario.modules.readTwin(this.scenario.modules.current)).desired, name, value, 'the desired properties');
});

Then('the module twin no longer has the desired property {property}', async function (this: HubWorld, name: string) {
  assertLacksProperty((await this.scenario.modules.readTwin(this.scenario.modules.current)).desired, name, 'the desired properties');
});

Then('the desired properties version has gone up', function (this: HubWorld) {
  const update = this.scenario.modules.lastUpdateOrFail();
  assertVersionIncreased(update.before, update.after, 'desired');
});

Then('the module receives a desired patch setting {property} to {value}', async function (this: HubWorld, name: string, value: unknown) {
  assertPatchIsExactly(await this.scenario.modules.desiredPatch(this.scenario.modules.current), { [name]: value });
});

Then('the module receives a desired patch removing {property}', async function (this: HubWorld, name: string) {
  assertPatchIsExactly(await this.scenario.modules.desiredPatch(this.scenario.modules.current), { [name]: null });
});

Then('the only desired patch the module receives sets {property} to {value}', async function (this: HubWorld, name: string, value: unknown) {
  assertOnlyPatch(await this.scenario.modules.patchesUpToLastUpdate(this.scenario.modules.current), { [name]: value });
});
