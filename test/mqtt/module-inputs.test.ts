import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { HubFixture, newId } from './hub-fixture.js';
import { credentialsFor, rawConnect, socketOf, subscribeGranted } from './raw-mqtt.js';
import { checkInputDelivery } from './device-bound-checks.js';

/** Module inputs reach a module only while it listens (routes are not emulated, so nothing is queued: FIDELITY.md). */
describe('module input messages and whether the module listens', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  it('are not delivered to a connected module that does not listen for inputs (its twin open), then are once it does', { timeout: 10_000 }, async () => {
    const [, module] = await hub.createDeviceAndModule('inputs');
    const session = await DeviceTwinSession.open(await hub.client(module));
    try {
      assert.equal(hub.emulator.control.isConnected(module), true);
      assert.equal(await hub.emulator.control.sendInputMessage(module, 'input1', { body: 'unheard' }), false, 'connected and subscribed to its twin, but not to its inputs');
    } finally {
      await session.close();
    }
    await checkInputDelivery(hub, module, () => hub.emulator.control.sendInputMessage(module, 'input1', { body: 'hello', properties: { application: { k: 'v' } } }));
  });

  it('go at QoS 1, neither retained nor duplicate, and are not queued for a module that went away while listening', { timeout: 10_000 }, async () => {
    const [, module] = await hub.createDeviceAndModule('inputs-gone');
    const { client } = await rawConnect(hub, credentialsFor(hub, module));
    assert.equal(await subscribeGranted(client, `devices/${module.deviceId}/modules/${module.moduleId ?? ''}/inputs/#`, 1), 1);
    const received = once(client, 'message') as Promise<[string, Buffer, { qos: number; retain: boolean; dup: boolean }]>;
    assert.equal(await hub.emulator.control.sendInputMessage(module, 'input1', { body: 'flags' }), true);
    const [topic, payload, packet] = await received;
    assert.deepEqual([topic.split('/').slice(4, 6), String(payload), packet.qos, packet.retain, packet.dup], [['inputs', 'input1'], 'flags', 1, false, false]);
    // Gone without a word (its kept session still subscribed): the SDK would have unsubscribed on close.
    socketOf(client).destroy();
    await hub.untilDisconnected(module);
    assert.equal(await hub.emulator.control.sendInputMessage(module, 'input1', { body: 'too late' }), false);
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
