import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HubFixture, type IdentityKeys } from './hub-fixture.js';
import { DESIRED_SUBSCRIPTION, RESPONSE_SUBSCRIPTION, setDesired, WireClient } from './twin-wire.js';

/**
 * Who is sent desired-property notifications, seen on the wire (the SDKs subscribe lazily and drop
 * what they did not ask for, so they cannot show a notification that should not have come). Each
 * "nothing arrived" is checked at a sequence point: a twin GET answered on the same connection after
 * the back end's update has returned.
 */
describe('MQTT subscriptions: desired patches go only to sessions subscribed to them', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => {
    await hub.stop();
  });

  const identities = (): Promise<IdentityKeys[]> => hub.createDeviceAndModule('sub');

  /** A session subscribed to desired patches and to twin responses, then disconnected. */
  async function leaveSubscribedSession(identity: IdentityKeys): Promise<void> {
    const first = await WireClient.connect(hub, identity);
    await first.subscribe(DESIRED_SUBSCRIPTION, RESPONSE_SUBSCRIPTION);
    await first.disconnect(hub, identity);
  }

  it('sends no desired patch to a client that never subscribed to them, and sends them once it does', async () => {
    for (const identity of await identities()) {
      const wire = await WireClient.connect(hub, identity);
      try {
        await wire.subscribe(RESPONSE_SUBSCRIPTION);
        await setDesired(hub, identity, { unasked: 1 });
        await wire.roundTrip();
        assert.deepEqual(wire.desiredPatches(), [], 'no desired patch without a subscription to them');
        await wire.subscribe(DESIRED_SUBSCRIPTION);
        const version = await setDesired(hub, identity, { asked: 2 });
        assert.deepEqual(await wire.desiredPatch(version), { asked: 2, $version: version });
        assert.equal(wire.desiredPatches().length, 1, 'only the patch made after subscribing');
      } finally {
        wire.client.end(true);
      }
    }
  });

  it('starts a clean session with no subscriptions, and forgets it when that connection ends (MQTT 3.1.1 §3.1.2.4)', async () => {
    for (const identity of await identities()) {
      await leaveSubscribedSession(identity);
      const clean = await WireClient.connect(hub, identity, true);
      assert.equal(clean.sessionPresent, false, 'a clean CONNECT is answered session-present 0');
      await clean.subscribe(RESPONSE_SUBSCRIPTION);
      await setDesired(hub, identity, { duringClean: 1 });
      await clean.roundTrip();
      assert.deepEqual(clean.desiredPatches(), [], 'the earlier session\'s subscription did not survive a clean CONNECT');
      await clean.subscribe(DESIRED_SUBSCRIPTION);
      await clean.disconnect(hub, identity);
      const after = await WireClient.connect(hub, identity);
      try {
        assert.equal(after.sessionPresent, false, 'nothing of a clean session is kept after it ends');
        await after.subscribe(RESPONSE_SUBSCRIPTION);
        await setDesired(hub, identity, { afterClean: 1 });
        await after.roundTrip();
        assert.deepEqual(after.desiredPatches(), [], 'the clean session\'s subscription ended with its connection');
      } finally {
        after.client.end(true);
      }
    }
  });

  it('keeps a persistent session\'s subscriptions: a patch reaches the reconnected client without a new SUBSCRIBE', async () => {
    for (const identity of await identities()) {
      await leaveSubscribedSession(identity);
      const again = await WireClient.connect(hub, identity);
      try {
        assert.equal(again.sessionPresent, true, 'a clean=false reconnect finds its session');
        const version = await setDesired(hub, identity, { kept: true });
        assert.deepEqual(await again.desiredPatch(version), { kept: true, $version: version });
      } finally {
        again.client.end(true);
      }
    }
  });

  it('does not deliver later a patch made while the client was offline, whether or not it subscribes again', async () => {
    for (const identity of await identities()) {
      await leaveSubscribedSession(identity);
      const missed = await setDesired(hub, identity, { whileOffline: 30 });
      const back = await WireClient.connect(hub, identity);
      try {
        await back.roundTrip();
        await back.subscribe(DESIRED_SUBSCRIPTION, RESPONSE_SUBSCRIPTION);
        await back.roundTrip();
        const next = await setDesired(hub, identity, { afterReturn: 31 });
        await back.desiredPatch(next);
        assert.deepEqual(back.desiredPatches(), [{ afterReturn: 31, $version: next }], `the patch with $version ${missed} is never sent`);
        const twin = (await back.roundTrip()) as { desired: Record<string, unknown> };
        assert.equal(twin.desired.whileOffline, 30, 'the module reads what it missed from its twin');
      } finally {
        back.client.end(true);
      }
    }
  });
});
