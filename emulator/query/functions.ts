import type { Value } from './ast.js';

/**
 * The functions of "Expressions and conditions" (IoT Hub query language): IS_DEFINED, which the docs
 * give for twin and job queries, and the type-checking, string and math functions they list for
 * route conditions (Microsoft's own service samples also use STARTSWITH in twin queries). A function
 * given arguments of the wrong type answers `undefined`, so a condition on it is not true.
 */
interface BuiltIn {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly apply: (args: readonly Value[]) => Value;
}

const isString = (value: Value): value is string => typeof value === 'string';
const isNumber = (value: Value): value is number => typeof value === 'number';
const isObject = (value: Value): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrimitive = (value: Value): boolean => value === null || ['string', 'number', 'boolean'].includes(typeof value);

const finite = (result: number): Value => (Number.isFinite(result) ? result : undefined);

function typeCheck(test: (value: Value) => boolean): BuiltIn {
  return { minArgs: 1, maxArgs: 1, apply: ([value]) => test(value) };
}

function onStrings(apply: (first: string, second: string) => Value): BuiltIn {
  return { minArgs: 2, maxArgs: 2, apply: ([first, second]) => (isString(first) && isString(second) ? apply(first, second) : undefined) };
}

function onString(apply: (value: string) => Value): BuiltIn {
  return { minArgs: 1, maxArgs: 1, apply: ([value]) => (isString(value) ? apply(value) : undefined) };
}

function onNumber(apply: (value: number) => number): BuiltIn {
  return { minArgs: 1, maxArgs: 1, apply: ([value]) => (isNumber(value) ? finite(apply(value)) : undefined) };
}

function asNumber(value: Value): Value {
  if (isNumber(value)) return value;
  if (!isString(value) || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function substring([text, start, length]: readonly Value[]): Value {
  if (!isString(text) || !isNumber(start) || !Number.isInteger(start) || start < 0) return undefined;
  if (length === undefined) return text.slice(start);
  return isNumber(length) && Number.isInteger(length) && length >= 0 ? text.slice(start, start + length) : undefined;
}

function concat(args: readonly Value[]): Value {
  return args.every(isString) ? args.join('') : undefined;
}

function power([base, exponent]: readonly Value[]): Value {
  return isNumber(base) && isNumber(exponent) ? finite(base ** exponent) : undefined;
}

const BUILT_INS: Record<string, BuiltIn> = {
  IS_DEFINED: typeCheck((value) => value !== undefined),
  IS_ARRAY: typeCheck(Array.isArray),
  IS_BOOL: typeCheck((value) => typeof value === 'boolean'),
  IS_NULL: typeCheck((value) => value === null),
  IS_NUMBER: typeCheck(isNumber),
  IS_OBJECT: typeCheck(isObject),
  IS_PRIMITIVE: typeCheck(isPrimitive),
  IS_STRING: typeCheck(isString),
  AS_NUMBER: { minArgs: 1, maxArgs: 1, apply: ([value]) => asNumber(value) },
  STARTSWITH: onStrings((text, prefix) => text.startsWith(prefix)),
  ENDSWITH: onStrings((text, suffix) => text.endsWith(suffix)),
  CONTAINS: onStrings((text, fragment) => text.includes(fragment)),
  INDEX_OF: onStrings((text, fragment) => text.indexOf(fragment)),
  CONCAT: { minArgs: 2, maxArgs: Number.POSITIVE_INFINITY, apply: concat },
  LENGTH: onString((text) => text.length),
  LOWER: onString((text) => text.toLowerCase()),
  UPPER: onString((text) => text.toUpperCase()),
  SUBSTRING: { minArgs: 2, maxArgs: 3, apply: substring },
  ABS: onNumber(Math.abs),
  EXP: onNumber(Math.exp),
  POWER: { minArgs: 2, maxArgs: 2, apply: power },
  SQUARE: onNumber((value) => value * value),
  CEILING: onNumber(Math.ceil),
  FLOOR: onNumber(Math.floor),
  SIGN: onNumber(Math.sign),
  SQRT: onNumber(Math.sqrt),
};

/** The built-in of that name (case-insensitive), or undefined when the language has none. */
export function builtInFunction(name: string): BuiltIn | undefined {
  return Object.hasOwn(BUILT_INS, name.toUpperCase()) ? BUILT_INS[name.toUpperCase()] : undefined;
}

export const AGGREGATE_FUNCTIONS = ['COUNT', 'SUM', 'AVG', 'MIN', 'MAX'] as const;
