import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertStillServing, closed, connectOrFail, end, startMqttBench, subscribe, twinRequest, twinSnapshot, type MqttBench,
} from './mqtt-fixture.js';

/** SUBACK 0x80: the subscription is refused and the connection stays up (MQTT 3.1.1 §3.9.3). */
const SUBSCRIPTION_REFUSED = 128;

const forbiddenSubscriptions: [string, string][] = [
  ['another module\'s inputs', 'devices/d1/modules/m2/inputs/#'],
  ['another device\'s cloud-to-device messages', 'devices/d2/messages/devicebound/#'],
  ['the multi-level wildcard', '#'],
  ['every $iothub topic', '$iothub/#'],
  ['another device\'s telemetry', 'devices/d2/messages/events/#'],
];

/** Publishes the hub refuses by closing the connection ("Communicate with an IoT hub using MQTT"). */
const forbiddenPublishes: [string, string][] = [
  ['telemetry as another module', 'devices/d1/modules/m2/messages/events/'],
  ['telemetry as another device', 'devices/d2/messages/events/'],
  ['an arbitrary topic', 'factory/line1/speed'],
  ['desired properties from the device side', '$iothub/twin/PATCH/properties/desired/?$rid=1'],
  ['a twin GET without a $rid', '$iothub/twin/GET/'],
  ['a reported patch without a $rid', '$iothub/twin/PATCH/properties/reported/'],
  ['a method response without a $rid', '$iothub/methods/res/200/'],
];

function deep(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let level = 0; level < levels; level++) value = { [`l${level}`]: value };
  return value;
}

/** Reported patches the hub answers with status 400 and errorCode 400004 on the response topic. */
const badReportedPatches: [string, Buffer | string][] = [
  ['non-UTF-8 bytes', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0x7d])],
  ['a lone UTF-16 surrogate encoded as bytes', Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])],
  ['truncated JSON', '{"temperature": '],
  ['a JSON array', '[1,2,3]'],
  ['a JSON string', '"hot"'],
  ['an empty payload', ''],
  ['a key with $', '{"$version": 7}'],
  ['a key with a dot', '{"a.b": 1}'],
  ['a key over 1 KB', JSON.stringify({ ['k'.repeat(1025)]: 1 })],
  ['a string over 4 KB', JSON.stringify({ s: 'x'.repeat(4097) })],
  ['an object nested too deep', JSON.stringify(deep(14))],
  ['reported over 32 KB', JSON.stringify(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, 'x'.repeat(3000)])))],
];

void describe('bad MQTT inputs: subscriptions, publishes and payloads', () => {
  let bench: MqttBench;
  before(async () => {
    bench = await startMqttBench();
  });
  after(async () => {
    await bench.emulator.stop();
  });

  for (const [name, topic] of forbiddenSubscriptions) {
    void it(`refuses a subscription to ${name}`, async () => {
      const before = twinSnapshot(bench);
      const client = await connectOrFail(bench, bench.m1);
      try {
        assert.deepEqual(await subscribe(client, [topic]), [SUBSCRIPTION_REFUSED]);
        assert.ok(client.connected, 'the connection stays up after a refused subscription');
      } finally {
        await end(client);
      }
      assert.equal(twinSnapshot(bench), before);
      await assertStillServing(bench);
    });
  }

  for (const [name, topic] of forbiddenPublishes) {
    void it(`disconnects a client publishing ${name}`, async () => {
      const before = twinSnapshot(bench);
      const client = await connectOrFail(bench, bench.m1);
      client.publish(topic, '{"x":1}', { qos: 0 });
      await closed(client, `the emulator to close the connection after a publish to ${topic}`);
      await end(client);
      assert.equal(twinSnapshot(bench), before);
      await assertStillServing(bench);
    });
  }

  for (const [name, payload] of badReportedPatches) {
    void it(`answers 400 to a reported patch with ${name}`, async () => {
      const before = twinSnapshot(bench);
      const client = await connectOrFail(bench, bench.m1);
      try {
        const reply = await twinRequest(client, '$iothub/twin/PATCH/properties/reported/?$rid=bad1', payload);
        assert.match(reply.topic, /^\$iothub\/twin\/res\/400\//, `response topic ${reply.topic}`);
        assert.equal((JSON.parse(reply.body) as { errorCode?: unknown }).errorCode, 400004, reply.body);
      } finally {
        await end(client);
      }
      assert.equal(twinSnapshot(bench), before, 'the reported properties are unchanged');
      await assertStillServing(bench);
    });
  }
});
