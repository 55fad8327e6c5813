import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addsFeedback } from '../../emulator/state/c2d-changes.js';
import { C2D_LIMITS, type AckMode, type CloudToDeviceMessage } from '../../emulator/state/c2d-message.js';
import { CloudToDeviceQueues, type CloudToDeviceChange } from '../../emulator/state/cloud-to-device.js';
import { expectHubError, newRegistry } from './fixtures.js';

function newQueues() {
  const fixture = newRegistry();
  fixture.registry.createDevice('d1', undefined);
  let lock = 0;
  const queues = new CloudToDeviceQueues({ clock: fixture.clock, registry: fixture.registry, generateLockToken: () => `lock-${++lock}` });
  const changes: CloudToDeviceChange[] = [];
  queues.changes.subscribe((change) => changes.push(change));
  const message = (init: { id?: string; ack?: AckMode; ttlMs?: number; bytes?: number; deviceId?: string } = {}): CloudToDeviceMessage => ({
    deviceId: init.deviceId ?? 'd1',
    messageId: init.id ?? 'm-1',
    correlationId: undefined,
    userId: undefined,
    contentType: undefined,
    contentEncoding: undefined,
    ack: init.ack ?? 'none',
    expiresAt: fixture.clock.now().getTime() + (init.ttlMs ?? 60_000),
    enqueuedTime: fixture.clock.now().toISOString(),
    body: Buffer.alloc(init.bytes ?? 5, 'x'),
    applicationProperties: {},
  });
  return { ...fixture, queues, changes, message };
}

void describe('cloud-to-device queues (C2D doc, message life cycle)', () => {
  void it('queues per device, delivers the oldest first, and completing removes it with Success feedback when asked', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'a', ack: 'positive' }));
    hub.queues.enqueue(hub.message({ id: 'b' }));
    assert.equal(hub.queues.pendingCount('d1'), 2);
    const first = hub.queues.lockNext('d1');
    assert.ok(first);
    assert.equal(first.message.messageId, 'a');
    assert.equal(hub.queues.lockNext('d1')?.message.messageId, 'b', 'a locked message is invisible');
    assert.equal(hub.queues.lockNext('d1'), undefined);
    hub.queues.complete('d1', first.lockToken);
    assert.equal(hub.queues.pendingCount('d1'), 1);
    const [record] = hub.queues.takeFeedback();
    assert.deepEqual({ ...record, enqueuedTimeUtc: 'now' }, {
      originalMessageId: 'a', description: 'Success', deviceGenerationId: 'gen-1', deviceId: 'd1', enqueuedTimeUtc: 'now', statusCode: 'Success',
    });
    assert.equal(hub.queues.feedbackCount, 0, 'taken feedback is gone');
  });

  void it('refuses an unknown device, a body over 64 KB and a 51st message, changing nothing', () => {
    const hub = newQueues();
    expectHubError(() => hub.queues.enqueue(hub.message({ deviceId: 'ghost' })), 404, 'DeviceNotFound');
    expectHubError(() => hub.queues.enqueue(hub.message({ bytes: C2D_LIMITS.maxMessageBytes + 1 })), 413, 'MessageTooLarge');
    for (let n = 0; n < C2D_LIMITS.maxQueueDepth; n++) hub.queues.enqueue(hub.message({ id: `m${n}` }));
    expectHubError(() => hub.queues.enqueue(hub.message({ id: 'one too many' })), 403, 'DeviceMaximumQueueDepthExceeded');
    assert.equal(hub.queues.pendingCount('d1'), C2D_LIMITS.maxQueueDepth);
    assert.equal(hub.changes.filter((change) => change.type === 'c2d-enqueued').length, C2D_LIMITS.maxQueueDepth);
  });

  void it('dead-letters rejected and expired messages with negative feedback, and a message past the maximum delivery count', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'rejected', ack: 'negative' }));
    hub.queues.reject('d1', hub.queues.lockNext('d1')?.lockToken ?? '');
    hub.queues.enqueue(hub.message({ id: 'expired', ack: 'full', ttlMs: 1_000 }));
    hub.clock.advanceSeconds(1);
    hub.queues.expire();
    hub.queues.enqueue(hub.message({ id: 'abandoned', ack: 'negative' }));
    for (let n = 1; n < C2D_LIMITS.maxDeliveryCount; n++) hub.queues.abandon('d1', hub.queues.lockNext('d1')?.lockToken ?? '');
    assert.equal(hub.queues.pendingCount('d1'), 1, `${C2D_LIMITS.maxDeliveryCount - 1} abandons keep it queued`);
    hub.queues.abandon('d1', hub.queues.lockNext('d1')?.lockToken ?? '');
    assert.equal(hub.queues.pendingCount('d1'), 0);
    assert.deepEqual(hub.queues.takeFeedback().map((record) => [record.originalMessageId, record.statusCode]), [
      ['rejected', 'Rejected'], ['expired', 'Expired'], ['abandoned', 'DeliveryCountExceeded'],
    ]);
  });

  void it('gives no feedback unless asked, and no negative feedback for a positive ack', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'quiet' }));
    hub.queues.enqueue(hub.message({ id: 'positive only', ack: 'positive' }));
    hub.queues.complete('d1', hub.queues.lockNext('d1')?.lockToken ?? '');
    hub.queues.reject('d1', hub.queues.lockNext('d1')?.lockToken ?? '');
    assert.deepEqual(hub.queues.takeFeedback(), []);
    assert.equal(hub.changes.some(addsFeedback), false);
  });

  void it('makes a message visible again when its lock times out, without counting a delivery', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'slow', ttlMs: 10 * 60_000 }));
    const first = hub.queues.lockNext('d1');
    assert.equal(hub.queues.nextDeadline(), hub.clock.now().getTime() + C2D_LIMITS.lockTimeoutMs);
    hub.clock.advanceSeconds(C2D_LIMITS.lockTimeoutMs / 1000);
    hub.queues.expire();
    assert.ok(hub.changes.some((change) => change.type === 'c2d-available'));
    assert.equal(hub.queues.isLocked('d1', first?.lockToken ?? ''), false);
    expectHubError(() => hub.queues.complete('d1', first?.lockToken ?? ''), 412, 'DeviceMessageLockLost');
    const again = hub.queues.lockNext('d1');
    assert.ok(again);
    assert.deepEqual([again.message.messageId, again.deliveryCount], ['slow', 0]);
  });

  void it('makes a message visible again when its device goes away unsettled, as when its lock times out; an unknown lock changes nothing', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'left' }));
    const first = hub.queues.lockNext('d1');
    hub.queues.unlock('d1', 'lock-unknown');
    hub.queues.unlock('nobody', first?.lockToken ?? '');
    assert.equal(hub.queues.isLocked('d1', first?.lockToken ?? ''), true, 'another device or token unlocks nothing');
    assert.equal(hub.changes.at(-1)?.type, 'c2d-locked');
    hub.queues.unlock('d1', first?.lockToken ?? '');
    const available = hub.changes.at(-1);
    assert.ok(available?.type === 'c2d-available');
    assert.deepEqual(available.entries.map((entry) => [entry.message.messageId, entry.deliveryCount, entry.lock]), [['left', 0, undefined]]);
    assert.equal(hub.queues.isLocked('d1', first?.lockToken ?? ''), false);
    const again = hub.queues.lockNext('d1');
    assert.deepEqual([again?.message.messageId, again?.deliveryCount], ['left', 0]);
  });

  void it('purges a device queue, drops a deleted device\'s, and returns feedback that was not delivered', () => {
    const hub = newQueues();
    hub.queues.enqueue(hub.message({ id: 'a', ack: 'full' }));
    hub.queues.enqueue(hub.message({ id: 'b' }));
    assert.equal(hub.queues.purge('d1'), 2);
    assert.equal(hub.queues.pendingCount('d1'), 0);
    expectHubError(() => hub.queues.purge('ghost'), 404, 'DeviceNotFound');
    hub.queues.enqueue(hub.message({ id: 'c', ack: 'full' }));
    hub.queues.complete('d1', hub.queues.lockNext('d1')?.lockToken ?? '');
    const taken = hub.queues.takeFeedback();
    hub.queues.returnFeedback(taken);
    assert.deepEqual(hub.queues.takeFeedback(), taken);
    hub.queues.enqueue(hub.message({ id: 'd' }));
    hub.queues.dropDevice('d1');
    assert.equal(hub.queues.pendingCount('d1'), 0);
  });
});
