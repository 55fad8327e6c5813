import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { certificateAuthority } from '../../src/flows/x509-certificates.js';
import { DpsFixture, deriveDeviceKey, newId, newKey } from './dps-fixture.js';

type ServiceClient = ReturnType<DpsFixture['serviceClient']>;

function individual(registrationId: string, extra: Record<string, unknown> = {}): never {
  return { registrationId, attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: newKey(), secondaryKey: newKey() } }, ...extra } as never;
}

/** Pages through a query with the SDK's `next(continuationToken)`, the form that pages forward (wire notes §8.4). */
async function allPages(query: ReturnType<ServiceClient['createIndividualEnrollmentQuery']>): Promise<{ pages: number; ids: string[] }> {
  const ids: string[] = [];
  let pages = 0;
  do {
    // Typed as a string, but null before the first page.
    const token = query.continuationToken as string | null;
    const { responseBody } = await (token === null ? query.next() : query.next(token));
    pages += 1;
    assert.ok(pages <= 50, 'the last page must come without x-ms-continuation');
    ids.push(...(responseBody as unknown as Array<{ registrationId: string }>).map((entry) => entry.registrationId));
  } while (query.hasMoreResults);
  return { pages, ids };
}

/** The service API as azure-iot-provisioning-service calls it: etags, keys, query, bulk, registration states. */
void describe('provisioning service API', () => {
  let dps: DpsFixture;
  let service: ServiceClient;

  before(async () => {
    dps = await DpsFixture.start();
    service = dps.serviceClient();
  });
  after(() => dps.stop());

  void it('provisions an individual enrollment under its deviceId with its edge capability, and the enrollment then carries the registration state', async () => {
    const registrationId = newId('ind');
    const deviceId = newId('named');
    const { responseBody: created } = await service.createOrUpdateIndividualEnrollment(individual(registrationId, { deviceId, capabilities: { iotEdge: true } }));
    const { responseBody: mechanism } = await service.getIndividualEnrollmentAttestationMechanism(registrationId);
    const key = mechanism.symmetricKey?.primaryKey ?? '';
    assert.equal(created.attestation.symmetricKey?.primaryKey, undefined, 'keys are not read back from the enrollment');
    const result = await dps.register(registrationId, key);
    assert.equal(result?.deviceId, deviceId);
    const { responseBody: device } = await dps.hubRegistry().get(deviceId);
    assert.equal(device.capabilities?.iotEdge, true);
    assert.equal(device.authentication?.symmetricKey?.primaryKey, key);
    const { responseBody: read } = await service.getIndividualEnrollment(registrationId);
    assert.equal(read.registrationState.status, 'assigned');
  });

  void it('replaces an enrollment with its etag, and refuses a stale one (412) without changing it', async () => {
    const registrationId = newId('etag');
    const { responseBody: first } = await service.createOrUpdateIndividualEnrollment(individual(registrationId));
    const { responseBody: second } = await service.createOrUpdateIndividualEnrollment({ ...first, provisioningStatus: 'disabled' } as never);
    assert.notEqual(second.etag, first.etag);
    await assert.rejects(service.createOrUpdateIndividualEnrollment({ ...first, provisioningStatus: 'enabled' } as never), (error: Error) => error.name === 'InvalidEtagError');
    const { responseBody: stored } = await service.getIndividualEnrollment(registrationId);
    assert.equal(stored.provisioningStatus, 'disabled');
  });

  void it('refuses TPM attestation as not supported by this emulator (400), and stores nothing', async () => {
    const registrationId = newId('tpm');
    const enrollment = { registrationId, attestation: { type: 'tpm', tpm: { endorsementKey: 'AAAA' } } };
    await assert.rejects(service.createOrUpdateIndividualEnrollment(enrollment as never), (error: Error & { responseBody?: string }) => error.name === 'ArgumentError' && /not supported by this emulator/.test(error.responseBody ?? ''));
    await assert.rejects(service.getIndividualEnrollment(registrationId), /Not found/);
  });

  void it('stores an X.509 group as given', async () => {
    const enrollmentGroupId = newId('x509');
    // Base64 of the PEM text, as the SDK's e2e tests send signing certificates (wire notes §5.3).
    const signer = await certificateAuthority(`${enrollmentGroupId}-ca`);
    const x509 = { signingCertificates: { primary: { certificate: Buffer.from(signer.cert).toString('base64') } } };
    await service.createOrUpdateEnrollmentGroup({ enrollmentGroupId, attestation: { type: 'x509', x509 } } as never);
    const { responseBody: group } = await service.getEnrollmentGroup(enrollmentGroupId);
    assert.deepEqual(group.attestation, { type: 'x509', x509 });
  });

  void it('runs a bulk create, reporting the conflicting entry, and pages a query with x-ms-continuation', async () => {
    const ids = [newId('bulk'), newId('bulk'), newId('bulk')];
    const existing = ids[0] ?? '';
    await service.createOrUpdateIndividualEnrollment(individual(existing));
    const outcome = await new Promise<{ isSuccessful: boolean; errors: Array<{ registrationId: string; errorCode: number }> }>((resolve, reject) => {
      // Only the callback form settles (wire notes §8.4, SDK quirk).
      service.runBulkEnrollmentOperation({ mode: 'create', enrollments: ids.map((id) => individual(id)) } as never, (error, result) => (error ? reject(error) : resolve(result as never)));
    });
    assert.equal(outcome.isSuccessful, false);
    assert.deepEqual(outcome.errors.map((entry) => [entry.registrationId, entry.errorCode]), [[existing, 409201]]);
    const { pages, ids: listed } = await allPages(service.createIndividualEnrollmentQuery({ query: '*' }, 2));
    for (const id of ids) assert.ok(listed.includes(id), `${id} listed`);
    assert.equal(new Set(listed).size, listed.length);
    assert.equal(pages, Math.ceil(listed.length / 2));
  });

  void it('deletes a registration state and then the enrollment, each gone afterwards', async () => {
    const registrationId = newId('del');
    const { responseBody: mechanism } = await service.createOrUpdateIndividualEnrollment(individual(registrationId)).then(() => service.getIndividualEnrollmentAttestationMechanism(registrationId));
    await dps.register(registrationId, mechanism.symmetricKey?.primaryKey ?? '');
    await service.deleteDeviceRegistrationState(registrationId);
    await assert.rejects(service.getDeviceRegistrationState(registrationId), /Not found/);
    await service.deleteIndividualEnrollment(registrationId);
    await assert.rejects(service.getIndividualEnrollment(registrationId), /Not found/);
  });

  void it('lists the registration states of a group (POST /registrations/{groupId}/query) and no registration from outside it', async () => {
    const groupKey = newKey();
    const groupId = newId('grp');
    await service.createOrUpdateEnrollmentGroup({ enrollmentGroupId: groupId, attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: groupKey, secondaryKey: newKey() } } } as never);
    const members = [newId('member'), newId('member')];
    for (const member of members) await dps.register(member, deriveDeviceKey(groupKey, member));
    const outsider = newId('outsider');
    await service.createOrUpdateIndividualEnrollment(individual(outsider));
    const { responseBody: mechanism } = await service.getIndividualEnrollmentAttestationMechanism(outsider);
    await dps.register(outsider, mechanism.symmetricKey?.primaryKey ?? '');
    const { responseBody } = await service.createEnrollmentGroupDeviceRegistrationStateQuery({ query: '*' }, groupId).next();
    const listed = (responseBody as unknown as Array<{ registrationId: string; deviceId: string }>).map((state) => state.registrationId).sort();
    assert.deepEqual(listed, [...members].sort());
  });

  void it('forgets enrollments and registration states when the control plane resets the emulator', async () => {
    const registrationId = newId('reset');
    await service.createOrUpdateIndividualEnrollment(individual(registrationId));
    dps.emulator.control.reset();
    await assert.rejects(service.getIndividualEnrollment(registrationId), /Not found/);
    const { ids } = await allPages(service.createIndividualEnrollmentQuery({ query: '*' }, 10));
    assert.deepEqual(ids, []);
  });
});
