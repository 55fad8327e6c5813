import { X509Certificate } from 'node:crypto';
import { chainReaches } from '../certificate-auth.js';
import { issuedBy } from '../certificate-authorities.js';
import { isJsonObject, type JsonObject } from '../json.js';
import { thumbprintOf, type PresentedCertificate } from '../presented-certificate.js';
import { dpsErrors } from './dps-errors.js';

/** An X.509 attestation's certificates, parsed from the enrollment as stored (wire notes §8.3). */
export interface X509Credentials {
  /** Individual enrollments: the device's own certificates, primary then secondary. */
  readonly clientCertificates: readonly X509Certificate[];
  /** Groups: the root or intermediate CA certificates that sign the devices' certificates. */
  readonly signingCertificates: readonly X509Certificate[];
  /** Groups: names of CA certificates the service holds (here: CAs the emulator trusts, by subject CN). */
  readonly caReferences: readonly string[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * `attestation.x509` as the service SDK sends it: `{clientCertificates | signingCertificates:
 * {primary: {certificate}, secondary?: {certificate}}, caReferences: {primary, secondary?}}`.
 * Exactly one of the three (an individual enrollment takes the device's certificates, a group a
 * signing certificate or CA reference; docs, "X.509 certificate attestation"). 400 when unreadable.
 */
export function parseX509Credentials(x509: JsonObject): X509Credentials {
  const cached = parsed.get(x509);
  if (cached !== undefined) return cached;
  const credentials = readX509Credentials(x509);
  parsed.set(x509, credentials);
  return credentials;
}

/** Stored attestations are never mutated (a PUT replaces the record), so each is parsed once, not at every registration. */
const parsed = new WeakMap<JsonObject, X509Credentials>();

function readX509Credentials(x509: JsonObject): X509Credentials {
  const given = ['clientCertificates', 'signingCertificates', 'caReferences'].filter((field) => x509[field] !== undefined && x509[field] !== null);
  if (given.length !== 1) throw dpsErrors.badRequest('An x509 attestation needs exactly one of clientCertificates, signingCertificates or caReferences.');
  return {
    clientCertificates: certificatePair(x509.clientCertificates, 'clientCertificates'),
    signingCertificates: certificatePair(x509.signingCertificates, 'signingCertificates'),
    caReferences: referencePair(x509.caReferences),
  };
}

function certificatePair(value: unknown, field: string): X509Certificate[] {
  if (value === undefined || value === null) return [];
  if (!isJsonObject(value) || !isJsonObject(value.primary)) throw dpsErrors.badRequest(`attestation.x509.${field} needs primary: {certificate}.`);
  const slots = [value.primary, value.secondary].filter((slot) => slot !== undefined && slot !== null);
  return slots.map((slot, index) => {
    const certificate = isJsonObject(slot) ? slot.certificate : undefined;
    if (typeof certificate !== 'string') throw dpsErrors.badRequest(`attestation.x509.${field}.${index === 0 ? 'primary' : 'secondary'}.certificate must be a certificate.`);
    return certificateFromText(certificate, field);
  });
}

function referencePair(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!isJsonObject(value) || typeof value.primary !== 'string' || value.primary === '') throw dpsErrors.badRequest('attestation.x509.caReferences needs a primary CA certificate name.');
  return typeof value.secondary === 'string' && value.secondary !== '' ? [value.primary, value.secondary] : [value.primary];
}

/**
 * A certificate as the SDKs send it (wire notes §5.3): PEM text, base64 of the PEM text (the Node
 * SDK's e2e tests do so for signing certificates), or base64 of the DER.
 */
export function certificateFromText(text: string, field: string): X509Certificate {
  const decoded = PEM_CERTIFICATE.test(text) ? text : Buffer.from(text, 'base64');
  const pem = typeof decoded === 'string' ? decoded : PEM_CERTIFICATE.exec(decoded.toString('latin1'))?.[0];
  try {
    return new X509Certificate(pem ?? decoded);
  } catch {
    throw dpsErrors.badRequest(`attestation.x509.${field} holds a certificate that could not be parsed (PEM, base64 PEM or base64 DER).`);
  }
}

/** SHA-256 thumbprints, upper-case hex: what DPS writes into the hub for X.509 devices (wire notes §6). */
export function sha256Thumbprints(certificates: readonly X509Certificate[]): { primaryThumbprint: string; secondaryThumbprint: string } {
  const [primary, secondary] = certificates.map((certificate) => thumbprintOf(certificate, 'sha256'));
  if (primary === undefined) throw new Error('sha256Thumbprints needs a certificate');
  // With no secondary certificate DPS repeats the primary (wire notes §6, [reported]).
  return { primaryThumbprint: primary, secondaryThumbprint: secondary ?? primary };
}

/**
 * Why the presented certificate cannot attest `registrationId` at all, before any enrollment is
 * looked at (wire notes §5.2): its CN is the registration id (case-insensitive, as registration ids
 * are), and it is inside its validity period on the emulator's clock.
 */
export function presentedCertificateRefusal(certificate: PresentedCertificate, registrationId: string, now: Date): string | undefined {
  if (certificate.subjectCommonName?.toLowerCase() !== registrationId.toLowerCase()) return `The client certificate's CN is not the registration id '${registrationId}'.`;
  if (now < certificate.validFrom || now > certificate.validTo) return 'The client certificate is expired or not yet valid.';
  return undefined;
}

/** An individual enrollment's device certificate is the one presented (the leaf's SHA-256, so its DER). */
export function isEnrolledLeaf(certificate: PresentedCertificate, credentials: X509Credentials): boolean {
  return credentials.clientCertificates.some((enrolled) => thumbprintOf(enrolled, 'sha256') === certificate.thumbprintSha256);
}

/** The presented chain reaches one of a group's signing certificates, each certificate on the way valid now. */
export function chainReachesSigners(certificate: PresentedCertificate, signers: readonly X509Certificate[], now: Date): boolean {
  if (signers.length === 0) return false;
  return chainReaches(certificate.chain, { issuersOf: (subject) => signers.filter((signer) => issuedBy(subject, signer)), now });
}
