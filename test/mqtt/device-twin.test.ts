import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { HubFixture, type IdentityKeys } from './hub-fixture.js';

const TIMEOUT_MS = 5_000;

describe('twins over MQTT, for device and module clients', () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => {
    await hub.stop();
  });

  const identities = (): Promise<IdentityKeys[]> => hub.createDeviceAndModule('dev');

  it('reads the twin, reports, and receives desired patches (device and module)', async () => {
    for (const identity of await identities()) {
      const session = await DeviceTwinSession.open(await hub.client(identity));
      try {
        await session.reportProperties({ firmware: '1.0.0' });
        const twin = identity.moduleId === undefined
          ? (await hub.registry.getTwin(identity.deviceId)).responseBody
          : (await hub.registry.getModuleTwin(identity.deviceId, identity.moduleId)).responseBody;
        assert.equal(twin.properties.reported.firmware, '1.0.0');
        const patch = { properties: { desired: { interval: 7 } } };
        const updated = identity.moduleId === undefined
          ? (await hub.registry.updateTwin(identity.deviceId, patch, '*')).responseBody
          : (await hub.registry.updateModuleTwin(identity.deviceId, identity.moduleId, patch, '*')).responseBody;
        const received = await session.waitForPatch(updated.properties.desired.$version as number, TIMEOUT_MS);
        assert.equal(received.patch.interval, 7);
      } finally {
        await session.close();
      }
    }
  });

  it('refuses a reported write with a forbidden key: the client gets the hub error and nothing changes', async () => {
    for (const identity of await identities()) {
      const session = await DeviceTwinSession.open(await hub.client(identity));
      try {
        await session.reportProperties({ kept: 1 });
        await assert.rejects(session.reportProperties({ 'bad.key': 1, kept: 2 }), /property name/);
        const twin = hub.emulator.control.twinOf(identity);
        assert.deepEqual(twin.reported.values, { kept: 1 });
      } finally {
        await session.close();
      }
    }
  });
});
