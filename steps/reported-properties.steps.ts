import { Then, When } from '@cucumber/cucumber';
import { assertHasProperty, assertVersionIncreased } from '../src/harness/twin-expectations.js';
import type { HubWorld } from './support/world.js';

When('the module reports {property} as {value}', async function (this: HubWorld, name: string, value: unknown) {
  await this.scenario.modules.report(this.scenario.modules.current, { [name]: value });
});

Then('the back end sees the reported property {property} as {value}', async function (this: HubWorld, name: string, value: unknown) {
  assertHasProperty((await this.scenario.modules.readTwin(this.scenario.modules.current)).reported, name, value, 'the reported properties');
});

Then('the reported properties version has gone up', function (this: HubWorld) {
  const report = this.scenario.modules.lastReportOrFail();
  assertVersionIncreased(report.before, report.after, 'reported');
});
