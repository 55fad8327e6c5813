import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { assertAccepted, assertReportRefused } from '../src/harness/device-side-expectations.js';
import type { HubWorld } from './support/world.js';

Given('device/module {string} has reported firmware as {string}', async function (this: HubWorld, name: string, firmware: string) {
  await this.scenario.attempt(() => this.scenario.messaging.report(name, { firmware }));
  assertAccepted(this.scenario.last.error);
});

When('device/module {string} reports a property named {string} along with firmware {string}', async function (this: HubWorld, name: string, property: string, firmware: string) {
  await this.scenario.attempt(() => this.scenario.messaging.report(name, { [property]: 1, firmware }));
});

Then('device/module {string} is told its report was refused', function (this: HubWorld, _name: string) {
  assertReportRefused(this.scenario.last.error);
});

Then('the back end sees that {string} reports only firmware as {string}', async function (this: HubWorld, name: string, firmware: string) {
  assert.deepEqual(await this.scenario.messaging.reportedAsBackEndSees(name), { firmware });
});
