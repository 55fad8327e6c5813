import type { JsonObject } from '../state/json.js';
import type { ComparisonOperator, PropertyPath, Value } from './ast.js';

/**
 * Property lookup and comparison. A name matches the document's key of the same spelling, else one
 * that differs only in case: the docs' projection `SELECT DeviceId, LastActivityTime` answers
 * `deviceId` and `lastActivityTime`. Lookups go through objects only (no array indexing).
 */
export interface Found {
  readonly value: Value;
  /** The document's spelling of the last name, when the property is there. */
  readonly key?: string;
}

function isObject(value: Value): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childKey(object: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
}

export function lookup(document: Value, path: PropertyPath): Found {
  let current: Value = document;
  let key: string | undefined;
  for (const name of path) {
    if (!isObject(current)) return { value: undefined };
    key = childKey(current, name);
    if (key === undefined) return { value: undefined };
    current = current[key];
  }
  return key === undefined ? { value: current } : { value: current, key };
}

export const valueAt = (document: Value, path: PropertyPath): Value => lookup(document, path).value;

const isPrimitive = (value: Value): value is string | number | boolean | null =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * SQL-like three-valued comparison: `undefined` when a side is missing, not a primitive (the docs:
 * "comparisons are supported only between primitive types"), or of another type than the other
 * side. `null` equals only `null` and is not ordered. Strings compare by UTF-16 code units.
 */
export function compareValues(operator: ComparisonOperator, left: Value, right: Value): boolean | undefined {
  if (!isPrimitive(left) || !isPrimitive(right)) return undefined;
  if (left === null || right === null) {
    if (left !== right) return undefined;
    return operator === '=' ? true : operator === '!=' ? false : undefined;
  }
  if (typeof left !== typeof right) return undefined;
  switch (operator) {
    case '=':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '>':
      return left > right;
    case '<=':
      return left <= right;
    case '>=':
      return left >= right;
  }
}

/** Type order for MIN and MAX over mixed values: null, false, true, numbers, strings. */
function typeRank(value: string | number | boolean | null): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return 1;
  return typeof value === 'number' ? 2 : 3;
}

/** Orders primitives (for MIN/MAX); objects, arrays and undefined are left out by the caller. */
export function orderPrimitives(left: string | number | boolean | null, right: string | number | boolean | null): number {
  const byType = typeRank(left) - typeRank(right);
  if (byType !== 0 || left === null || right === null) return byType;
  return left < right ? -1 : left > right ? 1 : 0;
}

export { isPrimitive };
