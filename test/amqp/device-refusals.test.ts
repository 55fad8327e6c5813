import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { clientFromOwnToken, makeDeviceToken } from '../../src/flows/device-client-factory.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { NoRetry } from '../../src/sdk.js';
import { withDeadline } from '../../src/wait-for.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { TIMEOUT_MS } from './c2d-fixture.js';

/**
 * What the hub's AMQP device side refuses (wire notes §2, §4; "Control access to IoT Hub"): a wrong
 * key, a token for one device used for another's links, an identity that was disabled or deleted, a
 * second connection of one identity. Each refusal leaves the registry and the telemetry as they were.
 */
describe('the AMQP device side refuses what the hub refuses', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => {
    await hub.stop();
  });

  const connectionState = async (identity: IdentityKeys): Promise<string | undefined> => (await hub.registry.get(identity.deviceId)).responseBody.connectionState;
  const session = async (identity: IdentityKeys, key = identity.primaryKey): Promise<DeviceTwinSession> => {
    const client = await hub.client({ ...identity, primaryKey: key }, 'amqp');
    client.setRetryPolicy(new NoRetry());
    return DeviceTwinSession.open(client);
  };

  it('refuses a wrong key: the client cannot open, and the device stays disconnected', async () => {
    const device = await hub.createDevice(newId('wrong-key'));
    await assert.rejects(session(device, Buffer.alloc(32, 7).toString('base64')), /Unauthorized|401/i);
    assert.equal(await connectionState(device), 'Disconnected');
  });

  it("refuses a token for one device on another device's links, and keeps nothing for either", async () => {
    const holder = await hub.createDevice(newId('holder'));
    const victim = await hub.createDevice(newId('victim'));
    const token = makeDeviceToken({ hostName: hub.emulator.hostName, deviceId: holder.deviceId }, holder.primaryKey, Math.floor(Date.now() / 1000) + 600);
    const client = clientFromOwnToken({ identity: { hostName: hub.emulator.hostName, deviceId: victim.deviceId }, token, claimIdentity: true, transport: 'amqp' });
    client.setRetryPolicy(new NoRetry());
    await client.setOptions({ ca: hub.emulator.caCertificate });
    try {
      await assert.rejects(withDeadline(client.sendEvent(new (await import('../../src/sdk.js')).Message('spoofed')), TIMEOUT_MS, 'the spoofed send to fail'));
    } finally {
      await withDeadline(client.close(), TIMEOUT_MS, 'the client to close').catch(() => undefined);
    }
    assert.deepEqual([hub.emulator.control.telemetry(victim).length, hub.emulator.control.telemetry(holder).length], [0, 0]);
    assert.equal(await connectionState(victim), 'Disconnected');
  });

  it('shows a connected device as Connected, and closes its connection when the back end disables it', async () => {
    const device = await hub.createDevice(newId('disable'));
    const connected = await session(device);
    try {
      assert.equal(await connectionState(device), 'Connected');
      await hub.registry.update({ deviceId: device.deviceId, status: 'disabled' });
      assert.equal(await connected.waitForDisconnect(TIMEOUT_MS), 1, 'the device app is told it was disconnected');
      assert.equal(await connectionState(device), 'Disconnected');
      await assert.rejects(session(device), /Unauthorized|401/i, 'a disabled device cannot connect again');
    } finally {
      await connected.close().catch(() => undefined);
    }
  });

  it('keeps one connection per identity: a second connection replaces the first', async () => {
    const device = await hub.createDevice(newId('twice'));
    const first = await session(device);
    const second = await session(device);
    try {
      assert.equal(await first.waitForDisconnect(TIMEOUT_MS), 1, 'the first connection was closed');
      assert.equal(second.disconnects, 0, 'the second connection stays');
      assert.equal(await connectionState(device), 'Connected');
    } finally {
      await Promise.all([first.close().catch(() => undefined), second.close()]);
    }
  });
});
