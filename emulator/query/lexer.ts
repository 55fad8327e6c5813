import { invalidQuery } from './query-errors.js';

/**
 * Tokens of the IoT Hub query language ("Expressions and conditions"): names, string literals in
 * single or double quotes with the escapes `\'`, `\"`, `\\` and `\uXXXX`, decimal and `0x`
 * hexadecimal numbers, operators and punctuation. Keywords are names; the parser compares them
 * case-insensitively. A property name that is a keyword (the docs' example is `group`) is written
 * `[[group]]` after a dot: that is an `escaped` name, never a keyword.
 */
export type Token = (
  | { readonly kind: 'name'; readonly text: string; readonly escaped: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'symbol'; readonly text: string }
  | { readonly kind: 'end' }
) & { readonly position: number };

const SYMBOLS = ['<=', '>=', '!=', '<>', '=', '<', '>', '(', ')', ',', '.', '*', '[', ']', '+', '-', '/', '%'];
const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*/;
const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;
const HEXADECIMAL = /^0[xX][0-9a-fA-F]+/;
const ESCAPED_NAME = /^\[\[([^\]]+)\]\]/;
const SIMPLE_ESCAPES: Record<string, string> = { "'": "'", '"': '"', '\\': '\\' };

function readEscape(text: string, index: number): { value: string; length: number } {
  const next = text.charAt(index + 1);
  const simple = SIMPLE_ESCAPES[next];
  if (simple !== undefined) return { value: simple, length: 2 };
  const hex = /^u([0-9a-fA-F]{4})/.exec(text.slice(index + 1));
  if (hex?.[1] !== undefined) return { value: String.fromCharCode(parseInt(hex[1], 16)), length: 6 };
  throw invalidQuery(`the escape '\\${next}' is not allowed in a string (only \\', \\", \\\\ and \\uXXXX)`, index);
}

function readString(text: string, start: number): { value: string; end: number } {
  const quote = text.charAt(start);
  let value = '';
  let index = start + 1;
  while (index < text.length) {
    const char = text.charAt(index);
    if (char === quote) return { value, end: index + 1 };
    if (char === '\\') {
      const escape = readEscape(text, index);
      value += escape.value;
      index += escape.length;
    } else {
      value += char;
      index++;
    }
  }
  throw invalidQuery('a string is not terminated', start);
}

type Lexeme = { token: Token; length: number } | undefined;

function readNumber(rest: string, position: number): Lexeme {
  const hex = HEXADECIMAL.exec(rest);
  if (hex) return { token: { kind: 'number', value: parseInt(hex[0].slice(2), 16), position }, length: hex[0].length };
  const decimal = DECIMAL.exec(rest);
  if (decimal) return { token: { kind: 'number', value: Number(decimal[0]), position }, length: decimal[0].length };
  return undefined;
}

function readName(rest: string, position: number, afterDot: boolean): Lexeme {
  const escaped = afterDot ? ESCAPED_NAME.exec(rest) : null;
  if (escaped?.[1] !== undefined) return { token: { kind: 'name', text: escaped[1], escaped: true, position }, length: escaped[0].length };
  const name = NAME.exec(rest);
  if (name) return { token: { kind: 'name', text: name[0], escaped: false, position }, length: name[0].length };
  return undefined;
}

function readSymbol(rest: string, position: number): Lexeme {
  const symbol = SYMBOLS.find((candidate) => rest.startsWith(candidate));
  return symbol === undefined ? undefined : { token: { kind: 'symbol', text: symbol, position }, length: symbol.length };
}

function readToken(text: string, index: number, previous: Token | undefined): Lexeme {
  const rest = text.slice(index);
  const char = rest.charAt(0);
  if (char === "'" || char === '"') {
    const { value, end } = readString(text, index);
    return { token: { kind: 'string', value, position: index }, length: end - index };
  }
  const afterDot = previous?.kind === 'symbol' && previous.text === '.';
  return readName(rest, index, afterDot) ?? readNumber(rest, index) ?? readSymbol(rest, index);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const space = /^\s+/.exec(text.slice(index));
    if (space) {
      index += space[0].length;
      continue;
    }
    const lexeme = readToken(text, index, tokens.at(-1));
    // A lexeme that consumed nothing would make this loop endless: refuse it as the character it stuck on.
    if (lexeme === undefined || lexeme.length === 0) throw invalidQuery(`unexpected character '${text.charAt(index)}'`, index);
    tokens.push(lexeme.token);
    index += lexeme.length;
  }
  tokens.push({ kind: 'end', position: text.length });
  return tokens;
}

export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the query';
    case 'string':
      return `the string '${token.value}'`;
    case 'number':
      return `the number ${token.value}`;
    default:
      return `'${token.text}'`;
  }
}
