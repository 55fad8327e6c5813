import type { CloudToDeviceMessage, FeedbackRecord } from './c2d-message.js';

/** A message in a device's queue as it stands: what persistence keeps and a restarted hub puts back. */
export interface QueuedMessageState {
  /** The message's place in the hub's queues: increasing, never reused (the order of a device's queue). */
  readonly entryId: number;
  readonly message: CloudToDeviceMessage;
  /** Explicit abandons so far (C2D doc, "Understand delivery count behavior"). */
  readonly deliveryCount: number;
  /** Set while the message is delivered and unsettled (Invisible); epoch milliseconds. */
  readonly lock: { readonly token: string; readonly until: number } | undefined;
}

/**
 * What the queues announce, one change per state change and none for a refusal:
 * - `c2d-enqueued`: the service sent a message;
 * - `c2d-locked`: a message was handed to the device (Invisible until settled or timed out);
 * - `c2d-available`: messages are visible again (abandoned, lock timed out, the device went away);
 * - `c2d-removed`: messages left the queue (completed, dead-lettered, purged, their device deleted),
 *   with the feedback records that produced, in the same change so that both are kept together;
 * - `feedback-taken` / `feedback-returned`: the feedback sender took records off the front of the
 *   feedback queue, or gave back those it could not deliver (they go back to the front);
 * - `c2d-cleared`: everything forgotten (the control plane's reset).
 */
export type CloudToDeviceChange =
  | { readonly type: 'c2d-enqueued'; readonly deviceId: string; readonly entry: QueuedMessageState }
  | { readonly type: 'c2d-locked'; readonly deviceId: string; readonly entry: QueuedMessageState }
  | { readonly type: 'c2d-available'; readonly deviceId: string; readonly entries: readonly QueuedMessageState[] }
  | { readonly type: 'c2d-removed'; readonly deviceId: string; readonly entryIds: readonly number[]; readonly feedback: readonly FeedbackRecord[] }
  | { readonly type: 'feedback-taken'; readonly count: number }
  | { readonly type: 'feedback-returned'; readonly records: readonly FeedbackRecord[] }
  | { readonly type: 'c2d-cleared' };

/** True when the change put feedback records on the queue (the feedback sender's cue). */
export function addsFeedback(change: CloudToDeviceChange): boolean {
  return change.type === 'feedback-returned' || (change.type === 'c2d-removed' && change.feedback.length > 0);
}

/** What a data directory kept of the queues. */
export interface KeptCloudToDevice {
  readonly messages: readonly QueuedMessageState[];
  /** Oldest first. */
  readonly feedback: readonly FeedbackRecord[];
}
