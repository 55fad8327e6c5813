import { describeToken, type Token } from './lexer.js';
import { invalidQuery } from './query-errors.js';

/** A cursor over the tokens, for the recursive-descent parsers (clauses and expressions). */
export class TokenStream {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[this.index + offset] ?? this.tokens[this.tokens.length - 1] ?? { kind: 'end', position: 0 };
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  /** A keyword: an unescaped name, compared case-insensitively. */
  isKeyword(keyword: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'name' && !token.escaped && token.text.toUpperCase() === keyword;
  }

  acceptKeyword(keyword: string): boolean {
    if (!this.isKeyword(keyword)) return false;
    this.index++;
    return true;
  }

  expectKeyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) throw this.unexpected(`expected ${keyword}`);
  }

  isSymbol(symbol: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'symbol' && token.text === symbol;
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.index++;
    return true;
  }

  expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) throw this.unexpected(`expected '${symbol}'`);
  }

  /** "expected X, found Y" at the current token. */
  unexpected(expectation: string): Error {
    const token = this.peek();
    return invalidQuery(`${expectation}, found ${describeToken(token)}`, token.position);
  }

  /** An error about the token just read (or the current one). */
  errorAt(token: Token, reason: string): Error {
    return invalidQuery(reason, token.position);
  }
}
