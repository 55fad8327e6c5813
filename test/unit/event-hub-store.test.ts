import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventHubAudienceVerifier, eventHubsSignature } from '../../emulator/amqp/event-hubs/event-hub-tokens.js';
import { PartitionOwners, type PartitionReaderSlot } from '../../emulator/amqp/event-hubs/partition-owners.js';
import { readStartPosition, SELECTOR_FILTER_KEY } from '../../emulator/amqp/event-hubs/start-position.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { DEFAULT_EVENT_HUB_OPTIONS, EventHubStore, type EventHubChange } from '../../emulator/state/event-hub-store.js';
import type { SharedAccessPolicy } from '../../emulator/state/policies.js';
import type { TelemetryMessage } from '../../emulator/state/telemetry.js';

const origin = { generationId: 'g1', authenticationType: 'sas' as const };
const message = (deviceId: string, body = 'x'): TelemetryMessage => ({
  deviceId, body: Buffer.from(body), systemProperties: {}, applicationProperties: {}, enqueuedTime: new Date(0).toISOString(),
});

function storeWith(retention: Partial<typeof DEFAULT_EVENT_HUB_OPTIONS.retention> = {}, clock = new ManualClock()): EventHubStore {
  return new EventHubStore({ ...DEFAULT_EVENT_HUB_OPTIONS, retention: { ...DEFAULT_EVENT_HUB_OPTIONS.retention, ...retention } }, clock);
}

describe('the Event Hub-compatible endpoint\'s store (pure)', () => {
  it('maps a device to one partition for good, and numbers each partition from 0 without gaps', () => {
    const store = storeWith();
    const partition = store.partitionOf('dev-a');
    assert.equal(store.partitionOf('dev-a'), partition, 'stable');
    const events = ['one', 'two', 'three'].map((body) => store.append(message('dev-a', body), origin));
    assert.deepEqual(events.map((event) => [event.partitionId, event.sequenceNumber]), [[partition, 0], [partition, 1], [partition, 2]]);
    assert.deepEqual(events.map((event) => event.offset), ['0', '3', '6'], 'offsets are byte positions: they grow with the sizes of the events before');
    const spread = new Set(Array.from({ length: 64 }, (_, n) => store.partitionOf(`device-${n}`)));
    assert.equal(spread.size, 4, 'devices spread over every partition');
  });

  it('announces each event, and each eviction, on its change feed', () => {
    const store = storeWith({ maxEvents: 2 });
    const changes: EventHubChange[] = [];
    store.changes.subscribe((change) => changes.push(change));
    for (const body of ['a', 'b', 'c']) store.append(message('dev', body), origin);
    const partitionId = store.partitionOf('dev');
    assert.deepEqual(changes.map((change) => change.type), ['event-enqueued', 'event-enqueued', 'event-enqueued', 'events-evicted']);
    assert.equal(store.eventAt(partitionId, 0), undefined, 'the oldest event went');
    assert.equal(store.eventAt(partitionId, 1)?.message.body.toString(), 'b');
    assert.deepEqual(store.info(partitionId), {
      partitionId, beginSequenceNumber: 1, lastSequenceNumber: 2, lastOffset: '2', lastEnqueuedTimeMs: new ManualClock().now().getTime(), isEmpty: false,
    });
  });

  it('evicts by bytes and by age, and keeps numbering after everything is gone', () => {
    const clock = new ManualClock();
    const store = storeWith({ maxBytes: 10, retentionMs: 60_000 }, clock);
    const partitionId = store.partitionOf('dev');
    store.append(message('dev', '123456'), origin);
    store.append(message('dev', '123456'), origin);
    assert.equal(store.beginSequenceNumber(partitionId), 1, '12 bytes exceed the 10-byte cap: the first went');
    clock.advanceSeconds(61);
    assert.equal(store.info(partitionId).isEmpty, true, 'older than the retention period');
    assert.equal(store.append(message('dev'), origin).sequenceNumber, 2, 'sequence numbers are never reused');
    store.evictAll();
    assert.equal(store.info(partitionId).isEmpty, true);
    assert.equal(store.endSequenceNumber(partitionId), 3);
  });

  it('refuses a partition count outside 2 to 128, a bad consumer group name and zero retention', () => {
    const clock = new ManualClock();
    assert.throws(() => new EventHubStore({ ...DEFAULT_EVENT_HUB_OPTIONS, partitionCount: 1 }, clock), RangeError);
    assert.throws(() => new EventHubStore({ ...DEFAULT_EVENT_HUB_OPTIONS, partitionCount: 129 }, clock), RangeError);
    assert.throws(() => new EventHubStore({ ...DEFAULT_EVENT_HUB_OPTIONS, consumerGroups: ['has space'] }, clock), RangeError);
    assert.throws(() => new EventHubStore({ ...DEFAULT_EVENT_HUB_OPTIONS, retention: { ...DEFAULT_EVENT_HUB_OPTIONS.retention, maxEvents: 0 } }, clock), RangeError);
    const store = new EventHubStore({ ...DEFAULT_EVENT_HUB_OPTIONS, consumerGroups: ['Analytics'] }, clock);
    assert.deepEqual([store.hasConsumerGroup('$default'), store.hasConsumerGroup('analytics'), store.hasConsumerGroup('other')], [true, true, false]);
  });
});

describe('Event Hubs selector filters', () => {
  const filter = (expression: string): Record<string, unknown> => ({ [SELECTOR_FILTER_KEY]: { descriptor: 0x468c00000004, value: expression } });
  it('reads every filter the SDK sends', () => {
    assert.deepEqual(readStartPosition(filter("amqp.annotation.x-opt-offset > '@latest'")), { ok: true, position: { kind: 'latest' } });
    assert.deepEqual(readStartPosition(filter("amqp.annotation.x-opt-offset > '-1'")), { ok: true, position: { kind: 'offset', offset: -1n, inclusive: false } });
    assert.deepEqual(readStartPosition(filter("amqp.annotation.x-opt-offset >= '42'")), { ok: true, position: { kind: 'offset', offset: 42n, inclusive: true } });
    assert.deepEqual(readStartPosition(filter("amqp.annotation.x-opt-sequence-number > '7'")), { ok: true, position: { kind: 'sequence-number', sequenceNumber: 7, inclusive: false } });
    assert.deepEqual(readStartPosition(filter("amqp.annotation.x-opt-enqueued-time > '1700000000000'")), { ok: true, position: { kind: 'enqueued-time', timeMs: 1_700_000_000_000, inclusive: false } });
    assert.deepEqual(readStartPosition(undefined), { ok: true, position: { kind: 'offset', offset: -1n, inclusive: false } }, 'no filter: the earliest event');
  });
  it('refuses what it cannot read rather than guessing', () => {
    for (const bad of ["amqp.annotation.x-opt-offset < '3'", "amqp.annotation.x-opt-offset > 'abc'", "amqp.annotation.x-opt-sequence-number > '1e3'", 'sql: 1=1']) {
      assert.equal(readStartPosition(filter(bad)).ok, false, bad);
    }
    assert.equal(readStartPosition({ 'apache.org:other-filter': 'x' }).ok, false);
  });
});

describe('Event Hubs owner levels', () => {
  const reader = (epoch: number | undefined, evicted: string[]): PartitionReaderSlot => ({ epoch, evict: (error) => evicted.push(`${epoch ?? 'none'}:${error.condition}`) });
  it('takes a partition from lower or equal levels and from readers without one; refuses those below', () => {
    const owners = new PartitionOwners();
    const evicted: string[] = [];
    assert.equal(owners.admit('cg/0', reader(undefined, evicted)), undefined);
    assert.equal(owners.admit('cg/0', reader(1, evicted)), undefined);
    assert.deepEqual(evicted, ['none:amqp:link:stolen']);
    assert.equal(owners.admit('cg/0', reader(undefined, evicted))?.condition, 'amqp:link:stolen', 'no reader without a level while one with a level holds it');
    assert.equal(owners.admit('cg/0', reader(0, evicted))?.condition, 'amqp:link:stolen', 'a lower level is refused');
    assert.equal(owners.admit('cg/0', reader(1, evicted)), undefined, 'an equal level takes over');
    assert.deepEqual(evicted, ['none:amqp:link:stolen', '1:amqp:link:stolen']);
    assert.equal(owners.admit('cg/1', reader(undefined, evicted)), undefined, 'partitions are independent');
  });
  it('lets at most five readers without a level share a partition', () => {
    const owners = new PartitionOwners();
    for (let n = 0; n < 5; n++) assert.equal(owners.admit('cg/0', reader(undefined, [])), undefined);
    assert.equal(owners.admit('cg/0', reader(undefined, []))?.condition, 'amqp:resource-limit-exceeded');
  });
});

describe('Event Hubs put-tokens', () => {
  const policy: SharedAccessPolicy = { name: 'service', primaryKey: 'cHJpbWFyeQ==', secondaryKey: 'c2Vjb25kYXJ5', permissions: new Set(['ServiceConnect']) };
  const verify = eventHubAudienceVerifier({ hubName: 'MyHub', policies: new Map([['service', policy]]) });
  const token = (sr: string, key: string, se = 2000): string => {
    const encoded = encodeURIComponent(sr);
    return `SharedAccessSignature sr=${encoded}&sig=${encodeURIComponent(eventHubsSignature(encoded, se, key))}&se=${se}&skn=service`;
  };
  const audience = 'sb://hub.example/myhub/ConsumerGroups/$Default/Partitions/0';
  it('signs with the key text itself, not its base64 decoding', () => {
    assert.equal(verify(audience, token(audience, policy.primaryKey), 1000)?.ok, true);
    assert.equal(verify(audience, token(audience, policy.secondaryKey), 1000)?.ok, true);
    const decodedKeySignature = token(audience, Buffer.from(policy.primaryKey, 'base64').toString('latin1'));
    assert.equal(verify(audience, decodedKeySignature, 1000)?.ok, false);
  });
  it('leaves IoT Hub audiences alone, and refuses expired tokens, other entities and resources that do not cover', () => {
    assert.equal(verify('hub.example', token('hub.example', policy.primaryKey), 1000), undefined);
    assert.deepEqual(verify(audience, token(audience, policy.primaryKey, 999), 1000), { ok: false, status: 401, description: 'Unauthorized: the token has expired.' });
    assert.equal((verify('sb://hub.example/otherhub/$management', token('sb://hub.example/otherhub/$management', policy.primaryKey), 1000) as { status?: number }).status, 404);
    assert.equal(verify(audience, token('sb://hub.example/myhub/$management', policy.primaryKey), 1000)?.ok, false);
    assert.equal(verify(audience, token('sb://hub.example/myhub', policy.primaryKey), 1000)?.ok, true, 'the hub\'s entity covers its partitions');
  });
});
