import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { amqpTypes, rheaContainers, type Connection, type EventContext, type Message, type Receiver, type Sender } from '../../emulator/amqp/rhea.js';
import { waitFor, withDeadline } from '../../src/wait-for.js';
import type { HubFixture } from '../mqtt/hub-fixture.js';
import { TIMEOUT_MS } from './event-hub-fixture.js';

/** The selector filter's descriptor (wire notes §5.3: 0x0000468C00000004). */
export const SELECTOR_DESCRIPTOR = 0x468c00000004;
export const selector = (expression: string): Record<string, unknown> => ({ 'apache.org:selector-filter:string': amqpTypes.wrap_described(expression, SELECTOR_DESCRIPTOR) });

/**
 * A bare AMQP client (rhea) on the Event Hub-compatible endpoint, for what the SDK never lets a test
 * control: credit, addresses and filters the SDK would not send, links without a token, and a token
 * that runs out.
 */
export class BareClient {
  readonly changes = new EventEmitter();
  private readonly responses = new Map<string, Message>();
  private management: Sender | undefined;
  private constructor(readonly connection: Connection, private readonly cbs: Sender) {}

  static async open(hub: HubFixture): Promise<BareClient> {
    const connection = rheaContainers.create_container().connect({
      host: '127.0.0.1', port: hub.emulator.amqpPort, transport: 'tls', ca: hub.emulator.caCertificate, servername: hub.emulator.hostName, hostname: hub.emulator.hostName,
      reconnect: false,
    });
    await withDeadline(once(connection, 'connection_open'), TIMEOUT_MS, 'the AMQP connection to open');
    const cbs = connection.open_sender('$cbs');
    const client = new BareClient(connection, cbs);
    const replies = connection.open_receiver({ source: { address: '$cbs' }, target: { address: 'cbs-bare' } });
    replies.on('message', (context: EventContext) => client.answered(context.message));
    await withDeadline(Promise.all([once(cbs, 'sendable'), once(replies, 'receiver_open')]), TIMEOUT_MS, 'the $cbs links to open');
    return client;
  }

  /** A put-token; resolves with the response's status code. */
  async putToken(audience: string, token: string): Promise<number> {
    const messageId = randomUUID();
    this.cbs.send({
      message_id: messageId, reply_to: 'cbs-bare', body: token,
      application_properties: { operation: 'put-token', type: 'servicebus.windows.net:sastoken', name: audience },
    });
    const response = await waitFor(() => this.responses.get(messageId), { description: `the put-token response for ${audience}`, timeoutMs: TIMEOUT_MS, changes: this.changes });
    return Number(response.application_properties?.['status-code']);
  }

  /** A partition receiver with no credit until the test grants it. */
  attach(address: string, filter = selector("amqp.annotation.x-opt-offset > '-1'")): { receiver: Receiver; messages: Message[] } {
    const messages: Message[] = [];
    const receiver = this.connection.open_receiver({ source: { address, filter }, target: { address: 'bare-consumer' }, credit_window: 0, autoaccept: true });
    // A refused link's error is read from `receiver.error` (closedWith); rhea would rethrow it unheard.
    receiver.on('receiver_error', () => undefined);
    receiver.on('message', (context: EventContext) => {
      if (context.message !== undefined) messages.push(context.message);
      this.changes.emit('change');
    });
    return { receiver, messages };
  }

  /** A `$management` request; resolves with the response's status code and error condition. */
  async manage(properties: Record<string, unknown>): Promise<{ status: number; condition: unknown }> {
    if (this.management === undefined) {
      const replies = this.connection.open_receiver({ source: { address: '$management' }, target: { address: 'mgmt-bare' } });
      replies.on('message', (context: EventContext) => this.answered(context.message));
      this.management = this.connection.open_sender({ target: { address: '$management' } });
      await withDeadline(Promise.all([once(this.management, 'sendable'), once(replies, 'receiver_open')]), TIMEOUT_MS, 'the $management links to open');
    }
    const messageId = randomUUID();
    this.management.send({ message_id: messageId, reply_to: 'mgmt-bare', body: Buffer.from('[]'), application_properties: properties });
    const response = await waitFor(() => this.responses.get(messageId), { description: `the $management response to ${JSON.stringify(properties)}`, timeoutMs: TIMEOUT_MS, changes: this.changes });
    return { status: Number(response.application_properties?.['status-code']), condition: response.application_properties?.['error-condition'] };
  }

  close(): void {
    this.connection.close();
  }

  private answered(message: Message | undefined): void {
    if (message?.correlation_id !== undefined) this.responses.set(String(message.correlation_id), message);
    this.changes.emit('change');
  }
}

/** Resolves with the error a link was closed with by the emulator. */
export async function closedWith(link: Receiver): Promise<string | undefined> {
  await withDeadline(once(link, 'receiver_close'), TIMEOUT_MS, 'the emulator to close the link');
  return (link.error as { condition?: string } | undefined)?.condition;
}
