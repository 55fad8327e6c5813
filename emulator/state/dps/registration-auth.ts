import { createHmac } from 'node:crypto';
import { parseSasToken, signedWithOneOf, type SasToken } from '../sas.js';
import type { SymmetricKeys } from '../keys.js';
import { dpsErrors } from './dps-errors.js';

/**
 * A device's key in a symmetric-key enrollment group (docs, "Symmetric key attestation", derive a
 * device key): base64(HMAC-SHA256(key = base64-decoded group key, message = UTF-8 registration id)).
 */
export function derivedDeviceKey(groupKey: string, registrationId: string): string {
  return createHmac('sha256', Buffer.from(groupKey, 'base64')).update(registrationId).digest('base64');
}

export function derivedDeviceKeys(groupKeys: SymmetricKeys, registrationId: string): SymmetricKeys {
  return { primaryKey: derivedDeviceKey(groupKeys.primaryKey, registrationId), secondaryKey: derivedDeviceKey(groupKeys.secondaryKey, registrationId) };
}

/**
 * A device's registration SAS token, checked before its signature (wire notes §4): `sr` names
 * `<idScope>/registrations/<registrationId>` (compared without regard to case; the Node SDK sends it
 * raw, other SDKs URL-encoded: either decodes to the same), `skn` is `registration` or absent, and
 * it has not expired. Undefined when it is no such token: the caller answers 401 (401002).
 */
export function parseRegistrationToken(authorization: string | undefined, expected: { idScope: string; registrationId: string; nowSeconds: number }): SasToken | undefined {
  if (authorization === undefined) return undefined;
  const token = parseSasToken(authorization);
  if (token === undefined || token.expiry <= expected.nowSeconds) return undefined;
  if (token.keyName !== undefined && token.keyName !== 'registration') return undefined;
  const resource = `${expected.idScope}/registrations/${expected.registrationId}`.toLowerCase();
  return token.resourceUri.toLowerCase() === resource ? token : undefined;
}

/** The signature is verified over `sr` exactly as transmitted (sas.ts), with either key. */
export function tokenSignedWith(token: SasToken, keys: SymmetricKeys): boolean {
  return signedWithOneOf(token, [keys.primaryKey, keys.secondaryKey]);
}

export function requireToken(token: SasToken | undefined): SasToken {
  if (token === undefined) throw dpsErrors.unauthorized();
  return token;
}
