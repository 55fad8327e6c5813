import { randomBytes } from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import { assertUnauthorized } from '../src/harness/error-expectations.js';
import { desiredVersionOf } from '../src/flows/twin-snapshot.js';
import { PROPAGATION_TIMEOUT_MS } from '../src/harness/scenario-context.js';
import { assertHasProperty, assertPatchCarries } from '../src/harness/twin-expectations.js';
import type { HubWorld } from './support/world.js';

When('the module connects with a key that is not its own', async function (this: HubWorld) {
  await this.scenario.attempt(() => this.scenario.connectModule(this.scenario.currentModule, { sharedAccessKey: randomBytes(32).toString('base64') }));
});

Then('the connection is refused as unauthorized', function (this: HubWorld) {
  assertUnauthorized(this.scenario.lastError);
});

When('the module goes offline', async function (this: HubWorld) {
  await this.scenario.session(this.scenario.currentModule).close();
});

When('the module connects again', async function (this: HubWorld) {
  await this.scenario.connectModule(this.scenario.currentModule);
});

Given('the emulator drops the module\'s connection', async function (this: HubWorld) {
  await this.scenario.dropConnectionAndAwaitReconnect(this.scenario.currentModule);
});

Then('the module reads the desired property {property} as {value}', function (this: HubWorld, name: string, value: unknown) {
  assertHasProperty(this.scenario.session(this.scenario.currentModule).desired, name, value, "the module's desired properties");
});

Given('module {string} of device {string} is connected without automatic reconnection', async function (this: HubWorld, module: string, device: string) {
  await this.scenario.registerModule(device, module);
  await this.scenario.connectModule(module, { reconnect: false });
});

When('a second app connects as module {string}', async function (this: HubWorld, module: string) {
  await this.scenario.connectSecondApp(module);
});

Then('the first app is told it was disconnected', async function (this: HubWorld) {
  await this.scenario.session(this.scenario.currentModule).waitForDisconnect(PROPAGATION_TIMEOUT_MS);
});

Then('the second app receives a desired patch setting {property} to {value}', async function (this: HubWorld, name: string, value: unknown) {
  const version = desiredVersionOf(this.scenario.lastUpdateOrFail().after);
  assertPatchCarries(await this.scenario.secondApp(this.scenario.currentModule).waitForPatch(version, PROPAGATION_TIMEOUT_MS), name, value);
});
