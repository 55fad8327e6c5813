import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { C2D_LIMITS } from '../../emulator/state/c2d-message.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { holdEachAcknowledgement, RawInbox } from './device-bound-inbox.js';
import { credentialsFor, rawConnect, socketOf, subscribeGranted } from './raw-mqtt.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';

/** Connects (a raw client: the SDKs always keep their session) and subscribes to the C2D topic at QoS 1. */
async function listen(hub: HubFixture, device: IdentityKeys, clean: boolean): Promise<{ client: MqttClient; inbox: RawInbox }> {
  const inbox = new RawInbox();
  const { client } = await rawConnect(hub, { ...credentialsFor(hub, device), clean, onMessage: inbox.onMessage });
  assert.equal(await subscribeGranted(client, `devices/${device.deviceId}/messages/devicebound/#`, 1), 1);
  return { client, inbox };
}

/** The device goes away between receiving a message and acknowledging it (its PUBACK is never written). */
function crashOnFirstMessage(client: MqttClient): Promise<string> {
  return new Promise((resolve) => {
    client.on('packetreceive', (packet: { cmd: string; payload?: Buffer }) => {
      if (packet.cmd !== 'publish') return;
      socketOf(client).destroy();
      resolve(String(packet.payload));
    });
  });
}

describe('a cloud-to-device message whose one-minute lock passes unacknowledged (emulator clock)', { timeout: 30_000 }, () => {
  // What wakes the hub's queues once the lock has passed: another message for the device, or one for
  // another device (the queues find every timed-out lock, so the 'c2d-available' change sends it again).
  const wakers = [
    { wakes: 'with the next delivery the device has', send: (hub: HubFixture, device: string) => hub.emulator.control.sendCloudToDeviceMessage(device, { body: 'second' }) },
    { wakes: 'by itself once the hub next wakes, with nothing more sent to that device', send: async (hub: HubFixture) => hub.emulator.control.sendCloudToDeviceMessage((await hub.createDevice(newId('c2d-other'))).deviceId, { body: 'elsewhere' }) },
  ];
  for (const { wakes, send } of wakers) {
    it(`goes out again, ${wakes}`, { timeout: 10_000 }, async () => {
      const clock = new ManualClock(new Date());
      const hub = await HubFixture.start({ configure: (builder) => builder.withClock(clock) });
      try {
        const device = await hub.createDevice(newId('c2d-lock'));
        const { client, inbox } = await listen(hub, device, false);
        holdEachAcknowledgement(client);
        await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'first' });
        assert.deepEqual(await inbox.waitForDeviceBound(1), ['first']);
        clock.advanceSeconds(C2D_LIMITS.lockTimeoutMs / 1000 + 1);
        await send(hub, device.deviceId);
        // One in flight per device: the timed-out lock frees the device, and the oldest message goes first.
        assert.deepEqual(await inbox.waitForDeviceBound(2), ['first', 'first']);
        client.end(true);
      } finally {
        await hub.stop();
      }
    });
  }
});

/** MQTT 3.1.1 §4.4 and the hub's C2D lock: a message received but not acknowledged is neither lost nor doubled. */
describe('cloud-to-device messages a device received but never acknowledged', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  const pendingCount = async (deviceId: string): Promise<number> => Number((await hub.registry.get(deviceId)).responseBody.cloudToDeviceMessageCount);

  for (const clean of [true, false]) {
    it(`come again, once, after a reconnect with clean=${String(clean)}; the next follows its acknowledgement`, async () => {
      const device = await hub.createDevice(newId(`c2d-${String(clean)}`));
      const first = await listen(hub, device, false);
      const received = crashOnFirstMessage(first.client);
      await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'first' });
      assert.equal(await received, 'first');
      await once(first.client, 'close');
      assert.equal(await pendingCount(device.deviceId), 1, 'the unacknowledged message is still in the queue');
      // A kept session gets aedes' stored copy again; a clean one lost it, so the hub sends it anew.
      const again = await listen(hub, device, clean);
      try {
        assert.deepEqual(await again.inbox.waitForDeviceBound(1), ['first']);
        await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'second' });
        // One message is in flight per device: 'second' goes out only once the hub has the PUBACK of 'first'.
        assert.deepEqual(await again.inbox.waitForDeviceBound(2), ['first', 'second'], 'the first message came once, then the next one');
      } finally {
        again.client.end(true);
      }
    });
  }
});
