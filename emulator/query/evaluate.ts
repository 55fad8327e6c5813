import type { Condition, Literal, Operand } from './ast.js';

/**
 * Evaluates a WHERE condition on a twin document with SQL-like three-valued logic: a comparison
 * involving an undefined property, or values of different types, is undefined, and a document is
 * returned only when the whole condition is true. Only primitive values compare.
 */
type Value = Literal | undefined;

function valueAt(document: unknown, segments: readonly string[]): Value {
  let current: unknown = document;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === null || typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') return current;
  return undefined;
}

function isDefined(document: unknown, segments: readonly string[]): boolean {
  let current: unknown = document;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return false;
    current = (current as Record<string, unknown>)[segment];
  }
  return current !== undefined;
}

function operandValue(document: unknown, operand: Operand): Value {
  return operand.kind === 'literal' ? operand.value : valueAt(document, operand.segments);
}

/** Three-valued: `undefined` when a side is missing or the types differ (then NOT does not make it true). */
function compare(operator: string, left: Value, right: Value): boolean | undefined {
  if (left === undefined || right === undefined) return undefined;
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
    default:
      return left >= right;
  }
}

function evaluate(document: unknown, condition: Condition): boolean | undefined {
  switch (condition.kind) {
    case 'and': {
      const left = evaluate(document, condition.left);
      const right = evaluate(document, condition.right);
      if (left === false || right === false) return false;
      return left === undefined || right === undefined ? undefined : true;
    }
    case 'or': {
      const left = evaluate(document, condition.left);
      const right = evaluate(document, condition.right);
      if (left === true || right === true) return true;
      return left === undefined || right === undefined ? undefined : false;
    }
    case 'not': {
      const operand = evaluate(document, condition.operand);
      return operand === undefined ? undefined : !operand;
    }
    case 'defined':
      return isDefined(document, condition.path);
    case 'compare':
      return compare(condition.operator, operandValue(document, condition.left), operandValue(document, condition.right));
  }
}

/** A document is in the result only when the condition is true (not false, not undefined). */
export function matches(document: unknown, condition: Condition | undefined): boolean {
  return condition === undefined || evaluate(document, condition) === true;
}
