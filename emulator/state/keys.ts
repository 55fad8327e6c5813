import { hubErrors } from '../errors.js';

/** Produces a new base64 symmetric key; injected so that the state layer does no I/O of its own. */
export type KeyGenerator = () => string;

export interface SymmetricKeys {
  readonly primaryKey: string;
  readonly secondaryKey: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Identity registry docs: SAS keys are base64 strings of 16 to 64 bytes. */
export function assertValidSymmetricKey(key: string, which: string): void {
  const bytes = BASE64.test(key) ? Buffer.from(key, 'base64').length : 0;
  if (bytes < 16 || bytes > 64) {
    throw hubErrors.argumentInvalid(`The ${which} must be a base64 string of 16 to 64 bytes.`);
  }
}

/** Empty (or absent) keys ask the hub to generate them; given keys are kept after validation. */
export function resolveSymmetricKeys(requested: Partial<SymmetricKeys> | undefined, generate: KeyGenerator): SymmetricKeys {
  const primary = requested?.primaryKey ?? '';
  const secondary = requested?.secondaryKey ?? '';
  if (primary !== '') assertValidSymmetricKey(primary, 'primary key');
  if (secondary !== '') assertValidSymmetricKey(secondary, 'secondary key');
  return {
    primaryKey: primary === '' ? generate() : primary,
    secondaryKey: secondary === '' ? generate() : secondary,
  };
}
