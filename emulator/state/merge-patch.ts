import { isJsonObject, ownValue, setOwn, type JsonObject, type JsonValue } from './json.js';

/**
 * Twin patches merge like JSON Merge Patch (RFC 7396): objects merge key by key, `null` removes a key,
 * any other value replaces what was there. Returns a new object; the input is never mutated, so a
 * refused write (validated after merging) leaves the stored twin untouched. Keys are stored exactly,
 * `__proto__` included (json.ts, setOwn).
 */
export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isJsonObject(value)) {
      const current = ownValue(result, key);
      setOwn(result, key, mergePatch(isJsonObject(current) ? current : {}, value));
    } else {
      setOwn(result, key, cloneJson(value));
    }
  }
  return result;
}

export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

function sameJson(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The merge patch that turns `from` into `to` (RFC 7396 read backwards): removed keys become `null`,
 * changed objects recurse, other changes carry the new value. What a device is told after a
 * replace or a clear, so that it learns which keys went.
 */
export function diffAsMergePatch(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) if (!Object.hasOwn(to, key)) setOwn(patch, key, null);
  for (const [key, value] of Object.entries(to)) {
    const before = ownValue(from, key);
    if (before !== undefined && sameJson(before, value)) continue;
    setOwn(patch, key, isJsonObject(before) && isJsonObject(value) ? diffAsMergePatch(before, value) : cloneJson(value));
  }
  return patch;
}
