import type { QueuedMessageState } from '../state/c2d-changes.js';
import { ACK_MODES, type AckMode, type CloudToDeviceMessage, type FeedbackRecord } from '../state/c2d-message.js';
import type { HubEvent } from '../state/event-hub-store.js';
import type { TelemetryMessage } from '../state/telemetry.js';

/**
 * The JSON of the messaging rows (events of the Event Hub-compatible endpoint, C2D messages, feedback
 * records): bodies as base64. Reading checks every field, so that a row this emulator did not write
 * (a corrupted file, another version, a hand edit) is reported with its table and key instead of
 * surfacing later as a wrong answer to a client.
 */
export class UnreadableRowError extends Error {
  constructor(table: string, key: string, reason: string) {
    super(`The data directory's ${table} row ${key} cannot be read: ${reason}. It was not written by this emulator version; ` +
      'move the data directory aside (or delete emulator.sqlite) to start empty.');
  }
}

type Json = Record<string, unknown>;

/** Reads a row's JSON and hands its fields to `read`, which throws a reason string for a bad field. */
export function decodeRow<T>(table: string, key: string, text: string, read: (fields: RowFields) => T): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnreadableRowError(table, key, 'it is not JSON');
  }
  try {
    return read(new RowFields(parsed));
  } catch (error) {
    throw new UnreadableRowError(table, key, error instanceof Error ? error.message : String(error));
  }
}

/** Typed access to a row's fields; a missing or mistyped field throws its name. */
export class RowFields {
  private readonly fields: Json;

  constructor(value: unknown, private readonly path = '') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(path === '' ? 'the row is not an object' : `field ${path.slice(0, -1)} is not an object`);
    this.fields = value as Json;
  }

  string(name: string): string {
    return this.typed(name, 'string') as string;
  }

  number(name: string): number {
    const value = this.typed(name, 'number') as number;
    if (!Number.isFinite(value)) throw new Error(`field ${this.path}${name} is not a finite number`);
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.fields[name] === undefined ? undefined : this.string(name);
  }

  object(name: string): RowFields {
    return new RowFields(this.fields[name], `${this.path}${name}.`);
  }

  /** A flat map of strings (properties). */
  strings(name: string): Record<string, string> {
    const bag = this.object(name);
    return Object.fromEntries(Object.keys(bag.fields).map((key) => [key, bag.string(key)]));
  }

  private typed(name: string, type: 'string' | 'number'): unknown {
    const value = this.fields[name];
    if (typeof value !== type) throw new Error(`field ${this.path}${name} is not a ${type}`);
    return value;
  }
}

export function encodeEvent(event: HubEvent): string {
  const { message, origin, offset, enqueuedTimeMs, sizeBytes } = event;
  return JSON.stringify({ offset, enqueuedTimeMs, sizeBytes, message: { ...message, body: message.body.toString('base64') }, origin });
}

export function decodeEvent(fields: RowFields, position: { partitionId: string; sequenceNumber: number }): HubEvent {
  const origin = fields.object('origin');
  const authenticationType = origin.optionalString('authenticationType');
  if (authenticationType !== undefined && !['sas', 'selfSigned', 'certificateAuthority'].includes(authenticationType)) throw new Error(`unknown authentication type '${authenticationType}'`);
  return {
    ...position,
    offset: fields.string('offset'),
    enqueuedTimeMs: fields.number('enqueuedTimeMs'),
    sizeBytes: fields.number('sizeBytes'),
    message: decodeTelemetry(fields.object('message')),
    origin: { generationId: origin.optionalString('generationId'), authenticationType: authenticationType as HubEvent['origin']['authenticationType'] },
  };
}

function decodeTelemetry(fields: RowFields): TelemetryMessage {
  const moduleId = fields.optionalString('moduleId');
  const outputName = fields.optionalString('outputName');
  return {
    deviceId: fields.string('deviceId'),
    ...(moduleId === undefined ? {} : { moduleId }),
    ...(outputName === undefined ? {} : { outputName }),
    body: Buffer.from(fields.string('body'), 'base64'),
    systemProperties: fields.strings('systemProperties'),
    applicationProperties: fields.strings('applicationProperties'),
    enqueuedTime: fields.string('enqueuedTime'),
  };
}

export function encodeQueuedMessage(state: QueuedMessageState): string {
  return JSON.stringify({ ...state, message: { ...state.message, body: state.message.body.toString('base64') } });
}

export function decodeQueuedMessage(fields: RowFields, entryId: number): QueuedMessageState {
  const message = fields.object('message');
  const ack = message.string('ack');
  if (!ACK_MODES.has(ack)) throw new Error(`unknown ack mode '${ack}'`);
  const decoded: CloudToDeviceMessage = {
    deviceId: message.string('deviceId'),
    messageId: message.optionalString('messageId'),
    correlationId: message.optionalString('correlationId'),
    userId: message.optionalString('userId'),
    contentType: message.optionalString('contentType'),
    contentEncoding: message.optionalString('contentEncoding'),
    ack: ack as AckMode,
    expiresAt: message.number('expiresAt'),
    enqueuedTime: message.string('enqueuedTime'),
    body: Buffer.from(message.string('body'), 'base64'),
    applicationProperties: message.strings('applicationProperties'),
  };
  // The lock is kept for the record only: a restored message is visible again (CloudToDeviceQueues.restore).
  return { entryId, message: decoded, deliveryCount: fields.number('deliveryCount'), lock: undefined };
}

const FEEDBACK_STATUSES: ReadonlySet<string> = new Set(['Success', 'Expired', 'DeliveryCountExceeded', 'Rejected', 'Purged']);

export function decodeFeedback(fields: RowFields): FeedbackRecord {
  const statusCode = fields.string('statusCode');
  if (!FEEDBACK_STATUSES.has(statusCode)) throw new Error(`unknown feedback status '${statusCode}'`);
  return {
    originalMessageId: fields.string('originalMessageId'),
    description: fields.string('description'),
    deviceGenerationId: fields.string('deviceGenerationId'),
    deviceId: fields.string('deviceId'),
    enqueuedTimeUtc: fields.string('enqueuedTimeUtc'),
    statusCode: statusCode as FeedbackRecord['statusCode'],
  };
}
