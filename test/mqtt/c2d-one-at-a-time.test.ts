import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { holdEachAcknowledgement, RawInbox } from './device-bound-inbox.js';
import { credentialsFor, rawConnect, subscribeGranted } from './raw-mqtt.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';

const TIMEOUT_MS = 10_000;
const DESIRED = '$iothub/twin/PATCH/properties/desired/#';

/** The hub's C2D doc ("message life cycle") and MQTT support doc: one message in flight per device, QoS 1, completed by its PUBACK. */
describe('cloud-to-device messages go to an MQTT device one at a time', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  const pendingCount = async (deviceId: string): Promise<number> => Number((await hub.registry.get(deviceId)).responseBody.cloudToDeviceMessageCount);

  async function connect(device: IdentityKeys): Promise<{ client: MqttClient; inbox: RawInbox }> {
    const inbox = new RawInbox();
    const { client } = await rawConnect(hub, { ...credentialsFor(hub, device), clean: false, onMessage: inbox.onMessage });
    return { client, inbox };
  }

  it('sends the next message only once the one in flight is acknowledged and completed, however they were queued', { timeout: 15_000 }, async () => {
    const device = await hub.createDevice(newId('c2d-two'));
    const { client, inbox } = await connect(device);
    try {
      assert.equal(await subscribeGranted(client, DESIRED, 0), 0);
      for (const body of ['a', 'b']) await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body });
      const held = holdEachAcknowledgement(client);
      assert.equal(await subscribeGranted(client, `devices/${device.deviceId}/messages/devicebound/#`, 1), 1);
      await inbox.waitUntil('the first message', (seen) => seen.deviceBound.length === 1);
      await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'c' });
      // The hub writes in order: a desired patch pushed now arrives after anything sent before it.
      await hub.registry.updateTwin(device.deviceId, { properties: { desired: { probe: 1 } } }, '*');
      await inbox.waitUntil('the desired patch', (seen) => seen.received.some((message) => message.topic.startsWith('$iothub/twin/PATCH/')));
      assert.deepEqual(inbox.deviceBound, ['a'], 'nothing more while the first is unacknowledged');
      held.release();
      await inbox.waitUntil('the second message', (seen) => seen.deviceBound.length === 2);
      assert.deepEqual(inbox.deviceBound, ['a', 'b']);
      assert.equal(await pendingCount(device.deviceId), 2, "the first message's PUBACK completed it; 'b' and 'c' are left");
      held.release();
      await inbox.waitUntil('the third message', (seen) => seen.deviceBound.length === 3);
      held.release();
    } finally {
      client.end(true);
    }
  });

  it('accepts a message while the device is away, and delivers it once when its kept session comes back', { timeout: 15_000 }, async () => {
    const device = await hub.createDevice(newId('c2d-away'));
    const first = await connect(device);
    assert.equal(await subscribeGranted(first.client, `devices/${device.deviceId}/messages/devicebound/#`, 1), 1);
    await new Promise<void>((resolve) => first.client.end(false, {}, () => resolve()));
    await hub.untilDisconnected(device, TIMEOUT_MS);
    await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'while away' });
    assert.equal(await pendingCount(device.deviceId), 1);
    const again = await connect(device);
    try {
      await again.inbox.waitUntil('the message sent while away', (seen) => seen.deviceBound.length === 1);
      await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'next' });
      await again.inbox.waitUntil('the next message', (seen) => seen.deviceBound.length === 2);
      assert.deepEqual(again.inbox.deviceBound, ['while away', 'next'], 'each once, in order');
    } finally {
      again.client.end(true);
    }
  });
});
