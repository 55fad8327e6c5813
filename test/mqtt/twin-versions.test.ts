import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { HubFixture, type IdentityKeys } from './hub-fixture.js';
import { RESPONSE_SUBSCRIPTION, setDesired, WireClient } from './twin-wire.js';

const TIMEOUT_MS = 5_000;

/**
 * What a device or module is told of its twin, compared whole: the twin it GETs carries each
 * section's own `$version` (desired and reported move separately, and neither is the twin's
 * version), and a desired patch carries exactly what changed plus the new desired `$version`.
 */
describe('twin documents over MQTT: versions per section, and patches that carry only the change', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => {
    await hub.stop();
  });

  const identities = (): Promise<IdentityKeys[]> => hub.createDeviceAndModule('ver');

  async function serviceTwin(identity: IdentityKeys): Promise<{ desired: { $version?: unknown }; reported: { $version?: unknown } }> {
    const twin = identity.moduleId === undefined
      ? (await hub.registry.getTwin(identity.deviceId)).responseBody
      : (await hub.registry.getModuleTwin(identity.deviceId, identity.moduleId)).responseBody;
    return twin.properties;
  }

  it('answers a twin GET with the desired and the reported $version, each its own (device and module)', async () => {
    for (const identity of await identities()) {
      const wire = await WireClient.connect(hub, identity);
      try {
        await wire.subscribe(RESPONSE_SUBSCRIPTION);
        assert.deepEqual(await wire.roundTrip(), { desired: { $version: 1 }, reported: { $version: 1 } }, 'a new twin');
        await setDesired(hub, identity, { interval: 5 });
        assert.equal(await setDesired(hub, identity, { mode: { eco: true } }), 3, 'two desired updates after the first version');
        const ack = await wire.twinRequest('$iothub/twin/PATCH/properties/reported/', JSON.stringify({ firmware: '1.2' }));
        assert.match(ack.topic, /^\$iothub\/twin\/res\/204\/\?\$rid=[^&]+&\$version=2$/, 'the reported ack carries the new reported $version');
        const expected = { desired: { interval: 5, mode: { eco: true }, $version: 3 }, reported: { firmware: '1.2', $version: 2 } };
        assert.deepEqual(await wire.roundTrip(), expected, 'the twin as the device GETs it');
        const { desired, reported } = await serviceTwin(identity);
        assert.deepEqual([desired.$version, reported.$version], [3, 2], 'the back end sees the same versions');
      } finally {
        wire.client.end(true);
      }
    }
  });

  it('gives the SDK the desired section with its $version when it reads the twin (device and module)', async () => {
    for (const identity of await identities()) {
      await setDesired(hub, identity, { interval: 5 });
      const session = await DeviceTwinSession.open(await hub.client(identity));
      try {
        await session.reportProperties({ firmware: '1.2' });
        await session.reportProperties({ battery: 80 });
        assert.deepEqual(await session.refreshTwin(), { interval: 5, $version: 2 });
        assert.equal((await serviceTwin(identity)).reported.$version, 3, 'two reports after the first version');
      } finally {
        await session.close();
      }
    }
  });

  it('sends a desired patch with only what changed plus $version, on a twin that has other properties (device and module)', async () => {
    for (const identity of await identities()) {
      await setDesired(hub, identity, { keep: 'x', nested: { a: 1, b: 2 } });
      const session = await DeviceTwinSession.open(await hub.client(identity));
      try {
        await session.reportProperties({ firmware: '1.2' });
        const changed = await setDesired(hub, identity, { nested: { b: 3 }, added: true });
        assert.deepEqual((await session.waitForPatch(changed, TIMEOUT_MS)).patch, { nested: { b: 3 }, added: true, $version: changed });
        const removed = await setDesired(hub, identity, { keep: null });
        assert.deepEqual((await session.waitForPatch(removed, TIMEOUT_MS)).patch, { keep: null, $version: removed });
        const tagsOnly = { tags: { site: 'north' } };
        if (identity.moduleId === undefined) await hub.registry.updateTwin(identity.deviceId, tagsOnly, '*');
        else await hub.registry.updateModuleTwin(identity.deviceId, identity.moduleId, tagsOnly, '*');
        const last = await setDesired(hub, identity, { last: 1 });
        await session.waitForPatch(last, TIMEOUT_MS);
        const expected = [{ nested: { b: 3 }, added: true, $version: changed }, { keep: null, $version: removed }, { last: 1, $version: last }];
        assert.deepEqual(session.received.map((received) => received.patch), expected, 'a change of tags alone sends no desired patch');
      } finally {
        await session.close();
      }
    }
  });
});
