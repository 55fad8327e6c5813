import type { ComparisonOperator, Condition, Operand, ParsedQuery, QuerySource } from './ast.js';
import { tokenize, unsupportedQuery, type Token } from './lexer.js';

/**
 * Recursive descent over the subset:
 *   query     := SELECT '*' FROM source [WHERE or]
 *   source    := devices | devices.modules
 *   or        := and (OR and)*
 *   and       := unary (AND unary)*
 *   unary     := NOT unary | '(' or ')' | IS_DEFINED '(' path ')' | operand comparison operand
 *   operand   := path | 'string' | number | true | false | null
 * Anything else (projections, TOP, GROUP BY, other functions, jobs) is refused, never guessed.
 */
const OPERATORS = new Map<string, ComparisonOperator>([
  ['=', '='], ['!=', '!='], ['<>', '!='], ['<', '<'], ['>', '>'], ['<=', '<='], ['>=', '>='],
]);

class Parser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): ParsedQuery {
    this.expectWord('SELECT');
    if (!this.acceptSymbol('*')) throw unsupportedQuery(`only SELECT * is emulated, not SELECT ${this.describe()}`);
    this.expectWord('FROM');
    const source = this.source();
    let where: Condition | undefined;
    if (this.acceptWord('WHERE')) where = this.or();
    if (this.peek().kind !== 'end') throw unsupportedQuery(`unexpected ${this.describe()}`);
    return { source, where };
  }

  private source(): QuerySource {
    const path = this.path().join('.').toLowerCase();
    if (path === 'devices' || path === 'devices.modules') return path;
    throw unsupportedQuery(`FROM ${path} is not emulated (only devices and devices.modules)`);
  }

  private or(): Condition {
    let left = this.and();
    while (this.acceptWord('OR')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Condition {
    let left = this.unary();
    while (this.acceptWord('AND')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): Condition {
    if (this.acceptWord('NOT')) return { kind: 'not', operand: this.unary() };
    if (this.acceptSymbol('(')) {
      const inner = this.or();
      this.expectSymbol(')');
      return inner;
    }
    if (this.acceptWord('IS_DEFINED')) {
      this.expectSymbol('(');
      const path = this.path();
      this.expectSymbol(')');
      return { kind: 'defined', path };
    }
    const left = this.operand();
    const token = this.next();
    const operator = token.kind === 'symbol' ? OPERATORS.get(token.text) : undefined;
    if (operator === undefined) throw unsupportedQuery(`expected a comparison (=, !=, <, >, <=, >=), found ${describeToken(token)}`);
    return { kind: 'compare', operator, left, right: this.operand() };
  }

  private operand(): Operand {
    const token = this.peek();
    if (token.kind === 'string' || token.kind === 'number') {
      this.position++;
      return { kind: 'literal', value: token.value };
    }
    if (token.kind === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'true' || lower === 'false' || lower === 'null') {
        this.position++;
        return { kind: 'literal', value: lower === 'null' ? null : lower === 'true' };
      }
      if (this.tokens[this.position + 1]?.kind === 'symbol' && (this.tokens[this.position + 1] as { text: string }).text === '(') {
        throw unsupportedQuery(`the function ${token.text} is not emulated (only IS_DEFINED)`);
      }
      return { kind: 'path', segments: this.path() };
    }
    throw unsupportedQuery(`expected a property or a value, found ${describeToken(token)}`);
  }

  private path(): string[] {
    const segments = [this.word()];
    while (this.acceptSymbol('.')) segments.push(this.word());
    if (this.peek().kind === 'symbol' && (this.peek() as { text: string }).text === '[') throw unsupportedQuery('array indexing is not emulated');
    return segments;
  }

  private word(): string {
    const token = this.next();
    if (token.kind !== 'word') throw unsupportedQuery(`expected a name, found ${describeToken(token)}`);
    return token.text;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? { kind: 'end' };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  private acceptWord(word: string): boolean {
    const token = this.peek();
    if (token.kind !== 'word' || token.text.toUpperCase() !== word) return false;
    this.position++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) throw unsupportedQuery(`expected ${word}, found ${this.describe()}`);
  }

  private acceptSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token.kind !== 'symbol' || token.text !== symbol) return false;
    this.position++;
    return true;
  }

  private expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw unsupportedQuery(`expected '${symbol}', found ${this.describe()}`);
  }

  private describe(): string {
    return describeToken(this.peek());
  }
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the query';
    case 'string':
      return `'${token.value}'`;
    case 'number':
      return String(token.value);
    default:
      return `'${token.text}'`;
  }
}

export function parseQuery(text: string): ParsedQuery {
  return new Parser(tokenize(text)).query();
}
