import { After, Given, Then, When } from '@cucumber/cucumber';
import { cleanUpRegistryScenario, registryScenarioOf } from '../src/harness/registry-scenario.js';
import {
  assertBulkReportsExisting, assertBulkSucceeded, assertDeviceChangeRefused, assertDeviceConnectionState, assertDeviceStatus, assertModuleGone, quotedNames,
} from '../src/harness/registry-expectations.js';
import { assertUnauthorized } from '../src/harness/error-expectations.js';
import type { HubWorld } from './support/world.js';

After(async function (this: HubWorld) {
  await cleanUpRegistryScenario(this.scenario);
});

Given('device {string} is registered', async function (this: HubWorld, device: string) {
  await registryScenarioOf(this.scenario).register(device);
});

Given('device {string} is connected', async function (this: HubWorld, device: string) {
  await registryScenarioOf(this.scenario).register(device);
  await registryScenarioOf(this.scenario).connect(device);
});

Given('the back end has read device {string}', async function (this: HubWorld, device: string) {
  await registryScenarioOf(this.scenario).read(device);
});

Given('another back end has since disabled device {string} because of {string}', async function (this: HubWorld, device: string, reason: string) {
  await registryScenarioOf(this.scenario).setStatus(device, 'disabled', { reason });
});

When('the back end enables device {string} based on what it read', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => registryScenarioOf(this.scenario).setStatus(device, 'enabled', { withEarlierRead: true }));
});

Then('the change is refused because device {string} has changed', function (this: HubWorld, device: string) {
  assertDeviceChangeRefused(this.scenario.lastError, registryScenarioOf(this.scenario).deviceId(device));
});

Then('device {string} is still disabled because of {string}', async function (this: HubWorld, device: string, reason: string) {
  assertDeviceStatus(await registryScenarioOf(this.scenario).read(device), 'disabled', reason);
});

Given(/^the back end (?:has disabled|disables) device "([^"]+)"$/, async function (this: HubWorld, device: string) {
  await registryScenarioOf(this.scenario).setStatus(device, 'disabled');
});

When('the back end enables device {string}', async function (this: HubWorld, device: string) {
  await registryScenarioOf(this.scenario).setStatus(device, 'enabled');
});

When('device {string} tries to connect', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => registryScenarioOf(this.scenario).connect(device));
});

Then('device {string} cannot connect again', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => registryScenarioOf(this.scenario).connect(device));
  assertUnauthorized(this.scenario.lastError);
});

Then('the hub shows device {string} as disconnected', async function (this: HubWorld, device: string) {
  assertDeviceConnectionState(await registryScenarioOf(this.scenario).read(device), 'Disconnected');
});

Then('device {string} can connect', async function (this: HubWorld, device: string) {
  await registryScenarioOf(this.scenario).connect(device);
});

When('the back end deletes device {string}', async function (this: HubWorld, device: string) {
  await registryScenarioOf(this.scenario).delete(device);
});

Then('module {string} of device {string} is no longer registered', async function (this: HubWorld, module: string, device: string) {
  await this.scenario.attempt(() => this.scenario.registry.getModule(this.scenario.ids.idFor(device), this.scenario.ids.idFor(module)));
  assertModuleGone(this.scenario.lastError);
});

When(/^the back end registers devices (.+) in one request$/, async function (this: HubWorld, devices: string) {
  await registryScenarioOf(this.scenario).registerAtOnce(quotedNames(devices));
});

Then('the registration succeeds', function (this: HubWorld) {
  assertBulkSucceeded(registryScenarioOf(this.scenario).lastBulk);
});

Then(/^devices (.+) are registered$/, async function (this: HubWorld, devices: string) {
  for (const device of quotedNames(devices)) await registryScenarioOf(this.scenario).read(device);
});

Then('the registration reports that device {string} already exists', function (this: HubWorld, device: string) {
  assertBulkReportsExisting(registryScenarioOf(this.scenario).lastBulk, registryScenarioOf(this.scenario).deviceId(device));
});
