import type { IdentityRef } from '../state/identity.js';

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

/**
 * A bounded, in-memory record of what devices and modules sent, for tests to read. Pure: no I/O and
 * no clock of its own. The hub routes telemetry to Event Hubs; the emulator only keeps it here.
 */
export class TelemetryBuffer {
  private messages: TelemetryMessage[] = [];
  private dropped = 0;

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
  }
}
