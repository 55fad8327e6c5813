import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { DpsError } from '../../emulator/state/dps/dps-errors.js';
import {
  certificateFromText, chainReachesSigners, isEnrolledLeaf, parseX509Credentials, presentedCertificateRefusal, sha256Thumbprints,
} from '../../emulator/state/dps/x509-attestation.js';
import type { JsonObject } from '../../emulator/state/json.js';
import { presentedCertificate, type PresentedCertificate } from '../../emulator/state/presented-certificate.js';
import { certificateAuthority, deviceCertificate, thumbprint, withChain, type CertificateAndKey } from '../../src/flows/x509-certificates.js';

const DAY_MS = 24 * 3600 * 1000;
const NOW = new Date();

interface Material { root: CertificateAndKey; intermediate: CertificateAndKey; leaf: CertificateAndKey; other: CertificateAndKey }
let material: Material;

before(async () => {
  const root = await certificateAuthority('unit-root');
  const intermediate = await certificateAuthority('unit-intermediate', { issuer: root });
  material = { root, intermediate, leaf: await deviceCertificate('Dev-1', { issuer: intermediate }), other: await deviceCertificate('dev-1') };
});

/** The chain a TLS listener hands on, leaf first (servers/peer-certificate.ts). */
function presented(credentials: CertificateAndKey): PresentedCertificate {
  const blocks = credentials.cert.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const certificate = presentedCertificate(blocks.map((block) => new X509Certificate(block)));
  assert.ok(certificate !== undefined);
  return certificate;
}

const x509Of = (credentials: CertificateAndKey) => new X509Certificate(credentials.cert);

function refusalMessage(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof DpsError && error.status === 400 && error.errorCode === 400004, `expected a 400 DpsError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected a refusal');
}

void describe('X.509 attestation credentials (x509-attestation.ts)', () => {
  void it('reads a certificate as PEM, as base64 of the PEM and as base64 of the DER', () => {
    const expected = thumbprint(material.leaf, 'sha256').toUpperCase();
    const pem = material.leaf.cert;
    for (const text of [pem, Buffer.from(pem).toString('base64'), x509Of(material.leaf).raw.toString('base64')]) {
      assert.equal(sha256Thumbprints([certificateFromText(text, 'clientCertificates')]).primaryThumbprint, expected);
    }
    assert.equal(refusalMessage(() => certificateFromText('not a certificate', 'signingCertificates')),
      'attestation.x509.signingCertificates holds a certificate that could not be parsed (PEM, base64 PEM or base64 DER).');
  });

  void it('parses each of the three forms, primary then secondary, once per stored attestation', () => {
    const client: JsonObject = { clientCertificates: { primary: { certificate: material.leaf.cert }, secondary: { certificate: material.other.cert } } };
    const credentials = parseX509Credentials(client);
    assert.deepEqual(credentials.clientCertificates.map((certificate) => certificate.subject), ['CN=Dev-1', 'CN=dev-1']);
    assert.deepEqual([credentials.signingCertificates, credentials.caReferences], [[], []]);
    assert.equal(parseX509Credentials(client), credentials, 'the same stored attestation is parsed once');
    assert.notEqual(parseX509Credentials({ ...client }), credentials);
    const signing = parseX509Credentials({ signingCertificates: { primary: { certificate: material.root.cert }, secondary: null }, caReferences: null });
    assert.deepEqual(signing.signingCertificates.map((certificate) => certificate.subject), ['CN=unit-root']);
    assert.deepEqual(parseX509Credentials({ caReferences: { primary: 'ca-1', secondary: 'ca-2' } }).caReferences, ['ca-1', 'ca-2']);
    assert.deepEqual(parseX509Credentials({ caReferences: { primary: 'ca-1', secondary: '' } }).caReferences, ['ca-1']);
    assert.deepEqual(parseX509Credentials({ caReferences: { primary: 'ca-1', secondary: 3 } }).caReferences, ['ca-1']);
    assert.deepEqual(parseX509Credentials({ caReferences: { primary: 'ca-1' }, clientCertificates: null, signingCertificates: null }).clientCertificates, [], 'null is left out');
  });

  void it('refuses an attestation with none or several of the forms, or a form without its primary', () => {
    const exactlyOne = 'An x509 attestation needs exactly one of clientCertificates, signingCertificates or caReferences.';
    assert.equal(refusalMessage(() => parseX509Credentials({})), exactlyOne);
    assert.equal(refusalMessage(() => parseX509Credentials({ clientCertificates: null, signingCertificates: null })), exactlyOne);
    assert.equal(refusalMessage(() => parseX509Credentials({ caReferences: { primary: 'a' }, signingCertificates: { primary: { certificate: material.root.cert } } })), exactlyOne);
    assert.equal(refusalMessage(() => parseX509Credentials({ clientCertificates: 'pem' })), 'attestation.x509.clientCertificates needs primary: {certificate}.');
    assert.equal(refusalMessage(() => parseX509Credentials({ signingCertificates: { secondary: { certificate: material.root.cert } } })), 'attestation.x509.signingCertificates needs primary: {certificate}.');
    assert.equal(refusalMessage(() => parseX509Credentials({ clientCertificates: { primary: { certificate: 5 } } })), 'attestation.x509.clientCertificates.primary.certificate must be a certificate.');
    assert.equal(refusalMessage(() => parseX509Credentials({ clientCertificates: { primary: { certificate: material.leaf.cert }, secondary: 'pem' } })), 'attestation.x509.clientCertificates.secondary.certificate must be a certificate.');
    for (const caReferences of ['ca', { primary: '' }, { primary: 7 }]) {
      assert.equal(refusalMessage(() => parseX509Credentials({ caReferences })), 'attestation.x509.caReferences needs a primary CA certificate name.');
    }
  });

  void it('gives the SHA-256 thumbprints DPS writes into the hub, repeating the primary when there is no secondary', () => {
    const [leaf, other] = [x509Of(material.leaf), x509Of(material.other)];
    const leafPrint = thumbprint(material.leaf, 'sha256').toUpperCase();
    assert.deepEqual(sha256Thumbprints([leaf]), { primaryThumbprint: leafPrint, secondaryThumbprint: leafPrint });
    assert.deepEqual(sha256Thumbprints([leaf, other]), { primaryThumbprint: leafPrint, secondaryThumbprint: thumbprint(material.other, 'sha256').toUpperCase() });
    assert.throws(() => sha256Thumbprints([]), /sha256Thumbprints needs a certificate/);
  });
});

void describe('X.509 registration checks (x509-attestation.ts)', () => {
  void it('refuses a presented certificate whose CN is not the registration id, or which is outside its validity', () => {
    const certificate = presented(material.leaf);
    assert.equal(presentedCertificateRefusal(certificate, 'dev-1', NOW), undefined, 'the CN is compared case-insensitively');
    assert.equal(presentedCertificateRefusal(certificate, 'dev-2', NOW), "The client certificate's CN is not the registration id 'dev-2'.");
    assert.equal(presentedCertificateRefusal({ ...certificate, subjectCommonName: undefined }, 'dev-1', NOW), "The client certificate's CN is not the registration id 'dev-1'.");
    const expired = 'The client certificate is expired or not yet valid.';
    assert.equal(presentedCertificateRefusal(certificate, 'dev-1', new Date(certificate.validTo.getTime() + 1)), expired);
    assert.equal(presentedCertificateRefusal(certificate, 'dev-1', new Date(certificate.validFrom.getTime() - 1)), expired);
    assert.equal(presentedCertificateRefusal(certificate, 'dev-1', certificate.validTo), undefined, 'notAfter itself is inside the validity');
    assert.equal(presentedCertificateRefusal(certificate, 'dev-1', certificate.validFrom), undefined, 'notBefore itself is inside the validity');
  });

  void it('matches an individual enrollment by the leaf itself, not by its CN', () => {
    const enrolled = parseX509Credentials({ clientCertificates: { primary: { certificate: material.other.cert }, secondary: { certificate: material.leaf.cert } } });
    assert.equal(isEnrolledLeaf(presented(material.leaf), enrolled), true);
    const onlyOther = parseX509Credentials({ clientCertificates: { primary: { certificate: material.other.cert } } });
    assert.equal(isEnrolledLeaf(presented(material.leaf), onlyOther), false);
  });

  void it('accepts a chain that reaches a signing certificate through the intermediate it sent, and no other', () => {
    const chain = presented(withChain(material.leaf, material.intermediate));
    assert.equal(chainReachesSigners(chain, [x509Of(material.root)], NOW), true);
    assert.equal(chainReachesSigners(chain, [x509Of(material.intermediate)], NOW), true);
    assert.equal(chainReachesSigners(presented(material.leaf), [x509Of(material.root)], NOW), false, 'without the intermediate the root is not reached');
    assert.equal(chainReachesSigners(chain, [x509Of(material.other)], NOW), false);
    assert.equal(chainReachesSigners(chain, [], NOW), false);
    assert.equal(chainReachesSigners(chain, [x509Of(material.root)], new Date(NOW.getTime() + 60 * DAY_MS)), false, 'not once the certificates expired');
  });
});
