import { EventEmitter } from 'node:events';
import { EventHubConsumerClient, latestEventPosition } from '@azure/event-hubs';
import type { Registry } from 'azure-iothub';
import type { DeviceTwinSession } from '../src/flows/device-twin-session.js';
import { Message } from '../src/sdk.js';
import { waitFor, withDeadline } from '../src/wait-for.js';
import { PatchTracker } from './patch-tracker.js';

const TIMEOUT_MS = 10_000;
const RETRIES = { maxRetries: 1, retryDelayInMs: 100, timeoutInMs: TIMEOUT_MS } as const;

/** Sequential timings of one path (ms each), one operation in flight. */
export type Timed = number[];

/** Runs `sample` and keeps its timings in `into` (nowhere when this is the warm-up). */
export async function timeInto(into: Timed | undefined, sample: () => Promise<number[]>): Promise<void> {
  const times = await sample();
  into?.push(...times);
}

/**
 * `count` desired patches from the back end (azure-iothub `Registry.updateTwin`, If-Match `*`), one
 * at a time, each timed from the call to the device client's `properties.desired` event carrying its
 * token (the SDK's full-document re-emits carry old tokens and are ignored, wire notes P7).
 */
export async function twinPatchSamples(registry: Registry, deviceId: string, tracker: PatchTracker, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < count; n++) {
    const token = tracker.token();
    const arrival = tracker.expect(token);
    const started = performance.now();
    await registry.updateTwin(deviceId, { properties: { desired: { bench: token } } }, '*');
    times.push((await withDeadline(arrival, TIMEOUT_MS, `the desired patch ${token} at ${deviceId}`)) - started);
  }
  return times;
}

/** Feeds each desired patch's token to the tracker as it reaches the device app. */
export function trackDesiredPatches(session: DeviceTwinSession, tracker: PatchTracker): void {
  session.onDesiredPatch(({ patch }) => {
    if (typeof patch.bench === 'number') tracker.arrived(patch.bench, performance.now());
  });
}

/** One telemetry sample: `sendEvent` resolved (the hub accepted it) and the event read by the back end. */
export interface TelemetryTimes {
  readonly accepted: Timed;
  readonly read: Timed;
}

/** `count` events, one at a time, each timed to its acceptance and to its arrival at the back end's reader. */
export async function telemetrySamples(session: DeviceTwinSession, reader: TelemetryReader, count: number, into: TelemetryTimes | undefined): Promise<void> {
  for (let n = 0; n < count; n++) {
    const token = reader.tracker.token();
    const arrival = reader.tracker.expect(token);
    const started = performance.now();
    await session.client.sendEvent(new Message(JSON.stringify({ bench: token })));
    const acceptedAt = performance.now();
    const readAt = await withDeadline(arrival, TIMEOUT_MS, `telemetry ${token} at the back end's reader`);
    into?.accepted.push(acceptedAt - started);
    into?.read.push(readAt - started);
  }
}

/** `burst` events sent back to back (each awaiting its acceptance), until the reader has them all: events/s. */
export async function telemetryBurst(session: DeviceTwinSession, reader: TelemetryReader, burst: number): Promise<number> {
  const arrivals: Promise<number>[] = [];
  const started = performance.now();
  for (let n = 0; n < burst; n++) {
    const token = reader.tracker.token();
    arrivals.push(reader.tracker.expect(token));
    await session.client.sendEvent(new Message(JSON.stringify({ bench: token })));
  }
  const lastRead = Math.max(...(await withDeadline(Promise.all(arrivals), TIMEOUT_MS, `a burst of ${burst} events at the reader`)));
  return burst / ((lastRead - started) / 1000);
}

/** The token an event carries: @azure/event-hubs JSON-parses a data body it can, else hands over the bytes. */
function tokenOf(body: unknown): number | undefined {
  try {
    const parsed: unknown = Buffer.isBuffer(body) || typeof body === 'string' ? JSON.parse(body.toString()) : body;
    const token = (parsed as { bench?: unknown } | null)?.bench;
    return typeof token === 'number' ? token : undefined;
  } catch {
    return undefined; // not a bench event
  }
}

/**
 * The back end reading device telemetry as bench/event-hub-read.ts does: the official
 * EventHubConsumerClient on every partition of the built-in Event Hub-compatible endpoint, from
 * "latest". Note: the SDK holds each batch 20 ms after its first event (partitionReceiver.js
 * qReadIntervalInMs), the same for every transport.
 */
export class TelemetryReader {
  private constructor(
    readonly tracker: PatchTracker,
    private readonly close: () => Promise<void>,
  ) {}

  static async open(eventHubsConnectionString: string): Promise<TelemetryReader> {
    const consumer = new EventHubConsumerClient('$Default', eventHubsConnectionString, { retryOptions: RETRIES });
    const attached = new Set<string>();
    const changes = new EventEmitter();
    const tracker = new PatchTracker();
    const subscription = consumer.subscribe({
      processEvents: (events, context) => {
        attached.add(context.partitionId);
        changes.emit('change');
        for (const event of events) {
          const token = tokenOf(event.body);
          if (token !== undefined) tracker.arrived(token, performance.now());
        }
        return Promise.resolve();
      },
      processError: () => Promise.resolve(),
    }, { startPosition: latestEventPosition, maxWaitTimeInSeconds: 0.2, maxBatchSize: 100 });
    const reader = new TelemetryReader(tracker, async () => {
      await subscription.close();
      await consumer.close();
    });
    const partitions = await consumer.getPartitionIds();
    await waitFor(() => (attached.size === partitions.length ? true : undefined), { description: 'a receiver on every partition', timeoutMs: TIMEOUT_MS, changes });
    return reader;
  }

  async stop(): Promise<void> {
    await this.close();
  }
}
