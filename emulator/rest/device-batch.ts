import { hubErrors } from '../errors.js';

/** The batch content type (azure-iot-device-http sendEventBatch; the C# SDK's HTTP batch). */
export const BATCH_CONTENT_TYPE = 'application/vnd.microsoft.iothub.json';

/** One entry of a batch: its bytes and its properties under their header names (`iothub-messageid`, `iothub-app-*`). */
export interface BatchEntry {
  readonly body: Buffer;
  readonly properties: ReadonlyArray<readonly [string, string]>;
}

/**
 * A batch of device-to-cloud messages in one request: a JSON array of `{"body": ..., "base64Encoded":
 * true|false, "properties": {"<header name>": "<value>"}}`, the body base64 unless `base64Encoded` is
 * false (the C# SDK omits it for base64; the Node SDK always sends base64). Anything else, or an
 * empty array, is 400 ArgumentInvalid and nothing of the batch is kept.
 */
export function readBatch(bytes: Buffer): BatchEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    // Not the parser's message: V8 quotes a slice of the body.
    throw hubErrors.argumentInvalid('The batch is not valid UTF-8 JSON.');
  }
  if (!Array.isArray(value) || value.length === 0) throw hubErrors.argumentInvalid('A batch is a non-empty JSON array of messages.');
  return value.map((entry, index) => readEntry(entry, index));
}

function readEntry(entry: unknown, index: number): BatchEntry {
  if (!isObject(entry)) throw hubErrors.argumentInvalid(`Batch message ${index} is not a JSON object.`);
  const { body, base64Encoded, properties } = entry;
  if (typeof body !== 'string') throw hubErrors.argumentInvalid(`Batch message ${index} has no string 'body'.`);
  if (base64Encoded !== undefined && typeof base64Encoded !== 'boolean') throw hubErrors.argumentInvalid(`Batch message ${index}: 'base64Encoded' is not a boolean.`);
  return { body: base64Encoded === false ? Buffer.from(body) : decodeBase64(body, index), properties: readProperties(properties, index) };
}

function readProperties(properties: unknown, index: number): Array<readonly [string, string]> {
  if (properties === undefined) return [];
  if (!isObject(properties)) throw hubErrors.argumentInvalid(`Batch message ${index}: 'properties' is not a JSON object.`);
  return Object.entries(properties).map(([name, value]) => {
    if (typeof value !== 'string') throw hubErrors.argumentInvalid(`Batch message ${index}: property '${name}' is not a string.`);
    return [name, value] as const;
  });
}

/** Strict: Node's decoder skips characters outside the alphabet, which would keep bytes the device never sent. */
function decodeBase64(text: string, index: number): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw hubErrors.argumentInvalid(`Batch message ${index}: 'body' is not base64.`);
  return Buffer.from(text, 'base64');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
