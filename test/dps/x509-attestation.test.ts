import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RegistrationResult } from 'azure-iot-provisioning-device/dist/interfaces.js';
import { certificateAuthority, daysFromNow, deviceCertificate, thumbprint, withChain, type CertificateAndKey } from '../../src/flows/x509-certificates.js';
import { DpsFixture, newId, type DpsTransport } from './dps-fixture.js';
import { hubDeviceWithCertificate, registerWithCertificate, x509Enrollment, x509Group } from './x509-dps-fixture.js';

/** What the hub's registry shows of a device's X.509 authentication. */
async function hubAuthentication(dps: DpsFixture, deviceId: string): Promise<{ type: string; primary: string; secondary: string }> {
  const { responseBody } = await dps.hubRegistry().get(deviceId);
  const authentication = responseBody.authentication as { type: string; x509Thumbprint: { primaryThumbprint: string; secondaryThumbprint: string } };
  return { type: authentication.type, primary: authentication.x509Thumbprint.primaryThumbprint.toUpperCase(), secondary: authentication.x509Thumbprint.secondaryThumbprint.toUpperCase() };
}

/** The device opens its hub connection with the certificate it registered with, and the hub counts it. */
async function assertConnectsToHub(dps: DpsFixture, result: RegistrationResult | undefined, credentials: CertificateAndKey): Promise<void> {
  assert.ok(result !== undefined, 'register() resolved with a registration state');
  assert.equal(result.assignedHub, dps.emulator.hostName);
  const client = await hubDeviceWithCertificate(dps, result, credentials);
  try {
    await client.open();
    assert.equal(dps.emulator.control.connectionCount({ deviceId: result.deviceId }), 1);
  } finally {
    await client.close();
  }
}

/** A refusal leaves nothing behind: no hub device, no registration state. */
async function assertNothingStored(dps: DpsFixture, registrationId: string): Promise<void> {
  await assert.rejects(dps.hubRegistry().get(registrationId), (error: Error) => error.name === 'DeviceNotFoundError', 'no hub device');
  await assert.rejects(dps.serviceClient().getDeviceRegistrationState(registrationId), /Not found/, 'no registration state');
}

/** X.509 attestation on the Device Provisioning Service (issue 13), with the official packages over real TLS. */
void describe('X.509 attestation on the provisioning service', () => {
  let dps: DpsFixture;
  let root: CertificateAndKey;
  let intermediate: CertificateAndKey;
  let referenced: CertificateAndKey;
  const groupId = newId('x509-grp');

  before(async () => {
    // The emulator's stand-in for a CA certificate verified in DPS: a CA the emulator trusts, named by its CN.
    referenced = await certificateAuthority(`${groupId}-referenced`);
    dps = await DpsFixture.start((builder) => builder.withX509CertificateAuthority(referenced.cert));
    root = await certificateAuthority(`${groupId}-root`);
    intermediate = await certificateAuthority(`${groupId}-intermediate`, { issuer: root });
    await dps.serviceClient().createOrUpdateEnrollmentGroup(x509Group(groupId, root, { initialTwin: { tags: {}, properties: { desired: { mode: 'x509' } } } }));
  });
  after(() => dps.stop());

  for (const transport of ['http', 'mqtt'] as const satisfies readonly DpsTransport[]) {
    void it(`provisions an individual enrollment's device over ${transport}, created selfSigned with its SHA-256 thumbprints, which then connects to the hub`, async () => {
      const registrationId = newId(`leaf-${transport}`);
      const [primary, secondary] = [await deviceCertificate(registrationId), await deviceCertificate(registrationId)];
      await dps.serviceClient().createOrUpdateIndividualEnrollment(x509Enrollment(registrationId, [primary, secondary]));
      const result = await registerWithCertificate(dps, registrationId, secondary, transport);
      assert.equal(result?.deviceId, registrationId);
      assert.deepEqual(await hubAuthentication(dps, registrationId), { type: 'selfSigned', primary: thumbprint(primary, 'sha256').toUpperCase(), secondary: thumbprint(secondary, 'sha256').toUpperCase() });
      await assertConnectsToHub(dps, result, secondary);
    });

    void it(`provisions a group device over ${transport} whose chain (leaf, intermediate) reaches the group's root, with the initial twin`, async () => {
      const registrationId = newId(`grp-${transport}`);
      const leaf = await deviceCertificate(registrationId, { issuer: intermediate });
      const credentials = withChain(leaf, intermediate);
      const result = await registerWithCertificate(dps, registrationId, credentials, transport);
      assert.equal(result?.deviceId, registrationId);
      assert.deepEqual((result as unknown as { x509?: unknown }).x509, { enrollmentGroupId: groupId });
      const leafThumbprint = thumbprint(leaf, 'sha256').toUpperCase();
      assert.deepEqual(await hubAuthentication(dps, registrationId), { type: 'selfSigned', primary: leafThumbprint, secondary: leafThumbprint });
      const { responseBody: twin } = await dps.hubRegistry().getTwin(registrationId);
      assert.equal((twin.properties.desired as Record<string, unknown>).mode, 'x509');
      await assertConnectsToHub(dps, result, credentials);
    });
  }

  void it('provisions a device of a group that names its CA by caReferences, and refuses one whose group names an unknown CA', async () => {
    const [named, unknown] = [newId('x509-ref'), newId('x509-unknown')];
    const service = dps.serviceClient();
    await service.createOrUpdateEnrollmentGroup({ enrollmentGroupId: named, attestation: { type: 'x509', x509: { caReferences: { primary: `${groupId}-referenced` } } } } as never);
    const stranger = await certificateAuthority(`${unknown}-ca`);
    await service.createOrUpdateEnrollmentGroup({ enrollmentGroupId: unknown, attestation: { type: 'x509', x509: { caReferences: { primary: `${unknown}-ca` } } } } as never);
    const registrationId = newId('by-ref');
    const result = await registerWithCertificate(dps, registrationId, await deviceCertificate(registrationId, { issuer: referenced }), 'mqtt');
    assert.deepEqual((result as unknown as { x509?: unknown }).x509, { enrollmentGroupId: named });
    const refusedId = newId('by-unknown-ref');
    await assert.rejects(registerWithCertificate(dps, refusedId, await deviceCertificate(refusedId, { issuer: stranger }), 'http'), (error: Error) => error.name === 'UnauthorizedError');
    await assertNothingStored(dps, refusedId);
  });

  void it('refuses a certificate no enrollment knows (401), creating nothing', async () => {
    const registrationId = newId('stranger');
    await assert.rejects(registerWithCertificate(dps, registrationId, await deviceCertificate(registrationId), 'http'), (error: Error) => error.name === 'UnauthorizedError');
    await assertNothingStored(dps, registrationId);
  });

  void it('refuses a chain that reaches no group signing certificate (401 on the MQTT response topic), creating nothing', async () => {
    const registrationId = newId('untrusted');
    const otherRoot = await certificateAuthority(`${registrationId}-other-root`);
    await assert.rejects(registerWithCertificate(dps, registrationId, await deviceCertificate(registrationId, { issuer: otherRoot }), 'mqtt'), (error: Error) => error.name === 'UnauthorizedError');
    await assertNothingStored(dps, registrationId);
  });

  void it('refuses an enrolled certificate that has expired, and another certificate with the enrolled CN', async () => {
    const registrationId = newId('expired');
    const expired = await deviceCertificate(registrationId, { notBefore: daysFromNow(-10), notAfter: daysFromNow(-1) });
    await dps.serviceClient().createOrUpdateIndividualEnrollment(x509Enrollment(registrationId, [expired]));
    await assert.rejects(registerWithCertificate(dps, registrationId, expired, 'http'), (error: Error) => error.name === 'UnauthorizedError', 'expired');
    await assert.rejects(registerWithCertificate(dps, registrationId, await deviceCertificate(registrationId), 'mqtt'), (error: Error) => error.name === 'UnauthorizedError', 'not the enrolled certificate');
    await assertNothingStored(dps, registrationId);
  });

  void it('refuses a group certificate whose CN is not the registration id', async () => {
    const registrationId = newId('cn');
    const leaf = await deviceCertificate(`${registrationId}-other`, { issuer: root });
    await assert.rejects(registerWithCertificate(dps, registrationId, leaf, 'http'), (error: Error) => error.name === 'UnauthorizedError');
    await assertNothingStored(dps, registrationId);
  });

  void it('answers a device of a disabled X.509 group with status disabled, and the hub gains no device', async () => {
    const disabledGroup = newId('x509-off');
    const signer = await certificateAuthority(`${disabledGroup}-root`);
    await dps.serviceClient().createOrUpdateEnrollmentGroup(x509Group(disabledGroup, signer, { provisioningStatus: 'disabled' }));
    const registrationId = newId('off');
    await assert.rejects(registerWithCertificate(dps, registrationId, await deviceCertificate(registrationId, { issuer: signer }), 'http'), /status is disabled/);
    await assertNothingStored(dps, registrationId);
  });

  void it('refuses X.509 enrollments in the wrong form: a group with a device certificate, an unreadable certificate (400)', async () => {
    const service = dps.serviceClient();
    const leaf = await deviceCertificate('any');
    const group = { enrollmentGroupId: newId('bad'), attestation: { type: 'x509', x509: { clientCertificates: { primary: { certificate: leaf.cert } } } } };
    await assert.rejects(service.createOrUpdateEnrollmentGroup(group as never), (error: Error) => error.name === 'ArgumentError');
    const unreadable = { registrationId: newId('bad'), attestation: { type: 'x509', x509: { clientCertificates: { primary: { certificate: 'not a certificate' } } } } };
    await assert.rejects(service.createOrUpdateIndividualEnrollment(unreadable as never), (error: Error) => error.name === 'ArgumentError');
    await assert.rejects(service.getEnrollmentGroup(group.enrollmentGroupId), /Not found/);
    await assert.rejects(service.getIndividualEnrollment(unreadable.registrationId), /Not found/);
  });
});
