import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  EventHubConsumerClient,
  type EventPosition,
  type LastEnqueuedEventProperties,
  type PartitionContext,
  type ReceivedEventData,
  type Subscription,
} from '@azure/event-hubs';
import { waitFor, withDeadline } from '../../src/wait-for.js';

export const TIMEOUT_MS = 5_000;

/**
 * Event Hubs retries 3 times with 30 s delays and waits 60 s per try by default (wire notes §7, pitfall
 * 14): tests keep both small, so that a wrong answer fails fast instead of hanging.
 */
export const FAST_RETRIES = { maxRetries: 0, retryDelayInMs: 50, timeoutInMs: TIMEOUT_MS } as const;

/** The official consumer, as a back end creates it from the hub's Event Hub-compatible connection string. */
export function consumerFor(connectionString: string, consumerGroup = '$Default'): EventHubConsumerClient {
  return new EventHubConsumerClient(consumerGroup, connectionString, { retryOptions: FAST_RETRIES });
}

export interface ReadOptions {
  readonly consumerGroup?: string;
  readonly partitionId?: string;
  readonly startPosition?: EventPosition;
  readonly ownerLevel?: number;
  readonly trackLastEnqueuedEventProperties?: boolean;
}

/** An event with the partition it was read from. */
export interface ReadEvent extends ReceivedEventData {
  readonly partitionId: string;
}

/**
 * One `subscribe` of the official consumer, collecting what it reads and the errors it reports.
 * `maxWaitTimeInSeconds` is short, so an empty batch arrives soon after each receiver attached: that
 * is how a test knows a reader at "latest" is in place before anything is sent.
 */
export class EventReader {
  readonly events: ReadEvent[] = [];
  readonly errors: Error[] = [];
  readonly lastEnqueued = new Map<string, LastEnqueuedEventProperties>();
  private readonly batchesByPartition = new Map<string, number>();
  private readonly changes = new EventEmitter();
  private readonly subscription: Subscription;

  /** A client of its own: one client allows one subscriber per partition (the SDK's partition gate). */
  readonly client: EventHubConsumerClient;

  constructor(connectionString: string, options: ReadOptions = {}) {
    const client = consumerFor(connectionString, options.consumerGroup);
    this.client = client;
    const handlers = {
      processEvents: (events: ReceivedEventData[], context: PartitionContext): Promise<void> => {
        this.events.push(...events.map((event) => ({ ...event, partitionId: context.partitionId })));
        this.batchesByPartition.set(context.partitionId, (this.batchesByPartition.get(context.partitionId) ?? 0) + 1);
        // The SDK leaves it undefined unless trackLastEnqueuedEventProperties was asked for.
        const last: unknown = context.lastEnqueuedEventProperties;
        if (typeof last === 'object' && last !== null && (last as LastEnqueuedEventProperties).sequenceNumber !== undefined) this.lastEnqueued.set(context.partitionId, { ...context.lastEnqueuedEventProperties });
        this.changes.emit('change');
        return Promise.resolve();
      },
      processError: (error: Error): Promise<void> => {
        this.errors.push(error);
        this.changes.emit('change');
        return Promise.resolve();
      },
    };
    const subscribeOptions = {
      maxWaitTimeInSeconds: 0.2,
      ...(options.startPosition === undefined ? {} : { startPosition: options.startPosition }),
      ...(options.ownerLevel === undefined ? {} : { ownerLevel: options.ownerLevel }),
      ...(options.trackLastEnqueuedEventProperties === true ? { trackLastEnqueuedEventProperties: true } : {}),
    };
    this.subscription = options.partitionId === undefined
      ? client.subscribe(handlers, subscribeOptions)
      : client.subscribe(options.partitionId, handlers, subscribeOptions);
  }

  /** Resolves once the reader of each partition has been through a batch: its receiver link is attached. */
  async attached(partitionIds: readonly string[]): Promise<void> {
    await waitFor(() => (partitionIds.every((id) => (this.batchesByPartition.get(id) ?? 0) > 0) ? true : undefined), {
      description: `a first batch from partition(s) ${partitionIds.join(', ')} (the receivers attached)`,
      timeoutMs: TIMEOUT_MS,
      changes: this.changes,
      seen: () => `batches ${JSON.stringify([...this.batchesByPartition])}, errors ${this.errors.map((error) => error.message).join('; ')}`,
    });
  }

  /** Waits until `count` events satisfying `test` were read, and returns them. */
  async eventsWhere(test: (event: ReadEvent) => boolean, count: number, description: string): Promise<ReadEvent[]> {
    return waitFor(() => {
      const matching = this.events.filter(test);
      return matching.length >= count ? matching : undefined;
    }, {
      description: `${count} event(s): ${description}`,
      timeoutMs: TIMEOUT_MS,
      changes: this.changes,
      seen: () => `${this.events.length} event(s) ${JSON.stringify(this.events.map((event) => event.body as unknown))}; errors: ${this.errors.map((error) => error.message).join('; ')}`,
    });
  }

  async firstError(description: string): Promise<Error & { code?: string }> {
    return waitFor(() => this.errors[0], { description, timeoutMs: TIMEOUT_MS, changes: this.changes, seen: () => `${this.events.length} event(s), no error` });
  }

  async close(): Promise<void> {
    await withDeadline(this.subscription.close(), TIMEOUT_MS, 'the subscription to close');
    await withDeadline(this.client.close(), TIMEOUT_MS, 'the consumer client to close');
  }
}

/** Event Hubs' own SAS token (core-amqp auth/tokenProvider.js): the HMAC key is the key string's UTF-8 bytes. */
export function eventHubsToken(audience: string, keyName: string, key: string, expirySeconds: number): string {
  const sr = encodeURIComponent(audience);
  const signature = createHmac('sha256', Buffer.from(key, 'utf8')).update(`${sr}\n${expirySeconds}`).digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(signature)}&se=${expirySeconds}&skn=${encodeURIComponent(keyName)}`;
}

/** The fields of an Event Hub-compatible connection string. */
export function parseEventHubsConnectionString(connectionString: string): { endpoint: string; keyName: string; key: string; entityPath: string } {
  const fields = new Map(connectionString.split(';').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]));
  return { endpoint: fields.get('Endpoint') ?? '', keyName: fields.get('SharedAccessKeyName') ?? '', key: fields.get('SharedAccessKey') ?? '', entityPath: fields.get('EntityPath') ?? '' };
}
