import type { AuthenticationType } from './identity.js';
import type { TelemetryMessage } from './telemetry.js';

/** Who sent an event, as the hub stamps it (`iothub-connection-auth-*`, "Create and read IoT Hub messages"). */
export interface EventOrigin {
  /** The identity's generation id when the message was taken in; undefined when it was deleted meanwhile. */
  readonly generationId: string | undefined;
  readonly authenticationType: AuthenticationType | undefined;
}

/** One event in a partition of the hub's built-in Event Hub-compatible endpoint. */
export interface HubEvent {
  readonly partitionId: string;
  /** 0, 1, 2... per partition, never reused (Event Hubs `x-opt-sequence-number`). */
  readonly sequenceNumber: number;
  /** Opaque to readers, increasing: the event's byte position in the partition's log (`x-opt-offset`). */
  readonly offset: string;
  readonly enqueuedTimeMs: number;
  /** What the event counts for against the partition's byte cap. */
  readonly sizeBytes: number;
  readonly message: TelemetryMessage;
  readonly origin: EventOrigin;
}

/** What a partition keeps (Event Hubs retention): the newest events within all three limits. */
export interface RetentionLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
  /** Events older than this are gone (the hub's retention period; 1 day on a new hub). */
  readonly retentionMs: number;
}

/** The partition's runtime information (`com.microsoft:partition` READ, wire notes §5.2). */
export interface PartitionInfo {
  readonly partitionId: string;
  readonly beginSequenceNumber: number;
  /** -1 before the first event. */
  readonly lastSequenceNumber: number;
  /** "-1" before the first event. */
  readonly lastOffset: string;
  /** 0 before the first event. */
  readonly lastEnqueuedTimeMs: number;
  readonly isEmpty: boolean;
}

/** A partition as a data directory keeps it: the retained events and where numbering goes on. */
export interface KeptPartition {
  readonly partitionId: string;
  readonly events: readonly HubEvent[];
  readonly nextSequenceNumber: number;
  readonly nextOffset: number;
}

/** A byte count for an event: its body and its properties as text (UTF-8), never less than 1. */
export function eventSize(message: TelemetryMessage): number {
  const properties = [message.systemProperties, message.applicationProperties].flatMap((bag) => Object.entries(bag).map(([name, value]) => name + value));
  return Math.max(1, message.body.length + Buffer.byteLength(properties.join(''), 'utf8'));
}

/**
 * One partition's log: an append-only sequence of events, trimmed from the front by retention.
 * Pure: times are passed in. Sequence numbers stay contiguous over what is kept, so an event is found
 * by arithmetic.
 */
export class PartitionLog {
  private events: HubEvent[] = [];
  /** Index in `events` of the oldest kept event (evicted ones are compacted away in batches). */
  private head = 0;
  private nextSequence = 0;
  private nextOffset = 0;
  private bytes = 0;
  private last: HubEvent | undefined;

  constructor(readonly partitionId: string) {}

  append(message: TelemetryMessage, origin: EventOrigin, nowMs: number): HubEvent {
    const sizeBytes = eventSize(message);
    const event: HubEvent = {
      partitionId: this.partitionId, sequenceNumber: this.nextSequence, offset: String(this.nextOffset), enqueuedTimeMs: nowMs, sizeBytes, message, origin,
    };
    this.events.push(event);
    this.nextSequence += 1;
    this.nextOffset += sizeBytes;
    this.bytes += sizeBytes;
    this.last = event;
    return event;
  }

  /** The sequence number of the oldest event kept (the next one to come when none is kept). */
  get beginSequenceNumber(): number {
    return this.events[this.head]?.sequenceNumber ?? this.nextSequence;
  }

  /** The sequence number the next event will get. */
  get endSequenceNumber(): number {
    return this.nextSequence;
  }

  get size(): number {
    return this.events.length - this.head;
  }

  at(sequenceNumber: number): HubEvent | undefined {
    if (sequenceNumber < this.beginSequenceNumber) return undefined;
    return this.events[this.head + sequenceNumber - this.beginSequenceNumber];
  }

  /** Drops the oldest events beyond the limits; returns how many went. */
  evict(limits: RetentionLimits, nowMs: number): number {
    let evicted = 0;
    for (let oldest = this.events[this.head]; oldest !== undefined; oldest = this.events[this.head]) {
      const tooOld = oldest.enqueuedTimeMs <= nowMs - limits.retentionMs;
      if (!tooOld && this.size <= limits.maxEvents && this.bytes <= limits.maxBytes) break;
      this.bytes -= oldest.sizeBytes;
      this.head += 1;
      evicted += 1;
    }
    // Compact once the evicted prefix is large, so that eviction stays O(1) amortized.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    return evicted;
  }

  /**
   * Puts back what a data directory kept (emulator/persistence): the events still retained, in order,
   * and where numbering goes on, so that a restarted hub never reuses a sequence number or offset.
   */
  restore(kept: KeptPartition): void {
    if (this.nextSequence !== 0 || this.size > 0) throw new Error(`Partition ${this.partitionId} already has events; it can only be restored empty.`);
    kept.events.forEach((event, index) => {
      const expected = (kept.events[0]?.sequenceNumber ?? 0) + index;
      if (event.partitionId !== this.partitionId || event.sequenceNumber !== expected) throw new RangeError(`Kept event ${event.partitionId}/${event.sequenceNumber} breaks partition ${this.partitionId}'s sequence (expected ${expected}).`);
    });
    const last = kept.events.at(-1);
    if (last !== undefined && (kept.nextSequenceNumber !== last.sequenceNumber + 1 || kept.nextOffset < Number(last.offset) + last.sizeBytes)) {
      throw new RangeError(`Partition ${this.partitionId}'s next position (${kept.nextSequenceNumber}, offset ${kept.nextOffset}) is behind its last kept event.`);
    }
    this.events = [...kept.events];
    this.nextSequence = kept.nextSequenceNumber;
    this.nextOffset = kept.nextOffset;
    this.bytes = kept.events.reduce((sum, event) => sum + event.sizeBytes, 0);
    this.last = last;
  }

  /** Forgets every kept event; sequence numbers and offsets carry on (they are never reused). */
  evictAll(): number {
    const evicted = this.size;
    this.events = [];
    this.head = 0;
    this.bytes = 0;
    return evicted;
  }

  info(): PartitionInfo {
    return {
      partitionId: this.partitionId,
      beginSequenceNumber: this.beginSequenceNumber,
      lastSequenceNumber: this.last?.sequenceNumber ?? -1,
      lastOffset: this.last?.offset ?? '-1',
      lastEnqueuedTimeMs: this.last?.enqueuedTimeMs ?? 0,
      isEmpty: this.size === 0,
    };
  }
}
