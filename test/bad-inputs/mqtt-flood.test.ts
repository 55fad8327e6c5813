import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/wait-for.js';
import { assertStillServing, clientIdOf, connect, connectOrFail, end, startMqttBench, subscribe, twinSnapshot, validCredentials, type MqttBench } from './mqtt-fixture.js';

/** Bounded floods: enough to show the emulator is not exhausted, small enough for a 2-core CI runner. */
const CONNECT_FLOOD = 40;
const SUBSCRIPTION_FLOOD = 500;
const SUBSCRIPTION_REFUSED = 128;

void describe('bad MQTT inputs: floods', () => {
  let bench: MqttBench;
  before(async () => {
    bench = await startMqttBench();
  });
  after(async () => {
    await bench.emulator.stop();
  });

  void it(`survives a flood of ${CONNECT_FLOOD} CONNECTs from one client id, keeping one connection`, async () => {
    const before = twinSnapshot(bench);
    const { control } = bench.emulator;
    const clientId = clientIdOf(bench.m1);
    const countBefore = control.connectionStatus(clientId).connectionCount;
    const attempts = await Promise.all(Array.from({ length: CONNECT_FLOOD }, () => connect(bench, validCredentials(bench, bench.m1))));
    const accepted = attempts.filter((attempt) => attempt.returnCode === 0).length;
    assert.ok(accepted >= 1, 'at least one CONNECT was accepted');
    assert.equal(control.connectionStatus(clientId).connectionCount - countBefore, accepted, 'every accepted CONNECT was counted');
    // A newer connection with the same identity takes over; the older ones are closed (as on the hub).
    const current = await waitFor(() => (attempts.filter((attempt) => attempt.client.connected).length <= 1 ? true : undefined), {
      description: 'all but one of the flooding connections to be closed',
      timeoutMs: 10_000,
      changes: control.connectionChanges,
      seen: () => `${attempts.filter((attempt) => attempt.client.connected).length} still connected`,
    });
    assert.ok(current);
    assert.ok(control.connectedClientIds().filter((id) => id === clientId).length <= 1);
    await Promise.all(attempts.map((attempt) => end(attempt.client)));
    assert.equal(twinSnapshot(bench), before);
    await assertStillServing(bench, bench.m1);
  });

  void it(`refuses ${SUBSCRIPTION_FLOOD} forbidden topic filters in one SUBSCRIBE and stays up`, async () => {
    const client = await connectOrFail(bench, bench.m1);
    try {
      const topics = Array.from({ length: SUBSCRIPTION_FLOOD }, (_, index) => `devices/d${index}/messages/devicebound/#`);
      const grants = await subscribe(client, topics);
      assert.equal(grants.length, SUBSCRIPTION_FLOOD);
      assert.ok(grants.every((grant) => grant === SUBSCRIPTION_REFUSED), 'every forbidden filter is refused');
      assert.ok(client.connected);
    } finally {
      await end(client);
    }
    await assertStillServing(bench);
  });

  void it(`accepts ${SUBSCRIPTION_FLOOD} repeated SUBSCRIBEs to its own twin topic without growing or failing`, async () => {
    const client = await connectOrFail(bench, bench.m1);
    try {
      const grants = await Promise.all(Array.from({ length: SUBSCRIPTION_FLOOD }, () => subscribe(client, ['$iothub/twin/PATCH/properties/desired/#'])));
      assert.ok(grants.every((granted) => granted.length === 1 && granted[0] === 0));
      assert.ok(client.connected);
    } finally {
      await end(client);
    }
    await assertStillServing(bench);
  });
});
