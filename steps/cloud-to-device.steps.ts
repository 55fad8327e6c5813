import { Given, Then, When } from '@cucumber/cucumber';
import { assertCommand, assertFeedback, assertQueueFull } from '../src/harness/command-expectations.js';
import { FEEDBACK_TIMEOUT_MS } from '../src/harness/command-side.js';
import { check } from '../src/harness/check.js';
import type { HubWorld } from './support/world.js';

type Ack = 'positive' | 'negative' | 'full';
const FEEDBACK_STEP = { timeout: FEEDBACK_TIMEOUT_MS + 5_000 };

Given('device {string} is listening for commands', async function (this: HubWorld, device: string) {
  await this.scenario.devices.register(device);
  await this.scenario.commands.listen(device);
});

When('device {string} connects and listens for commands', async function (this: HubWorld, device: string) {
  await this.scenario.commands.listen(device);
});

When('the back end sends the command {string} to {string}', async function (this: HubWorld, command: string, device: string) {
  await this.scenario.commands.send(device, command);
});

When(/^the back end sends the command "([^"]+)" to "([^"]+)" asking for (positive|negative|full) feedback$/, async function (this: HubWorld, command: string, device: string, ack: Ack) {
  await this.scenario.commands.send(device, command, { ack });
});

When('the back end sends the command {string} to {string} valid for {int} second(s), asking for negative feedback', async function (this: HubWorld, command: string, device: string, seconds: number) {
  await this.scenario.commands.send(device, command, { ack: 'negative', expiryTimeUtc: Date.now() + seconds * 1000 });
});

Given('the back end has sent {int} commands to {string}', async function (this: HubWorld, count: number, device: string) {
  for (let n = 1; n <= count; n++) await this.scenario.commands.send(device, `command ${n}`);
});

When('the back end sends another command to {string}', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.commands.send(device, 'one too many'));
});

Then('device {string} receives the command {string}', async function (this: HubWorld, device: string, command: string) {
  assertCommand(await this.scenario.commands.nextReceived(device), command);
});

Then('the back end is told that {string} completed the command {string}', FEEDBACK_STEP, async function (this: HubWorld, device: string, command: string) {
  assertFeedback(await this.scenario.commands.feedbackFor(command), 'Success', this.scenario.devices.deviceId(device));
});

Then('the back end is told that the command {string} for {string} expired', FEEDBACK_STEP, async function (this: HubWorld, command: string, device: string) {
  assertFeedback(await this.scenario.commands.feedbackFor(command), 'Expired', this.scenario.devices.deviceId(device));
});

Then('the hub holds {int} command(s) for {string}', async function (this: HubWorld, count: number, device: string) {
  const pending = await this.scenario.commands.pendingFor(device);
  check(pending === count, `expected the hub to hold ${count} command(s) for '${device}', it holds ${pending}`);
});

Then('the command is refused because the device\'s queue is full', function (this: HubWorld) {
  assertQueueFull(this.scenario.last.error);
});
