import { Given, Then, When } from '@cucumber/cucumber';
import { PROPAGATION_TIMEOUT_MS } from '../src/harness/scenario-context.js';
import { registryScenarioOf } from '../src/harness/registry-scenario.js';
import { assertNoDesiredProperties, assertPatchRemoves } from '../src/harness/registry-expectations.js';
import type { HubWorld } from './support/world.js';

Given('the back end has asked device {string} for targetTemperature {value} and mode {value}', async function (this: HubWorld, device: string, temperature: unknown, mode: unknown) {
  await registryScenarioOf(this.scenario).updateTwin(device, { properties: { desired: { targetTemperature: temperature, mode } } });
});

When('the back end clears all desired properties of device {string}', async function (this: HubWorld, device: string) {
  await registryScenarioOf(this.scenario).updateTwin(device, { properties: { desired: null } });
});

Then('the twin of device {string} has no desired properties', async function (this: HubWorld, device: string) {
  assertNoDesiredProperties((await registryScenarioOf(this.scenario).readTwin(device)).desired);
});

Then('device {string} is told that targetTemperature and mode were removed', async function (this: HubWorld, device: string) {
  const registry = registryScenarioOf(this.scenario);
  assertPatchRemoves(await registry.session(device).waitForPatch(registry.lastDesiredVersion ?? Number.NaN, PROPAGATION_TIMEOUT_MS), ['targetTemperature', 'mode']);
});
