import { randomBytes } from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import { assertUnauthorized } from '../src/harness/error-expectations.js';
import { assertHasProperty } from '../src/harness/twin-expectations.js';
import type { HubWorld } from './support/world.js';

When('the module connects with a key that is not its own', async function (this: HubWorld) {
  await this.scenario.attempt(() => this.scenario.connectModule(this.scenario.currentModule, randomBytes(32).toString('base64')));
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
