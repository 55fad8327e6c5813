import { randomBytes } from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import { assertUnauthorized } from '../src/harness/error-expectations.js';
import { assertHasProperty, assertPatchIsExactly } from '../src/harness/twin-expectations.js';
import type { HubWorld } from './support/world.js';

When('the module connects with a key that is not its own', async function (this: HubWorld) {
  const { modules } = this.scenario;
  await this.scenario.attempt(() => modules.connect(modules.current, { sharedAccessKey: randomBytes(32).toString('base64') }));
});

Then('the connection is refused as unauthorized', function (this: HubWorld) {
  assertUnauthorized(this.scenario.last.error);
});

When('the module tries to connect', async function (this: HubWorld) {
  await this.scenario.attempt(() => this.scenario.modules.connect(this.scenario.modules.current, { reconnect: false }));
});

Then('the module cannot connect again', async function (this: HubWorld) {
  await this.scenario.attempt(() => this.scenario.modules.connect(this.scenario.modules.current, { reconnect: false }));
  assertUnauthorized(this.scenario.last.error);
});

When('the module goes offline', async function (this: HubWorld) {
  await this.scenario.modules.app(this.scenario.modules.current).close();
});

When('the module connects again', async function (this: HubWorld) {
  await this.scenario.modules.connect(this.scenario.modules.current);
});

Given('the emulator drops the module\'s connection', async function (this: HubWorld) {
  await this.scenario.modules.dropConnectionAndAwaitReconnect(this.scenario.modules.current);
});

Then('the module reads the desired property {property} as {value}', function (this: HubWorld, name: string, value: unknown) {
  assertHasProperty(this.scenario.modules.app(this.scenario.modules.current).desired, name, value, "the module's desired properties");
});

Given('module {string} of device {string} is connected without automatic reconnection', async function (this: HubWorld, module: string, device: string) {
  await this.scenario.modules.register(device, module);
  await this.scenario.modules.connect(module, { reconnect: false });
});

When('a second app connects as module {string}', async function (this: HubWorld, module: string) {
  await this.scenario.modules.connectSecondApp(module);
});

Then(/^the (?:first app|module) is told it was disconnected$/, async function (this: HubWorld) {
  await this.scenario.modules.waitForDisconnect(this.scenario.modules.current);
});

Then('the second app receives a desired patch setting {property} to {value}', async function (this: HubWorld, name: string, value: unknown) {
  assertPatchIsExactly(await this.scenario.modules.desiredPatch(this.scenario.modules.current, 'second'), { [name]: value });
});
