import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { credentialsFor, rawConnect, subscribeGranted } from './raw-mqtt.js';
import { HubFixture, newId } from './hub-fixture.js';

const DESIRED = '$iothub/twin/PATCH/properties/desired/#';

/** The control plane's reset (docs/control-plane.md) leaves no connection, count or session behind. */
describe('control-plane reset and MQTT connections', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  it('closes every connection and forgets its session and counts; the same id starts afresh', { timeout: 10_000 }, async () => {
    const deviceId = newId('reset');
    const device = await hub.createDevice(deviceId);
    const { client } = await rawConnect(hub, credentialsFor(hub, device));
    assert.equal(await subscribeGranted(client, DESIRED), 0);
    assert.equal(hub.emulator.control.connectionStatus(deviceId).listensForDesired, true);
    const closed = once(client, 'close');
    hub.emulator.control.reset();
    await closed;
    assert.deepEqual(hub.emulator.control.connectionStatus(deviceId), { connected: false, connectionCount: 0, listensForDesired: false });
    const again = await rawConnect(hub, credentialsFor(hub, await hub.createDevice(deviceId)));
    try {
      assert.equal(again.returnCode, 0);
      assert.equal(again.sessionPresent, false, 'the reset forgot the session of the identity that had the same id');
      assert.equal(hub.emulator.control.connectionStatus(deviceId).listensForDesired, false);
    } finally {
      again.client.end(true);
    }
  });
});
