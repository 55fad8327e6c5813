import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DpsError } from '../../emulator/state/dps/dps-errors.js';
import type { ProvisioningChange } from '../../emulator/state/dps/provisioning-changes.js';
import { derivedDeviceKey } from '../../emulator/state/dps/registration-auth.js';
import { desk, GROUP_KEY, ID_SCOPE } from './dps-desk-fixture.js';
import { keyFromSeed } from './fixtures.js';

/** What a symmetric-key registration does to the hub (hub-assignment.ts) and to its registration state and operation (registration-desk.ts). */
void describe('assigning to the hub (hub-assignment.ts)', () => {
  const TWIN_GROUP_KEY = keyFromSeed(43);

  function groupWithInitialTwin(hub: ReturnType<typeof desk>, initialTwin: unknown) {
    hub.service.book.putGroup('twin-grp', { enrollmentGroupId: 'twin-grp', attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: TWIN_GROUP_KEY, secondaryKey: TWIN_GROUP_KEY } }, initialTwin }, '*');
  }

  void it('merges the initial twin into a device the back end made before its first registration', () => {
    const hub = desk();
    groupWithInitialTwin(hub, { tags: { site: 'a' }, properties: { desired: { rate: 5 } } });
    hub.registry.createDevice('made-first', undefined);
    hub.registry.patchTwin({ deviceId: 'made-first' }, { tags: { owner: 'ops' }, desired: { mode: 'eco' } }, undefined);
    assert.equal(hub.register('made-first', hub.token('made-first', { key: derivedDeviceKey(TWIN_GROUP_KEY, 'made-first') })).registrationState?.substatus, 'initialAssignment');
    const twin = hub.registry.getTwin({ deviceId: 'made-first' });
    assert.deepEqual([twin.tags, twin.desired.values], [{ owner: 'ops', site: 'a' }, { mode: 'eco', rate: 5 }]);
  });

  void it('touches no twin section the initial twin leaves empty', () => {
    const hub = desk();
    groupWithInitialTwin(hub, { tags: { site: 'a' } });
    hub.register('tags-only', hub.token('tags-only', { key: derivedDeviceKey(TWIN_GROUP_KEY, 'tags-only') }));
    assert.equal(hub.registry.getTwin({ deviceId: 'tags-only' }).desired.version, 1, 'desired was not patched');
    groupWithInitialTwin(hub, { properties: { desired: { rate: 1 } } });
    hub.register('desired-only', hub.token('desired-only', { key: derivedDeviceKey(TWIN_GROUP_KEY, 'desired-only') }));
    assert.deepEqual(hub.registry.getTwin({ deviceId: 'desired-only' }).tags, {});
    groupWithInitialTwin(hub, undefined);
    const before = hub.registry.changes;
    let twinChanges = 0;
    before.subscribe((change) => { if (change.type === 'tags-updated' || change.type === 'desired-properties-patched') twinChanges += 1; });
    hub.register('plain', hub.token('plain', { key: derivedDeviceKey(TWIN_GROUP_KEY, 'plain') }));
    assert.equal(twinChanges, 0, 'no initial twin, no twin write');
  });
});

void describe('registration states and operations (registration-desk.ts)', () => {
  void it('keeps a registration\'s creation time over registrations again, advancing its revision and announcing each', () => {
    const hub = desk();
    const announced: ProvisioningChange[] = [];
    hub.service.changes.subscribe((change) => announced.push(change));
    const authorization = hub.token('dev-r', { key: derivedDeviceKey(GROUP_KEY, 'dev-r') });
    const first = hub.register('dev-r', authorization).registrationState;
    hub.clock.advanceSeconds(30);
    const second = hub.register('dev-r', authorization).registrationState;
    assert.deepEqual([second?.revision, second?.createdDateTimeUtc, second?.attestationType, second?.enrollmentGroupId], [2, first?.createdDateTimeUtc, 'symmetricKey', 'grp']);
    assert.notEqual(second?.lastUpdatedDateTimeUtc, first?.lastUpdatedDateTimeUtc);
    assert.deepEqual(announced.map((change) => change.type === 'registration-written' && change.registration.revision), [1, 2]);
  });

  void it('answers assigning until the retry-after has passed on the clock, to the second', () => {
    const hub = desk(2);
    const authorization = hub.token('dev-w', { key: derivedDeviceKey(GROUP_KEY, 'dev-w') });
    const { operationId } = hub.service.desk.register({ idScope: ID_SCOPE, registrationId: 'dev-w', authorization, body: { registrationId: 'dev-w' } });
    const poll = () => hub.service.desk.operationStatus({ idScope: ID_SCOPE, registrationId: 'dev-w', operationId, authorization }).status;
    hub.clock.advanceSeconds(1.999);
    assert.equal(poll(), 'assigning');
    hub.clock.advanceSeconds(0.001);
    assert.equal(poll(), 'assigned');
  });

  void it('tells a device of a disabled group why, and what was wrong with a body it refused', () => {
    const hub = desk();
    hub.service.book.putGroup('grp', { enrollmentGroupId: 'grp', provisioningStatus: 'disabled', attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: GROUP_KEY, secondaryKey: GROUP_KEY } } }, '*');
    const authorization = hub.token('dev-x', { key: derivedDeviceKey(GROUP_KEY, 'dev-x') });
    assert.equal(hub.register('dev-x', authorization).registrationState?.errorMessage, 'The enrollment of this device is disabled.');
    const refusal = (body: unknown): string => {
      try {
        hub.service.desk.register({ idScope: ID_SCOPE, registrationId: 'dev-x', authorization, body });
      } catch (error) {
        assert.ok(error instanceof DpsError);
        return error.message;
      }
      return assert.fail('expected a refusal');
    };
    assert.equal(refusal('dev-x'), 'The registration request body must be a JSON object {registrationId[, payload]}.');
    assert.equal(refusal({ registrationId: 5 }), "The body's registrationId must be the one in the path ('dev-x').");
    assert.match(refusal({ registrationId: 'dev-x', tpm: {} }), /^TPM attestation is not supported/);
    const upper = hub.token('DEV-X', { key: derivedDeviceKey(GROUP_KEY, 'DEV-X') });
    const view = hub.service.desk.register({ idScope: ID_SCOPE, registrationId: 'DEV-X', authorization: upper, body: { registrationId: 'dev-x' } });
    assert.equal(view.status, 'assigning', 'the body\'s id compares with the path\'s without regard to case');
  });
});
