import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { DpsError } from '../../emulator/state/dps/dps-errors.js';
import { derivedDeviceKey } from '../../emulator/state/dps/registration-auth.js';
import { presentedCertificate } from '../../emulator/state/presented-certificate.js';
import { deviceCertificate } from '../../src/flows/x509-certificates.js';
import { desk, GROUP_KEY, ID_SCOPE, PRIMARY, SECONDARY } from './dps-desk-fixture.js';
import { keyFromSeed } from './fixtures.js';

/**
 * Symmetric-key registration (registration-desk.ts, registration-auth.ts): which enrollment a device's
 * token attests, and which tokens are no registration token at all. Groups: test/dps/provisioning-state.
 */
let deviceCertificatePem = '';

before(async () => {
  deviceCertificatePem = (await deviceCertificate('ind-4')).cert;
});

function refusedWith(action: () => unknown, status: number, errorCode: number): void {
  assert.throws(action, (error: unknown) => error instanceof DpsError && error.status === status && error.errorCode === errorCode);
}

void describe('individual symmetric-key enrollments', () => {
  void it('assigns the device named by the enrollment, with the enrollment\'s keys, for a token signed with either key', () => {
    const hub = desk();
    hub.service.book.putEnrollment('ind-1', { registrationId: 'ind-1', deviceId: 'named', attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: PRIMARY, secondaryKey: SECONDARY } } }, undefined);
    const state = hub.register('ind-1', hub.token('ind-1', { key: SECONDARY })).registrationState;
    assert.deepEqual([state?.status, state?.deviceId, state?.attestationType, state?.enrollmentGroupId], ['assigned', 'named', 'symmetricKey', undefined]);
    assert.deepEqual(hub.registry.getDevice('named').keys, { primaryKey: PRIMARY, secondaryKey: SECONDARY });
  });

  void it('names the device after the registration id when the enrollment names none', () => {
    const hub = desk();
    hub.service.book.putEnrollment('ind-2', { registrationId: 'ind-2', attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: PRIMARY } } }, undefined);
    assert.equal(hub.register('ind-2', hub.token('ind-2')).registrationState?.deviceId, 'ind-2');
  });

  void it('wins over every group: a token signed with the group\'s derived key is refused for an enrolled id', () => {
    const hub = desk();
    hub.service.book.putEnrollment('ind-3', { registrationId: 'ind-3', attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: PRIMARY } } }, undefined);
    refusedWith(() => hub.register('ind-3', hub.token('ind-3', { key: derivedDeviceKey(GROUP_KEY, 'ind-3') })), 401, 401002);
    assert.equal(hub.registry.deviceCount(), 0);
  });

  void it('refuses a token for an enrollment that attests by X.509', () => {
    const hub = desk();
    hub.service.book.putEnrollment('ind-4', { registrationId: 'ind-4', attestation: { type: 'x509', x509: { clientCertificates: { primary: { certificate: deviceCertificatePem } } } } }, undefined);
    refusedWith(() => hub.register('ind-4', hub.token('ind-4')), 401, 401002);
  });
});

void describe('registration tokens (registration-auth.ts)', () => {
  void it('derives a group device\'s key from the base64-decoded group key (a fixed vector)', () => {
    // Computed once as base64(HMAC-SHA256(key = decoded GROUP_KEY, message = 'dev-a')), the docs' formula: a key
    // derived from the group key's text instead of its bytes gives another value.
    assert.equal(derivedDeviceKey(GROUP_KEY, 'dev-a'), 'kdoLh1hxRZ0j1A5LJj1sATagrDO5oshisZcvcXssfdM=');
  });

  void it('tells the adapters its ID scope and service key', () => {
    const hub = desk();
    assert.deepEqual([hub.service.idScope, hub.service.serviceKey], [ID_SCOPE, keyFromSeed(50)]);
  });

  void it('takes a token without skn, and an ID scope and registration path in any case', () => {
    const hub = desk();
    const key = derivedDeviceKey(GROUP_KEY, 'dev-a');
    assert.equal(hub.register('dev-a', hub.token('dev-a', { key, keyName: null })).status, 'assigned');
    assert.equal(hub.register('dev-a', hub.token('dev-a', { key, resource: `${ID_SCOPE.toUpperCase()}/REGISTRATIONS/dev-a` }), ID_SCOPE.toLowerCase()).status, 'assigned');
  });

  void it('refuses an expired token, another skn, another registration\'s resource, and no token at all (401002), assigning nothing', () => {
    const hub = desk();
    const key = derivedDeviceKey(GROUP_KEY, 'dev-b');
    for (const authorization of [
      hub.token('dev-b', { key, expiry: hub.nowSeconds }), hub.token('dev-b', { key, keyName: 'owner' }), hub.token('dev-b', { key, resource: `${ID_SCOPE}/registrations/dev-c` }),
      hub.token('dev-b', { key, resource: `other/registrations/dev-b` }), 'not a token',
    ]) {
      refusedWith(() => hub.register('dev-b', authorization), 401, 401002);
    }
    refusedWith(() => hub.service.desk.register({ idScope: ID_SCOPE, registrationId: 'dev-b', authorization: undefined, body: { registrationId: 'dev-b' } }), 401, 401002);
    assert.equal(hub.registry.deviceCount(), 0);
  });

  void it('prefers the token when a device sends a token and a client certificate', () => {
    const hub = desk();
    const certificate = presentedCertificate([new X509Certificate(deviceCertificatePem)]);
    const authorization = hub.token('dev-t', { key: derivedDeviceKey(GROUP_KEY, 'dev-t') });
    const { operationId } = hub.service.desk.register({ idScope: ID_SCOPE, registrationId: 'dev-t', authorization, certificate, body: { registrationId: 'dev-t' } });
    assert.equal(hub.service.desk.operationStatus({ idScope: ID_SCOPE, registrationId: 'dev-t', operationId, authorization }).registrationState?.attestationType, 'symmetricKey');
  });

  void it('answers an operation only to the registration that started it', () => {
    const hub = desk();
    const authorization = hub.token('dev-d', { key: derivedDeviceKey(GROUP_KEY, 'dev-d') });
    const { operationId } = hub.service.desk.register({ idScope: ID_SCOPE, registrationId: 'dev-d', authorization, body: { registrationId: 'dev-d' } });
    const other = hub.token('dev-e', { key: derivedDeviceKey(GROUP_KEY, 'dev-e') });
    refusedWith(() => hub.service.desk.operationStatus({ idScope: ID_SCOPE, registrationId: 'dev-e', operationId, authorization: other }), 404, 404204);
    assert.equal(hub.service.desk.operationStatus({ idScope: ID_SCOPE, registrationId: 'DEV-D', operationId, authorization: hub.token('DEV-D', { key: derivedDeviceKey(GROUP_KEY, 'DEV-D') }) }).status, 'assigned');
  });
});
