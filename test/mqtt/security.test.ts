import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentialsFor, publishOutcome, rawConnect, subscribeGranted } from './raw-mqtt.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';
import { makeDeviceToken } from '../../src/flows/device-client-factory.js';

const NOT_AUTHORIZED = 5;
const SUBACK_FAILURE = 128;

describe('MQTT security: who may connect, and to which topics', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  let deviceA: IdentityKeys;
  let deviceB: IdentityKeys;
  let moduleA: IdentityKeys;
  before(async () => {
    hub = await HubFixture.start();
    deviceA = await hub.createDevice(newId('a'));
    deviceB = await hub.createDevice(newId('b'));
    moduleA = await hub.createModule(deviceA.deviceId, newId('m'));
  });
  after(async () => {
    await hub.stop();
  });

  it('accepts a CONNECT whose client id, username and token agree', async () => {
    for (const identity of [deviceA, moduleA]) {
      const { client, returnCode } = await rawConnect(hub, credentialsFor(hub, identity));
      assert.equal(returnCode, 0);
      client.end(true);
    }
  });

  it('refuses a client id that does not match the username', async () => {
    const { client, returnCode } = await rawConnect(hub, credentialsFor(hub, deviceA, { username: credentialsFor(hub, deviceB).username }));
    assert.equal(returnCode, NOT_AUTHORIZED);
    client.end(true);
  });

  it("refuses a token made for another identity, even one signed with that identity's key", async () => {
    const { client, returnCode } = await rawConnect(hub, credentialsFor(hub, deviceA, { password: credentialsFor(hub, deviceB).password }));
    assert.equal(returnCode, NOT_AUTHORIZED);
    client.end(true);
  });

  it('refuses an expired token and a token signed with a foreign key', async () => {
    const identity = { hostName: hub.emulator.hostName, deviceId: deviceA.deviceId };
    const expired = makeDeviceToken(identity, deviceA.primaryKey, Math.floor(Date.now() / 1000) - 1);
    const forged = makeDeviceToken(identity, deviceB.primaryKey, Math.floor(Date.now() / 1000) + 600);
    for (const password of [expired, forged]) {
      const { client, returnCode } = await rawConnect(hub, credentialsFor(hub, deviceA, { password }));
      assert.equal(returnCode, NOT_AUTHORIZED);
      client.end(true);
    }
  });

  it("answers SUBACK 0x80 to subscriptions outside the identity's own topics and keeps the connection", async () => {
    const { client } = await rawConnect(hub, credentialsFor(hub, deviceA));
    try {
      for (const topic of [`devices/${deviceB.deviceId}/messages/devicebound/#`, '#', '$iothub/#', `devices/${deviceA.deviceId}/modules/${moduleA.moduleId ?? ''}/inputs/#`]) {
        assert.equal(await subscribeGranted(client, topic), SUBACK_FAILURE, topic);
      }
      assert.equal(await subscribeGranted(client, `devices/${deviceA.deviceId}/messages/devicebound/#`), 0);
      assert.equal(await subscribeGranted(client, '$iothub/methods/POST/#'), 0);
    } finally {
      client.end(true);
    }
  });

  it("closes the connection of a client that publishes to another identity's topic", async () => {
    for (const topic of [`devices/${deviceB.deviceId}/messages/events/`, '$iothub/twin/PATCH/properties/desired/?$version=9', 'anything']) {
      const { client } = await rawConnect(hub, credentialsFor(hub, deviceA));
      assert.equal(await publishOutcome(client, topic, '{}'), 'closed', topic);
      client.end(true);
    }
  });

  it('acknowledges telemetry on its own topic (QoS 1)', async () => {
    const { client } = await rawConnect(hub, credentialsFor(hub, deviceA));
    try {
      assert.equal(await publishOutcome(client, `devices/${deviceA.deviceId}/messages/events/k=v`, 'hello'), 'acknowledged');
      assert.equal(hub.emulator.control.telemetry({ deviceId: deviceA.deviceId }).at(-1)?.applicationProperties.k, 'v');
    } finally {
      client.end(true);
    }
  });

  it('closes the connection on a QoS 2 publish, which the hub does not support', async () => {
    const { client } = await rawConnect(hub, credentialsFor(hub, deviceA));
    assert.equal(await publishOutcome(client, `devices/${deviceA.deviceId}/messages/events/`, 'x', 2), 'closed');
    client.end(true);
  });

  it('closes the connection of a client that sends telemetry over 256 KB', async () => {
    const { client } = await rawConnect(hub, credentialsFor(hub, deviceA));
    assert.equal(await publishOutcome(client, `devices/${deviceA.deviceId}/messages/events/`, 'x'.repeat(256 * 1024 + 1)), 'closed');
    client.end(true);
  });
});
