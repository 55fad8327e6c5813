import { Given, Then, When } from '@cucumber/cucumber';
import { assertMethodAnswered, assertNotOnline, assertTimedOut } from '../src/harness/device-side-expectations.js';
import type { HubWorld } from './support/world.js';

Given('device/module {string} answers method {string} with status {int} and result {string}', async function (this: HubWorld, name: string, method: string, status: number, result: string) {
  await this.scenario.messaging.listenForMethod(name, method, { status, payload: result });
});

Given('device {string} takes method {string} but never answers', async function (this: HubWorld, name: string, method: string) {
  await this.scenario.messaging.listenForMethod(name, method, 'never');
});

When('the back end calls method {string} on {string}', async function (this: HubWorld, method: string, name: string) {
  await this.scenario.attempt(() => this.scenario.messaging.invoke(name, method));
});

When('the back end calls method {string} on {string} and waits {int} seconds', async function (this: HubWorld, method: string, name: string, seconds: number) {
  await this.scenario.attempt(() => this.scenario.messaging.invoke(name, method, { responseTimeoutInSeconds: seconds }));
});

Then('the back end gets status {int} and result {string}', function (this: HubWorld, status: number, result: string) {
  assertMethodAnswered(this.scenario.last, status, result);
});

Then('the back end is told that the target is not online', function (this: HubWorld) {
  assertNotOnline(this.scenario.last.error);
});

Then('the back end is told that the call timed out', function (this: HubWorld) {
  assertTimedOut(this.scenario.last.error);
});
