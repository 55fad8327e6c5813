import { EventEmitter } from 'node:events';
import { EventHubConsumerClient, latestEventPosition, type PartitionContext, type ReceivedEventData, type Subscription } from '@azure/event-hubs';
import { waitFor } from '../wait-for.js';

/** A device-to-cloud message as a back end reads it from the hub's built-in endpoint. */
export interface ReadMessage {
  /** The body as text: a JSON body (which the SDK parses) is written back as JSON. */
  readonly body: string;
  readonly deviceId: string;
  readonly moduleId: string | undefined;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly partitionId: string;
  readonly sequenceNumber: number;
}

/**
 * Event Hubs retries 3 times 30 s apart by default (wire notes §7): a back end in a scenario gives
 * up sooner, so that a broken endpoint fails the scenario instead of hanging it.
 */
const RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 500, timeoutInMs: 20_000 } as const;

/**
 * A back end reading device-to-cloud messages with the official Event Hubs consumer, from the hub's
 * Event Hub-compatible connection string (portal: Built-in endpoints), as the IoT Hub quickstarts'
 * `read-d2c-messages` sample does: every partition of the `$Default` consumer group, from "latest".
 */
export class TelemetryReader {
  readonly messages: ReadMessage[] = [];
  readonly errors: Error[] = [];
  private readonly changes = new EventEmitter();
  private readonly partitionsStarted = new Set<string>();
  private subscription: Subscription | undefined;

  private constructor(private readonly client: EventHubConsumerClient) {}

  /** Subscribes and waits until every partition's receiver is in place, so that nothing sent afterwards is missed. */
  static async open(connectionString: string, timeoutMs: number): Promise<TelemetryReader> {
    const reader = new TelemetryReader(new EventHubConsumerClient(EventHubConsumerClient.defaultConsumerGroupName, connectionString, { retryOptions: RETRY_OPTIONS }));
    try {
      const partitionIds = await reader.client.getPartitionIds();
      reader.subscription = reader.client.subscribe(
        { processEvents: (events, context) => reader.read(events, context), processError: (error) => reader.failed(error) },
        // A short wait makes each partition report an (empty) first batch as soon as its receiver is attached.
        { startPosition: latestEventPosition, maxWaitTimeInSeconds: 0.5 },
      );
      await waitFor(() => (partitionIds.every((id) => reader.partitionsStarted.has(id)) ? true : undefined), {
        description: `the back end's receivers on partitions ${partitionIds.join(', ')}`,
        timeoutMs,
        changes: reader.changes,
        seen: () => `receivers on ${[...reader.partitionsStarted].join(', ') || 'none'}; errors: ${reader.errors.map((error) => error.message).join('; ') || 'none'}`,
      });
      return reader;
    } catch (error) {
      await reader.close();
      throw error;
    }
  }

  /** Waits until a message satisfying `test` has been read, and returns every such message read so far. */
  async readWhere(test: (message: ReadMessage) => boolean, description: string, timeoutMs: number): Promise<ReadMessage[]> {
    return waitFor(() => {
      const found = this.messages.filter(test);
      return found.length > 0 ? found : undefined;
    }, {
      description,
      timeoutMs,
      changes: this.changes,
      seen: () => `${this.messages.length} message(s): ${this.messages.map((message) => `${message.deviceId}${message.moduleId === undefined ? '' : `/${message.moduleId}`}: ${message.body}`).join(', ')}`,
    });
  }

  async close(): Promise<void> {
    await this.subscription?.close();
    await this.client.close();
  }

  private read(events: ReceivedEventData[], context: PartitionContext): Promise<void> {
    this.partitionsStarted.add(context.partitionId);
    this.messages.push(...events.map((event) => readMessage(event, context.partitionId)));
    this.changes.emit('change');
    return Promise.resolve();
  }

  private failed(error: Error): Promise<void> {
    this.errors.push(error);
    this.changes.emit('change');
    return Promise.resolve();
  }
}

function readMessage(event: ReceivedEventData, partitionId: string): ReadMessage {
  const system = event.systemProperties ?? {};
  const moduleId: unknown = system['iothub-connection-module-id'];
  return {
    body: bodyText(event.body),
    deviceId: String(system['iothub-connection-device-id']),
    moduleId: typeof moduleId === 'string' ? moduleId : undefined,
    properties: event.properties ?? {},
    partitionId,
    sequenceNumber: event.sequenceNumber,
  };
}

function bodyText(body: unknown): string {
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return typeof body === 'string' ? body : JSON.stringify(body);
}
