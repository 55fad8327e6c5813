import { Given, Then, When } from '@cucumber/cucumber';
import { assertProperty, assertReadOnce } from '../src/harness/telemetry-expectations.js';
import type { HubWorld } from './support/world.js';

/** Attaching to every partition of the built-in endpoint can take longer than cucumber's 5 s default. */
const READER_STEP = { timeout: 30_000 };

Given('the back end is reading the hub\'s telemetry', READER_STEP, async function (this: HubWorld) {
  await this.scenario.telemetry.startReading();
});

When('device {string} sends the reading {string} with the property {string} set to {string}', async function (this: HubWorld, device: string, reading: string, name: string, value: string) {
  await this.scenario.messaging.sendTelemetry(device, reading, { [name]: value });
});

Then('the back end reads the reading {string} from device {string}, once', async function (this: HubWorld, reading: string, device: string) {
  assertReadOnce(await this.scenario.telemetry.fromDevice(device, reading), `the reading ${reading}`);
});

Then('the message carries the property {string} set to {string}', function (this: HubWorld, name: string, value: string) {
  assertProperty(this.scenario.telemetry.lastRead, name, value);
});

Then('the back end reads {string} from module {string}, once', async function (this: HubWorld, body: string, module: string) {
  assertReadOnce(await this.scenario.telemetry.fromModule(module, body), `the output ${body}`);
});
