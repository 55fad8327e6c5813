import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../emulator/state/clock.js';
import { DEFAULT_EVENT_HUB_OPTIONS, EventHubStore, type EventHubChange, type EventHubOptions } from '../../emulator/state/event-hub-store.js';
import type { TelemetryMessage } from '../../emulator/state/telemetry.js';

/** The Event Hub-compatible store's options and retention at their boundaries (event-hub-store.ts, event-hub-partition.ts). */
const ORIGIN = { generationId: 'g', authenticationType: 'sas' as const };
const message = (deviceId: string, body = 'abc'): TelemetryMessage => ({ deviceId, body: Buffer.from(body), systemProperties: {}, applicationProperties: {}, enqueuedTime: new Date(0).toISOString() });

function store(options: Omit<Partial<EventHubOptions>, 'retention'> & { retention?: Partial<EventHubOptions['retention']> } = {}, clock = new ManualClock()) {
  const made = new EventHubStore({ ...DEFAULT_EVENT_HUB_OPTIONS, ...options, retention: { ...DEFAULT_EVENT_HUB_OPTIONS.retention, ...options.retention } }, clock);
  const changes: EventHubChange[] = [];
  made.changes.subscribe((change) => changes.push(change));
  return { store: made, changes, clock };
}

void describe('Event Hub-compatible store options', () => {
  void it('keeps events a day by default, as a new hub does', () => {
    assert.equal(DEFAULT_EVENT_HUB_OPTIONS.retention.retentionMs, 24 * 3600 * 1000);
  });

  void it('takes 2 to 128 partitions and refuses other counts, saying which', () => {
    assert.equal(store({ partitionCount: 128 }).store.info('127').partitionId, '127');
    for (const partitionCount of [1, 129, 2.5]) {
      assert.throws(() => store({ partitionCount }), { name: 'RangeError', message: `The partition count must be an integer from 2 to 128, not ${partitionCount}.` });
    }
  });

  void it('names every invalid consumer group, and a retention limit below 1', () => {
    assert.throws(() => store({ consumerGroups: ['ok', 'has space', 'a/b'] }), { message: 'Invalid consumer group name(s): "has space", "a/b".' });
    assert.throws(() => store({ retention: { maxEvents: 0 } }), { message: 'The retention limit maxEvents must be a positive integer, not 0.' });
    assert.equal(store({ retention: { maxEvents: 1 } }).store.append(message('d'), ORIGIN).sequenceNumber, 0);
  });
});

void describe('Event Hub-compatible retention', () => {
  void it('evicts an event once it is exactly the retention period old', () => {
    const { store: hub, clock } = store({ retention: { retentionMs: 10_000 } });
    const partition = hub.partitionOf('d');
    hub.append(message('d'), ORIGIN);
    clock.advanceSeconds(9.999);
    assert.equal(hub.beginSequenceNumber(partition), 0);
    clock.advanceSeconds(0.001);
    assert.equal(hub.beginSequenceNumber(partition), 1);
  });

  void it('keeps events up to exactly the byte cap, counting restored events too', () => {
    const { store: hub } = store({ retention: { maxBytes: 6 } });
    const partition = hub.partitionOf('d');
    hub.append(message('d'), ORIGIN);
    hub.append(message('d'), ORIGIN);
    assert.equal(hub.beginSequenceNumber(partition), 0, 'two 3-byte events fill 6 bytes');
    const kept = [hub.eventAt(partition, 0), hub.eventAt(partition, 1)].filter((event) => event !== undefined);
    const { store: restored } = store({ retention: { maxBytes: 6 } });
    restored.restore([{ partitionId: partition, events: kept, nextSequenceNumber: 2, nextOffset: 6 }]);
    restored.append(message('d'), ORIGIN);
    assert.equal(restored.beginSequenceNumber(partition), 1, 'the restored bytes count against the cap');
  });

  void it('announces an eviction of everything for each partition that had events, and none for the others', () => {
    const { store: hub, changes } = store();
    const partition = hub.partitionOf('d');
    hub.append(message('d'), ORIGIN);
    hub.append(message('d'), ORIGIN);
    hub.evictAll();
    assert.deepEqual(changes.filter((change) => change.type === 'events-evicted'), [{ type: 'events-evicted', partitionId: partition, count: 2, beginSequenceNumber: 2 }]);
  });

  void it('refuses to restore a partition that took events, or events of another partition', () => {
    const { store: hub } = store();
    const partition = hub.partitionOf('d');
    const event = hub.append(message('d'), ORIGIN);
    hub.evictAll();
    assert.throws(() => hub.restore([{ partitionId: partition, events: [], nextSequenceNumber: 1, nextOffset: 3 }]), /already has events; it can only be restored empty/);
    const other = partition === '0' ? '1' : '0';
    assert.throws(() => store().store.restore([{ partitionId: other, events: [event], nextSequenceNumber: 1, nextOffset: 3 }]), /breaks partition/);
  });
});
