import { Given, Then, When } from '@cucumber/cucumber';
import { deviceSideOf } from '../src/harness/device-side-scenario.js';
import { assertMethodAnswered, assertNotOnline, assertTimedOut } from '../src/harness/device-side-expectations.js';
import type { HubWorld } from './support/world.js';

Given('module {string} of device {string} is running', async function (this: HubWorld, module: string, device: string) {
  await deviceSideOf(this.scenario).connectModule(module, device);
});

Given('device/module {string} answers method {string} with status {int} and result {string}', async function (this: HubWorld, name: string, method: string, status: number, result: string) {
  await deviceSideOf(this.scenario).listenForMethod(name, method, { status, payload: result });
});

Given('device {string} takes method {string} but never answers', async function (this: HubWorld, name: string, method: string) {
  await deviceSideOf(this.scenario).listenForMethod(name, method, 'never');
});

When('the back end calls method {string} on {string}', async function (this: HubWorld, method: string, name: string) {
  await deviceSideOf(this.scenario).invoke(name, method);
});

When('the back end calls method {string} on {string} and waits {int} seconds', async function (this: HubWorld, method: string, name: string, seconds: number) {
  await deviceSideOf(this.scenario).invoke(name, method, { responseTimeoutInSeconds: seconds });
});

Then('the back end gets status {int} and result {string}', function (this: HubWorld, status: number, result: string) {
  assertMethodAnswered(deviceSideOf(this.scenario).lastResult, deviceSideOf(this.scenario).lastError, status, result);
});

Then('the back end is told that the target is not online', function (this: HubWorld) {
  assertNotOnline(deviceSideOf(this.scenario).lastError);
});

Then('the back end is told that the call timed out', function (this: HubWorld) {
  assertTimedOut(deviceSideOf(this.scenario).lastError);
});
