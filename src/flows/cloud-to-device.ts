import { EventEmitter } from 'node:events';
import type { Client as ServiceClientType } from 'azure-iothub';
import type { Message as DeviceMessage } from 'azure-iot-device';
import { ServiceAmqpWs, ServiceClient, ServiceMessage } from '../sdk.js';
import { waitFor } from '../wait-for.js';
import type { DeviceSideClient } from './device-client-factory.js';

/** A feedback record as the hub sends it (C2D doc, "Message feedback"). */
export interface FeedbackRecord {
  readonly originalMessageId: string;
  readonly statusCode: string;
  readonly description: string;
  readonly deviceId: string;
  readonly deviceGenerationId: string;
  readonly enqueuedTimeUtc: string;
}

export interface CommandOptions {
  readonly messageId?: string;
  /** `iothub-ack`: none (default), positive, negative or full. */
  readonly ack?: 'none' | 'positive' | 'negative' | 'full';
  /** Epoch milliseconds after which the hub dead-letters the command. */
  readonly expiryTimeUtc?: number;
  readonly properties?: Readonly<Record<string, string>>;
}

/** The feedback receiver's contract (azure-iothub ServiceReceiver): an emitter of feedback messages. */
interface FeedbackMessages {
  on(event: 'message', listener: (message: { data: Buffer; contentType?: string }) => void): unknown;
}

/**
 * A back end sending cloud-to-device commands with the official service `Client` (AMQP, or AMQP over
 * WebSockets), with its feedback receiver collecting every record the hub sends back.
 */
export class CommandSender {
  readonly feedback: FeedbackRecord[] = [];
  readonly feedbackContentTypes: string[] = [];
  private readonly changes = new EventEmitter();

  private constructor(private readonly client: ServiceClientType) {}

  static async open(connectionString: string, transport: 'amqp' | 'amqp-ws' = 'amqp'): Promise<CommandSender> {
    const client = transport === 'amqp' ? ServiceClient.fromConnectionString(connectionString) : ServiceClient.fromConnectionString(connectionString, ServiceAmqpWs);
    const sender = new CommandSender(client);
    await client.open();
    // The typings say responseBody; the promise form resolves with { result, message } (azure-iothub client.js).
    const { result: receiver } = (await client.getFeedbackReceiver()) as unknown as { result: FeedbackMessages };
    receiver.on('message', (message) => {
      sender.feedback.push(...(JSON.parse(message.data.toString('utf8')) as FeedbackRecord[]));
      sender.feedbackContentTypes.push(message.contentType ?? '');
      sender.changes.emit('change');
    });
    return sender;
  }

  async send(deviceId: string, body: string, options: CommandOptions = {}): Promise<void> {
    const message = new ServiceMessage(body);
    if (options.messageId !== undefined) message.messageId = options.messageId;
    if (options.ack !== undefined) message.ack = options.ack;
    if (options.expiryTimeUtc !== undefined) message.expiryTimeUtc = options.expiryTimeUtc;
    for (const [name, value] of Object.entries(options.properties ?? {})) message.properties.add(name, value);
    await this.client.send(deviceId, message);
  }

  async feedbackFor(messageId: string, timeoutMs: number): Promise<FeedbackRecord> {
    return waitFor(() => this.feedback.find((record) => record.originalMessageId === messageId), {
      description: `feedback for command '${messageId}'`,
      timeoutMs,
      changes: this.changes,
      seen: () => JSON.stringify(this.feedback),
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** What a device app does with a command it received (azure-iot-device Client complete / reject / abandon). */
export type CommandSettlement = 'complete' | 'reject' | 'abandon';

/**
 * Every cloud-to-device message a device app received, in order, each settled as the SDK samples do
 * (`complete` by default). Over MQTT the settlement is a no-op (the PUBACK completed it); over AMQP
 * and HTTP it is what tells the hub, and so what the back end's feedback reports.
 */
export class ReceivedCommands {
  readonly messages: DeviceMessage[] = [];
  /** Settlements the hub refused (a lost lock, say), in order. */
  readonly settlementErrors: Error[] = [];
  private readonly changes = new EventEmitter();

  constructor(client: DeviceSideClient, settle: (message: DeviceMessage) => CommandSettlement = () => 'complete') {
    client.on('message', (message: DeviceMessage) => {
      this.messages.push(message);
      this.changes.emit('change');
      // The SDK calls back with null on success, whatever its typings say.
      client[settle(message)](message, (error?: Error | null) => {
        if (error) this.settlementErrors.push(error);
      });
    });
  }

  /** The `count`-th message (1-based), waiting for it up to `timeoutMs`. */
  async nth(count: number, timeoutMs: number): Promise<DeviceMessage> {
    return waitFor(() => this.messages[count - 1], {
      description: `cloud-to-device message #${count}`,
      timeoutMs,
      changes: this.changes,
      seen: () => JSON.stringify(this.messages.map((message) => String(message.data))),
    });
  }
}
