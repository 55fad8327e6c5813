import { EventEmitter, once } from 'node:events';
import { EventHubConsumerClient, latestEventPosition } from '@azure/event-hubs';
import rhea, { type Connection } from 'rhea';
import { createHmac } from 'node:crypto';
import { IotHubEmulator, type StartedIotHubEmulator } from '../emulator/index.js';
import { connectWithKey } from '../src/flows/device-connection.js';
import { Message, Registry } from '../src/sdk.js';
import { waitFor, withDeadline } from '../src/wait-for.js';
import { summarize, type LatencySummary } from './stats.js';
import { printTable } from './table.js';

const TIMEOUT_MS = 10_000;
const RETRIES = { maxRetries: 1, retryDelayInMs: 100, timeoutInMs: TIMEOUT_MS } as const;

/** Device telemetry read back through the built-in Event Hub-compatible endpoint, on the embedded emulator. */
export interface EventHubReadFigures {
  /**
   * `sendEvent` called (MQTT, QoS 1) -> the event in the consumer's `processEvents`, one at a time.
   * The SDK holds a batch 20 ms after its first event arrives (partitionReceiver.js qReadIntervalInMs).
   */
  readonly sendToRead: LatencySummary;
  /** The same send -> the transfer at a bare rhea receiver on the device's partition (the emulator's own path). */
  readonly sendToBareReceiver: LatencySummary;
  /** A burst of `burst` events sent back to back (each awaiting its PUBACK): sent and read per second. */
  readonly burst: number;
  readonly eventsPerSecond: number;
  /** A bare AMQP request -> response through the same listener ($cbs put-token, no SDK): the transport's floor. */
  readonly floor: LatencySummary;
  readonly ratioP50: number;
}

/** Counts what the consumer read, and says when it changed. */
class ReadCounter {
  count = 0;
  partitionId = '0';
  readonly attached = new Set<string>();
  readonly changes = new EventEmitter();

  took(events: number, partitionId: string): Promise<void> {
    this.attached.add(partitionId);
    if (events > 0) this.partitionId = partitionId;
    this.count += events;
    this.changes.emit('change');
    return Promise.resolve();
  }

  async reached(count: number, description: string): Promise<void> {
    await waitFor(() => (this.count >= count ? true : undefined), { description, timeoutMs: TIMEOUT_MS, changes: this.changes, seen: () => `${this.count} read` });
  }
}

export async function measureEventHubRead(samples: number, burst = 1_000): Promise<EventHubReadFigures> {
  const emulator = await new IotHubEmulator().withHubName('bench-event-hub').start();
  try {
    const deviceId = 'bench-telemetry';
    const { responseBody } = await Registry.fromConnectionString(emulator.getServiceConnectionString()).create({ deviceId });
    const target = { hostName: emulator.hostName, deviceTransport: 'mqtt' as const, gatewayHostName: emulator.mqttGatewayHostName, ca: emulator.caCertificate };
    const device = await connectWithKey(target, { deviceId, sharedAccessKey: responseBody.authentication?.symmetricKey?.primaryKey ?? '' }, { reconnect: false });
    try {
      const send = (body: string): Promise<unknown> => device.client.sendEvent(new Message(body));
      const { sendToRead, eventsPerSecond, partitionId } = await throughTheSdk(emulator, send, samples, burst);
      const bare = await BareReceiver.open(emulator, partitionId);
      const sendToBareReceiver = await timeEach(samples, (n) => send(`bare ${n}`), (n) => bare.reached(n)).finally(() => bare.close());
      const floor = summarize(await bareRoundTrips(emulator.amqpPort, emulator.caCertificate, emulator.hostName, samples));
      return { sendToRead, sendToBareReceiver, burst, eventsPerSecond, floor, ratioP50: sendToRead.p50 / floor.p50 };
    } finally {
      await device.close();
    }
  } finally {
    await emulator.stop();
  }
}

/** `samples` sends one at a time, then a burst, read by the official consumer from "latest" on every partition. */
async function throughTheSdk(
  emulator: StartedIotHubEmulator,
  send: (body: string) => Promise<unknown>,
  samples: number,
  burst: number,
): Promise<{ sendToRead: LatencySummary; eventsPerSecond: number; partitionId: string }> {
  const consumer = new EventHubConsumerClient('$Default', emulator.getEventHubsConnectionString(), { retryOptions: RETRIES });
  const read = new ReadCounter();
  const subscription = consumer.subscribe({
    processEvents: (events, context) => read.took(events.length, context.partitionId),
    processError: () => Promise.resolve(),
  }, { startPosition: latestEventPosition, maxWaitTimeInSeconds: 0.2, maxBatchSize: 100 });
  try {
    const partitions = await consumer.getPartitionIds();
    await waitFor(() => (read.attached.size === partitions.length ? true : undefined), { description: 'a receiver on every partition', timeoutMs: TIMEOUT_MS, changes: read.changes });
    const sendToRead = await timeEach(samples, (n) => send(`reading ${n}`), (n) => read.reached(n, `event ${n}`));
    const burstStarted = performance.now();
    for (let n = 1; n <= burst; n++) await send(`burst ${n}`);
    await read.reached(samples + burst, `the burst of ${burst}`);
    return { sendToRead, eventsPerSecond: burst / ((performance.now() - burstStarted) / 1000), partitionId: read.partitionId };
  } finally {
    await subscription.close();
    await consumer.close();
  }
}

/** Times `count` rounds of `act` then `until`, one after the other. */
async function timeEach(count: number, act: (n: number) => Promise<unknown>, until: (n: number) => Promise<void>): Promise<LatencySummary> {
  const times: number[] = [];
  for (let n = 1; n <= count; n++) {
    const started = performance.now();
    await act(n);
    await until(n);
    times.push(performance.now() - started);
  }
  return summarize(times);
}

/** A bare rhea receiver on one partition, from "latest", with ample credit, after an Event Hubs put-token. */
class BareReceiver {
  private count = 0;
  private readonly changes = new EventEmitter();
  private constructor(private readonly connection: Connection) {}

  static async open(emulator: StartedIotHubEmulator, partitionId: string): Promise<BareReceiver> {
    const { hostName, amqpPort, caCertificate } = emulator;
    const fields = new Map(emulator.getEventHubsConnectionString().split(';').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]));
    const [endpoint, keyName, key, hub] = ['Endpoint', 'SharedAccessKeyName', 'SharedAccessKey', 'EntityPath'].map((name) => fields.get(name) ?? '');
    const connection = rhea.create_container().connect({ host: '127.0.0.1', port: amqpPort, transport: 'tls', ca: caCertificate, servername: hostName, hostname: hostName, reconnect: false });
    const bare = new BareReceiver(connection);
    await withDeadline(once(connection, 'connection_open'), TIMEOUT_MS, 'the bare AMQP connection to open');
    const replies = connection.open_receiver({ source: { address: '$cbs' } });
    const requests = connection.open_sender({ target: { address: '$cbs' } });
    await withDeadline(once(requests, 'sendable'), TIMEOUT_MS, 'credit on $cbs');
    const audience = `${endpoint ?? ''}${hub ?? ''}`;
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    const sr = encodeURIComponent(audience);
    const signature = createHmac('sha256', Buffer.from(key ?? '', 'utf8')).update(`${sr}\n${expiry}`).digest('base64');
    const token = `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(signature)}&se=${expiry}&skn=${keyName ?? ''}`;
    const reply = once(replies, 'message');
    requests.send({ message_id: 'bench', reply_to: 'cbs', body: token, application_properties: { operation: 'put-token', type: 'servicebus.windows.net:sastoken', name: audience } });
    await withDeadline(reply, TIMEOUT_MS, 'the put-token reply');
    const filter = { 'apache.org:selector-filter:string': rhea.types.wrap_described("amqp.annotation.x-opt-offset > '@latest'", 0x468c00000004) };
    const receiver = connection.open_receiver({ source: { address: `${hub ?? ''}/ConsumerGroups/$Default/Partitions/${partitionId}`, filter }, credit_window: 1000 });
    receiver.on('message', () => {
      bare.count += 1;
      bare.changes.emit('change');
    });
    await withDeadline(once(receiver, 'receiver_open'), TIMEOUT_MS, 'the bare partition receiver to attach');
    return bare;
  }

  async reached(count: number): Promise<void> {
    await waitFor(() => (this.count >= count ? true : undefined), { description: `bare event ${count}`, timeoutMs: TIMEOUT_MS, changes: this.changes });
  }

  close(): void {
    this.connection.close();
  }
}

/** `count` put-token requests from a bare rhea client, each timed to its response (a refusal is as good a round trip). */
export async function bareRoundTrips(port: number, ca: string, hostName: string, count: number): Promise<number[]> {
  const connection: Connection = rhea.create_container().connect({ host: '127.0.0.1', port, transport: 'tls', ca, servername: hostName, hostname: hostName, reconnect: false });
  try {
    await withDeadline(once(connection, 'connection_open'), TIMEOUT_MS, 'the bare AMQP connection to open');
    const replies = connection.open_receiver({ source: { address: '$cbs' } });
    const requests = connection.open_sender({ target: { address: '$cbs' } });
    await withDeadline(once(requests, 'sendable'), TIMEOUT_MS, 'credit on $cbs');
    const times: number[] = [];
    for (let n = 0; n < count; n++) {
      const started = performance.now();
      const reply = once(replies, 'message');
      requests.send({ message_id: `floor-${n}`, reply_to: 'cbs', body: 'not a token', application_properties: { operation: 'put-token', type: 'servicebus.windows.net:sastoken', name: `sb://${hostName}/x` } });
      await withDeadline(reply, TIMEOUT_MS, 'the put-token reply');
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    connection.close();
  }
}

export function printEventHubRead(figures: EventHubReadFigures): void {
  const row = (path: string, summary: LatencySummary): (string | number)[] => [path, summary.count, summary.p50, summary.p90, summary.p99, summary.max];
  printTable('7. Telemetry read from the Event Hub-compatible endpoint (embedded, MQTT device -> @azure/event-hubs consumer)', ['path', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], [
    row('sendEvent -> processEvents, one at a time', figures.sendToRead),
    row('sendEvent -> transfer at a bare AMQP receiver', figures.sendToBareReceiver),
    row('floor: bare AMQP request -> response (same listener)', figures.floor),
    ['ratio to floor (p50): SDK consumer / bare receiver', '', `${figures.ratioP50.toFixed(1)}x / ${(figures.sendToBareReceiver.p50 / figures.floor.p50).toFixed(1)}x`, '', '', ''],
    [`burst of ${figures.burst}: sent and read, events/s`, '', Math.round(figures.eventsPerSecond), '', '', ''],
  ]);
}

/** The section as `npm run bench` runs it: measured, then printed. */
export async function eventHubReadSection(samples: number, progress: (step: string) => void): Promise<EventHubReadFigures> {
  progress('telemetry read from the Event Hub-compatible endpoint (embedded)');
  const figures = await measureEventHubRead(samples);
  printEventHubRead(figures);
  return figures;
}
