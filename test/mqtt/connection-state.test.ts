import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { withDeadline } from '../../src/wait-for.js';
import { HubFixture, newId } from './hub-fixture.js';
import { credentialsFor, rawConnect } from './raw-mqtt.js';

const TIMEOUT_MS = 5_000;

/**
 * What the registry and the control plane say of a device's MQTT connection (swagger Device:
 * connectionState, connectionStateUpdatedTime, lastActivityTime): set as it connects and leaves, and
 * left alone by anything else.
 */
describe('a device\'s connection state over MQTT', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  const connectionFields = async (deviceId: string) => {
    const { connectionState, connectionStateUpdatedTime, lastActivityTime } = (await hub.registry.get(deviceId)).responseBody;
    return { connectionState, connectionStateUpdatedTime, lastActivityTime };
  };

  it('is Connected and listed while the device is connected, Disconnected and unlisted once it leaves', { timeout: 10_000 }, async () => {
    const device = await hub.createDevice(newId('state'));
    const client = await hub.client(device);
    await client.open();
    assert.equal((await connectionFields(device.deviceId)).connectionState, 'Connected');
    assert.ok(hub.emulator.control.connectedClientIds().includes(device.deviceId));
    // Waiting starts while it is connected: the control plane must announce the change.
    const gone = hub.untilDisconnected(device, TIMEOUT_MS);
    await client.close();
    await gone;
    assert.equal((await connectionFields(device.deviceId)).connectionState, 'Disconnected');
    assert.equal(hub.emulator.control.connectedClientIds().includes(device.deviceId), false);
  });

  it('is left as it was when a device that is not connected is disabled', { timeout: 10_000 }, async () => {
    const device = await hub.createDevice(newId('idle'));
    const before = await connectionFields(device.deviceId);
    await hub.registry.update({ deviceId: device.deviceId, status: 'disabled' });
    assert.deepEqual(await connectionFields(device.deviceId), before);
  });

  it('ends every MQTT connection when the hub stops', { timeout: 15_000 }, async () => {
    const stopping = await HubFixture.start();
    const device = await stopping.createDevice(newId('stop'));
    const { client } = await rawConnect(stopping, credentialsFor(stopping, device));
    const closed = once(client, 'close');
    await stopping.stop();
    await withDeadline(closed, TIMEOUT_MS, 'the device\'s connection to close as the hub stops');
  });
});

