import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { ChangeFeed } from '../../emulator/state/change-feed.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { matchCertificateEnrollment } from '../../emulator/state/dps/certificate-enrollment.js';
import { DpsError } from '../../emulator/state/dps/dps-errors.js';
import { EnrollmentBook } from '../../emulator/state/dps/enrollment-book.js';
import type { ProvisioningChange } from '../../emulator/state/dps/provisioning-changes.js';
import { presentedCertificate, type PresentedCertificate } from '../../emulator/state/presented-certificate.js';
import { certificateAuthority, deviceCertificate, thumbprint, type CertificateAndKey } from '../../src/flows/x509-certificates.js';

/** Which enrollment a presented certificate attests (certificate-enrollment.ts), on the book alone. */
const NOW = new Date();
const SYMMETRIC = { type: 'symmetricKey' };

interface Material { root: CertificateAndKey; otherRoot: CertificateAndKey; groupDevice: CertificateAndKey; individual: CertificateAndKey; secondary: CertificateAndKey }
let material: Material;

before(async () => {
  const root = await certificateAuthority('enrollment-root');
  material = {
    root, otherRoot: await certificateAuthority('other-root'), groupDevice: await deviceCertificate('grp-dev', { issuer: root }),
    individual: await deviceCertificate('ind-dev'), secondary: await deviceCertificate('ind-dev'),
  };
});

function newBook(): EnrollmentBook {
  return new EnrollmentBook({ clock: new ManualClock(NOW), linkedHub: 'hub.azure-devices.net', generateKey: () => Buffer.alloc(32, 1).toString('base64'), changes: new ChangeFeed<ProvisioningChange>() });
}

function presented(credentials: CertificateAndKey): PresentedCertificate {
  const certificate = presentedCertificate([new X509Certificate(credentials.cert)]);
  assert.ok(certificate !== undefined);
  return certificate;
}

const sha256 = (credentials: CertificateAndKey) => thumbprint(credentials, 'sha256').toUpperCase();
const signedBy = (credentials: CertificateAndKey) => ({ type: 'x509', x509: { signingCertificates: { primary: { certificate: credentials.cert } } } });

function unauthorized(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof DpsError && error.status === 401 && error.errorCode === 401002, `expected a 401 DpsError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected a refusal');
}

void describe('matching a device certificate to its enrollment (certificate-enrollment.ts)', () => {
  void it('matches an individual enrollment by its device certificates, under its deviceId, keeping both thumbprints', () => {
    const book = newBook();
    book.putEnrollment('ind-dev', {
      registrationId: 'ind-dev', deviceId: 'named-device',
      attestation: { type: 'x509', x509: { clientCertificates: { primary: { certificate: material.individual.cert }, secondary: { certificate: material.secondary.cert } } } },
    }, undefined);
    const match = matchCertificateEnrollment(presented(material.secondary), 'ind-dev', { book, now: NOW, caReference: () => [] });
    assert.deepEqual({ ...match, settings: undefined }, {
      settings: undefined, attestationType: 'x509', deviceId: 'named-device', enrollmentGroupId: undefined,
      authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: sha256(material.individual), secondaryThumbprint: sha256(material.secondary) } },
    });
  });

  void it('names the device after the registration id when the enrollment names none', () => {
    const book = newBook();
    book.putEnrollment('ind-dev', { registrationId: 'ind-dev', attestation: { type: 'x509', x509: { clientCertificates: { primary: { certificate: material.individual.cert } } } } }, undefined);
    assert.equal(matchCertificateEnrollment(presented(material.individual), 'ind-dev', { book, now: NOW, caReference: () => [] }).deviceId, 'ind-dev');
  });

  void it('refuses a certificate for an individual enrollment that is symmetric-key, or holds other certificates', () => {
    const book = newBook();
    book.putEnrollment('ind-dev', { registrationId: 'ind-dev', attestation: SYMMETRIC }, undefined);
    const context = { book, now: NOW, caReference: () => [] };
    assert.equal(unauthorized(() => matchCertificateEnrollment(presented(material.individual), 'ind-dev', context)), 'The enrollment of this registration id does not use X.509 attestation.');
    book.putEnrollment('ind-dev', { registrationId: 'ind-dev', attestation: { type: 'x509', x509: { clientCertificates: { primary: { certificate: material.secondary.cert } } } } }, '*');
    assert.equal(unauthorized(() => matchCertificateEnrollment(presented(material.individual), 'ind-dev', context)), 'The client certificate is not a device certificate of this enrollment.');
  });

  void it('matches the first group whose signing certificate the chain reaches, skipping symmetric-key groups', () => {
    const book = newBook();
    book.putGroup('symmetric', { enrollmentGroupId: 'symmetric', attestation: SYMMETRIC }, undefined);
    book.putGroup('other', { enrollmentGroupId: 'other', attestation: signedBy(material.otherRoot) }, undefined);
    book.putGroup('signers', { enrollmentGroupId: 'signers', attestation: signedBy(material.root) }, undefined);
    const match = matchCertificateEnrollment(presented(material.groupDevice), 'grp-dev', { book, now: NOW, caReference: () => [] });
    assert.deepEqual([match.enrollmentGroupId, match.deviceId, match.attestationType], ['signers', 'grp-dev', 'x509']);
    assert.deepEqual(match.authentication, { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: sha256(material.groupDevice), secondaryThumbprint: sha256(material.groupDevice) } });
  });

  void it('matches a group that names its CA by reference, and refuses when no group signs for the device', () => {
    const book = newBook();
    book.putGroup('by-name', { enrollmentGroupId: 'by-name', attestation: { type: 'x509', x509: { caReferences: { primary: 'the-root' } } } }, undefined);
    const caReference = (name: string) => (name === 'the-root' ? [new X509Certificate(material.root.cert)] : []);
    assert.equal(matchCertificateEnrollment(presented(material.groupDevice), 'grp-dev', { book, now: NOW, caReference }).enrollmentGroupId, 'by-name');
    assert.equal(unauthorized(() => matchCertificateEnrollment(presented(material.groupDevice), 'grp-dev', { book, now: NOW, caReference: () => [] })),
      'The client certificate does not chain to a signing certificate of any enrollment group.');
  });

  void it('refuses a certificate whose CN is not the registration id before looking at any enrollment', () => {
    const book = newBook();
    book.putGroup('signers', { enrollmentGroupId: 'signers', attestation: signedBy(material.root) }, undefined);
    assert.equal(unauthorized(() => matchCertificateEnrollment(presented(material.groupDevice), 'someone-else', { book, now: NOW, caReference: () => [] })),
      "The client certificate's CN is not the registration id 'someone-else'.");
  });
});
