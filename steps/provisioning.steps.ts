import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { assertUnauthorized, describeError } from '../src/harness/error-expectations.js';
import type { HubWorld } from './support/world.js';

Given('the back end has a group enrollment whose devices start with the desired {word} {int}', async function (this: HubWorld, property: string, value: number) {
  await this.scenario.provisioning.createGroup({ [property]: value });
});

Given('the back end has disabled the group enrollment', async function (this: HubWorld) {
  await this.scenario.provisioning.disableGroup();
});

Given('device {string} has provisioned itself', async function (this: HubWorld, device: string) {
  await this.scenario.provisioning.register(device, 'derived');
});

When('device {string} provisions itself with its key derived from the group key', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.provisioning.register(device, 'derived'));
});

When('device {string} provisions itself with a key not derived from the group key', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.provisioning.register(device, 'not derived'));
});

Then('device {string} is assigned to the hub', function (this: HubWorld, device: string) {
  const [result] = this.scenario.provisioning.resultsOf(device).slice(-1);
  assert.notEqual(result?.generationId, undefined, 'the hub has the device');
  assert.deepEqual([result?.status, result?.assignedHub, result?.deviceId], ['assigned', this.scenario.target.hostName, this.scenario.devices.deviceId(device)]);
});

Then('device {string} connects to its hub and starts with the desired {word} {int}', async function (this: HubWorld, device: string, property: string, value: number) {
  assert.equal((await this.scenario.provisioning.connectToAssignedHub(device)).desired[property], value);
});

Then('the provisioning is refused as unauthorized', function (this: HubWorld) {
  assertUnauthorized(this.scenario.last.error);
});

Then('the provisioning is refused because the enrollment is disabled', function (this: HubWorld) {
  assert.match(describeError(this.scenario.last.error), /disabled/i);
});

Then('the hub has no device {string}', async function (this: HubWorld, device: string) {
  assert.equal(await this.scenario.devices.generationIdOf(device), undefined);
});

Then('device {string} is assigned the same device as before', function (this: HubWorld, device: string) {
  const [first, again] = this.scenario.provisioning.resultsOf(device);
  assert.deepEqual([again?.status, again?.deviceId, again?.assignedHub, again?.generationId], ['assigned', first?.deviceId, first?.assignedHub, first?.generationId]);
});

Then('the back end sees device {string} registered as assigned to the hub', async function (this: HubWorld, device: string) {
  const state = await this.scenario.provisioning.registrationState(device);
  assert.deepEqual([state.status, state.assignedHub, state.deviceId], ['assigned', this.scenario.target.hostName, this.scenario.devices.deviceId(device)]);
});

Given('the back end has an X.509 group enrollment signed by its own CA', async function (this: HubWorld) {
  await this.scenario.provisioning.createX509Group();
});

When('device {string} provisions itself with a certificate from that CA', async function (this: HubWorld, device: string) {
  await this.scenario.provisioning.registerWithGroupCertificate(device);
});

Then('device {string} connects to its hub with that certificate and can report its state', async function (this: HubWorld, device: string) {
  await (await this.scenario.provisioning.connectWithCertificateToAssignedHub(device)).reportProperties({ provisionedBy: 'x509' });
  assert.equal((await this.scenario.registry.getTwin(this.scenario.devices.deviceId(device))).responseBody.properties.reported.provisionedBy, 'x509');
});
