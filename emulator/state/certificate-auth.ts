import type { X509Certificate } from 'node:crypto';
import { issuedBy, type CertificateAuthorities } from './certificate-authorities.js';
import { clientIdOf, type IdentityRecord, type IdentityRef } from './identity.js';
import { isValidAt, type PresentedCertificate } from './presented-certificate.js';
import type { IdentityRegistry } from './registry.js';

export interface CertificateAuthContext {
  readonly registry: IdentityRegistry;
  readonly authorities: CertificateAuthorities;
  /** The emulator's clock: validity periods are read against it. */
  readonly now: Date;
}

export type CertificateVerdict = { readonly ok: true; readonly granted: IdentityRef } | { readonly ok: false; readonly reason: string };

/** Intermediates a chain may have between the leaf and a trusted CA: far more than any real PKI uses. */
export const MAX_INTERMEDIATES = 8;

/**
 * An identity's TLS client certificate, checked as the hub checks it ("Authenticate identities with
 * X.509 certificates"; wire notes §7.2): the identity is registered, enabled and uses X.509; the
 * certificate is inside its validity period; a `selfSigned` identity's primary or secondary
 * thumbprint is the certificate's SHA-1 (40 hex digits) or SHA-256 (64) thumbprint, compared
 * without regard to case; a `certificateAuthority` identity's certificate has the CN `deviceId`
 * (`deviceId/moduleId` for a module, "Module authentication" in the module identity docs), compared
 * exactly, and chains, through intermediates the client sent, to a CA the hub trusts.
 */
export function verifyIdentityCertificate(certificate: PresentedCertificate | undefined, identity: IdentityRef, context: CertificateAuthContext): CertificateVerdict {
  if (certificate === undefined) return { ok: false, reason: 'no credential: neither a SAS token nor a client certificate' };
  const record = context.registry.findIdentity(identity);
  if (record === undefined) return { ok: false, reason: 'the identity is not registered' };
  // A module's device is registered while the module is; a device is its own.
  if (context.registry.getDevice(identity.deviceId).status !== 'enabled') return { ok: false, reason: 'the device is disabled' };
  if (context.now < certificate.validFrom || context.now > certificate.validTo) return { ok: false, reason: 'the client certificate is expired or not yet valid' };
  const refusal = refusalFor(certificate, identity, record, context);
  return refusal === undefined ? { ok: true, granted: identity } : { ok: false, reason: refusal };
}

function refusalFor(certificate: PresentedCertificate, identity: IdentityRef, record: IdentityRecord, context: CertificateAuthContext): string | undefined {
  switch (record.authentication.type) {
    case 'sas':
      return 'the identity uses SAS authentication, not X.509';
    case 'selfSigned':
      return matchesThumbprint(certificate, record) ? undefined : 'the client certificate matches neither X.509 thumbprint of the identity';
    case 'certificateAuthority':
      if (certificate.subjectCommonName !== clientIdOf(identity)) return `the client certificate's CN is not '${clientIdOf(identity)}'`;
      return chainReaches(certificate.chain, { issuersOf: (subject) => context.authorities.issuersOf(subject), now: context.now }) ? undefined : 'the client certificate does not chain to a CA certificate the hub trusts';
  }
}

function matchesThumbprint(certificate: PresentedCertificate, record: IdentityRecord): boolean {
  const { primaryThumbprint, secondaryThumbprint } = record.authentication.thumbprints;
  const presented = new Set([certificate.thumbprintSha1, certificate.thumbprintSha256]);
  return [primaryThumbprint, secondaryThumbprint].some((stored) => stored !== null && presented.has(stored.toUpperCase()));
}

/** Where a chain must end: the trusted certificates that issued and signed a given one (the hub's CAs, a DPS group's signing certificates). */
export interface ChainAnchors {
  readonly issuersOf: (certificate: X509Certificate) => readonly X509Certificate[];
  readonly now: Date;
}

/**
 * Walks from the leaf towards a trusted certificate: at each step either a trusted certificate
 * issued and signed the current one (done), or a CA certificate the client sent did (one step up).
 * Every certificate on the path, the trusted one included, must be valid now (RFC 5280 §6.1.3).
 * The depth bound also ends a walk that goes round in circles (a self-issued CA the client sent).
 */
export function chainReaches(chain: readonly X509Certificate[], anchors: ChainAnchors): boolean {
  const [leaf, ...sent] = chain;
  let current = leaf;
  for (let depth = 0; current !== undefined && depth <= MAX_INTERMEDIATES; depth += 1) {
    if (!isValidAt(current, anchors.now)) return false;
    const subject = current;
    if (anchors.issuersOf(subject).some((authority) => isValidAt(authority, anchors.now))) return true;
    // Only a CA certificate may issue others (basicConstraints cA, RFC 5280 §4.2.1.9).
    current = sent.find((candidate) => candidate.ca && issuedBy(subject, candidate));
  }
  return false;
}
