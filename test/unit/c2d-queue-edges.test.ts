import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addsFeedback, type CloudToDeviceChange } from '../../emulator/state/c2d-changes.js';
import { ACK_MODES, C2D_LIMITS, describeFeedback, wantsFeedback, type AckMode, type CloudToDeviceMessage, type FeedbackRecord, type FeedbackStatus } from '../../emulator/state/c2d-message.js';
import { CloudToDeviceQueues } from '../../emulator/state/cloud-to-device.js';
import { expectHubError, newRegistry } from './fixtures.js';

/** The queues' boundaries and bookkeeping; cloud-to-device.test.ts has the life cycle itself. */
function newQueues() {
  const fixture = newRegistry();
  fixture.registry.createDevice('d1', undefined);
  let lock = 0;
  const queues = new CloudToDeviceQueues({ clock: fixture.clock, registry: fixture.registry, generateLockToken: () => `lock-${++lock}` });
  const changes: CloudToDeviceChange[] = [];
  queues.changes.subscribe((change) => changes.push(change));
  const message = (init: { id?: string | null; ack?: AckMode; bytes?: number } = {}): CloudToDeviceMessage => ({
    deviceId: 'd1', messageId: init.id === null ? undefined : init.id ?? 'm-1', correlationId: undefined, userId: undefined, contentType: undefined,
    contentEncoding: undefined, ack: init.ack ?? 'none', expiresAt: fixture.clock.now().getTime() + 10 * 60_000, enqueuedTime: fixture.clock.now().toISOString(),
    body: Buffer.alloc(init.bytes ?? 5, 'x'), applicationProperties: {},
  });
  const lockNext = () => queues.lockNext('d1')?.lockToken ?? assert.fail('a message to lock');
  return { ...fixture, queues, changes, message, lockNext };
}

const record = (originalMessageId: string): FeedbackRecord => ({
  originalMessageId, description: 'Success', deviceGenerationId: 'gen-1', deviceId: 'd1', enqueuedTimeUtc: '2026-01-01T00:00:00.000Z', statusCode: 'Success',
});

void describe('cloud-to-device queue boundaries', () => {
  void it('takes a body of exactly 64 KB', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ bytes: C2D_LIMITS.maxMessageBytes }));
    assert.equal(hub.queues.pendingCount('d1'), 1);
  });

  void it('holds a lock up to, not including, its deadline: settling at the deadline loses the lock', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message());
    const token = hub.lockNext();
    hub.clock.advanceSeconds((C2D_LIMITS.lockTimeoutMs - 1) / 1000);
    assert.equal(hub.queues.isLocked('d1', token), true);
    hub.clock.advanceSeconds(0.001);
    assert.equal(hub.queues.isLocked('d1', token), false);
    expectHubError(() => hub.queues.complete('d1', token), 412, 'DeviceMessageLockLost');
    assert.equal(hub.queues.pendingCount('d1'), 1, 'the message stays');
  });

  void it('tells one locked message from the others, and knows no lock of a device without messages', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'a' }));
    hub.queues.enqueue(hub.message({ id: 'b' }));
    const token = hub.lockNext();
    assert.equal(hub.queues.isLocked('d1', token), true, 'b is not locked, a is');
    assert.equal(hub.queues.isLocked('nobody', token), false);
    expectHubError(() => hub.queues.complete('nobody', token), 412, 'DeviceMessageLockLost');
  });

  void it('unlocks a message behind one that is not locked', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'a' }));
    hub.queues.enqueue(hub.message({ id: 'b' }));
    const first = hub.lockNext();
    const second = hub.lockNext();
    hub.queues.abandon('d1', first);
    hub.queues.unlock('d1', second);
    assert.equal(hub.queues.isLocked('d1', second), false);
  });

  void it('names its next deadline: a message\'s expiry while unlocked, none when idle', () => {
    const hub = newQueues();
    assert.equal(hub.queues.nextDeadline(), undefined);
    const message = hub.message();
    hub.queues.enqueue(message);
    assert.equal(hub.queues.nextDeadline(), message.expiresAt);
  });

  void it('purges nothing from a device with no messages, and announces nothing', () => {
    const hub = newQueues();
    assert.equal(hub.queues.purge('d1'), 0);
    assert.deepEqual(hub.changes, []);
  });

  void it('announces a purge as the removal of every message, with no feedback even when asked for', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'a', ack: 'full' }));
    hub.queues.enqueue(hub.message({ id: 'b', ack: 'full' }));
    hub.queues.purge('d1');
    assert.deepEqual(hub.changes.at(-1), { type: 'c2d-removed', deviceId: 'd1', entryIds: [0, 1], feedback: [] });
    assert.equal(hub.queues.feedbackCount, 0);
  });

  void it('empties every queue and the feedback when cleared, and says so', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ ack: 'positive' }));
    hub.queues.complete('d1', hub.lockNext());
    hub.queues.enqueue(hub.message({ id: 'waiting' }));
    hub.queues.clear();
    assert.deepEqual([hub.queues.pendingCount('d1'), hub.queues.feedbackCount, hub.queues.nextDeadline()], [0, 0, undefined]);
    assert.deepEqual(hub.changes.at(-1), { type: 'c2d-cleared' });
  });
});

void describe('cloud-to-device feedback bookkeeping', () => {
  void it('gives no feedback for a message sent without a message id', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: null, ack: 'full' }));
    hub.queues.complete('d1', hub.lockNext());
    assert.equal(hub.queues.feedbackCount, 0);
  });

  void it('names no generation when the device went from the registry before its message was settled', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'orphan', ack: 'positive' }));
    const token = hub.lockNext();
    hub.registry.deleteDevice('d1', '*');
    hub.queues.complete('d1', token);
    assert.deepEqual(hub.queues.takeFeedback().map((taken) => [taken.originalMessageId, taken.deviceGenerationId]), [['orphan', '']]);
  });

  void it('takes at most the batch asked for, oldest first, and announces only what it took', () => {
    const hub = newQueues();
    hub.queues.restore({ messages: [], feedback: [record('a'), record('b'), record('c')] });
    assert.deepEqual(hub.queues.takeFeedback(2).map((taken) => taken.originalMessageId), ['a', 'b']);
    assert.deepEqual(hub.queues.takeFeedback(2).map((taken) => taken.originalMessageId), ['c']);
    assert.deepEqual(hub.queues.takeFeedback(), []);
    assert.deepEqual(hub.changes, [{ type: 'feedback-taken', count: 2 }, { type: 'feedback-taken', count: 1 }]);
  });

  void it('puts returned records before the others, announcing them, and nothing for an empty return', () => {
    const hub = newQueues();
    hub.queues.restore({ messages: [], feedback: [record('later')] });
    hub.queues.returnFeedback([]);
    assert.deepEqual(hub.changes, []);
    hub.queues.returnFeedback([record('first')]);
    assert.deepEqual(hub.changes, [{ type: 'feedback-returned', records: [record('first')] }]);
    assert.deepEqual(hub.queues.takeFeedback().map((taken) => taken.originalMessageId), ['first', 'later']);
  });

  void it('restores only into unused queues: not after a restore of feedback alone', () => {
    const hub = newQueues();
    hub.queues.restore({ messages: [], feedback: [record('kept')] });
    assert.throws(() => hub.queues.restore({ messages: [], feedback: [] }), /can only be restored empty/);
    assert.equal(hub.queues.feedbackCount, 1);
  });

  void it('tells which changes put feedback on the queue', () => {
    assert.equal(addsFeedback({ type: 'feedback-returned', records: [] }), true);
    assert.equal(addsFeedback({ type: 'c2d-removed', deviceId: 'd1', entryIds: [1], feedback: [record('a')] }), true);
    assert.equal(addsFeedback({ type: 'c2d-removed', deviceId: 'd1', entryIds: [1], feedback: [] }), false);
    assert.equal(addsFeedback({ type: 'feedback-taken', count: 1 }), false);
  });
});

void describe('cloud-to-device acknowledgement modes (C2D doc, "Message feedback")', () => {
  const STATUSES: FeedbackStatus[] = ['Success', 'Expired', 'DeliveryCountExceeded', 'Rejected', 'Purged'];

  void it('knows the four ack modes', () => {
    assert.deepEqual([...ACK_MODES], ['none', 'positive', 'negative', 'full']);
  });

  void it('asks for feedback per mode: positive on success, negative on dead-lettering, full on both, none never', () => {
    const wanted = (ack: AckMode) => STATUSES.filter((status) => wantsFeedback(ack, status));
    assert.deepEqual(wanted('none'), []);
    assert.deepEqual(wanted('positive'), ['Success']);
    assert.deepEqual(wanted('negative'), ['Expired', 'DeliveryCountExceeded', 'Rejected']);
    assert.deepEqual(wanted('full'), STATUSES);
  });

  void it('describes each outcome as the feedback body does', () => {
    assert.deepEqual(STATUSES.map(describeFeedback), ['Success', 'Message Expired', 'Max Delivery Count Exceeded', 'Message Rejected', 'Message Purged']);
  });
});
