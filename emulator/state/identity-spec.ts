import { hubErrors } from '../errors.js';
import type { AuthenticationRecord, AuthenticationType, DeviceStatus, X509Thumbprints } from './identity.js';
import { resolveSymmetricKeys, type KeyGenerator, type SymmetricKeys } from './keys.js';

/** What a create or update asks for, already parsed from JSON (the REST adapter does the parsing). */
export interface AuthenticationSpec {
  readonly type: AuthenticationType;
  readonly symmetricKey?: Partial<SymmetricKeys>;
  readonly x509Thumbprint?: Partial<X509Thumbprints>;
}

export interface DeviceSpec {
  readonly deviceId: string;
  readonly authentication?: AuthenticationSpec;
  readonly status?: DeviceStatus;
  readonly statusReason?: string | null;
  readonly iotEdge?: boolean;
  readonly deviceScope?: string | null;
  readonly parentScopes?: readonly string[];
}

export interface ModuleSpec {
  readonly deviceId: string;
  readonly moduleId: string;
  readonly authentication?: AuthenticationSpec;
  readonly managedBy?: string | null;
}

export interface ResolvedAuthentication {
  readonly keys: SymmetricKeys;
  readonly authentication: AuthenticationRecord;
}

/** X.509 thumbprints are hex SHA-1 (40 digits) or SHA-256 (64 digits) hashes of the certificate. */
const THUMBPRINT = /^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/;
const NO_THUMBPRINTS: X509Thumbprints = { primaryThumbprint: null, secondaryThumbprint: null };

/** Docs ("Device identity properties"): statusReason is a string of up to 128 characters. */
export const MAX_STATUS_REASON_LENGTH = 128;

function thumbprint(value: string | null | undefined, which: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (!THUMBPRINT.test(value)) throw hubErrors.argumentInvalid(`The ${which} thumbprint must be 40 or 64 hexadecimal digits.`);
  return value.toUpperCase();
}

/**
 * SAS identities keep given keys (validated) or get generated ones; on update, empty keys keep the
 * current ones. selfSigned identities need a primary thumbprint; certificateAuthority ones need none.
 */
export function resolveAuthentication(
  spec: AuthenticationSpec | undefined,
  generate: KeyGenerator,
  current?: ResolvedAuthentication,
): ResolvedAuthentication {
  const type = spec?.type ?? 'sas';
  if (type === 'sas') {
    const keep = current?.authentication.type === 'sas' ? current.keys : undefined;
    const requested = spec?.symmetricKey;
    const keys = resolveSymmetricKeys(
      { primaryKey: requested?.primaryKey || keep?.primaryKey || '', secondaryKey: requested?.secondaryKey || keep?.secondaryKey || '' },
      generate,
    );
    return { keys, authentication: { type, thumbprints: NO_THUMBPRINTS } };
  }
  const thumbprints = {
    primaryThumbprint: thumbprint(spec?.x509Thumbprint?.primaryThumbprint, 'primary'),
    secondaryThumbprint: thumbprint(spec?.x509Thumbprint?.secondaryThumbprint, 'secondary'),
  };
  if (type === 'selfSigned' && thumbprints.primaryThumbprint === null) {
    throw hubErrors.argumentInvalid('A selfSigned identity needs at least a primary X.509 thumbprint.');
  }
  // Keys nobody is told: a SAS token can never be signed for an X.509 identity.
  return { keys: { primaryKey: generate(), secondaryKey: generate() }, authentication: { type, thumbprints } };
}

export function assertValidStatusReason(reason: string | null | undefined): void {
  if (typeof reason === 'string' && reason.length > MAX_STATUS_REASON_LENGTH) {
    throw hubErrors.argumentInvalid(`statusReason is longer than ${MAX_STATUS_REASON_LENGTH} characters.`);
  }
}
