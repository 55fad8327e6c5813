import { Then, When } from '@cucumber/cucumber';
import { deviceSideOf } from '../src/harness/device-side-scenario.js';
import { assertAccepted } from '../src/harness/device-side-expectations.js';
import type { HubWorld } from './support/world.js';

When('device {string} sends the reading {string}', async function (this: HubWorld, device: string, reading: string) {
  await deviceSideOf(this.scenario).sendTelemetry(device, reading);
});

When('module {string} sends {string} on output {string}', async function (this: HubWorld, module: string, body: string, output: string) {
  await deviceSideOf(this.scenario).sendOutput(module, output, body);
});

Then('the hub accepts the message', function (this: HubWorld) {
  assertAccepted(deviceSideOf(this.scenario).lastError);
});
