export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keys are data: `__proto__`, `constructor` and `prototype` are legal twin property names ("Tags and
 * properties format" forbids only `.`, `$`, spaces, control characters and overlong names). Plain
 * assignment of `__proto__` would call the setter objects inherit and change the object's prototype
 * instead of storing the key, so user keys are written as own data properties (what JSON.parse and
 * object spread do), and read only when they are the object's own.
 */
export function setOwn(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

export function ownValue(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}
