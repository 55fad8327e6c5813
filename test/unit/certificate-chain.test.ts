import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { generate } from 'selfsigned';
import { chainReaches, MAX_INTERMEDIATES, verifyIdentityCertificate, type CertificateAuthContext } from '../../emulator/state/certificate-auth.js';
import { CertificateAuthorities, issuedBy } from '../../emulator/state/certificate-authorities.js';
import { presentedCertificate, type PresentedCertificate } from '../../emulator/state/presented-certificate.js';
import { certificateAuthority, deviceCertificate, thumbprint, type CertificateAndKey } from '../../src/flows/x509-certificates.js';
import { expectHubError, newRegistry } from './fixtures.js';

/** Chain walking and the identity check's edges; test/x509/certificate-auth.test.ts has the main cases. */
const NOW = new Date();
const DAY_MS = 24 * 3600 * 1000;
const x509 = (credentials: CertificateAndKey) => new X509Certificate(credentials.cert);

interface Material {
  root: CertificateAndKey;
  /** root -> ca-1 -> ... -> ca-(MAX_INTERMEDIATES + 1), each signed by the one before. */
  ladder: CertificateAndKey[];
  /** Signed by the last rung, so its chain has MAX_INTERMEDIATES + 1 intermediates. */
  deepLeaf: CertificateAndKey;
  /** A certificate signed by the root that is not a CA (no keyUsage, so only basicConstraints says so). */
  notCa: CertificateAndKey;
  leafOfNotCa: CertificateAndKey;
  device: CertificateAndKey;
  /** Signed by the root, expired yesterday; `leafOfStale`, valid now, is signed by it. */
  stale: CertificateAndKey;
  leafOfStale: CertificateAndKey;
}
let material: Material;

before(async () => {
  const root = await certificateAuthority('chain-root');
  const ladder: CertificateAndKey[] = [];
  for (let rung = 1; rung <= MAX_INTERMEDIATES + 1; rung += 1) ladder.push(await certificateAuthority(`ca-${rung}`, { issuer: ladder.at(-1) ?? root }));
  const made = await generate([{ name: 'commonName', value: 'not-a-ca' }], {
    keyType: 'ec', algorithm: 'sha256', ca: root, notBeforeDate: new Date(Date.now() - 60_000), extensions: [{ name: 'basicConstraints', cA: false }],
  });
  const notCa = { cert: made.cert, key: made.private };
  const stale = await certificateAuthority('stale', { issuer: root, notBefore: new Date(Date.now() - 2 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) });
  material = {
    stale, leafOfStale: await deviceCertificate('dev-s', { issuer: stale, notBefore: new Date(Date.now() - 2 * DAY_MS) }),
    root, ladder, notCa, deepLeaf: await deviceCertificate('deep', { issuer: ladder.at(-1) }), leafOfNotCa: await deviceCertificate('dev-1', { issuer: notCa }),
    device: await deviceCertificate('dev-1', { issuer: root }),
  };
});

const rootAnchors = () => ({ issuersOf: (subject: X509Certificate) => [x509(material.root)].filter((root) => issuedBy(subject, root)), now: NOW });

void describe('certificate chains (certificate-auth.ts, RFC 5280 path building)', () => {
  void it(`walks up to ${MAX_INTERMEDIATES} intermediates the client sent, and no further`, () => {
    const chain = [x509(material.deepLeaf), ...material.ladder.map(x509).reverse()];
    assert.equal(chainReaches(chain, { ...rootAnchors(), issuersOf: (subject) => (subject.subject === 'CN=ca-2' ? [x509(material.ladder[0] as CertificateAndKey)] : []) }), true, `${MAX_INTERMEDIATES} intermediates`);
    assert.equal(chainReaches(chain, rootAnchors()), false, `${MAX_INTERMEDIATES + 1} intermediates`);
  });

  void it('takes intermediates in any order the client sends them', () => {
    const shortLadder = material.ladder.slice(0, 2).map(x509);
    const leafOfSecond = x509(material.ladder[2] as CertificateAndKey);
    assert.equal(chainReaches([leafOfSecond, ...shortLadder], rootAnchors()), true);
    assert.equal(chainReaches([leafOfSecond, ...shortLadder.reverse()], rootAnchors()), true);
  });

  void it('refuses a path through a certificate that is not a CA, or through one that is not valid now', () => {
    assert.equal(issuedBy(x509(material.leafOfNotCa), x509(material.notCa)), true, 'the non-CA did sign it');
    assert.equal(chainReaches([x509(material.leafOfNotCa), x509(material.notCa)], rootAnchors()), false);
    assert.equal(issuedBy(x509(material.leafOfStale), x509(material.stale)), true);
    assert.equal(chainReaches([x509(material.leafOfStale), x509(material.stale)], rootAnchors()), false, 'the intermediate expired yesterday');
    assert.equal(chainReaches([], rootAnchors()), false);
  });

  void it('refuses a chain that reaches no trusted certificate', () => {
    assert.equal(chainReaches([x509(material.device)], { issuersOf: () => [], now: NOW }), false);
    assert.equal(chainReaches([x509(material.device)], rootAnchors()), true);
  });
});

void describe('the X.509 identity check\'s edges (certificate-auth.ts)', () => {
  function setup(): { context: CertificateAuthContext; registry: CertificateAuthContext['registry']; certificate: PresentedCertificate } {
    const { registry } = newRegistry();
    registry.addDevice({ deviceId: 'dev-1', authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: thumbprint(material.device, 'sha256') } } });
    registry.addDevice({ deviceId: 'ca-dev', authentication: { type: 'certificateAuthority' } });
    const authorities = new CertificateAuthorities();
    authorities.add(material.root.cert);
    const certificate = presentedCertificate([x509(material.device)]);
    assert.ok(certificate !== undefined);
    return { context: { registry, authorities, now: NOW }, registry, certificate };
  }

  void it('accepts a certificate at both ends of its validity period', () => {
    const { context, certificate } = setup();
    for (const now of [certificate.validFrom, certificate.validTo]) {
      assert.deepEqual(verifyIdentityCertificate(certificate, { deviceId: 'dev-1' }, { ...context, now }), { ok: true, granted: { deviceId: 'dev-1' } });
    }
  });

  void it('refuses a disabled device, and a CA device whose CN is not its id, naming the reason', () => {
    const { context, registry, certificate } = setup();
    assert.deepEqual(verifyIdentityCertificate(certificate, { deviceId: 'ca-dev' }, context), { ok: false, reason: "the client certificate's CN is not 'ca-dev'" });
    registry.updateDevice({ deviceId: 'dev-1', status: 'disabled' }, '*');
    assert.deepEqual(verifyIdentityCertificate(certificate, { deviceId: 'dev-1' }, context), { ok: false, reason: 'the device is disabled' });
  });
});

void describe('trusted CAs (certificate-authorities.ts)', () => {
  void it('names a certificate that is not a CA by its whole subject, one line', async () => {
    const made = await generate([{ name: 'commonName', value: 'two-part' }, { name: 'organizationName', value: 'Contoso' }], { keyType: 'ec', algorithm: 'sha256', extensions: [{ name: 'basicConstraints', cA: false }] });
    const error = expectHubError(() => new CertificateAuthorities().add(made.cert), 400, 'ArgumentInvalid');
    assert.equal(error.message, "The certificate 'CN=two-part, O=Contoso' is not a CA certificate (basicConstraints cA).");
  });
});
