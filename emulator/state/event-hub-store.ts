import { ChangeFeed } from './change-feed.js';
import type { Clock } from './clock.js';
import { PartitionLog, type EventOrigin, type HubEvent, type KeptPartition, type PartitionInfo, type RetentionLimits } from './event-hub-partition.js';
import type { TelemetryMessage } from './telemetry.js';

export type { EventOrigin, HubEvent, KeptPartition, PartitionInfo } from './event-hub-partition.js';

/** The consumer group every Event Hub has ("Features and terminology in Azure Event Hubs"). */
export const DEFAULT_CONSUMER_GROUP = '$Default';

export interface EventHubOptions {
  /** 2 to 128, fixed when the hub is created; a new hub has 4 ("IoT Hub: device-to-cloud partitions"). */
  readonly partitionCount: number;
  /** Consumer groups besides `$Default` (the hub's built-in endpoint allows up to 20 on S1). */
  readonly consumerGroups: readonly string[];
  readonly retention: RetentionLimits;
}

/**
 * The emulator's retention, in memory: a day as on a new hub, but at most 10,000 events and 64 MiB per
 * partition (a real hub keeps far more); the oldest events go first (docs/eventhub-endpoint in README).
 */
export const DEFAULT_EVENT_HUB_OPTIONS: EventHubOptions = {
  partitionCount: 4,
  consumerGroups: [],
  retention: { maxEvents: 10_000, maxBytes: 64 * 1024 * 1024, retentionMs: 24 * 60 * 60 * 1000 },
};

export const PARTITION_COUNT_RANGE = { min: 2, max: 128 } as const;

/** Consumer group names: letters, digits, `.`, `_`, `-`, `$`, 1 to 50 characters (Event Hubs naming rules). */
const CONSUMER_GROUP_NAME = /^[A-Za-z0-9$][A-Za-z0-9._$-]{0,49}$/;

/**
 * What the store announces: an event enqueued in a partition, or the oldest events of one evicted
 * (`beginSequenceNumber` is the oldest one still kept, or the next to come when none is).
 */
export type EventHubChange =
  | { readonly type: 'event-enqueued'; readonly event: HubEvent }
  | { readonly type: 'events-evicted'; readonly partitionId: string; readonly count: number; readonly beginSequenceNumber: number };

/**
 * The hub's built-in Event Hub-compatible endpoint as state ("Read device-to-cloud messages from the
 * built-in endpoint"): every device-to-cloud message lands in one partition, the same one for every
 * message of a device (and of its modules), numbered there in order. Readers keep their own
 * positions; the store only keeps the events, within the retention limits. Pure: the clock is
 * injected, there is no I/O, and every change is announced on `changes`.
 */
export class EventHubStore {
  readonly changes = new ChangeFeed<EventHubChange>();
  readonly createdAtMs: number;
  readonly partitionIds: readonly string[];
  private readonly partitions: ReadonlyMap<string, PartitionLog>;
  private readonly consumerGroupKeys: ReadonlySet<string>;

  constructor(
    readonly options: EventHubOptions,
    private readonly clock: Clock,
  ) {
    assertValidOptions(options);
    this.createdAtMs = clock.now().getTime();
    this.partitionIds = Array.from({ length: options.partitionCount }, (_, index) => String(index));
    this.partitions = new Map(this.partitionIds.map((id) => [id, new PartitionLog(id)]));
    this.consumerGroupKeys = new Set([DEFAULT_CONSUMER_GROUP, ...options.consumerGroups].map((name) => name.toLowerCase()));
  }

  /** `$Default` and the configured groups; names match without regard to case, as in Event Hubs. */
  get consumerGroups(): readonly string[] {
    return [DEFAULT_CONSUMER_GROUP, ...this.options.consumerGroups];
  }

  hasConsumerGroup(name: string): boolean {
    return this.consumerGroupKeys.has(name.toLowerCase());
  }

  hasPartition(partitionId: string): boolean {
    return this.partitions.has(partitionId);
  }

  /** The partition a device's messages (and its modules') go to: a hash of the device id, stable for the hub's life. */
  partitionOf(deviceId: string): string {
    return String(fnv1a(deviceId) % this.options.partitionCount);
  }

  append(message: TelemetryMessage, origin: EventOrigin): HubEvent {
    const log = this.log(this.partitionOf(message.deviceId));
    const event = log.append(message, origin, this.nowMs());
    this.changes.announce({ type: 'event-enqueued', event });
    this.evict(log);
    return event;
  }

  /** The event with this sequence number if it is still kept. */
  eventAt(partitionId: string, sequenceNumber: number): HubEvent | undefined {
    const log = this.log(partitionId);
    this.evict(log);
    return log.at(sequenceNumber);
  }

  /** The sequence number the partition's next event will get (where a reader at "latest" starts). */
  endSequenceNumber(partitionId: string): number {
    return this.log(partitionId).endSequenceNumber;
  }

  beginSequenceNumber(partitionId: string): number {
    const log = this.log(partitionId);
    this.evict(log);
    return log.beginSequenceNumber;
  }

  info(partitionId: string): PartitionInfo {
    const log = this.log(partitionId);
    this.evict(log);
    return log.info();
  }

  /** Every partition's events go (the control plane's reset); numbering carries on, as time-based expiry would leave it. */
  evictAll(): void {
    for (const log of this.partitions.values()) {
      const count = log.evictAll();
      if (count > 0) this.changes.announce({ type: 'events-evicted', partitionId: log.partitionId, count, beginSequenceNumber: log.beginSequenceNumber });
    }
  }

  /**
   * Puts back the partitions a data directory kept, before anyone reads (unannounced: nothing
   * changed). Events past retention by now are evicted, and that eviction is announced.
   */
  restore(partitions: readonly KeptPartition[]): void {
    for (const kept of partitions) this.log(kept.partitionId).restore(kept);
    for (const log of this.partitions.values()) this.evict(log);
  }

  private evict(log: PartitionLog): void {
    const count = log.evict(this.options.retention, this.nowMs());
    if (count > 0) this.changes.announce({ type: 'events-evicted', partitionId: log.partitionId, count, beginSequenceNumber: log.beginSequenceNumber });
  }

  private log(partitionId: string): PartitionLog {
    const log = this.partitions.get(partitionId);
    if (log === undefined) throw new RangeError(`The hub has no partition '${partitionId}'; it has ${this.partitionIds.join(', ')}.`);
    return log;
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }
}

function assertValidOptions(options: EventHubOptions): void {
  const { partitionCount, retention } = options;
  if (!Number.isInteger(partitionCount) || partitionCount < PARTITION_COUNT_RANGE.min || partitionCount > PARTITION_COUNT_RANGE.max) {
    throw new RangeError(`The partition count must be an integer from ${PARTITION_COUNT_RANGE.min} to ${PARTITION_COUNT_RANGE.max}, not ${partitionCount}.`);
  }
  const invalid = options.consumerGroups.filter((name) => !CONSUMER_GROUP_NAME.test(name));
  if (invalid.length > 0) throw new RangeError(`Invalid consumer group name(s): ${invalid.map((name) => JSON.stringify(name)).join(', ')}.`);
  for (const [name, value] of Object.entries(retention)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`The retention limit ${name} must be a positive integer, not ${value}.`);
  }
}

/** 32-bit FNV-1a over the UTF-8 bytes: a stable, well-spread hash for partition assignment. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
