/**
 * Cloud-to-device messages as the hub keeps them ("Send cloud-to-device messages from an IoT hub",
 * learn.microsoft.com/azure/iot-hub/iot-hub-devguide-messages-c2d): the message, the feedback it
 * asks for, and the records the hub sends back on the feedback endpoint.
 */

/** `iothub-ack`: which outcomes produce a feedback record (none is the default). */
export type AckMode = 'none' | 'positive' | 'negative' | 'full';

export const ACK_MODES: ReadonlySet<string> = new Set<AckMode>(['none', 'positive', 'negative', 'full']);

export interface CloudToDeviceMessage {
  readonly deviceId: string;
  readonly messageId: string | undefined;
  readonly correlationId: string | undefined;
  readonly userId: string | undefined;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly ack: AckMode;
  /** Epoch milliseconds; the hub's default time to live applies when the sender set none. */
  readonly expiresAt: number;
  readonly enqueuedTime: string;
  readonly body: Buffer;
  readonly applicationProperties: Readonly<Record<string, string>>;
}

/** A message handed to a device: settle it with its lock token. */
export interface LockedMessage {
  readonly message: CloudToDeviceMessage;
  readonly lockToken: string;
  /** The hub's delivery count: explicit abandons so far. */
  readonly deliveryCount: number;
}

/** Feedback `statusCode` values (FeedbackStatusCode in the service SDKs). */
export type FeedbackStatus = 'Success' | 'Expired' | 'DeliveryCountExceeded' | 'Rejected' | 'Purged';

/** One feedback record, shaped as the C2D doc's feedback body shows it. */
export interface FeedbackRecord {
  readonly originalMessageId: string;
  readonly description: string;
  readonly deviceGenerationId: string;
  readonly deviceId: string;
  readonly enqueuedTimeUtc: string;
  readonly statusCode: FeedbackStatus;
}

const DESCRIPTIONS: Readonly<Record<FeedbackStatus, string>> = {
  Success: 'Success',
  Expired: 'Message Expired',
  DeliveryCountExceeded: 'Max Delivery Count Exceeded',
  Rejected: 'Message Rejected',
  Purged: 'Message Purged',
};

export function describeFeedback(status: FeedbackStatus): string {
  return DESCRIPTIONS[status];
}

/** positive: completed; negative: dead-lettered (rejected, expired, delivery count exceeded); full: both. */
export function wantsFeedback(ack: AckMode, status: FeedbackStatus): boolean {
  if (ack === 'full') return true;
  if (ack === 'positive') return status === 'Success';
  if (ack === 'negative') return status !== 'Success' && status !== 'Purged';
  return false;
}

/** The hub's C2D limits (C2D doc, "Cloud-to-device configuration options"; IoT Hub quotas). */
export const C2D_LIMITS = {
  /** Messages a device's queue holds, locked ones included. */
  maxQueueDepth: 50,
  /** Body bytes of one message. */
  maxMessageBytes: 64 * 1024,
  /** Default time to live (the hub's `defaultTtlAsIso8601`, PT1H) and the largest allowed (P2D). */
  defaultTtlMs: 60 * 60 * 1000,
  maxTtlMs: 2 * 24 * 60 * 60 * 1000,
  /** Explicit abandons before a message is dead-lettered (`maxDeliveryCount`, default 10). */
  maxDeliveryCount: 10,
  /** How long a delivered message stays invisible before it is enqueued again (fixed at 1 minute). */
  lockTimeoutMs: 60 * 1000,
  /** Feedback records per feedback message. */
  maxFeedbackBatch: 64,
} as const;
