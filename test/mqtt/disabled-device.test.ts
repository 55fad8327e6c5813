import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';
import { credentialsFor, rawConnect } from './raw-mqtt.js';

const TIMEOUT_MS = 5_000;
const NOT_AUTHORIZED = 5;

/**
 * A module belongs to its device: when the back end disables the device, its modules may not connect
 * either, and a module that is connected is disconnected ("Identity registry", device status).
 */
describe('modules of a disabled device, and identities deleted while connected', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => {
    await hub.stop();
  });

  async function setStatus(deviceId: string, status: 'enabled' | 'disabled'): Promise<void> {
    await hub.registry.update({ deviceId, status });
  }

  async function moduleOfNewDevice(): Promise<IdentityKeys> {
    const deviceId = newId('dis');
    await hub.createDevice(deviceId);
    return hub.createModule(deviceId, newId('m'));
  }

  it('refuses the CONNECT of a module whose device is disabled, and accepts it once the device is enabled again', async () => {
    const module = await moduleOfNewDevice();
    await setStatus(module.deviceId, 'disabled');
    const refused = await rawConnect(hub, credentialsFor(hub, module));
    refused.client.end(true);
    assert.equal(refused.returnCode, NOT_AUTHORIZED, 'CONNACK 5, not authorized');
    const client = await hub.client(module);
    await assert.rejects(client.open(), (error: Error) => error.name === 'UnauthorizedError', 'the SDK is told it is not authorized');
    await client.close();
    await setStatus(module.deviceId, 'enabled');
    const session = await DeviceTwinSession.open(await hub.client(module), { reconnect: false });
    await session.close();
  });

  it('closes the connection of a module when its device is disabled, and shows the module disconnected', async () => {
    const module = await moduleOfNewDevice();
    const moduleId = module.moduleId ?? '';
    const session = await DeviceTwinSession.open(await hub.client(module), { reconnect: false });
    const disconnects = hub.recordDisconnectReasons(`${module.deviceId}/${moduleId}`);
    try {
      assert.equal((await hub.registry.getModule(module.deviceId, moduleId)).responseBody.connectionState, 'Connected');
      await setStatus(module.deviceId, 'disabled');
      assert.equal(await session.waitForDisconnect(TIMEOUT_MS), 1, 'the module app is told it was disconnected');
      assert.equal((await hub.registry.getModule(module.deviceId, moduleId)).responseBody.connectionState, 'Disconnected');
      assert.equal(hub.emulator.control.isConnected(module), false);
      assert.deepEqual(disconnects.reasons, ['identity-disabled']);
    } finally {
      disconnects.stop();
      await session.close();
    }
  });

  it('closes the connections of a deleted device and of its modules, each told as a deletion', async () => {
    const module = await moduleOfNewDevice();
    const device = { deviceId: module.deviceId, primaryKey: (await hub.registry.get(module.deviceId)).responseBody.authentication?.symmetricKey?.primaryKey ?? '' };
    const sessions = [await DeviceTwinSession.open(await hub.client(device), { reconnect: false }), await DeviceTwinSession.open(await hub.client(module), { reconnect: false })];
    const disconnects = [hub.recordDisconnectReasons(module.deviceId), hub.recordDisconnectReasons(`${module.deviceId}/${module.moduleId ?? ''}`)];
    try {
      await hub.registry.delete(module.deviceId);
      for (const session of sessions) assert.equal(await session.waitForDisconnect(TIMEOUT_MS), 1);
      assert.deepEqual(disconnects.map((recorded) => recorded.reasons), [['identity-deleted'], ['identity-deleted']]);
    } finally {
      disconnects.forEach((recorded) => recorded.stop());
      await Promise.all(sessions.map(async (session) => session.close()));
    }
  });
});
