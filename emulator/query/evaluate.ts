import type { ArithmeticOperator, Expression, Value } from './ast.js';
import { builtInFunction } from './functions.js';
import { compareValues, isPrimitive, valueAt } from './values.js';

/**
 * Evaluates an expression on one document. Conditions use SQL-like three-valued logic: a comparison
 * with a missing property, or between values of different types, is undefined, and so is AND/OR/NOT
 * over anything but booleans; a document is in the result only when the condition is true ("any
 * constant different than Boolean true is considered as false").
 */
export function evaluate(expression: Expression, document: Value): Value {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'path':
      return valueAt(document, expression.path);
    case 'array':
      return expression.items.map((item) => item ?? null);
    case 'call':
      return builtInFunction(expression.name)?.apply(expression.args.map((arg) => evaluate(arg, document)));
    case 'and':
    case 'or':
      return logical(expression.kind, evaluate(expression.left, document), evaluate(expression.right, document));
    case 'not':
      return negation(evaluate(expression.operand, document));
    case 'negate':
      return arithmetic('-', 0, evaluate(expression.operand, document));
    case 'compare':
      return compareValues(expression.operator, evaluate(expression.left, document), evaluate(expression.right, document));
    case 'arithmetic':
      return arithmetic(expression.operator, evaluate(expression.left, document), evaluate(expression.right, document));
    case 'in':
      return membership(evaluate(expression.operand, document), expression.values, expression.negated);
  }
}

function logical(kind: 'and' | 'or', left: Value, right: Value): boolean | undefined {
  const decisive = kind === 'or';
  if (left === decisive || right === decisive) return decisive;
  return typeof left === 'boolean' && typeof right === 'boolean' ? !decisive : undefined;
}

function negation(value: Value): boolean | undefined {
  return typeof value === 'boolean' ? !value : undefined;
}

function arithmetic(operator: ArithmeticOperator, left: Value, right: Value): Value {
  if (typeof left !== 'number' || typeof right !== 'number') return undefined;
  const result = calculate(operator, left, right);
  return Number.isFinite(result) ? result : undefined;
}

function calculate(operator: ArithmeticOperator, left: number, right: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    case '%':
      return left % right;
  }
}

/** `x IN [...]`: true when x equals one of the constants; NIN the opposite; undefined unless x is a primitive. */
function membership(value: Value, constants: readonly Value[], negated: boolean): boolean | undefined {
  if (!isPrimitive(value)) return undefined;
  const found = constants.some((constant) => compareValues('=', value, constant) === true);
  return negated ? !found : found;
}

/** Whether a document belongs in the result: no condition, or one that is true for it. */
export function matches(document: Value, condition: Expression | undefined): boolean {
  return condition === undefined || evaluate(condition, document) === true;
}
