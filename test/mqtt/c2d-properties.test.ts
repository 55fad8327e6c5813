import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Message as MessageType } from 'azure-iot-device';
import { C2D_LIMITS } from '../../emulator/state/c2d-message.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { HubFixture, newId } from './hub-fixture.js';

/** What the device SDK reads from a cloud-to-device message's topic (MQTT support doc, "Receiving cloud-to-device messages"). */
function seenByDevice(message: MessageType): Record<string, unknown> {
  return {
    body: String(message.data), messageId: message.messageId, correlationId: message.correlationId, userId: message.userId, to: message.to,
    contentType: message.contentType, contentEncoding: message.contentEncoding, k: message.properties.getValue('k'), ack: message.properties.getValue('iothub-ack'),
  };
}

describe('cloud-to-device messages over MQTT: properties and when they go out', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  it('carries its system and application properties in the topic, and only those it has', { timeout: 10_000 }, async () => {
    const device = await hub.createDevice(newId('c2d-props'));
    const session = await DeviceTwinSession.open(await hub.client(device));
    try {
      const received = once(session.client, 'message') as Promise<[MessageType]>;
      await session.refreshTwin(); // the C2D SUBSCRIBE went first on this connection
      const sentAt = Date.now();
      await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, {
        body: 'full', properties: { system: { mid: 'm-7', cid: 'c-7', uid: 'u-7', ct: 'application/json', ce: 'utf-8' }, application: { k: 'v', 'iothub-ack': 'full' } },
      });
      const [full] = await received;
      assert.deepEqual(seenByDevice(full), {
        body: 'full', messageId: 'm-7', correlationId: 'c-7', userId: 'u-7', to: `/devices/${device.deviceId}/messages/devicebound`,
        contentType: 'application/json', contentEncoding: 'utf-8', k: 'v', ack: 'full',
      });
      const expiry = Date.parse(String(full.expiryTimeUtc)) - C2D_LIMITS.defaultTtlMs;
      assert.ok(expiry >= sentAt - 1_000 && expiry <= Date.now(), `expiry ${String(full.expiryTimeUtc)} is the default time to live after sending`);
      const next = once(session.client, 'message') as Promise<[MessageType]>;
      await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'bare' });
      const [bare] = await next;
      assert.deepEqual(seenByDevice(bare), {
        // The SDK's Message starts its ids as '' (azure-iot-common message.js).
        body: 'bare', messageId: '', correlationId: '', userId: '', to: `/devices/${device.deviceId}/messages/devicebound`,
        contentType: undefined, contentEncoding: undefined, k: undefined, ack: 'none',
      });
    } finally {
      await session.close();
    }
  });

  it('goes out when a connected device starts listening, not only when it connects or a message is queued', { timeout: 10_000 }, async () => {
    const listener = await hub.createDevice(newId('c2d-late'));
    const client = await hub.client(listener);
    await client.open();
    try {
      await hub.emulator.control.sendCloudToDeviceMessage(listener.deviceId, { body: 'waiting' });
      const received = once(client, 'message') as Promise<[MessageType]>;
      const [message] = await received;
      assert.equal(String(message.data), 'waiting');
    } finally {
      await client.close();
    }
  });
});
