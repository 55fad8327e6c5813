import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModuleClient as ModuleClientType } from 'azure-iot-device';
import { HubFixture, newId } from './hub-fixture.js';
import { checkInputDelivery } from './device-bound-checks.js';

/** Module inputs reach a module only while it listens (routes are not emulated, so nothing is queued: FIDELITY.md). */
describe('module input messages and whether the module listens', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  it('are not delivered to a connected module that does not listen for inputs, then are once it does', { timeout: 10_000 }, async () => {
    const [, module] = await hub.createDeviceAndModule('inputs');
    const client = (await hub.client(module)) as ModuleClientType;
    await client.open();
    try {
      assert.equal(hub.emulator.control.isConnected(module), true);
      assert.equal(await hub.emulator.control.sendInputMessage(module, 'input1', { body: 'unheard' }), false, 'connected, but not subscribed to its inputs');
    } finally {
      await client.close();
    }
    await checkInputDelivery(hub, module, () => hub.emulator.control.sendInputMessage(module, 'input1', { body: 'hello', properties: { application: { k: 'v' } } }));
  });

  it('are not delivered to a module of another device that listens', { timeout: 10_000 }, async () => {
    const [, listening] = await hub.createDeviceAndModule('listening');
    const other = { deviceId: newId('other-device'), moduleId: listening.moduleId ?? '' };
    await hub.createDevice(other.deviceId);
    await checkInputDelivery(hub, listening, async () => {
      assert.equal(await hub.emulator.control.sendInputMessage(other, 'input1', { body: 'elsewhere' }), false, 'a module id is unique only within its device');
      return hub.emulator.control.sendInputMessage(listening, 'input1', { body: 'hello', properties: { application: { k: 'v' } } });
    });
  });
});
