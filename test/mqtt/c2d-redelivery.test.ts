import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { C2D_LIMITS } from '../../emulator/state/c2d-message.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { waitFor } from '../../src/wait-for.js';
import { credentialsFor, rawConnect, socketOf, subscribeGranted } from './raw-mqtt.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';

const TIMEOUT_MS = 10_000;

/** The device-bound bodies one connection received, in order, with a `change` on each. */
class DeviceBoundInbox extends EventEmitter {
  readonly bodies: string[] = [];

  readonly onMessage = (topic: string, payload: Buffer): void => {
    if (topic.includes('/messages/devicebound/')) this.bodies.push(payload.toString());
    this.emit('change');
  };

  async waitForCount(count: number): Promise<string[]> {
    return waitFor(() => (this.bodies.length >= count ? [...this.bodies] : undefined), {
      description: `${String(count)} cloud-to-device message(s)`, timeoutMs: TIMEOUT_MS, changes: this, seen: () => JSON.stringify(this.bodies),
    });
  }
}

/** Connects (a raw client: the SDKs always keep their session) and subscribes to the C2D topic at QoS 1. */
async function listen(hub: HubFixture, device: IdentityKeys, clean: boolean): Promise<{ client: MqttClient; inbox: DeviceBoundInbox }> {
  const inbox = new DeviceBoundInbox();
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

/** The device holds a message without acknowledging it and stays connected: its PUBACKs are not written. */
function holdAcknowledgements(client: MqttClient): void {
  socketOf(client).cork();
}

describe('a cloud-to-device message whose one-minute lock passes unacknowledged (emulator clock)', { timeout: 30_000 }, () => {
  it('goes out again, with the next delivery the device has', { timeout: 10_000 }, async () => {
    const clock = new ManualClock(new Date());
    const hub = await HubFixture.start({ configure: (builder) => builder.withClock(clock) });
    try {
      const device = await hub.createDevice(newId('c2d-lock'));
      const { client, inbox } = await listen(hub, device, false);
      holdAcknowledgements(client);
      await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'first' });
      assert.deepEqual(await inbox.waitForCount(1), ['first']);
      clock.advanceSeconds(C2D_LIMITS.lockTimeoutMs / 1000 + 1);
      await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'second' });
      // One in flight per device: the timed-out lock frees the device, and the oldest message goes first.
      assert.deepEqual(await inbox.waitForCount(2), ['first', 'first']);
      client.end(true);
    } finally {
      await hub.stop();
    }
  });

  it('goes out again by itself once the hub next wakes, with nothing more sent to that device', { timeout: 10_000 }, async () => {
    const clock = new ManualClock(new Date());
    const hub = await HubFixture.start({ configure: (builder) => builder.withClock(clock) });
    try {
      const [device, other] = [await hub.createDevice(newId('c2d-lock')), await hub.createDevice(newId('c2d-other'))];
      const { client, inbox } = await listen(hub, device, false);
      holdAcknowledgements(client);
      await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'only' });
      assert.deepEqual(await inbox.waitForCount(1), ['only']);
      clock.advanceSeconds(C2D_LIMITS.lockTimeoutMs / 1000 + 1);
      // A message for another device wakes the hub's queues, which find the lock timed out.
      await hub.emulator.control.sendCloudToDeviceMessage(other.deviceId, { body: 'elsewhere' });
      assert.deepEqual(await inbox.waitForCount(2), ['only', 'only']);
      client.end(true);
    } finally {
      await hub.stop();
    }
  });
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
        assert.deepEqual(await again.inbox.waitForCount(1), ['first']);
        await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'second' });
        // One message is in flight per device: 'second' goes out only once the hub has the PUBACK of 'first'.
        assert.deepEqual(await again.inbox.waitForCount(2), ['first', 'second'], 'the first message came once, then the next one');
      } finally {
        again.client.end(true);
      }
    });
  }
});
