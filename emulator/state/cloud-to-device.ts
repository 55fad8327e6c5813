import { hubErrors, messagingErrors } from '../errors.js';
import { ChangeFeed } from './change-feed.js';
import type { CloudToDeviceChange, KeptCloudToDevice, QueuedMessageState } from './c2d-changes.js';
import { C2D_LIMITS, describeFeedback, wantsFeedback, type CloudToDeviceMessage, type FeedbackRecord, type FeedbackStatus, type LockedMessage } from './c2d-message.js';
import type { Clock } from './clock.js';
import type { IdentityRegistry } from './registry.js';

export type { CloudToDeviceChange } from './c2d-changes.js';

type Queued = { -readonly [K in keyof QueuedMessageState]: QueuedMessageState[K] };

/** A copy of a queued message's state for a change (the queue's own entry goes on changing). */
const stateOf = (queued: Queued): QueuedMessageState => ({ ...queued });

export interface CloudToDeviceDependencies {
  readonly clock: Clock;
  readonly registry: IdentityRegistry;
  readonly generateLockToken: () => string;
}

/**
 * The hub's per-device cloud-to-device queues and its feedback queue (C2D doc, "message life
 * cycle"): Enqueued -> Invisible (locked, delivered) -> Completed, or back to Enqueued (abandoned,
 * or the lock timed out), or dead-lettered (rejected, expired, delivery count exceeded), each with
 * the feedback the message's `ack` asks for. Pure: time from the injected clock, no timers; the
 * adapters call `expire()` when `nextDeadline()` comes.
 */
export class CloudToDeviceQueues {
  private readonly queues = new Map<string, Queued[]>();
  private feedback: FeedbackRecord[] = [];
  private nextEntryId = 0;
  readonly changes = new ChangeFeed<CloudToDeviceChange>();

  constructor(private readonly deps: CloudToDeviceDependencies) {}

  /** The service's send: the device must exist, the body fit, and the queue have room (50). */
  enqueue(message: CloudToDeviceMessage): void {
    if (this.deps.registry.findIdentity({ deviceId: message.deviceId }) === undefined) throw hubErrors.deviceNotFound(message.deviceId);
    if (message.body.length > C2D_LIMITS.maxMessageBytes) throw messagingErrors.tooLarge(message.body.length, C2D_LIMITS.maxMessageBytes);
    this.expire();
    const queue = this.queues.get(message.deviceId) ?? [];
    if (queue.length >= C2D_LIMITS.maxQueueDepth) throw messagingErrors.queueFull(message.deviceId, queue.length);
    const queued: Queued = { entryId: this.nextEntryId, message, deliveryCount: 0, lock: undefined };
    this.nextEntryId += 1;
    queue.push(queued);
    this.queues.set(message.deviceId, queue);
    this.changes.announce({ type: 'c2d-enqueued', deviceId: message.deviceId, entry: stateOf(queued) });
  }

  /** Locks the oldest visible message for delivery; undefined when none is waiting. */
  lockNext(deviceId: string): LockedMessage | undefined {
    this.expire();
    const now = this.now();
    // expire() has just unlocked every timed-out lock: a message with a lock is invisible.
    const next = this.queues.get(deviceId)?.find((queued) => queued.lock === undefined);
    if (next === undefined) return undefined;
    next.lock = { token: this.deps.generateLockToken(), until: now + C2D_LIMITS.lockTimeoutMs };
    this.changes.announce({ type: 'c2d-locked', deviceId, entry: stateOf(next) });
    return { message: next.message, lockToken: next.lock.token, deliveryCount: next.deliveryCount };
  }

  complete(deviceId: string, lockToken: string): void {
    this.deadLetterOrRemove(deviceId, this.locked(deviceId, lockToken), 'Success');
  }

  /** A rejected message is dead-lettered; MQTT devices cannot reject (C2D doc). */
  reject(deviceId: string, lockToken: string): void {
    this.deadLetterOrRemove(deviceId, this.locked(deviceId, lockToken), 'Rejected');
  }

  /**
   * Back to the queue. Only explicit abandons count as deliveries (C2D doc, "Understand delivery count
   * behavior": a lock that times out does not); the one that reaches the maximum dead-letters it.
   */
  abandon(deviceId: string, lockToken: string): void {
    const queued = this.locked(deviceId, lockToken);
    queued.deliveryCount += 1;
    if (queued.deliveryCount >= C2D_LIMITS.maxDeliveryCount) {
      this.deadLetterOrRemove(deviceId, queued, 'DeliveryCountExceeded');
      return;
    }
    queued.lock = undefined;
    this.changes.announce({ type: 'c2d-available', deviceId, entries: [stateOf(queued)] });
  }

  /** The device went away before settling: the message is visible again, as when its lock times out. */
  unlock(deviceId: string, lockToken: string): void {
    const queued = this.queues.get(deviceId)?.find((candidate) => candidate.lock?.token === lockToken);
    if (queued === undefined) return;
    queued.lock = undefined;
    this.changes.announce({ type: 'c2d-available', deviceId, entries: [stateOf(queued)] });
  }

  /** True while the message delivered with this token is still locked (unsettled, lock not timed out). */
  isLocked(deviceId: string, lockToken: string): boolean {
    const now = this.now();
    return this.queues.get(deviceId)?.some((queued) => queued.lock?.token === lockToken && queued.lock.until > now) ?? false;
  }

  /** `DELETE /devices/{id}/commands`: every message of the device goes; returns how many. */
  purge(deviceId: string): number {
    if (this.deps.registry.findIdentity({ deviceId }) === undefined) throw hubErrors.deviceNotFound(deviceId);
    return this.removeAll(deviceId);
  }

  /** The device was deleted: its messages go with it, without feedback. */
  dropDevice(deviceId: string): void {
    this.removeAll(deviceId);
  }

  /**
   * Puts back what a data directory kept, before any client connects (unannounced: nothing changed).
   * A lock does not survive: the connection that held it went with the old process, so the message is
   * visible again, as when a device goes away before settling; its delivery count stays. Messages of
   * a device no longer in the registry go, announced, so that they are forgotten for good.
   */
  restore(kept: KeptCloudToDevice): void {
    // Every message ever queued took an entry id, so a used instance has nextEntryId > 0 even once emptied.
    if (this.feedback.length > 0 || this.nextEntryId > 0) throw new Error('The cloud-to-device queues can only be restored empty.');
    const orphans = new Map<string, number[]>();
    for (const state of [...kept.messages].sort((a, b) => a.entryId - b.entryId)) {
      const { deviceId } = state.message;
      this.nextEntryId = Math.max(this.nextEntryId, state.entryId + 1);
      if (this.deps.registry.findIdentity({ deviceId }) === undefined) orphans.set(deviceId, [...(orphans.get(deviceId) ?? []), state.entryId]);
      else this.queues.set(deviceId, [...(this.queues.get(deviceId) ?? []), { ...state, lock: undefined }]);
    }
    this.feedback = [...kept.feedback];
    for (const [deviceId, entryIds] of orphans) this.changes.announce({ type: 'c2d-removed', deviceId, entryIds, feedback: [] });
  }

  /** `cloudToDeviceMessageCount`: messages waiting for the device, locked ones included. */
  pendingCount(deviceId: string): number {
    return this.queues.get(deviceId)?.length ?? 0;
  }

  /** Up to 64 feedback records, oldest first, taken off the feedback queue. */
  takeFeedback(max: number = C2D_LIMITS.maxFeedbackBatch): FeedbackRecord[] {
    const taken = this.feedback.slice(0, max);
    this.feedback = this.feedback.slice(taken.length);
    if (taken.length > 0) this.changes.announce({ type: 'feedback-taken', count: taken.length });
    return taken;
  }

  /** Records taken but not delivered go back to the front of the queue, in their order. */
  returnFeedback(records: readonly FeedbackRecord[]): void {
    if (records.length === 0) return;
    this.feedback = [...records, ...this.feedback];
    this.changes.announce({ type: 'feedback-returned', records });
  }

  get feedbackCount(): number {
    return this.feedback.length;
  }

  /** Dead-letters every expired message, and makes messages whose lock timed out visible again. */
  expire(): void {
    const now = this.now();
    for (const [deviceId, queue] of [...this.queues]) {
      for (const queued of queue.filter((candidate) => candidate.message.expiresAt <= now)) this.deadLetterOrRemove(deviceId, queued, 'Expired');
      const timedOut = queue.filter((candidate) => candidate.lock !== undefined && candidate.lock.until <= now);
      for (const queued of timedOut) queued.lock = undefined;
      if (timedOut.length > 0) this.changes.announce({ type: 'c2d-available', deviceId, entries: timedOut.map(stateOf) });
    }
  }

  /** When `expire()` next has something to do: the earliest expiry or lock timeout; undefined when idle. */
  nextDeadline(): number | undefined {
    const deadlines = [...this.queues.values()].flat().flatMap((queued) => [queued.message.expiresAt, ...(queued.lock === undefined ? [] : [queued.lock.until])]);
    return deadlines.length === 0 ? undefined : Math.min(...deadlines);
  }

  clear(): void {
    this.queues.clear();
    this.feedback = [];
    this.changes.announce({ type: 'c2d-cleared' });
  }

  private locked(deviceId: string, lockToken: string): Queued {
    const now = this.now();
    const queued = this.queues.get(deviceId)?.find((candidate) => candidate.lock?.token === lockToken && candidate.lock.until > now);
    if (queued === undefined) throw messagingErrors.lockLost(deviceId);
    return queued;
  }

  private deadLetterOrRemove(deviceId: string, queued: Queued, status: FeedbackStatus): void {
    const queue = (this.queues.get(deviceId) ?? []).filter((candidate) => candidate !== queued);
    if (queue.length === 0) this.queues.delete(deviceId);
    else this.queues.set(deviceId, queue);
    // A feedback record names its message by id: a message sent without one can have none.
    const { messageId } = queued.message;
    const feedback = wantsFeedback(queued.message.ack, status) && messageId !== undefined ? [this.feedbackRecord(queued.message, messageId, status)] : [];
    this.feedback.push(...feedback);
    this.changes.announce({ type: 'c2d-removed', deviceId, entryIds: [queued.entryId], feedback });
  }

  private removeAll(deviceId: string): number {
    const queue = this.queues.get(deviceId) ?? [];
    this.queues.delete(deviceId);
    if (queue.length > 0) this.changes.announce({ type: 'c2d-removed', deviceId, entryIds: queue.map((queued) => queued.entryId), feedback: [] });
    return queue.length;
  }

  private feedbackRecord(message: CloudToDeviceMessage, originalMessageId: string, statusCode: FeedbackStatus): FeedbackRecord {
    const device = this.deps.registry.findIdentity({ deviceId: message.deviceId });
    return {
      originalMessageId,
      description: describeFeedback(statusCode),
      deviceGenerationId: device?.generationId ?? '',
      deviceId: message.deviceId,
      enqueuedTimeUtc: this.deps.clock.now().toISOString(),
      statusCode,
    };
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }
}
