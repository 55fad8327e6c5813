import { createHash, X509Certificate } from 'node:crypto';

/**
 * The TLS client certificate a connection presented, in a form no transport owns (the MQTT/TLS and
 * the WebSocket listeners build it from the handshake, servers/peer-certificate.ts): the leaf's
 * thumbprints and subject CN, and the chain the client sent, leaf first. The hub authenticates
 * X.509 identities with it at CONNECT (certificate-auth.ts).
 */
export interface PresentedCertificate {
  /** SHA-1 of the leaf's DER, 40 upper-case hex digits without colons: what `selfSigned` thumbprints usually hold. */
  readonly thumbprintSha1: string;
  /** SHA-256 of the leaf's DER, 64 upper-case hex digits: what DPS writes into the hub (wire notes §6). */
  readonly thumbprintSha256: string;
  /** The leaf's subject CN; undefined when it has none, or more than one. */
  readonly subjectCommonName: string | undefined;
  readonly validFrom: Date;
  readonly validTo: Date;
  /** The leaf, then every certificate the client sent with it, in the order sent. */
  readonly chain: readonly X509Certificate[];
}

/** Upper-case hex, no colons: the registry's form of a thumbprint (identity-spec.ts). */
export function thumbprintOf(certificate: X509Certificate, algorithm: 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(certificate.raw).digest('hex').toUpperCase();
}

/**
 * The subject's one CN. Read from Node's parsed subject (unescaped, an array when the name has
 * several CNs) rather than from the printable `subject` text, which escapes special characters.
 */
export function commonNameOf(certificate: X509Certificate): string | undefined {
  const cn: unknown = (certificate.toLegacyObject().subject as Record<string, unknown> | undefined)?.CN;
  return typeof cn === 'string' ? cn : undefined;
}

/** The chain as sent (leaf first); undefined when the client sent no certificate. */
export function presentedCertificate(chain: readonly X509Certificate[]): PresentedCertificate | undefined {
  const [leaf] = chain;
  if (leaf === undefined) return undefined;
  return {
    thumbprintSha1: thumbprintOf(leaf, 'sha1'),
    thumbprintSha256: thumbprintOf(leaf, 'sha256'),
    subjectCommonName: commonNameOf(leaf),
    validFrom: new Date(leaf.validFrom),
    validTo: new Date(leaf.validTo),
    chain,
  };
}

/** True while `now` is inside the certificate's notBefore..notAfter (RFC 5280 §4.1.2.5: both inclusive). */
export function isValidAt(certificate: X509Certificate, now: Date): boolean {
  return new Date(certificate.validFrom).getTime() <= now.getTime() && now.getTime() <= new Date(certificate.validTo).getTime();
}
