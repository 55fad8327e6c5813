import { ChangeFeed } from './change-feed.js';
import type { IdentityRef } from './identity.js';

/** One device-to-cloud message as the hub received it (telemetry, or a module output when `outputName` is set). */
export interface TelemetryMessage {
  readonly deviceId: string;
  readonly moduleId?: string;
  /** `$.on`: the module output the message was sent on (wire notes §2.1, "module output"). */
  readonly outputName?: string;
  readonly body: Buffer;
  /** System properties without their `$.` prefix: mid, cid, uid, to, ct, ce, ifid, exp, ... */
  readonly systemProperties: Readonly<Record<string, string>>;
  readonly applicationProperties: Readonly<Record<string, string>>;
  /** ISO-8601, from the emulator's clock. */
  readonly enqueuedTime: string;
}

export interface TelemetryBufferOptions {
  /** How many messages are kept in all; the oldest go first when it is full. */
  readonly capacity: number;
}

export const DEFAULT_TELEMETRY_CAPACITY = 10_000;

/** What the telemetry buffer announces: a message taken in, or everything forgotten. */
export type TelemetryChange = { readonly type: 'telemetry-enqueued'; readonly message: TelemetryMessage } | { readonly type: 'telemetry-cleared' };

/**
 * A bounded, in-memory record of what devices and modules sent, for tests to read. Pure: no I/O and
 * no clock of its own. Every message taken in is announced on `changes`, so an endpoint that serves
 * telemetry to back ends (as the hub's built-in Event Hub-compatible endpoint does) subscribes there.
 */
export class TelemetryBuffer {
  private messages: TelemetryMessage[] = [];
  private dropped = 0;
  readonly changes = new ChangeFeed<TelemetryChange>();

  constructor(private readonly options: TelemetryBufferOptions = { capacity: DEFAULT_TELEMETRY_CAPACITY }) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) throw new RangeError('The telemetry capacity must be a positive integer.');
  }

  record(message: TelemetryMessage): void {
    this.messages.push(message);
    const excess = this.messages.length - this.options.capacity;
    if (excess > 0) {
      this.messages = this.messages.slice(excess);
      this.dropped += excess;
    }
    this.changes.announce({ type: 'telemetry-enqueued', message });
  }

  /** Messages from one identity (a device's own, not its modules'), oldest first; all of them without a ref. */
  list(identity?: IdentityRef): TelemetryMessage[] {
    if (identity === undefined) return [...this.messages];
    return this.messages.filter((message) => message.deviceId === identity.deviceId && message.moduleId === identity.moduleId);
  }

  /** How many messages were pushed out because the buffer was full. */
  get droppedCount(): number {
    return this.dropped;
  }

  get size(): number {
    return this.messages.length;
  }

  clear(): void {
    this.messages = [];
    this.dropped = 0;
    this.changes.announce({ type: 'telemetry-cleared' });
  }
}
