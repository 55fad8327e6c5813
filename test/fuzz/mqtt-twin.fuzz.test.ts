import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from 'aedes';
import fc from 'fast-check';
import { classifyPublish } from '../../emulator/mqtt/topics.js';
import { answerReportedPatch } from '../../emulator/mqtt/twin-channel.js';
import { newRestBench, snapshot } from '../bad-inputs/rest-fixture.js';
import { assertProperty, sectionPatch, twinValue } from './fuzz-settings.js';
import { reportedPatchProblem } from './twin-oracle.js';

const MODULE = { deviceId: 'd1', moduleId: 'm1' };
const KINDS = new Set(['twin-get', 'twin-reported', 'method-response', 'telemetry', 'input', 'refused']);

/** Topics near the hub's families, so that the parser's branches are reached, plus any string. */
const topic = fc.oneof(
  fc.tuple(
    fc.constantFrom('$iothub/twin/GET/', '$iothub/twin/PATCH/properties/reported/', '$iothub/methods/res/', 'devices/d1/modules/m1/messages/events', 'devices/d1/modules/m2/messages/events/', '$iothub/'),
    fc.string({ maxLength: 30 }),
  ).map(([prefix, rest]) => prefix + rest),
  fc.string({ maxLength: 60 }),
  fc.webPath(),
);

/** A stand-in for the aedes connection that records what the emulator answers on it. */
function recordingClient(): { client: Client; replies: { topic: string; payload: string }[] } {
  const replies: { topic: string; payload: string }[] = [];
  const client = {
    id: 'd1/m1',
    publish(packet: { topic: string; payload: Buffer }, done: () => void) {
      replies.push({ topic: packet.topic, payload: packet.payload.toString() });
      done();
    },
  } as unknown as Client;
  return { client, replies };
}

void describe('fuzz: MQTT twin topics and payloads', () => {
  void it('classifies every topic without throwing; twin requests always carry a $rid', async () => {
    await assertProperty(
      fc.property(topic, (published) => {
        const action = classifyPublish(MODULE, published);
        assert.ok(KINDS.has(action.kind), `kind ${action.kind}`);
        if (action.kind === 'twin-get' || action.kind === 'twin-reported') assert.notEqual(action.requestId, '');
      }),
      2000,
    );
  });

  void it('answers every reported patch exactly once: 204 when the documented rules allow it, else an error body that changes nothing', async () => {
    const payload = fc.oneof(
      sectionPatch.map((patch) => Buffer.from(JSON.stringify(patch))),
      // A JSON object but for one byte that is not UTF-8 (a lone continuation byte, an overlong '/', a surrogate, 0xff).
      fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]).map((bad) => Buffer.concat([Buffer.from('{"k":"'), Buffer.from(bad), Buffer.from('"}')])),
      twinValue.map((value) => Buffer.from(JSON.stringify(value))),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      fc.string({ maxLength: 40 }).map((text) => Buffer.from(text)),
    );
    await assertProperty(
      fc.property(payload, (bytes) => {
        const bench = newRestBench();
        const before = snapshot(bench);
        const twin = bench.registry.getTwin(MODULE);
        const problem = reportedPatchProblem(bytes, twin.reported.values);
        const { client, replies } = recordingClient();
        answerReportedPatch(client, MODULE, 'r1', bytes, bench.registry);
        assert.equal(replies.length, 1, 'exactly one response');
        const [reply] = replies;
        assert.ok(reply);
        const detail = `${bytes.toString().slice(0, 200)} -> ${reply.topic} ${reply.payload.slice(0, 200)}`;
        if (problem === undefined) {
          assert.equal(reply.topic, `$iothub/twin/res/204/?$rid=r1&$version=${twin.reported.version + 1}`, `must be accepted: ${detail}`);
          return;
        }
        assert.match(reply.topic, /^\$iothub\/twin\/res\/4\d\d\/\?\$rid=r1$/, `must be refused (${problem}): ${detail}`);
        const body = JSON.parse(reply.payload) as { errorCode?: unknown };
        assert.equal(typeof body.errorCode, 'number');
        assert.equal(snapshot(bench), before, 'a refused reported patch changes nothing');
      }),
    );
  });
});
