import { Then, When } from '@cucumber/cucumber';
import { assertHasProperty, assertVersionIncreased } from '../src/harness/twin-expectations.js';
import type { HubWorld } from './support/world.js';

When('the module reports {property} as {value}', async function (this: HubWorld, name: string, value: unknown) {
  this.scenario.lastReport = await this.scenario.reportProperties(this.scenario.currentModule, { [name]: value });
});

Then('the back end sees the reported property {property} as {value}', async function (this: HubWorld, name: string, value: unknown) {
  assertHasProperty((await this.scenario.readTwin(this.scenario.currentModule)).reported, name, value, 'the reported properties');
});

Then('the reported properties version has gone up', function (this: HubWorld) {
  const report = this.scenario.lastReportOrFail();
  assertVersionIncreased(report.before, report.after, 'reported');
});
