import { Then, When } from '@cucumber/cucumber';
import { assertAccepted } from '../src/harness/device-side-expectations.js';
import type { HubWorld } from './support/world.js';

When('device {string} sends the reading {string}', async function (this: HubWorld, device: string, reading: string) {
  await this.scenario.attempt(() => this.scenario.messaging.sendTelemetry(device, reading));
});

When('module {string} sends {string} on output {string}', async function (this: HubWorld, module: string, body: string, output: string) {
  await this.scenario.attempt(() => this.scenario.messaging.sendOutput(module, output, body));
});

Then('the hub accepts the message', function (this: HubWorld) {
  assertAccepted(this.scenario.last.error);
});
