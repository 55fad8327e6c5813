import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { MAX_DEVICE_TO_CLOUD_BYTES } from '../../emulator/state/device-to-cloud.js';
import { withDeadline } from '../../src/wait-for.js';
import { credentialsFor, publishOutcome, rawConnect, socketOf } from './raw-mqtt.js';
import { HubFixture, newId } from './hub-fixture.js';

/** One client's refusals and disconnects in the activity feed, in order, and how many telemetry events it had. */
function recordActivity(hub: HubFixture, clientId: string): { reasons: () => string[]; telemetry: () => number; disconnected: Promise<void>; stop: () => void } {
  const reasons: string[] = [];
  let telemetry = 0;
  let ended = (): void => undefined;
  const disconnected = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const stop = hub.emulator.activity.subscribe((event) => {
    if (event.type === 'refused' && event.claimedBy === clientId) reasons.push(`refused:${event.reason}`);
    if (event.type === 'disconnected' && event.clientId === clientId) {
      reasons.push(`disconnected:${event.reason}`);
      ended();
    }
    if (event.type === 'telemetry' && event.deviceId === clientId) telemetry += 1;
  });
  return { reasons: () => [...reasons], telemetry: () => telemetry, disconnected, stop };
}

/** The first `count` disconnect reasons of this client id, as the hub tells them (it notices a closed socket after the client does). */
function disconnectReasons(hub: HubFixture, clientId: string, count: number): Promise<string[]> {
  const reasons: string[] = [];
  let stop = (): void => undefined;
  const told = new Promise<string[]>((resolve) => {
    stop = hub.emulator.activity.subscribe((event) => {
      if (event.type === 'disconnected' && event.clientId === clientId && reasons.push(event.reason) === count) resolve(reasons);
    });
  });
  return withDeadline(told, 5_000, `${String(count)} disconnect reasons for ${clientId}`).finally(stop);
}

/** How each end of an MQTT connection is told in the activity feed (docs/observability.md, disconnect reasons). */
describe('the reasons given for connections the hub closes', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  it('a DISCONNECT is told as client-disconnect, a connection that drops as connection-lost', { timeout: 10_000 }, async () => {
    const device = await hub.createDevice(newId('ends'));
    const politeEnd = disconnectReasons(hub, device.deviceId, 1);
    const polite = await rawConnect(hub, credentialsFor(hub, device));
    polite.client.end(false);
    assert.deepEqual(await politeEnd, ['client-disconnect']);
    const droppedEnd = disconnectReasons(hub, device.deviceId, 1);
    const dropped = await rawConnect(hub, credentialsFor(hub, device));
    socketOf(dropped.client).destroy();
    assert.deepEqual(await droppedEnd, ['connection-lost']);
  });

  it('a client that stops sending within its keep-alive is closed as keepalive-timeout (MQTT 3.1.1 §3.1.2.10)', { timeout: 10_000 }, async () => {
    const device = await hub.createDevice(newId('keepalive'));
    const disconnects = hub.recordDisconnectReasons(device.deviceId);
    const { client } = await rawConnect(hub, { ...credentialsFor(hub, device), keepaliveSeconds: 1 });
    try {
      // Nothing the client writes leaves it any more, its PINGREQs included.
      socketOf(client).cork();
      await once(client, 'close');
      assert.deepEqual(disconnects.reasons, ['keepalive-timeout']);
    } finally {
      disconnects.stop();
      client.end(true);
    }
  });

  /** Connects as a new device, makes one publish the hub refuses, and returns what the feed told once the connection closed. */
  async function refusedPublish(prefix: string, publish: (deviceId: string) => { topic: string; body: string; qos?: 1 | 2 }): Promise<{ deviceId: string; reasons: string[]; telemetry: number }> {
    const device = await hub.createDevice(newId(prefix));
    const recorded = recordActivity(hub, device.deviceId);
    const { client } = await rawConnect(hub, credentialsFor(hub, device));
    try {
      const { topic, body, qos = 1 } = publish(device.deviceId);
      assert.equal(await publishOutcome(client, topic, body, qos), 'closed');
      await recorded.disconnected;
      return { deviceId: device.deviceId, reasons: recorded.reasons(), telemetry: recorded.telemetry() };
    } finally {
      recorded.stop();
      client.end(true);
    }
  }

  it('a publish to another identity\'s topic is told as refused-publish, with a forbidden-topic refusal', { timeout: 10_000 }, async () => {
    const other = await hub.createDevice(newId('victim'));
    const told = await refusedPublish('trespass', () => ({ topic: `devices/${other.deviceId}/messages/events/`, body: '{}' }));
    assert.deepEqual(told.reasons, ['refused:forbidden-topic', 'disconnected:refused-publish']);
  });

  it('an oversized message is refused and closes the connection, and is not announced as telemetry', { timeout: 10_000 }, async () => {
    const told = await refusedPublish('oversized', (deviceId) => ({ topic: `devices/${deviceId}/messages/events/`, body: 'x'.repeat(MAX_DEVICE_TO_CLOUD_BYTES + 1) }));
    assert.equal(told.telemetry, 0);
    assert.deepEqual(hub.emulator.control.telemetry({ deviceId: told.deviceId }), []);
  });

  it('a QoS 2 publish closes the connection, told with the hub\'s reason (MQTT support doc: no QoS 2)', { timeout: 10_000 }, async () => {
    const told = await refusedPublish('qos2', (deviceId) => ({ topic: `devices/${deviceId}/messages/events/`, body: 'x', qos: 2 }));
    assert.deepEqual(told.reasons, ['disconnected:error: IoT Hub does not support QoS 2 publishes']);
  });

  it('a client whose publish aedes refuses is closed with the error as its reason', { timeout: 10_000 }, async () => {
    const device = await hub.createDevice(newId('wildcard'));
    const disconnects = hub.recordDisconnectReasons(device.deviceId);
    const { client } = await rawConnect(hub, credentialsFor(hub, device));
    try {
      client.publish(`devices/${device.deviceId}/messages/events/#`, 'x', { qos: 0 });
      await once(client, 'close');
      assert.equal(disconnects.reasons.length, 1);
      assert.match(disconnects.reasons[0] ?? '', /^error: /);
    } finally {
      disconnects.stop();
      client.end(true);
    }
  });
});
