import { hubErrors, messagingErrors } from '../errors.js';
import { ChangeFeed } from './change-feed.js';
import { C2D_LIMITS, describeFeedback, wantsFeedback, type CloudToDeviceMessage, type FeedbackRecord, type FeedbackStatus, type LockedMessage } from './c2d-message.js';
import type { Clock } from './clock.js';
import type { IdentityRegistry } from './registry.js';

/** What the queues announce: messages a device may now receive, and feedback the service may now read. */
export type CloudToDeviceChange =
  | { readonly type: 'c2d-enqueued'; readonly deviceId: string }
  | { readonly type: 'c2d-available'; readonly deviceId: string }
  | { readonly type: 'feedback-enqueued' }
  | { readonly type: 'c2d-cleared' };

interface Queued {
  readonly message: CloudToDeviceMessage;
  deliveryCount: number;
  lock: { readonly token: string; readonly until: number } | undefined;
}

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
  readonly changes = new ChangeFeed<CloudToDeviceChange>();

  constructor(private readonly deps: CloudToDeviceDependencies) {}

  /** The service's send: the device must exist, the body fit, and the queue have room (50). */
  enqueue(message: CloudToDeviceMessage): void {
    if (this.deps.registry.findIdentity({ deviceId: message.deviceId }) === undefined) throw hubErrors.deviceNotFound(message.deviceId);
    if (message.body.length > C2D_LIMITS.maxMessageBytes) throw messagingErrors.tooLarge(message.body.length, C2D_LIMITS.maxMessageBytes);
    this.expire();
    const queue = this.queues.get(message.deviceId) ?? [];
    if (queue.length >= C2D_LIMITS.maxQueueDepth) throw messagingErrors.queueFull(message.deviceId, queue.length);
    queue.push({ message, deliveryCount: 0, lock: undefined });
    this.queues.set(message.deviceId, queue);
    this.changes.announce({ type: 'c2d-enqueued', deviceId: message.deviceId });
  }

  /** Locks the oldest visible message for delivery; undefined when none is waiting. */
  lockNext(deviceId: string): LockedMessage | undefined {
    this.expire();
    const now = this.now();
    const next = this.queues.get(deviceId)?.find((queued) => queued.lock === undefined || queued.lock.until <= now);
    if (next === undefined) return undefined;
    next.lock = { token: this.deps.generateLockToken(), until: now + C2D_LIMITS.lockTimeoutMs };
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
    this.changes.announce({ type: 'c2d-available', deviceId });
  }

  /** The device went away before settling: the message is visible again, as when its lock times out. */
  unlock(deviceId: string, lockToken: string): void {
    const queued = this.queues.get(deviceId)?.find((candidate) => candidate.lock?.token === lockToken);
    if (queued === undefined) return;
    queued.lock = undefined;
    this.changes.announce({ type: 'c2d-available', deviceId });
  }

  /** True while the message delivered with this token is still locked (unsettled, lock not timed out). */
  isLocked(deviceId: string, lockToken: string): boolean {
    const now = this.now();
    return this.queues.get(deviceId)?.some((queued) => queued.lock?.token === lockToken && queued.lock.until > now) ?? false;
  }

  /** `DELETE /devices/{id}/commands`: every message of the device goes; returns how many. */
  purge(deviceId: string): number {
    if (this.deps.registry.findIdentity({ deviceId }) === undefined) throw hubErrors.deviceNotFound(deviceId);
    const count = this.queues.get(deviceId)?.length ?? 0;
    this.queues.delete(deviceId);
    return count;
  }

  /** The device was deleted: its messages go with it, unannounced. */
  dropDevice(deviceId: string): void {
    this.queues.delete(deviceId);
  }

  /** `cloudToDeviceMessageCount`: messages waiting for the device, locked ones included. */
  pendingCount(deviceId: string): number {
    return this.queues.get(deviceId)?.length ?? 0;
  }

  /** Up to 64 feedback records, oldest first, taken off the feedback queue. */
  takeFeedback(max: number = C2D_LIMITS.maxFeedbackBatch): FeedbackRecord[] {
    const taken = this.feedback.slice(0, max);
    this.feedback = this.feedback.slice(taken.length);
    return taken;
  }

  /** Records taken but not delivered go back to the front of the queue, in their order. */
  returnFeedback(records: readonly FeedbackRecord[]): void {
    if (records.length === 0) return;
    this.feedback = [...records, ...this.feedback];
    this.changes.announce({ type: 'feedback-enqueued' });
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
      if (timedOut.length > 0) this.changes.announce({ type: 'c2d-available', deviceId });
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
    if (!wantsFeedback(queued.message.ack, status) || queued.message.messageId === undefined) return;
    this.feedback.push(this.feedbackRecord(queued.message, status));
    this.changes.announce({ type: 'feedback-enqueued' });
  }

  private feedbackRecord(message: CloudToDeviceMessage, statusCode: FeedbackStatus): FeedbackRecord {
    const device = this.deps.registry.findIdentity({ deviceId: message.deviceId });
    return {
      originalMessageId: message.messageId ?? '',
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
