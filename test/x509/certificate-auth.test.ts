import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { CertificateAuthorities, MAX_CERTIFICATE_AUTHORITIES } from '../../emulator/state/certificate-authorities.js';
import { verifyIdentityCertificate, type CertificateAuthContext } from '../../emulator/state/certificate-auth.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { presentedCertificate, type PresentedCertificate } from '../../emulator/state/presented-certificate.js';
import { newRegistry } from '../unit/fixtures.js';
import { certificateAuthority, deviceCertificate, thumbprint, type CertificateAndKey } from '../../src/flows/x509-certificates.js';

/**
 * The pure X.509 decision (emulator/state/certificate-auth.ts) against the emulator's injected clock:
 * validity periods are read from it, not from the machine's time. Certificates are valid in 2030 only.
 */
const at = (iso: string): Date => new Date(iso);

function presented(...pems: CertificateAndKey[]): PresentedCertificate {
  const certificate = presentedCertificate(pems.map((pem) => new X509Certificate(pem.cert)));
  assert.ok(certificate !== undefined);
  return certificate;
}

describe('X.509 identity check (state layer, injected clock)', () => {
  let ca: CertificateAndKey;
  let shortLivedCa: CertificateAndKey;
  let selfSignedLeaf: CertificateAndKey;
  let caLeaf: CertificateAndKey;
  let shortCaLeaf: CertificateAndKey;
  before(async () => {
    const window = { notBefore: at('2030-01-01T00:00:00Z'), notAfter: at('2030-03-01T00:00:00Z') };
    ca = await certificateAuthority('Unit CA', { notBefore: at('2029-01-01T00:00:00Z'), notAfter: at('2031-01-01T00:00:00Z') });
    shortLivedCa = await certificateAuthority('Short CA', { notBefore: at('2029-01-01T00:00:00Z'), notAfter: at('2030-01-20T00:00:00Z') });
    selfSignedLeaf = await deviceCertificate('ss-1', window);
    caLeaf = await deviceCertificate('ca-1', { ...window, issuer: ca });
    shortCaLeaf = await deviceCertificate('ca-1', { ...window, issuer: shortLivedCa });
  });

  function contextAt(clock: ManualClock, registry: CertificateAuthContext['registry'], authorities = new CertificateAuthorities()): () => CertificateAuthContext {
    return () => ({ registry, authorities, now: clock.now() });
  }

  it('accepts a selfSigned certificate only inside its validity period on the emulator clock', () => {
    const { registry } = newRegistry();
    registry.addDevice({ deviceId: 'ss-1', authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: thumbprint(selfSignedLeaf) } } });
    const clock = new ManualClock(at('2029-12-31T23:59:00Z'));
    const context = contextAt(clock, registry);
    assert.equal(verifyIdentityCertificate(presented(selfSignedLeaf), { deviceId: 'ss-1' }, context()).ok, false, 'not valid yet');
    clock.advanceSeconds(3600);
    assert.deepEqual(verifyIdentityCertificate(presented(selfSignedLeaf), { deviceId: 'ss-1' }, context()), { ok: true, granted: { deviceId: 'ss-1' } });
    clock.advanceSeconds(60 * 24 * 3600);
    const expired = verifyIdentityCertificate(presented(selfSignedLeaf), { deviceId: 'ss-1' }, context());
    assert.deepEqual(expired, { ok: false, reason: 'the client certificate is expired or not yet valid' });
  });

  it('needs the trusted CA itself to be valid too', () => {
    const { registry } = newRegistry();
    registry.addDevice({ deviceId: 'ca-1', authentication: { type: 'certificateAuthority' } });
    const authorities = new CertificateAuthorities();
    authorities.add(`${ca.cert}\n${shortLivedCa.cert}`);
    const clock = new ManualClock(at('2030-01-10T00:00:00Z'));
    const context = contextAt(clock, registry, authorities);
    assert.equal(verifyIdentityCertificate(presented(caLeaf), { deviceId: 'ca-1' }, context()).ok, true);
    assert.equal(verifyIdentityCertificate(presented(shortCaLeaf), { deviceId: 'ca-1' }, context()).ok, true);
    clock.advanceSeconds(20 * 24 * 3600);
    assert.equal(verifyIdentityCertificate(presented(caLeaf), { deviceId: 'ca-1' }, context()).ok, true);
    assert.equal(verifyIdentityCertificate(presented(shortCaLeaf), { deviceId: 'ca-1' }, context()).ok, false, 'its CA expired on 2030-01-20');
  });

  it('refuses an unknown identity, a missing certificate, and CA text that is not a CA certificate', () => {
    const { registry } = newRegistry();
    const context = contextAt(new ManualClock(at('2030-01-10T00:00:00Z')), registry);
    assert.equal(verifyIdentityCertificate(presented(selfSignedLeaf), { deviceId: 'nobody' }, context()).ok, false);
    assert.equal(verifyIdentityCertificate(undefined, { deviceId: 'nobody' }, context()).ok, false);
    const authorities = new CertificateAuthorities();
    assert.throws(() => authorities.add(selfSignedLeaf.cert), /not a CA certificate/);
    assert.throws(() => authorities.add('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'), /could not be parsed/);
    assert.throws(() => authorities.add(`${ca.cert}\n${selfSignedLeaf.cert}`), /not a CA certificate/);
    assert.deepEqual(authorities.list(), [], 'a refused text adds none of its certificates');
  });

  it('lists each trusted CA as the hub shows it, once however often it is added, and finds it by name', () => {
    const authorities = new CertificateAuthorities();
    const [added] = authorities.add(ca.cert);
    assert.deepEqual(added, {
      subject: 'Unit CA', thumbprintSha1: thumbprint(ca).toUpperCase(), thumbprintSha256: thumbprint(ca, 'sha256').toUpperCase(),
      validFrom: '2029-01-01T00:00:00.000Z', validTo: '2031-01-01T00:00:00.000Z',
    });
    authorities.add(`${ca.cert}\n${shortLivedCa.cert}`);
    assert.deepEqual(authorities.list().map((authority) => authority.subject), ['Unit CA', 'Short CA']);
    assert.deepEqual(authorities.withCommonName('Short CA').map((authority) => authority.subject), ['CN=Short CA']);
    assert.deepEqual(authorities.withCommonName('Unit'), [], 'a name matches whole');
    assert.throws(() => authorities.add('no PEM here'), /must be PEM text/);
  });

  it('trusts at most 25 CAs, counting one added twice once, and refuses a text that would pass that', async () => {
    const authorities = new CertificateAuthorities();
    const many = await Promise.all(Array.from({ length: MAX_CERTIFICATE_AUTHORITIES }, (_, index) => certificateAuthority(`CA ${index}`)));
    authorities.add(many.slice(0, -1).map((one) => one.cert).join('\n'));
    assert.throws(() => authorities.add(`${many.at(-1)?.cert ?? ''}\n${ca.cert}`), /at most 25 CA certificates/, 'two new ones on 24 make 26');
    assert.equal(authorities.list().length, 24, 'neither of the two is kept');
    authorities.add(`${many[0]?.cert ?? ''}\n${many.at(-1)?.cert ?? ''}`);
    assert.equal(authorities.list().length, 25);
    assert.throws(() => authorities.add(ca.cert), /at most 25 CA certificates/);
    assert.equal(authorities.list().length, 25, 'the refused CA is not kept');
    assert.equal(authorities.withCommonName('Unit CA').length, 0);
  });
});
