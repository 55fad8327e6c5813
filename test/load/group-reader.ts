import type { EventEmitter } from 'node:events';
import { earliestEventPosition, EventHubConsumerClient, type PartitionContext, type ReceivedEventData, type Subscription } from '@azure/event-hubs';
import { parseReading } from './telemetry-device.js';

/** One event as a consumer group read it. */
export interface ReadReading {
  readonly n: number;
  readonly partitionId: string;
  readonly sequenceNumber: number;
}

/**
 * A back end reading one consumer group of the Event Hub-compatible endpoint from the earliest
 * event, with the official EventHubConsumerClient (one subscription over every partition), keeping
 * what it read per device in arrival order and the highest sequence number per partition.
 */
export class ConsumerGroupReader {
  readonly byDevice = new Map<string, ReadReading[]>();
  readonly lastSequence = new Map<string, number>();
  readonly unparsed: string[] = [];
  readonly errors: string[] = [];
  readonly client: EventHubConsumerClient;
  private readonly subscription: Subscription;

  constructor(readonly consumerGroup: string, connectionString: string, changes: EventEmitter) {
    // Generous retries: under load a reply may be slow; a retried receive resumes after the last event read.
    this.client = new EventHubConsumerClient(consumerGroup, connectionString, { retryOptions: { maxRetries: 5, retryDelayInMs: 200, timeoutInMs: 30_000 } });
    this.subscription = this.client.subscribe({
      processEvents: (events: ReceivedEventData[], context: PartitionContext): Promise<void> => {
        for (const event of events) this.record(event, context.partitionId);
        if (events.length > 0) changes.emit('change');
        return Promise.resolve();
      },
      processError: (error: Error): Promise<void> => {
        this.errors.push(error.message);
        return Promise.resolve();
      },
    }, { startPosition: earliestEventPosition, maxBatchSize: 500, maxWaitTimeInSeconds: 1 });
  }

  /** True once every partition has been read up to `ends` (partition id -> last enqueued sequence number). */
  hasReadUpTo(ends: ReadonlyMap<string, number>): boolean {
    return [...ends].every(([partitionId, last]) => last < 0 || (this.lastSequence.get(partitionId) ?? -1) >= last);
  }

  async close(): Promise<void> {
    await this.subscription.close();
    await this.client.close();
  }

  private record(event: ReceivedEventData, partitionId: string): void {
    this.lastSequence.set(partitionId, Math.max(this.lastSequence.get(partitionId) ?? -1, event.sequenceNumber));
    const reading = parseReading(event.body);
    const sender: unknown = event.systemProperties?.['iothub-connection-device-id'];
    if (reading === undefined || reading.deviceId !== sender) {
      this.unparsed.push(`${partitionId}/${event.sequenceNumber} from ${String(sender)}`);
      return;
    }
    const list = this.byDevice.get(reading.deviceId) ?? [];
    list.push({ n: reading.n, partitionId, sequenceNumber: event.sequenceNumber });
    this.byDevice.set(reading.deviceId, list);
  }
}

/**
 * The messaging leg's contract for one consumer group and one device: what was read is in strictly
 * increasing reading order (nothing twice, nothing out of order), from one partition, holds every
 * acknowledged reading and nothing that was never sent.
 */
export function checkReadings(group: string, device: { deviceId: string; acknowledged: readonly number[]; unacknowledged: readonly number[] }, read: readonly ReadReading[], problems: string[]): void {
  const name = `${group}/${device.deviceId}`;
  const sent = new Set([...device.acknowledged, ...device.unacknowledged]);
  const got = new Set(read.map((reading) => reading.n));
  read.forEach((reading, index) => {
    const previous = read[index - 1];
    if (previous !== undefined && reading.n <= previous.n) problems.push(`${name}: reading ${reading.n} read after ${previous.n}`);
    if (!sent.has(reading.n)) problems.push(`${name}: reading ${reading.n} was never sent`);
  });
  for (const n of device.acknowledged) if (!got.has(n)) problems.push(`${name}: acknowledged reading ${n} was never read`);
  const partitions = new Set(read.map((reading) => reading.partitionId));
  if (partitions.size > 1) problems.push(`${name}: read from partitions ${[...partitions].join(', ')}`);
}
