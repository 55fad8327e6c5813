import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSasToken } from '../../emulator/state/sas.js';
import { HubError, hubErrors } from '../../emulator/errors.js';
import { etagForVersion } from '../../emulator/state/etag.js';
import { asDpsError, DpsError, dpsErrors } from '../../emulator/state/dps/dps-errors.js';
import { derivedDeviceKey } from '../../emulator/state/dps/registration-auth.js';
import { newIdScope, newOperationId, ProvisioningService } from '../../emulator/state/dps/provisioning-service.js';
import type { ProvisioningChange } from '../../emulator/state/dps/provisioning-changes.js';
import { newRegistry } from '../unit/fixtures.js';

const GROUP_KEY = Buffer.alloc(32, 7).toString('base64');
const ID_SCOPE = '0ne0000ABCD';
const HUB = 'state-hub.azure-devices.net';

function newService(retryAfterSeconds = 2) {
  const { clock, registry } = newRegistry();
  let operations = 0;
  const service = new ProvisioningService({
    clock, registry, linkedHub: HUB, idScope: ID_SCOPE, serviceKey: GROUP_KEY, retryAfterSeconds,
    generateKey: () => Buffer.alloc(32, 9).toString('base64'), generateOperationId: () => `op-${++operations}`,
  });
  const changes: ProvisioningChange[] = [];
  service.changes.subscribe((change) => changes.push(change));
  return { clock, registry, service, changes };
}

/** As azure-iot-security-symmetric-key signs it: sr raw, skn=registration (wire notes §4). */
function deviceToken(registrationId: string, key: string, nowSeconds: number): string {
  return createSasToken({ resourceUri: `${ID_SCOPE}/registrations/${registrationId}`, base64Key: key, expiry: nowSeconds + 3600, keyName: 'registration' });
}

function rejectsWith(action: () => unknown, status: number, errorCode: number): void {
  assert.throws(action, (error: unknown) => error instanceof DpsError && error.status === status && error.errorCode === errorCode);
}

function withGroup(provisioningStatus = 'enabled') {
  const fixture = newService();
  fixture.service.book.putGroup('grp-1', {
    enrollmentGroupId: 'grp-1', provisioningStatus, attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: GROUP_KEY, secondaryKey: GROUP_KEY } },
    initialTwin: { tags: { site: 'a' }, properties: { desired: { rate: 5 } } }, capabilities: { iotEdge: false },
  }, undefined);
  const now = Math.floor(fixture.clock.now().getTime() / 1000);
  const register = (registrationId: string, key = derivedDeviceKey(GROUP_KEY, registrationId)) => {
    const authorization = deviceToken(registrationId, key, now);
    return { authorization, view: fixture.service.desk.register({ idScope: ID_SCOPE, registrationId, authorization, body: { registrationId } }) };
  };
  return { ...fixture, register };
}

void describe('provisioning state', () => {
  void it('assigns a group device to the hub with its derived key and the initial twin, assigning until the retry-after passed', () => {
    const { service, registry, clock, register } = withGroup();
    const { authorization, view } = register('dev-1');
    assert.equal(view.status, 'assigning');
    const poll = () => service.desk.operationStatus({ idScope: ID_SCOPE, registrationId: 'dev-1', operationId: view.operationId, authorization });
    assert.equal(poll().status, 'assigning');
    clock.advanceSeconds(2);
    const done = poll();
    assert.equal(done.status, 'assigned');
    assert.equal(done.registrationState?.assignedHub, HUB);
    assert.equal(done.registrationState.substatus, 'initialAssignment');
    const device = registry.getDevice('dev-1');
    assert.equal(device.keys.primaryKey, derivedDeviceKey(GROUP_KEY, 'dev-1'));
    assert.deepEqual(registry.getTwin({ deviceId: 'dev-1' }).desired.values, { rate: 5 });
    assert.deepEqual(registry.getTwin({ deviceId: 'dev-1' }).tags, { site: 'a' });
    assert.equal(service.desk.registrations.get('DEV-1').deviceId, 'dev-1');
  });

  void it('registering again returns the same device and leaves its twin as the back end changed it', () => {
    const { registry, register } = withGroup();
    register('dev-2');
    registry.patchTwin({ deviceId: 'dev-2' }, { desired: { rate: 9 } }, undefined);
    const generation = registry.getDevice('dev-2').generationId;
    register('dev-2');
    assert.equal(registry.getDevice('dev-2').generationId, generation);
    assert.equal(registry.deviceCount(), 1);
    assert.deepEqual(registry.getTwin({ deviceId: 'dev-2' }).desired.values, { rate: 9 });
  });

  void it('refuses a wrong key with 401002 and stores nothing', () => {
    const { service, registry, register, changes } = withGroup();
    const before = changes.length;
    rejectsWith(() => register('dev-3', Buffer.alloc(32, 1).toString('base64')), 401, 401002);
    assert.equal(registry.deviceCount(), 0);
    assert.equal(service.desk.registrations.find('dev-3'), undefined);
    assert.equal(changes.length, before);
  });

  void it('answers a disabled enrollment with status disabled, and the hub gains no device', () => {
    const { service, registry, clock, register } = withGroup('disabled');
    const { authorization, view } = register('dev-4');
    clock.advanceSeconds(2);
    assert.equal(service.desk.operationStatus({ idScope: ID_SCOPE, registrationId: 'dev-4', operationId: view.operationId, authorization }).status, 'disabled');
    assert.equal(registry.deviceCount(), 0);
    assert.equal(service.desk.registrations.find('dev-4'), undefined);
  });

  void it('refuses an unknown id scope (404), an unknown operation (404), a malformed body (400) and TPM (400)', () => {
    const { service, registry, register } = withGroup();
    const { authorization } = register('dev-5');
    const desk = service.desk;
    rejectsWith(() => desk.register({ idScope: '0neFFFFFFFF', registrationId: 'dev-5', authorization, body: { registrationId: 'dev-5' } }), 404, 404001);
    rejectsWith(() => desk.operationStatus({ idScope: ID_SCOPE, registrationId: 'dev-5', operationId: 'nope', authorization }), 404, 404204);
    rejectsWith(() => desk.register({ idScope: ID_SCOPE, registrationId: 'dev-5', authorization, body: { registrationId: 'other' } }), 400, 400004);
    rejectsWith(() => desk.register({ idScope: ID_SCOPE, registrationId: 'dev-5', authorization, body: [] }), 400, 400004);
    rejectsWith(() => desk.register({ idScope: ID_SCOPE, registrationId: 'dev-5', authorization, body: { registrationId: 'dev-5', tpm: { endorsementKey: 'AA==' } } }), 400, 400009);
    rejectsWith(() => service.book.putEnrollment('tpm-1', { registrationId: 'tpm-1', attestation: { type: 'tpm', tpm: { endorsementKey: 'AA==' } } }, undefined), 400, 400009);
    assert.equal(registry.deviceCount(), 1);
  });

  void it('needs the etag to replace an enrollment (409 without, 412 stale) and keeps the one stored', () => {
    const { service } = newService();
    const body = { registrationId: 'ind-1', attestation: { type: 'symmetricKey' }, provisioningStatus: 'enabled' };
    const first = service.book.putEnrollment('ind-1', body, undefined);
    rejectsWith(() => service.book.putEnrollment('ind-1', { ...body, provisioningStatus: 'disabled' }, undefined), 409, 409201);
    rejectsWith(() => service.book.putEnrollment('ind-1', { ...body, provisioningStatus: 'disabled' }, '"stale"'), 412, 412201);
    assert.equal(service.book.enrollments.get('ind-1').provisioningStatus, 'enabled');
    assert.equal(first.attestation.type === 'symmetricKey' && first.attestation.symmetricKey.primaryKey.length > 0, true);
  });

  void it('forgets enrollments, registration states and operations on clear, and says so', () => {
    const { service, register, changes } = withGroup();
    const { authorization, view } = register('dev-6');
    service.clear();
    assert.equal(changes.at(-1)?.type, 'provisioning-cleared');
    assert.deepEqual([service.book.groups.all(), service.desk.registrations.all()], [[], []]);
    rejectsWith(() => service.desk.operationStatus({ idScope: ID_SCOPE, registrationId: 'dev-6', operationId: view.operationId, authorization }), 401, 401002);
  });

  void it('resets the twin to the initial twin on registering again when the reprovision policy does not migrate device data', () => {
    const fixture = newService(0);
    const { service, registry, clock } = fixture;
    const key = Buffer.alloc(32, 3).toString('base64');
    service.book.putEnrollment('ind-r', {
      registrationId: 'ind-r', attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: key, secondaryKey: key } },
      initialTwin: { properties: { desired: { rate: 1 } } }, reprovisionPolicy: { updateHubAssignment: true, migrateDeviceData: false },
    }, undefined);
    const authorization = deviceToken('ind-r', key, Math.floor(clock.now().getTime() / 1000));
    const registerAndPoll = () => {
      const { operationId } = service.desk.register({ idScope: ID_SCOPE, registrationId: 'ind-r', authorization, body: { registrationId: 'ind-r' } });
      return service.desk.operationStatus({ idScope: ID_SCOPE, registrationId: 'ind-r', operationId, authorization });
    };
    assert.equal(registerAndPoll().registrationState?.substatus, 'initialAssignment');
    registry.patchTwin({ deviceId: 'ind-r' }, { desired: { rate: 7, extra: true } }, undefined);
    assert.equal(registerAndPoll().registrationState?.substatus, 'deviceDataReset');
    assert.deepEqual(registry.getTwin({ deviceId: 'ind-r' }).desired.values, { rate: 1 });
  });

  void it('deletes an enrollment, a group and a registration state only with a matching etag, announcing each, ids in any case', () => {
    const { service, register, changes } = withGroup();
    register('dev-7');
    service.book.putEnrollment('ind-d', { registrationId: 'ind-d', attestation: { type: 'symmetricKey' } }, undefined);
    rejectsWith(() => service.book.deleteEnrollment('ind-d', '"stale"'), 412, 412201);
    rejectsWith(() => service.book.deleteGroup('grp-1', '"stale"'), 412, 412201);
    rejectsWith(() => service.desk.deleteRegistration('dev-7', '"stale"'), 412, 412201);
    const before = changes.length;
    service.book.deleteEnrollment('IND-D', `"${etagForVersion(1)}"`);
    service.book.deleteGroup('GRP-1', '*');
    service.desk.deleteRegistration('DEV-7', undefined);
    assert.deepEqual(changes.slice(before), [
      { type: 'enrollment-deleted', registrationId: 'ind-d' }, { type: 'enrollment-group-deleted', enrollmentGroupId: 'grp-1' }, { type: 'registration-deleted', registrationId: 'dev-7' },
    ]);
    rejectsWith(() => service.book.enrollments.get('ind-d'), 404, 404201);
    rejectsWith(() => service.book.groups.get('grp-1'), 404, 404202);
    rejectsWith(() => service.desk.registrations.get('dev-7'), 404, 404203);
    rejectsWith(() => service.book.deleteEnrollment('ind-d', undefined), 404, 404201);
  });

  void it('answers a hub refusal met while assigning in DPS\'s shape with its status, and anything else as a 500', () => {
    assert.deepEqual(pick(asDpsError(hubErrors.argumentInvalid('bad id'))), [400, 400000, 'bad id']);
    const own = dpsErrors.unauthorized();
    assert.equal(asDpsError(own), own);
    assert.deepEqual(pick(asDpsError(new HubError({ status: 500, code: 'ServerError', message: 'down' }))), [500, 500000, 'Internal emulator error: down']);
    assert.deepEqual(pick(asDpsError('text')), [500, 500000, 'Internal emulator error: text']);
  });

  void it('makes ID scopes and operation ids in the forms DPS uses', () => {
    assert.equal(newIdScope(() => '00abcdef'), '0ne00ABCDEF');
    assert.equal(newOperationId(() => '0123456789abcdef', () => 'u-u-i-d'), '4.0123456789abcdef.u-u-i-d');
  });
});

function pick(error: DpsError): [number, number, string] {
  return [error.status, error.errorCode, error.message];
}

