import assert from 'node:assert/strict';
import { After, Given, Then, When } from '@cucumber/cucumber';
import { cleanUpDeviceSide, deviceSideOf } from '../src/harness/device-side-scenario.js';
import { assertRefusedAsUnauthorized } from '../src/harness/device-side-expectations.js';
import { registryScenarioOf } from '../src/harness/registry-scenario.js';
import type { HubWorld } from './support/world.js';

When('device {string} connects with a token its application signed with its key', async function (this: HubWorld, device: string) {
  await deviceSideOf(this.scenario).connectWithOwnToken(device, 'valid');
});

When('device {string} connects with a token that has expired', async function (this: HubWorld, device: string) {
  await deviceSideOf(this.scenario).connectWithOwnToken(device, 'expired');
});

When('device {string} connects with a token made for device {string}', async function (this: HubWorld, device: string, other: string) {
  await deviceSideOf(this.scenario).connectWithOwnToken(device, 'valid', other);
});

Then('device {string} is connected and can report its state', async function (this: HubWorld, device: string) {
  assert.equal(await deviceSideOf(this.scenario).reportThroughOwnToken(device), 'ok');
});

Then('the device\'s connection is refused as unauthorized', function (this: HubWorld) {
  assertRefusedAsUnauthorized(deviceSideOf(this.scenario).lastError);
});

Given('device {string} is connected with tokens that last {int} seconds', async function (this: HubWorld, device: string, seconds: number) {
  await deviceSideOf(this.scenario).connectWithShortTokens(device, seconds);
});

When('device {string} has renewed its token', async function (this: HubWorld, device: string) {
  await deviceSideOf(this.scenario).awaitTokenRenewal(device);
});

When('the back end asks device {string} for mode {string}', async function (this: HubWorld, device: string, mode: string) {
  await registryScenarioOf(this.scenario).updateTwin(device, { properties: { desired: { mode } } });
});

Then('device {string} receives the desired mode {string}', async function (this: HubWorld, device: string, mode: string) {
  assert.equal(await deviceSideOf(this.scenario).receiveDesired(device, 'mode'), mode);
});

After(async function cleanUpDeviceSideClients(this: HubWorld) {
  await cleanUpDeviceSide(this.scenario);
});
