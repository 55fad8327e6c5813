import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Duplex } from 'node:stream';
import { credentialsFor, rawConnect } from './raw-mqtt.js';
import { HubFixture, newId } from './hub-fixture.js';

/** How each end of an MQTT connection is told in the activity feed (docs/observability.md, disconnect reasons). */
describe('the reasons given for connections the hub closes', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  it('a client that stops sending within its keep-alive is closed as keepalive-timeout (MQTT 3.1.1 §3.1.2.10)', { timeout: 10_000 }, async () => {
    const device = await hub.createDevice(newId('keepalive'));
    const disconnects = hub.recordDisconnectReasons(device.deviceId);
    const { client } = await rawConnect(hub, { ...credentialsFor(hub, device), keepaliveSeconds: 1 });
    try {
      // Nothing the client writes leaves it any more, its PINGREQs included.
      (client as unknown as { stream: Duplex }).stream.cork();
      await once(client, 'close');
      assert.deepEqual(disconnects.reasons, ['keepalive-timeout']);
    } finally {
      disconnects.stop();
      client.end(true);
    }
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
