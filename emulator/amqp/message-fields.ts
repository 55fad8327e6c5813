import { amqpMessage, rheaContainers } from './rhea.js';

/** A data section as rhea decodes it (message.js `Section`, typecode 0x75 = amqp:data:binary). */
interface DataSection {
  readonly typecode: number;
  readonly content: unknown;
  readonly multiple?: boolean;
}

const DATA_SECTION = 0x75;

function isDataSection(body: unknown): body is DataSection {
  return typeof body === 'object' && body !== null && (body as { typecode?: unknown }).typecode === DATA_SECTION;
}

/**
 * The bytes of a message body. The SDKs send one data section (wire notes §3.2, §4.3); a string or
 * binary amqp-value is read as its bytes too. Anything else (a map, a list) is not a message body
 * the hub carries: undefined.
 */
export function bodyBytes(body: unknown): Buffer | undefined {
  if (isDataSection(body)) {
    if (Buffer.isBuffer(body.content)) return body.content;
    if (body.multiple === true && Array.isArray(body.content) && body.content.every((part) => Buffer.isBuffer(part))) return Buffer.concat(body.content);
    return undefined;
  }
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return undefined;
}

/** A body the SDKs read as bytes: one data section (wire notes §7, pitfall 4). */
export function dataBody(bytes: Buffer): unknown {
  return amqpMessage.data_section(bytes);
}

/**
 * Message and correlation ids arrive as strings, or as the AMQP uuid type when the SDK saw a
 * UUID-shaped string (wire notes §3.2): both become the same string here (pitfall 6).
 */
export function idString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value) && value.length === 16) return rheaContainers.uuid_to_string(value);
  return undefined;
}

/** absolute-expiry-time and friends: rhea 3 decodes timestamps as Date, rhea 1 as a number of ms. */
export function epochMs(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return undefined;
}

/** Application properties as strings (the hub carries them as such to MQTT devices). */
export function stringProperties(properties: Readonly<Record<string, unknown>> | undefined, omit: ReadonlySet<string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties ?? {})) {
    if (omit.has(name) || value === undefined || value === null) continue;
    result[name] = textOf(value);
  }
  return result;
}

function textOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}
