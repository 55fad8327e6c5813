import { hubErrors } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/**
 * Rules the hub enforces on every twin write (docs: "Understand and use device twins", sections
 * "Tags and properties format" and "Device twin size"):
 * - keys: UTF-8, case-sensitive, at most 1 KB, no control characters (C0, C1), no `.`, `$` or space;
 * - values: boolean, number, string, object or array (null only as "delete" in a patch);
 * - integers between -4503599627370496 and 4503599627370495; strings at most 4 KB;
 * - depth: at most 10 levels of objects below the section itself (the docs' valid example nests
 *   `tags.one...ten.property`); an array counts as a level, so arrays cannot hide nesting;
 * - size of tags 8 KB, of desired 32 KB, of reported 32 KB, computed as the docs say (see twinSize).
 */
export type TwinSectionName = 'tags' | 'desired' | 'reported';

export const TWIN_LIMITS = {
  maxDepth: 10,
  maxKeyBytes: 1024,
  maxStringBytes: 4096,
  minInteger: -4503599627370496,
  maxInteger: 4503599627370495,
  maxSectionBytes: { tags: 8 * 1024, desired: 32 * 1024, reported: 32 * 1024 } as Record<TwinSectionName, number>,
} as const;

 
const FORBIDDEN_KEY_CHARACTERS = /[\u0000-\u001f\u007f-\u009f.$ ]/;

export function assertValidTwinPatch(section: TwinSectionName, patch: unknown): asserts patch is JsonObject {
  if (!isJsonObject(patch)) throw hubErrors.argumentInvalid(`The ${section} patch must be a JSON object.`);
  assertValidObject(section, patch, 0);
}

function assertValidObject(section: TwinSectionName, object: JsonObject, depth: number): void {
  if (depth > TWIN_LIMITS.maxDepth) {
    throw hubErrors.argumentInvalid(`The ${section} object is nested deeper than ${TWIN_LIMITS.maxDepth} levels.`);
  }
  for (const [key, value] of Object.entries(object)) {
    assertValidKey(section, key);
    assertValidValue(section, key, value, depth);
  }
}

function assertValidKey(section: TwinSectionName, key: string): void {
  if (key.length === 0 || FORBIDDEN_KEY_CHARACTERS.test(key)) {
    throw hubErrors.argumentInvalid(
      `Invalid ${section} property name '${key}': names may not be empty or contain '.', '$', spaces or control characters.`,
    );
  }
  if (Buffer.byteLength(key) > TWIN_LIMITS.maxKeyBytes) {
    throw hubErrors.argumentInvalid(`A ${section} property name is longer than ${TWIN_LIMITS.maxKeyBytes} bytes.`);
  }
}

function assertValidValue(section: TwinSectionName, key: string, value: JsonValue, depth: number): void {
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') return assertValidNumber(section, key, value);
  if (typeof value === 'string') {
    if (Buffer.byteLength(value) > TWIN_LIMITS.maxStringBytes) {
      throw hubErrors.argumentInvalid(`The ${section} property '${key}' is longer than ${TWIN_LIMITS.maxStringBytes} bytes.`);
    }
    return;
  }
  if (Array.isArray(value)) {
    // An array is a level of nesting too, so arrays of arrays cannot hide depth.
    if (depth + 1 > TWIN_LIMITS.maxDepth) {
      throw hubErrors.argumentInvalid(`The ${section} object is nested deeper than ${TWIN_LIMITS.maxDepth} levels.`);
    }
    for (const item of value) assertValidValue(section, key, item, depth + 1);
    return;
  }
  assertValidObject(section, value, depth + 1);
}

function assertValidNumber(section: TwinSectionName, key: string, value: number): void {
  if (!Number.isFinite(value)) throw hubErrors.argumentInvalid(`The ${section} property '${key}' is not a finite number.`);
  if (Number.isInteger(value) && (value < TWIN_LIMITS.minInteger || value > TWIN_LIMITS.maxInteger)) {
    throw hubErrors.argumentInvalid(`The ${section} property '${key}' is outside the supported integer range.`);
  }
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

function stringSize(value: string): number {
  return Buffer.byteLength(value.replace(CONTROL_CHARACTERS, ''));
}

function valueSize(value: JsonValue): number {
  if (value === null) return 0;
  if (typeof value === 'string') return stringSize(value);
  if (typeof value === 'number') return 8;
  if (typeof value === 'boolean') return 4;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + valueSize(item), 0);
  return twinSize(value);
}

/**
 * "Device twin size": for each property, the length of its key plus its value; keys and strings
 * as UTF-8 without control characters, numbers 8 bytes, booleans 4, objects the sum of their
 * contents (arrays, which the docs do not cover, the sum of their items).
 */
export function twinSize(values: JsonObject): number {
  let size = 0;
  for (const [key, value] of Object.entries(values)) size += stringSize(key) + valueSize(value);
  return size;
}

/** Checked on the merged result, so that a patch cannot grow a section past its limit. */
export function assertSectionSize(section: TwinSectionName, values: JsonObject): void {
  const size = twinSize(values);
  if (size > TWIN_LIMITS.maxSectionBytes[section]) {
    throw hubErrors.argumentInvalid(
      `The ${section} properties would be ${size} bytes, over the ${TWIN_LIMITS.maxSectionBytes[section]}-byte limit.`,
    );
  }
}
