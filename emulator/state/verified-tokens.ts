import { parseSasToken, signedWithOneOf, type SasToken } from './sas.js';

interface Verified {
  readonly token: SasToken;
  /** The key whose HMAC matched: a hit counts only while that key is still one of the policy's. */
  readonly key: string;
}

/**
 * Remembers SAS tokens whose signature has been verified, so that a back end sending the same token
 * on every request (the service SDK renews it hourly) costs one HMAC per token, not one per request:
 * the HMAC and the parse were a fifth of the emulator's own CPU per twin update (docs/benchmarks.md).
 * Only the signature check is remembered; expiry, resource and permission are checked every time.
 * Bounded: the oldest entry goes first, so a flood of distinct tokens cannot grow it.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Verified>();
  private readonly capacity: number;

  constructor(options: { capacity: number }) {
    this.capacity = options.capacity;
  }

  parse(text: string): SasToken | undefined {
    return this.entries.get(text)?.token ?? parseSasToken(text);
  }

  /** True when `token` (parsed from `text`) is signed by one of `keys`. */
  signedWithOneOf(text: string, token: SasToken, keys: readonly string[]): boolean {
    const known = this.entries.get(text);
    if (known !== undefined && known.token === token && keys.includes(known.key)) return true;
    const key = keys.find((candidate) => signedWithOneOf(token, [candidate]));
    if (key === undefined) return false;
    this.remember(text, { token, key });
    return true;
  }

  private remember(text: string, verified: Verified): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(text, verified);
  }
}
