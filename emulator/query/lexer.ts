import { hubErrors } from '../errors.js';

/**
 * Tokens of the IoT Hub query language subset the emulator evaluates ("IoT Hub query language for
 * device and module twins"). Keywords are case-insensitive; string literals use single or double
 * quotes.
 */
export type Token =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'symbol'; readonly text: string }
  | { readonly kind: 'end' };

const SYMBOLS = ['<=', '>=', '!=', '<>', '=', '<', '>', '(', ')', ',', '.', '*', '[', ']'];
const WORD = /^[A-Za-z_$][A-Za-z0-9_$-]*/;
const NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/;

export function unsupportedQuery(reason: string): Error {
  return hubErrors.argumentInvalid(`The emulator cannot evaluate this query (${reason}); see FIDELITY.md, "Queries".`);
}

function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let index = start + 1; index < text.length; index++) {
    const char = text[index];
    if (char === '\\' && index + 1 < text.length) {
      value += text.charAt(index + 1);
      index++;
    } else if (char === quote) {
      return { value, end: index + 1 };
    } else {
      value += char ?? '';
    }
  }
  throw unsupportedQuery(`unterminated string starting at character ${start + 1}`);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const space = /^\s+/.exec(rest);
    if (space) {
      index += space[0].length;
      continue;
    }
    if (rest.startsWith("'") || rest.startsWith('"')) {
      const { value, end } = readString(text, index);
      tokens.push({ kind: 'string', value });
      index = end;
      continue;
    }
    const number = NUMBER.exec(rest);
    const previous = tokens.at(-1);
    const signAllowed = previous === undefined || previous.kind === 'symbol' || previous.kind === 'word';
    if (number && (number[0].startsWith('-') ? signAllowed : true)) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      index += number[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0] });
      index += word[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => rest.startsWith(candidate));
    if (symbol === undefined) throw unsupportedQuery(`unexpected character '${rest[0] ?? ''}' at ${index + 1}`);
    tokens.push({ kind: 'symbol', text: symbol });
    index += symbol.length;
  }
  tokens.push({ kind: 'end' });
  return tokens;
}
