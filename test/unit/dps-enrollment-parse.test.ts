import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DpsError } from '../../emulator/state/dps/dps-errors.js';
import { assertValidRegistrationId, parseDeviceId, parseEnrollmentSettings, type EnrollmentKind } from '../../emulator/state/dps/enrollment-parse.js';
import type { JsonObject } from '../../emulator/state/json.js';
import { deviceCertificate } from '../../src/flows/x509-certificates.js';

const HUB = 'parse-hub.azure-devices.net';
const GENERATED = Buffer.alloc(32, 9).toString('base64');
const GIVEN = Buffer.alloc(32, 3).toString('base64');
const context = { linkedHub: HUB, generateKey: () => GENERATED };
const SYMMETRIC = { type: 'symmetricKey' };
let devicePem = '';

before(async () => {
  devicePem = (await deviceCertificate('parse-dev')).cert;
});

const parse = (body: JsonObject, kind: EnrollmentKind = 'individual') => parseEnrollmentSettings(body, context, kind);

/** The DpsError an action throws, so each case can say which status, code and message it expects. */
function refusal(action: () => unknown): DpsError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof DpsError, `expected a DpsError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the body to be refused');
}

function refusedAsBadRequest(body: JsonObject, message: RegExp, kind: EnrollmentKind = 'individual'): void {
  const error = refusal(() => parse(body, kind));
  assert.deepEqual({ status: error.status, errorCode: error.errorCode }, { status: 400, errorCode: 400004 });
  assert.match(error.message, message);
}

void describe('DPS enrollment bodies (enrollment-parse.ts)', () => {
  void it('fills what a minimal symmetric-key body leaves out with the service defaults', () => {
    assert.deepEqual(parse({ attestation: SYMMETRIC }), {
      attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: GENERATED, secondaryKey: GENERATED } },
      provisioningStatus: 'enabled', initialTwin: undefined, reprovisionPolicy: { updateHubAssignment: true, migrateDeviceData: true },
      iotEdge: false, allocationPolicy: undefined, iotHubs: undefined,
    });
  });

  void it('keeps every setting a full body gives', () => {
    const settings = parse({
      attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: GIVEN, secondaryKey: '' } }, provisioningStatus: 'disabled',
      initialTwin: { tags: { site: 'a', $version: 3 }, properties: { desired: { rate: 5, version: 2, count: 1, metadata: {}, $metadata: {} } } },
      reprovisionPolicy: { updateHubAssignment: false, migrateDeviceData: false }, capabilities: { iotEdge: true },
      allocationPolicy: 'static', iotHubHostName: HUB.toUpperCase(), iotHubs: [HUB],
    });
    assert.deepEqual(settings, {
      attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: GIVEN, secondaryKey: GENERATED } },
      provisioningStatus: 'disabled', initialTwin: { tags: { site: 'a' }, desired: { rate: 5 } },
      reprovisionPolicy: { updateHubAssignment: false, migrateDeviceData: false }, iotEdge: true, allocationPolicy: 'static', iotHubs: [HUB],
    });
  });

  void it('takes null as left out, and an initial twin without properties as an empty desired', () => {
    const settings = parse({
      attestation: { type: 'symmetricKey', symmetricKey: null }, provisioningStatus: null, initialTwin: { tags: null }, reprovisionPolicy: { updateHubAssignment: null },
      capabilities: { iotEdge: null }, allocationPolicy: null, iotHubHostName: null, iotHubs: null,
    });
    assert.deepEqual(settings.initialTwin, { tags: {}, desired: {} });
    assert.deepEqual(settings.reprovisionPolicy, { updateHubAssignment: true, migrateDeviceData: true });
    assert.equal(settings.iotEdge, false);
    assert.equal(settings.iotHubs, undefined);
    assert.equal(parse({ attestation: SYMMETRIC, capabilities: null, reprovisionPolicy: null }).iotEdge, false);
    assert.equal(parse({ attestation: SYMMETRIC, initialTwin: null }).initialTwin, undefined);
    assert.deepEqual(parse({ attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: null, secondaryKey: GIVEN } } }).attestation, {
      type: 'symmetricKey', symmetricKey: { primaryKey: GENERATED, secondaryKey: GIVEN },
    });
  });

  void it('refuses an attestation it cannot read, naming what is wrong', () => {
    refusedAsBadRequest({}, /attestation is required/);
    refusedAsBadRequest({ attestation: 'symmetricKey' }, /attestation is required/);
    refusedAsBadRequest({ attestation: { type: 'password' } }, /attestation\.type must be symmetricKey, x509 or tpm, not password/);
    refusedAsBadRequest({ attestation: { type: 7 } }, /not given\.$/);
    refusedAsBadRequest({ attestation: { type: 'symmetricKey', symmetricKey: 'key' } }, /attestation\.symmetricKey must be an object/);
    refusedAsBadRequest({ attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: 42 } } }, /symmetricKey\.primaryKey must be a base64 string\.$/);
    refusedAsBadRequest({ attestation: { type: 'symmetricKey', symmetricKey: { secondaryKey: 'c2hvcnQ=' } } }, /symmetricKey\.secondaryKey must be a base64 string of 16 to 64 bytes/);
    refusedAsBadRequest({ attestation: { type: 'x509' } }, /needs its x509 certificates or CA references/);
    refusedAsBadRequest({ attestation: { type: 'x509', x509: { caReferences: { primary: 'root' } } } }, /individual enrollment's x509 attestation takes clientCertificates/);
    refusedAsBadRequest({ attestation: { type: 'x509', x509: { caReferences: { primary: '' } } } }, /caReferences needs a primary CA certificate name/, 'group');
    const clientCertificates = { primary: { certificate: devicePem } };
    refusedAsBadRequest({ attestation: { type: 'x509', x509: { clientCertificates } } }, /^An enrollment group's x509 attestation takes signingCertificates or caReferences, not clientCertificates\.$/, 'group');
    assert.deepEqual(parse({ attestation: { type: 'x509', x509: { clientCertificates } } }).attestation, { type: 'x509', x509: { clientCertificates } });
  });

  void it('answers TPM attestation and custom allocation as not supported by the emulator', () => {
    const bodies: JsonObject[] = [{ attestation: { type: 'tpm' } }, { attestation: SYMMETRIC, allocationPolicy: 'custom' }];
    for (const body of bodies) {
      const error = refusal(() => parse(body));
      assert.deepEqual({ status: error.status, errorCode: error.errorCode }, { status: 400, errorCode: 400009 });
      assert.match(error.message, /(TPM attestation|Custom allocation \(an Azure Function webhook\)) is not supported by this emulator/);
    }
  });

  void it('accepts a group naming its CA by reference, and keeps the x509 section as given', () => {
    const x509 = { caReferences: { primary: 'root-ca', secondary: 'other-ca' } };
    assert.deepEqual(parse({ attestation: { type: 'x509', x509 } }, 'group').attestation, { type: 'x509', x509 });
  });

  void it('refuses settings of the wrong type or outside their values', () => {
    refusedAsBadRequest({ attestation: SYMMETRIC, provisioningStatus: 'paused' }, /^provisioningStatus must be one of enabled, disabled\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, allocationPolicy: 'roundRobin' }, /^allocationPolicy must be one of hashed, geoLatency, static\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, initialTwin: 'twin' }, /^initialTwin must be an object \{tags, properties: \{desired\}\}\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, initialTwin: { properties: [] } }, /^initialTwin\.properties must be an object\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, initialTwin: { tags: 'a' } }, /^initialTwin tags must be an object\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, initialTwin: { properties: { desired: 5 } } }, /^initialTwin desired must be an object\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, reprovisionPolicy: true }, /^reprovisionPolicy must be an object\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, reprovisionPolicy: { migrateDeviceData: 'yes' } }, /^reprovisionPolicy\.migrateDeviceData must be true or false\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, reprovisionPolicy: { updateHubAssignment: 0 } }, /^reprovisionPolicy\.updateHubAssignment must be true or false\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, capabilities: 'edge' }, /^capabilities must be an object\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, capabilities: { iotEdge: 1 } }, /^capabilities\.iotEdge must be true or false\.$/);
  });

  void it('applies the twin rules to the initial twin, saying which section broke them', () => {
    refusedAsBadRequest({ attestation: SYMMETRIC, initialTwin: { tags: { 'a.b': 1 } } }, /^initialTwin tags: .+/);
    refusedAsBadRequest({ attestation: SYMMETRIC, initialTwin: { properties: { desired: { $bad: 1 } } } }, /^initialTwin desired: .+/);
  });

  void it('lets an enrollment name only the one linked hub', () => {
    assert.deepEqual(parse({ attestation: SYMMETRIC, iotHubs: [] }).iotHubs, undefined);
    assert.deepEqual(parse({ attestation: SYMMETRIC, iotHubHostName: HUB }).iotHubs, [HUB]);
    refusedAsBadRequest({ attestation: SYMMETRIC, iotHubs: HUB }, /^iotHubs must be an array of host names\.$/);
    refusedAsBadRequest({ attestation: SYMMETRIC, iotHubs: [HUB, 'other.azure-devices.net'] }, /^"other\.azure-devices\.net" is not a linked IoT hub .*the only one is parse-hub/);
    refusedAsBadRequest({ attestation: SYMMETRIC, iotHubHostName: 42 }, /^42 is not a linked IoT hub/);
  });
});

void describe('DPS registration and device ids (enrollment-parse.ts)', () => {
  void it('accepts registration ids of 1 to 128 allowed characters ending in an alphanumeric or -', () => {
    for (const id of ['a', 'Dev-1', 'a.b_c:d-', 'x'.repeat(128), '9']) assert.doesNotThrow(() => assertValidRegistrationId(id), id);
  });

  void it('refuses other registration ids (400), naming the field and quoting at most 140 characters', () => {
    for (const id of ['', 'x'.repeat(129), 'ends.', 'ends_', 'ends:', 'has space', 'slash/']) {
      const error = refusal(() => assertValidRegistrationId(id, 'enrollmentGroupId'));
      assert.equal(error.status, 400, id);
      assert.ok(error.message.startsWith(`The enrollmentGroupId '${id.slice(0, 140)}' is invalid: 1-128 alphanumerics`), error.message);
    }
    assert.ok(!refusal(() => assertValidRegistrationId('y'.repeat(200))).message.includes('y'.repeat(141)));
    assert.match(refusal(() => assertValidRegistrationId('bad id')).message, /^The registrationId 'bad id'/);
  });

  void it('reads an optional deviceId, refusing one that is not a string or not a valid device id', () => {
    assert.equal(parseDeviceId(undefined), undefined);
    assert.equal(parseDeviceId(null), undefined);
    assert.equal(parseDeviceId('device-1'), 'device-1');
    assert.match(refusal(() => parseDeviceId(5)).message, /^deviceId must be a string\.$/);
    assert.throws(() => parseDeviceId('bad device'));
  });
});
