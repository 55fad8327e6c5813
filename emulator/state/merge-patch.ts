import { isJsonObject, type JsonObject, type JsonValue } from './json.js';

/**
 * Twin patches merge like JSON Merge Patch (RFC 7396): objects merge key by key, `null` removes a key,
 * any other value replaces what was there. Returns a new object; the input is never mutated, so a
 * refused write (validated after merging) leaves the stored twin untouched.
 */
export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const result: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isJsonObject(value)) {
      const current = result[key];
      result[key] = mergePatch(isJsonObject(current) ? current : {}, value);
    } else {
      result[key] = cloneJson(value);
    }
  }
  return result;
}

export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}
