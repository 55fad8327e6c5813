import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { assertUnauthorized } from '../src/harness/error-expectations.js';
import type { HubWorld } from './support/world.js';

When('device {string} connects with a token its application signed with its key', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.deviceApps.connectWithOwnToken(device, 'valid'));
});

When('device {string} connects with a token that has expired', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.deviceApps.connectWithOwnToken(device, 'expired'));
});

When('device {string} connects with a token made for device {string}', async function (this: HubWorld, device: string, other: string) {
  await this.scenario.attempt(() => this.scenario.deviceApps.connectWithOwnToken(device, 'valid', other));
});

Then('device {string} is connected and can report its state', async function (this: HubWorld, device: string) {
  assert.equal(await this.scenario.deviceApps.reportAndReadBack(device, 'tokenCheck', 'ok'), 'ok');
});

Then('the device\'s connection is refused as unauthorized', function (this: HubWorld) {
  assertUnauthorized(this.scenario.last.error);
});

Given('device {string} is connected with tokens that last {int} seconds', async function (this: HubWorld, device: string, seconds: number) {
  await this.scenario.deviceApps.connectWithShortTokens(device, seconds);
});

When('device {string} has renewed its token', async function (this: HubWorld, device: string) {
  await this.scenario.deviceApps.awaitTokenRenewal(device);
});

When('the back end asks device {string} for mode {string}', async function (this: HubWorld, device: string, mode: string) {
  await this.scenario.devices.updateTwin(device, { properties: { desired: { mode } } });
});

Then('device {string} receives the desired mode {string}', async function (this: HubWorld, device: string, mode: string) {
  assert.equal((await this.scenario.deviceApps.desiredPatchAcrossRenewals(device)).patch.mode, mode);
});
