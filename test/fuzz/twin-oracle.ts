/**
 * An oracle for twin writes, written from the hub's documentation and not from the emulator's
 * validator (emulator/state/twin-rules.ts), so that a rule the emulator stops enforcing is caught:
 * - "Understand and use device twins", Tags and properties format: keys are UTF-8, case-sensitive, at
 *   most 1 KB, without Unicode control characters (C0, C1), '.', '$' or space; values are booleans,
 *   numbers, strings, objects or arrays (null in a patch deletes); strings at most 4 KB; integers from
 *   -4503599627370496 to 4503599627370495; the twin's properties at most 10 levels deep (the docs'
 *   valid example nests ten objects below `tags`; an array counts as a level);
 * - Device twin size: tags 8 KB, desired 32 KB, reported 32 KB, counting each key and value as UTF-8
 *   without control characters, numbers 8 bytes, booleans 4, objects by their contents;
 * - the service's PATCH body is a Twin (swagger `Twin`): `tags` and `properties.desired` are written,
 *   read-only fields a back end sends back unchanged are ignored, reported properties are the device's.
 * Returns the reason a write must be refused, or undefined when it must be accepted.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonMap = Record<string, Json>;

const MAX_LEVELS = 10;
const MAX_KEY_BYTES = 1024;
const MAX_STRING_BYTES = 4096;
const INTEGER_RANGE = [-(2 ** 52), 2 ** 52 - 1] as const;
const SECTION_BYTES = { tags: 8 * 1024, desired: 32 * 1024, reported: 32 * 1024 } as const;
export type Section = keyof typeof SECTION_BYTES;

/** The swagger `Twin` definition's fields, and `modelId`, which the hub's twin carries too. */
const TWIN_FIELDS = new Set([
  'deviceId', 'moduleId', 'tags', 'properties', 'etag', 'version', 'deviceEtag', 'status', 'statusReason', 'statusUpdateTime',
  'connectionState', 'lastActivityTime', 'cloudToDeviceMessageCount', 'authenticationType', 'x509Thumbprint', 'capabilities',
  'deviceScope', 'parentScopes', 'modelId',
]);

const CONTROL = /\p{Cc}/u;
const CONTROLS = /\p{Cc}/gu;
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

export function isMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyProblem(key: string): string | undefined {
  if (key === '') return 'an empty key';
  if (CONTROL.test(key) || key.includes('.') || key.includes('$') || key.includes(' ')) return `a forbidden character in key ${JSON.stringify(key)}`;
  return bytes(key) > MAX_KEY_BYTES ? 'a key over 1 KB' : undefined;
}

/** `level`: how deep this value sits below the section (its own keys are level 1). */
function valueProblem(value: Json, level: number): string | undefined {
  if (typeof value === 'string') return bytes(value) > MAX_STRING_BYTES ? 'a string over 4 KB' : undefined;
  if (typeof value === 'number') {
    const outside = Number.isInteger(value) && (value < INTEGER_RANGE[0] || value > INTEGER_RANGE[1]);
    return outside ? `the integer ${value} out of range` : undefined;
  }
  if (value === null || typeof value === 'boolean') return undefined;
  if (level > MAX_LEVELS) return `nesting deeper than ${MAX_LEVELS} levels`;
  if (Array.isArray(value)) return firstOf(value.map((item) => valueProblem(item, level + 1)));
  return firstOf(Object.entries(value).map(([key, item]) => keyProblem(key) ?? valueProblem(item, level + 1)));
}

function firstOf(problems: (string | undefined)[]): string | undefined {
  return problems.find((problem) => problem !== undefined);
}

/** A section patch (or a whole section): a JSON object whose keys and values follow the rules. */
export function sectionProblem(section: Section, patch: unknown): string | undefined {
  if (!isMap(patch)) return `the ${section} patch is not a JSON object`;
  return firstOf(Object.entries(patch).map(([key, value]) => keyProblem(key) ?? valueProblem(value, 1)));
}

function size(value: Json): number {
  if (typeof value === 'string') return bytes(value.replace(CONTROLS, ''));
  if (typeof value === 'number') return 8;
  if (typeof value === 'boolean') return 4;
  if (value === null) return 0;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + size(item), 0);
  return Object.entries(value).reduce((sum, [key, item]) => sum + bytes(key.replace(CONTROLS, '')) + size(item), 0);
}

export function sizeProblem(section: Section, values: JsonMap): string | undefined {
  return size(values) > SECTION_BYTES[section] ? `${section} over ${SECTION_BYTES[section]} bytes` : undefined;
}

/** RFC 7396 merge patch: null deletes, objects merge, anything else replaces. Keys are kept as data (`__proto__` too). */
export function merge(target: JsonMap, patch: JsonMap): JsonMap {
  const result: JsonMap = {};
  for (const [key, value] of Object.entries(target)) define(result, key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isMap(value)) define(result, key, merge(Object.hasOwn(result, key) && isMap(result[key]) ? result[key] : {}, value));
    else define(result, key, value);
  }
  return result;
}

function define(object: JsonMap, key: string, value: Json): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

export interface ServiceTwin {
  readonly tags: JsonMap;
  readonly desired: JsonMap;
}

/** What a service PATCH body must do to a twin: the reason it must be refused, or the twin after it. */
export function servicePatchOutcome(body: string, before: ServiceTwin): { refused: string } | { after: ServiceTwin; changes: boolean } {
  let document: unknown;
  try {
    document = JSON.parse(body) as unknown;
  } catch {
    return { refused: 'the body is not JSON' };
  }
  if (!isMap(document)) return { refused: 'the body is not a JSON object' };
  const unknownField = Object.keys(document).find((key) => !TWIN_FIELDS.has(key));
  if (unknownField !== undefined) return { refused: `the twin has no field ${JSON.stringify(unknownField)}` };
  const { tags, properties } = document;
  if (properties !== undefined && !isMap(properties)) return { refused: 'properties is not an object' };
  const otherSection = Object.keys(properties ?? {}).find((key) => key !== 'desired');
  if (otherSection !== undefined) return { refused: `the service may not write properties.${otherSection}` };
  const desired = properties?.desired;
  const next = { tags: applied('tags', before.tags, tags), desired: applied('desired', before.desired, desired) };
  if (typeof next.tags === 'string') return { refused: next.tags };
  if (typeof next.desired === 'string') return { refused: next.desired };
  return { after: { tags: next.tags, desired: next.desired }, changes: tags !== undefined || desired !== undefined };
}

/** A section after a service patch (undefined leaves it, null clears it), or why the patch must be refused. */
function applied(section: Section, current: JsonMap, patch: Json | undefined): JsonMap | string {
  if (patch === undefined) return current;
  if (patch === null) return {};
  const problem = sectionProblem(section, patch);
  if (problem !== undefined) return problem;
  const after = merge(current, patch as JsonMap);
  return sizeProblem(section, after) ?? after;
}

/** A reported patch as a device publishes it: UTF-8 JSON, an object, within the rules and the size once merged. */
export function reportedPatchProblem(payload: Buffer, reportedBefore: JsonMap): string | undefined {
  let patch: unknown;
  try {
    patch = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as unknown;
  } catch {
    return 'the payload is not UTF-8 JSON';
  }
  return sectionProblem('reported', patch) ?? sizeProblem('reported', merge(reportedBefore, patch as JsonMap));
}
