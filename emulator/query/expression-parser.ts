import type { ArithmeticOperator, ComparisonOperator, Expression, PropertyPath, Value } from './ast.js';
import { AGGREGATE_FUNCTIONS, builtInFunction } from './functions.js';
import type { TokenStream } from './token-stream.js';

/**
 * Conditions and expressions ("Expressions and conditions"), loosest binding first:
 *   or       := and (OR and)*
 *   and      := not (AND not)*
 *   not      := NOT not | relation
 *   relation := sum [(= | != | <> | < | > | <= | >=) sum | (IN | NIN) array]
 *   sum      := product ((+ | -) product)*
 *   product  := unary ((* | / | %) unary)*
 *   unary    := - unary | primary
 *   primary  := constant | array | '(' or ')' | function '(' [or (',' or)*] ')' | property
 * Array indexing (`a[0]`) is not in the documented grammar and is refused.
 */
const COMPARISONS = new Map<string, ComparisonOperator>([
  ['=', '='], ['!=', '!='], ['<>', '!='], ['<', '<'], ['>', '>'], ['<=', '<='], ['>=', '>='],
]);
const SUMS: readonly ArithmeticOperator[] = ['+', '-'];
const PRODUCTS: readonly ArithmeticOperator[] = ['*', '/', '%'];
const CONSTANT_NAMES = new Map<string, Value>([['TRUE', true], ['FALSE', false], ['NULL', null], ['UNDEFINED', undefined]]);
/** The docs: "The term `group` is currently treated as a special keyword"; write it `[[group]]`. */
const RESERVED_PROPERTY_NAMES = new Set(['GROUP']);

export function parseCondition(stream: TokenStream): Expression {
  let left = parseAnd(stream);
  while (stream.acceptKeyword('OR')) left = { kind: 'or', left, right: parseAnd(stream) };
  return left;
}

function parseAnd(stream: TokenStream): Expression {
  let left = parseNot(stream);
  while (stream.acceptKeyword('AND')) left = { kind: 'and', left, right: parseNot(stream) };
  return left;
}

function parseNot(stream: TokenStream): Expression {
  if (stream.acceptKeyword('NOT')) return { kind: 'not', operand: parseNot(stream) };
  return parseRelation(stream);
}

function parseRelation(stream: TokenStream): Expression {
  const left = parseSum(stream);
  const token = stream.peek();
  const operator = token.kind === 'symbol' ? COMPARISONS.get(token.text) : undefined;
  if (operator !== undefined) {
    stream.next();
    return { kind: 'compare', operator, left, right: parseSum(stream) };
  }
  for (const [keyword, negated] of [['IN', false], ['NIN', true]] as const) {
    if (stream.acceptKeyword(keyword)) return { kind: 'in', negated, operand: left, values: parseArrayConstant(stream, keyword) };
  }
  return left;
}

function parseArithmetic(stream: TokenStream, operators: readonly ArithmeticOperator[], operand: (stream: TokenStream) => Expression): Expression {
  let left = operand(stream);
  for (;;) {
    const operator = operators.find((candidate) => stream.isSymbol(candidate));
    if (operator === undefined) return left;
    stream.next();
    left = { kind: 'arithmetic', operator, left, right: operand(stream) };
  }
}

const parseSum = (stream: TokenStream): Expression => parseArithmetic(stream, SUMS, parseProduct);
const parseProduct = (stream: TokenStream): Expression => parseArithmetic(stream, PRODUCTS, parseUnary);

function parseUnary(stream: TokenStream): Expression {
  if (stream.acceptSymbol('-')) return { kind: 'negate', operand: parseUnary(stream) };
  return parsePrimary(stream);
}

function parsePrimary(stream: TokenStream): Expression {
  const token = stream.peek();
  if (token.kind === 'string' || token.kind === 'number') {
    stream.next();
    return { kind: 'literal', value: token.value };
  }
  if (stream.isSymbol('[')) return { kind: 'array', items: parseArrayConstant(stream, 'an array') };
  if (stream.acceptSymbol('(')) {
    const inner = parseCondition(stream);
    stream.expectSymbol(')');
    return inner;
  }
  if (token.kind !== 'name') throw stream.unexpected('expected a property, a constant or a function');
  if (!token.escaped && CONSTANT_NAMES.has(token.text.toUpperCase())) {
    stream.next();
    return { kind: 'literal', value: CONSTANT_NAMES.get(token.text.toUpperCase()) };
  }
  if (stream.isSymbol('(', 1)) return parseCall(stream);
  return { kind: 'path', path: parsePath(stream) };
}

function parseCall(stream: TokenStream): Expression {
  const token = stream.next();
  const name = token.kind === 'name' ? token.text.toUpperCase() : '';
  if ((AGGREGATE_FUNCTIONS as readonly string[]).includes(name)) throw stream.errorAt(token, `the aggregate ${name} may only be used in SELECT`);
  const builtIn = builtInFunction(name);
  if (builtIn === undefined) throw stream.errorAt(token, `the function ${name} is not part of the query language`);
  stream.expectSymbol('(');
  const args: Expression[] = [];
  if (!stream.isSymbol(')')) {
    do args.push(parseCondition(stream));
    while (stream.acceptSymbol(','));
  }
  stream.expectSymbol(')');
  if (args.length < builtIn.minArgs || args.length > builtIn.maxArgs) {
    throw stream.errorAt(token, `${name} takes ${describeArity(builtIn.minArgs, builtIn.maxArgs)}, not ${args.length}`);
  }
  return { kind: 'call', name, args };
}

function describeArity(min: number, max: number): string {
  if (min === max) return `${min} argument${min === 1 ? '' : 's'}`;
  return max === Number.POSITIVE_INFINITY ? `at least ${min} arguments` : `${min} to ${max} arguments`;
}

/** `name ('.' name)*`, where a name after a dot may be written `[[name]]`. */
export function parsePath(stream: TokenStream): PropertyPath {
  const segments = [parsePathSegment(stream)];
  while (stream.acceptSymbol('.')) segments.push(parsePathSegment(stream));
  if (stream.isSymbol('[')) throw stream.unexpected('array indexing is not part of the query language; expected the end of the property');
  return segments;
}

function parsePathSegment(stream: TokenStream): string {
  const token = stream.peek();
  if (token.kind !== 'name') throw stream.unexpected('expected a property name');
  if (!token.escaped && RESERVED_PROPERTY_NAMES.has(token.text.toUpperCase())) {
    throw stream.errorAt(token, `'${token.text}' is a keyword; write a property of that name as [[${token.text}]]`);
  }
  stream.next();
  return token.text;
}

/** `'[' constant (',' constant)* ']'`: what IN and NIN compare against. */
function parseArrayConstant(stream: TokenStream, owner: string): Value[] {
  if (!stream.acceptSymbol('[')) throw stream.unexpected(`${owner} needs an array constant such as ['a', 'b']`);
  const items = [parseConstant(stream)];
  while (stream.acceptSymbol(',')) items.push(parseConstant(stream));
  stream.expectSymbol(']');
  return items;
}

function parseConstant(stream: TokenStream): Value {
  const negative = stream.acceptSymbol('-');
  const token = stream.next();
  if (token.kind === 'number') return negative ? -token.value : token.value;
  if (!negative && token.kind === 'string') return token.value;
  if (!negative && token.kind === 'name' && !token.escaped && CONSTANT_NAMES.has(token.text.toUpperCase())) {
    return CONSTANT_NAMES.get(token.text.toUpperCase());
  }
  throw stream.errorAt(token, 'an array constant holds only constants (strings, numbers, true, false, null)');
}
