import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { DpsError } from '../../emulator/state/dps/dps-errors.js';
import { ProvisioningService } from '../../emulator/state/dps/provisioning-service.js';
import { presentedCertificate, type PresentedCertificate } from '../../emulator/state/presented-certificate.js';
import { certificateAuthority, deviceCertificate, thumbprint, type CertificateAndKey } from '../../src/flows/x509-certificates.js';
import { newRegistry } from '../unit/fixtures.js';

const ID_SCOPE = '0ne0000ABCD';
const DAY_MS = 24 * 3600 * 1000;

function newService() {
  const { clock, registry } = newRegistry();
  const service = new ProvisioningService({
    clock, registry, linkedHub: 'x509-state-hub.azure-devices.net', idScope: ID_SCOPE, serviceKey: Buffer.alloc(32, 7).toString('base64'), retryAfterSeconds: 0,
    generateKey: () => Buffer.alloc(32, 9).toString('base64'), generateOperationId: () => 'op-1',
  });
  return { clock, registry, service };
}

/** What a TLS listener hands on (servers/peer-certificate.ts): the chain as sent, leaf first. */
function presented(credentials: CertificateAndKey): PresentedCertificate {
  const blocks = credentials.cert.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const certificate = presentedCertificate(blocks.map((block) => new X509Certificate(block)));
  assert.ok(certificate !== undefined);
  return certificate;
}

const register = (service: ProvisioningService, registrationId: string, certificate: PresentedCertificate) =>
  service.desk.register({ idScope: ID_SCOPE, registrationId, authorization: undefined, certificate, body: { registrationId } });

/** The decision logic alone (state/dps, injected clock): validity is read on the emulator's clock, never the wall clock. */
void describe('X.509 attestation state', () => {
  void it('judges validity on the injected clock: an enrolled certificate is assigned while valid, refused once the clock passes its notAfter', async () => {
    const { clock, registry, service } = newService();
    const start = clock.now().getTime();
    const leaf = await deviceCertificate('dev-x', { notBefore: new Date(start - DAY_MS), notAfter: new Date(start + DAY_MS) });
    service.book.putEnrollment('dev-x', { registrationId: 'dev-x', attestation: { type: 'x509', x509: { clientCertificates: { primary: { certificate: leaf.cert } } } } }, undefined);
    clock.advanceSeconds(2 * 24 * 3600);
    assert.throws(() => register(service, 'dev-x', presented(leaf)), (error: unknown) => error instanceof DpsError && error.errorCode === 401002 && /expired/.test(error.message));
    assert.equal(registry.findIdentity({ deviceId: 'dev-x' }), undefined, 'no hub device after the refusal');
    assert.equal(service.desk.registrations.find('dev-x'), undefined, 'no registration state after the refusal');
    clock.advanceSeconds(-2 * 24 * 3600);
    const view = register(service, 'dev-x', presented(leaf));
    assert.equal(view.status, 'assigning');
    const device = registry.findIdentity({ deviceId: 'dev-x' });
    assert.equal(device?.authentication.type, 'selfSigned');
    assert.equal(device.authentication.thumbprints.primaryThumbprint?.toUpperCase(), thumbprint(leaf, 'sha256').toUpperCase());
  });

  void it('a group signing CA that expired on the clock no longer admits its devices', async () => {
    const { clock, registry, service } = newService();
    const start = clock.now().getTime();
    const root = await certificateAuthority('short-root', { notBefore: new Date(start - DAY_MS), notAfter: new Date(start + DAY_MS) });
    const leaf = await deviceCertificate('dev-g', { issuer: root, notBefore: new Date(start - DAY_MS), notAfter: new Date(start + 10 * DAY_MS) });
    service.book.putGroup('grp-x', { enrollmentGroupId: 'grp-x', attestation: { type: 'x509', x509: { signingCertificates: { primary: { certificate: root.cert } } } } }, undefined);
    clock.advanceSeconds(2 * 24 * 3600);
    assert.throws(() => register(service, 'dev-g', presented(leaf)), (error: unknown) => error instanceof DpsError && error.errorCode === 401002);
    assert.equal(registry.findIdentity({ deviceId: 'dev-g' }), undefined);
  });
});
