import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudToDeviceMessage } from '../../emulator/state/c2d-message.js';
import { CloudToDeviceQueues, type CloudToDeviceChange } from '../../emulator/state/cloud-to-device.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { DEFAULT_EVENT_HUB_OPTIONS, EventHubStore, type EventHubChange } from '../../emulator/state/event-hub-store.js';
import { newRegistry } from './fixtures.js';

/**
 * What persistence relies on (emulator/persistence/persistent-messaging.ts): the queues and the
 * event store announce each real change with the state it leaves, none for a refusal, and take back
 * what a data directory kept.
 */
function queuesFor(deviceIds: readonly string[]) {
  const fixture = newRegistry();
  for (const deviceId of deviceIds) fixture.registry.createDevice(deviceId, undefined);
  let lock = 0;
  const queues = new CloudToDeviceQueues({ clock: fixture.clock, registry: fixture.registry, generateLockToken: () => `lock-${++lock}` });
  const changes: CloudToDeviceChange[] = [];
  queues.changes.subscribe((change) => changes.push(change));
  const message = (id: string, deviceId = 'd1', bytes = 5): CloudToDeviceMessage => ({
    deviceId, messageId: id, correlationId: undefined, userId: undefined, contentType: undefined, contentEncoding: undefined, ack: 'full',
    expiresAt: fixture.clock.now().getTime() + 60_000, enqueuedTime: fixture.clock.now().toISOString(), body: Buffer.alloc(bytes, 'x'), applicationProperties: {},
  });
  return { ...fixture, queues, changes, message };
}

describe('messaging state changes, as persistence reads them', () => {
  it('announces nothing for a refused send, and each accepted step once, with the state it leaves', () => {
    const hub = queuesFor(['d1']);
    assert.throws(() => hub.queues.enqueue(hub.message('ghost', 'nobody')));
    assert.throws(() => hub.queues.enqueue(hub.message('huge', 'd1', 64 * 1024 + 1)));
    assert.equal(hub.queues.lockNext('d1'), undefined);
    assert.equal(hub.changes.length, 0, 'refusals and no-ops change nothing');
    hub.queues.enqueue(hub.message('a'));
    const locked = hub.queues.lockNext('d1');
    hub.queues.abandon('d1', locked?.lockToken ?? '');
    const again = hub.queues.lockNext('d1');
    hub.queues.complete('d1', again?.lockToken ?? '');
    assert.deepEqual(hub.changes.map((change) => change.type), ['c2d-enqueued', 'c2d-locked', 'c2d-available', 'c2d-locked', 'c2d-removed']);
    const [enqueued, firstLock, available] = hub.changes;
    assert.ok(enqueued?.type === 'c2d-enqueued' && firstLock?.type === 'c2d-locked' && available?.type === 'c2d-available');
    assert.equal(firstLock.entry.entryId, enqueued.entry.entryId);
    assert.equal(firstLock.entry.lock?.token, 'lock-1');
    assert.deepEqual(available.entries.map((entry) => [entry.deliveryCount, entry.lock]), [[1, undefined]]);
    const removed = hub.changes.at(-1);
    assert.ok(removed?.type === 'c2d-removed');
    assert.deepEqual([removed.entryIds, removed.feedback.map((record) => record.statusCode)], [[enqueued.entry.entryId], ['Success']], 'the removal carries its feedback');
    hub.queues.takeFeedback();
    assert.deepEqual(hub.changes.at(-1), { type: 'feedback-taken', count: 1 });
  });

  it('announces a purge and a deleted device\'s queue as removals, and an empty purge not at all', () => {
    const hub = queuesFor(['d1', 'd2']);
    assert.equal(hub.queues.purge('d1'), 0);
    assert.equal(hub.changes.length, 0);
    hub.queues.enqueue(hub.message('a'));
    hub.queues.enqueue(hub.message('b', 'd2'));
    hub.queues.purge('d1');
    hub.queues.dropDevice('d2');
    assert.deepEqual(hub.changes.slice(2).map((change) => change.type === 'c2d-removed' && [change.deviceId, change.entryIds]), [['d1', [0]], ['d2', [1]]]);
  });

  it('restores kept messages visible again (the lock went with the old process), counts kept, numbering on, orphans dropped', () => {
    const before = queuesFor(['d1']);
    before.queues.enqueue(before.message('a'));
    before.queues.enqueue(before.message('b'));
    before.queues.abandon('d1', before.queues.lockNext('d1')?.lockToken ?? '');
    before.queues.lockNext('d1');
    const lockedA = before.changes.findLast((change) => change.type === 'c2d-locked');
    const enqueuedB = before.changes.findLast((change) => change.type === 'c2d-enqueued');
    assert.ok(lockedA?.type === 'c2d-locked' && enqueuedB?.type === 'c2d-enqueued');
    assert.deepEqual([lockedA.entry.message.messageId, lockedA.entry.deliveryCount, lockedA.entry.lock !== undefined], ['a', 1, true]);
    const orphan = { entryId: 9, message: before.message('o', 'gone'), deliveryCount: 0, lock: undefined };

    const after = queuesFor(['d1']);
    after.queues.restore({ messages: [orphan, enqueuedB.entry, lockedA.entry], feedback: [] });
    assert.deepEqual(after.changes, [{ type: 'c2d-removed', deviceId: 'gone', entryIds: [9], feedback: [] }], 'only the orphan is announced');
    const next = after.queues.lockNext('d1');
    assert.deepEqual([next?.message.messageId, next?.deliveryCount], ['a', 1], 'the oldest, visible at once, its delivery count kept');
    after.queues.enqueue(after.message('c'));
    const enqueued = after.changes.at(-1);
    assert.ok(enqueued?.type === 'c2d-enqueued' && enqueued.entry.entryId === 10, 'entry ids go on after the highest kept');
    assert.throws(() => after.queues.restore({ messages: [], feedback: [] }), /only be restored empty/);
  });

  it('restores a partition\'s events and numbering, and announces what retention evicts since', () => {
    const clock = new ManualClock();
    const first = new EventHubStore(DEFAULT_EVENT_HUB_OPTIONS, clock);
    const message = { deviceId: 'dev', body: Buffer.from('abc'), systemProperties: {}, applicationProperties: {}, enqueuedTime: clock.now().toISOString() };
    const origin = { generationId: 'g', authenticationType: 'sas' as const };
    const events = [first.append(message, origin), first.append(message, origin)];
    const partitionId = first.partitionOf('dev');
    clock.advanceSeconds(DEFAULT_EVENT_HUB_OPTIONS.retention.retentionMs / 1000 - 1);
    const third = first.append(message, origin);

    const second = new EventHubStore(DEFAULT_EVENT_HUB_OPTIONS, clock);
    const changes: EventHubChange[] = [];
    second.changes.subscribe((change) => changes.push(change));
    clock.advanceSeconds(2);
    second.restore([{ partitionId, events: [...events, third], nextSequenceNumber: 3, nextOffset: Number(third.offset) + third.sizeBytes }]);
    assert.deepEqual(changes, [{ type: 'events-evicted', partitionId, count: 2, beginSequenceNumber: 2 }], 'the two past retention go, announced');
    assert.equal(second.eventAt(partitionId, 2)?.enqueuedTimeMs, third.enqueuedTimeMs);
    assert.deepEqual([second.append(message, origin).sequenceNumber, second.info(partitionId).beginSequenceNumber], [3, 2]);
    assert.throws(() => second.restore([{ partitionId, events: [], nextSequenceNumber: 0, nextOffset: 0 }]), /can only be restored empty/);
    const gap = new EventHubStore(DEFAULT_EVENT_HUB_OPTIONS, clock);
    assert.throws(() => gap.restore([{ partitionId, events: [events[0], third].filter((event) => event !== undefined), nextSequenceNumber: 3, nextOffset: 99 }]), /breaks partition/);
    const behind = (position: { nextSequenceNumber: number; nextOffset: number }) => () => new EventHubStore(DEFAULT_EVENT_HUB_OPTIONS, clock).restore([{ partitionId, events: [third], ...position }]);
    const nextOffset = Number(third.offset) + third.sizeBytes;
    assert.throws(behind({ nextSequenceNumber: 2, nextOffset }), /is behind its last kept event/, 'numbering that would reuse a sequence number');
    assert.throws(behind({ nextSequenceNumber: 3, nextOffset: nextOffset - 1 }), /is behind its last kept event/, 'an offset inside the last event');
    assert.doesNotThrow(behind({ nextSequenceNumber: 3, nextOffset }));
  });
});
