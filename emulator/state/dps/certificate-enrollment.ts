import type { X509Certificate } from 'node:crypto';
import type { PresentedCertificate } from '../presented-certificate.js';
import { dpsErrors } from './dps-errors.js';
import type { EnrollmentBook } from './enrollment-book.js';
import type { EnrollmentGroupRecord, EnrollmentMatch } from './enrollment-types.js';
import { chainReachesSigners, isEnrolledLeaf, parseX509Credentials, presentedCertificateRefusal, sha256Thumbprints } from './x509-attestation.js';

export interface CertificateAttestationContext {
  readonly book: EnrollmentBook;
  readonly now: Date;
  /** The CA certificates a `caReferences` name stands for (none when the name is unknown). */
  readonly caReference: (name: string) => readonly X509Certificate[];
}

/**
 * The enrollment a TLS client certificate attests (docs, "X.509 certificate attestation"; wire notes
 * §5.2): an individual enrollment for the registration id wins, and then only its own device
 * certificates will do; otherwise the first X.509 group, in the order the groups were written, whose
 * signing certificate (or referenced CA) the presented chain reaches. Every refusal is 401 (401002)
 * and names the reason, never the certificate.
 */
export function matchCertificateEnrollment(certificate: PresentedCertificate, registrationId: string, context: CertificateAttestationContext): EnrollmentMatch {
  const refusal = presentedCertificateRefusal(certificate, registrationId, context.now);
  if (refusal !== undefined) throw dpsErrors.unauthorized(refusal);
  const individual = context.book.enrollments.find(registrationId);
  if (individual !== undefined) {
    const { attestation } = individual;
    if (attestation.type !== 'x509') throw dpsErrors.unauthorized('The enrollment of this registration id does not use X.509 attestation.');
    const credentials = parseX509Credentials(attestation.x509);
    if (!isEnrolledLeaf(certificate, credentials)) throw dpsErrors.unauthorized('The client certificate is not a device certificate of this enrollment.');
    // The hub device takes the enrollment's certificates, so the device may roll over to its secondary.
    const authentication = { type: 'selfSigned' as const, x509Thumbprint: sha256Thumbprints(credentials.clientCertificates) };
    return { settings: individual, attestationType: 'x509', authentication, deviceId: individual.deviceId ?? registrationId, enrollmentGroupId: undefined };
  }
  const group = context.book.groups.all().find((candidate) => signsFor(candidate, certificate, context));
  if (group === undefined) throw dpsErrors.unauthorized('The client certificate does not chain to a signing certificate of any enrollment group.');
  // Group devices are created selfSigned with the leaf's SHA-256 thumbprint, as real DPS does (wire notes §6, [reported]).
  const authentication = { type: 'selfSigned' as const, x509Thumbprint: sha256Thumbprints([certificate.chain[0] as X509Certificate]) };
  return { settings: group, attestationType: 'x509', authentication, deviceId: registrationId, enrollmentGroupId: group.enrollmentGroupId };
}

function signsFor(group: EnrollmentGroupRecord, certificate: PresentedCertificate, context: CertificateAttestationContext): boolean {
  if (group.attestation.type !== 'x509') return false;
  const credentials = parseX509Credentials(group.attestation.x509);
  const signers = [...credentials.signingCertificates, ...credentials.caReferences.flatMap((name) => context.caReference(name))];
  return chainReachesSigners(certificate, signers, context.now);
}
