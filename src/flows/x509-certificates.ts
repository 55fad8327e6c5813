import { createHash, X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

/**
 * Device and CA certificates for scenarios and tests, made with `selfsigned` (@peculiar/x509
 * underneath): no ASN.1 is written by hand. EC P-256 keys, so that each takes milliseconds.
 */
export interface CertificateAndKey {
  /** PEM: the leaf, then any intermediates the client is to send with it. */
  readonly cert: string;
  readonly key: string;
}

const DAY_MS = 24 * 3600 * 1000;

interface Validity {
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

function validity(options: Validity): { notBeforeDate: Date; notAfterDate: Date } {
  return { notBeforeDate: options.notBefore ?? new Date(Date.now() - 60_000), notAfterDate: options.notAfter ?? new Date(Date.now() + 30 * DAY_MS) };
}

/** A CA certificate (basicConstraints cA) that can sign device certificates, or intermediates when `issuer` is given. */
export async function certificateAuthority(commonName: string, options: Validity & { issuer?: CertificateAndKey } = {}): Promise<CertificateAndKey> {
  const made = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec', algorithm: 'sha256', ...validity(options),
    ...(options.issuer === undefined ? {} : { ca: options.issuer }),
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, digitalSignature: true, critical: true }],
  });
  return { cert: made.cert, key: made.private };
}

/** A device (or module) client certificate with the given CN: self-signed, or signed by `issuer`. */
export async function deviceCertificate(commonName: string, options: Validity & { issuer?: CertificateAndKey } = {}): Promise<CertificateAndKey> {
  const made = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec', algorithm: 'sha256', ...validity(options),
    ...(options.issuer === undefined ? {} : { ca: options.issuer }),
    extensions: [{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true }, { name: 'extKeyUsage', clientAuth: true }],
  });
  return { cert: made.cert, key: made.private };
}

/** The leaf followed by an intermediate, as a device sends its chain (Node's TLS sends every certificate of `cert`). */
export function withChain(leaf: CertificateAndKey, ...intermediates: CertificateAndKey[]): CertificateAndKey {
  return { cert: [leaf, ...intermediates].map((part) => part.cert.trim()).join('\n') + '\n', key: leaf.key };
}

/** The leaf's thumbprint as the registry takes it: hex of the DER's hash (no colons). */
export function thumbprint(certificate: CertificateAndKey, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(algorithm).update(new X509Certificate(certificate.cert).raw).digest('hex');
}

export const daysFromNow = (days: number): Date => new Date(Date.now() + days * DAY_MS);
