import { Given, Then, When } from '@cucumber/cucumber';
import { assertNoDesiredProperties, assertPatchRemoves } from '../src/harness/registry-expectations.js';
import type { HubWorld } from './support/world.js';

Given('the back end has asked device {string} for targetTemperature {value} and mode {value}', async function (this: HubWorld, device: string, temperature: unknown, mode: unknown) {
  await this.scenario.devices.updateTwin(device, { properties: { desired: { targetTemperature: temperature, mode } } });
});

When('the back end clears all desired properties of device {string}', async function (this: HubWorld, device: string) {
  await this.scenario.devices.updateTwin(device, { properties: { desired: null } });
});

Then('the twin of device {string} has no desired properties', async function (this: HubWorld, device: string) {
  assertNoDesiredProperties((await this.scenario.devices.readTwin(device)).desired);
});

Then('device {string} is told that targetTemperature and mode were removed', async function (this: HubWorld, device: string) {
  assertPatchRemoves(await this.scenario.deviceApps.desiredPatch(device), ['targetTemperature', 'mode']);
});
