import { X509Certificate } from 'node:crypto';
import { hubErrors } from '../errors.js';
import { commonNameOf, thumbprintOf } from './presented-certificate.js';

/** What the emulator shows of a trusted CA: never more than a hub's certificate list shows. */
export interface TrustedCertificateAuthority {
  readonly subject: string;
  readonly thumbprintSha1: string;
  readonly thumbprintSha256: string;
  readonly validFrom: string;
  readonly validTo: string;
}

/** PEM armour (RFC 7468 §2): each block is handed whole to node:crypto, which parses the DER. */
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Certificates the emulator holds at once; a hub holds 25 CA certificates ("IoT Hub quotas and throttling", other limits). */
export const MAX_CERTIFICATE_AUTHORITIES = 25;

/**
 * The CA certificates the hub trusts for `certificateAuthority` identities: the emulator's
 * equivalent of a CA certificate uploaded to the hub and verified ("Authenticate devices using X.509
 * CA certificates"). There is no proof-of-possession step: whoever adds a CA (the CLI's
 * `--x509-ca`, the builder, the control plane) is the hub's owner. Kept in memory; the CLI adds its
 * files again on every start.
 */
export class CertificateAuthorities {
  private readonly byThumbprint = new Map<string, X509Certificate>();

  /** Adds every certificate of a PEM text (one or several); refuses the whole text if one is not a CA certificate. */
  add(pem: string): TrustedCertificateAuthority[] {
    const certificates = parseCaCertificates(pem);
    if (this.countAfterAdding(certificates) > MAX_CERTIFICATE_AUTHORITIES) {
      throw hubErrors.argumentInvalid(`The hub trusts at most ${MAX_CERTIFICATE_AUTHORITIES} CA certificates.`);
    }
    for (const certificate of certificates) this.byThumbprint.set(thumbprintOf(certificate, 'sha256'), certificate);
    return certificates.map(summarise);
  }

  list(): TrustedCertificateAuthority[] {
    return [...this.byThumbprint.values()].map(summarise);
  }

  /**
   * The trusted CAs whose subject CN is `name`: what a DPS group's `caReferences` (names of CA
   * certificates verified in the service) stand for in the emulator, which holds one set of CAs.
   */
  withCommonName(name: string): X509Certificate[] {
    return [...this.byThumbprint.values()].filter((authority) => commonNameOf(authority) === name);
  }

  /** The trusted CAs that issued and signed `certificate` (name link and signature both checked). */
  issuersOf(certificate: X509Certificate): X509Certificate[] {
    return [...this.byThumbprint.values()].filter((authority) => issuedBy(certificate, authority));
  }

  private countAfterAdding(certificates: readonly X509Certificate[]): number {
    const thumbprints = new Set([...this.byThumbprint.keys(), ...certificates.map((certificate) => thumbprintOf(certificate, 'sha256'))]);
    return thumbprints.size;
  }
}

/** `issuer` issued `certificate`: its subject is the certificate's issuer and its key verifies the signature. */
export function issuedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

function parseCaCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw hubErrors.argumentInvalid('The CA certificate must be PEM text (-----BEGIN CERTIFICATE-----).');
  return blocks.map((block) => {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch {
      throw hubErrors.argumentInvalid('A CA certificate in the PEM text could not be parsed.');
    }
    // Only a CA certificate (basicConstraints cA, RFC 5280 §4.2.1.9) may sign device certificates.
    if (!certificate.ca) throw hubErrors.argumentInvalid(`The certificate '${certificate.subject.replace(/\n/g, ', ')}' is not a CA certificate (basicConstraints cA).`);
    return certificate;
  });
}

function summarise(certificate: X509Certificate): TrustedCertificateAuthority {
  return {
    subject: commonNameOf(certificate) ?? certificate.subject.replace(/\n/g, ', '),
    thumbprintSha1: thumbprintOf(certificate, 'sha1'),
    thumbprintSha256: thumbprintOf(certificate, 'sha256'),
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
  };
}
