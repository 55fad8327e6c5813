import { Given, Then, When } from '@cucumber/cucumber';
import {
  assertBulkReportsExisting, assertBulkSucceeded, assertDeviceChangeRefused, assertDeviceConnectionState, assertDeviceStatus, assertModuleGone, quotedNames,
} from '../src/harness/registry-expectations.js';
import { assertUnauthorized } from '../src/harness/error-expectations.js';
import type { HubWorld } from './support/world.js';

Given('device {string} is registered', async function (this: HubWorld, device: string) {
  await this.scenario.devices.register(device);
});

Given('device {string} is connected', async function (this: HubWorld, device: string) {
  await this.scenario.devices.register(device);
  await this.scenario.deviceApps.connect(device);
});

Given('the back end has read device {string}', async function (this: HubWorld, device: string) {
  await this.scenario.devices.read(device);
});

Given('another back end has since disabled device {string} because of {string}', async function (this: HubWorld, device: string, reason: string) {
  await this.scenario.devices.setStatus(device, 'disabled', { reason });
});

When('the back end enables device {string} based on what it read', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.devices.setStatus(device, 'enabled', { withEarlierRead: true }));
});

Then('the change is refused because device {string} has changed', function (this: HubWorld, device: string) {
  assertDeviceChangeRefused(this.scenario.last.error, this.scenario.devices.deviceId(device));
});

Then('device {string} is still disabled because of {string}', async function (this: HubWorld, device: string, reason: string) {
  assertDeviceStatus(await this.scenario.devices.read(device), 'disabled', reason);
});

Given(/^the back end (?:has disabled|disables) device "([^"]+)"$/, async function (this: HubWorld, device: string) {
  await this.scenario.devices.setStatus(device, 'disabled');
});

When('the back end enables device {string}', async function (this: HubWorld, device: string) {
  await this.scenario.devices.setStatus(device, 'enabled');
});

When('device {string} tries to connect', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.deviceApps.connect(device));
});

Then('device {string} cannot connect again', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.deviceApps.connect(device));
  assertUnauthorized(this.scenario.last.error);
});

Then('the hub shows device {string} as disconnected', async function (this: HubWorld, device: string) {
  assertDeviceConnectionState(await this.scenario.devices.read(device), 'Disconnected');
});

Then('device {string} can connect', async function (this: HubWorld, device: string) {
  await this.scenario.deviceApps.connect(device);
});

When('the back end deletes device {string}', async function (this: HubWorld, device: string) {
  await this.scenario.devices.delete(device);
});

Then('module {string} of device {string} is no longer registered', async function (this: HubWorld, module: string, device: string) {
  await this.scenario.attempt(() => this.scenario.modules.readRegistration(device, module));
  assertModuleGone(this.scenario.last.error);
});

When(/^the back end registers devices (.+) in one request$/, async function (this: HubWorld, devices: string) {
  await this.scenario.devices.registerAtOnce(quotedNames(devices));
});

Then('the registration succeeds', function (this: HubWorld) {
  assertBulkSucceeded(this.scenario.devices.lastBulk);
});

Then(/^devices (.+) are registered$/, async function (this: HubWorld, devices: string) {
  for (const device of quotedNames(devices)) await this.scenario.devices.read(device);
});

Then('the registration reports that device {string} already exists', function (this: HubWorld, device: string) {
  assertBulkReportsExisting(this.scenario.devices.lastBulk, this.scenario.devices.deviceId(device));
});
