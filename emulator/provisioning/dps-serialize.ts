import { etagForVersion } from '../state/etag.js';
import type { JsonObject } from '../state/json.js';
import type { EnrollmentGroupRecord, EnrollmentSettings, IndividualEnrollmentRecord, RegistrationRecord } from '../state/dps/enrollment-types.js';

/**
 * Symmetric keys are not read back from an enrollment (by design, azure-iot-sdk-java#674): only the
 * attestationmechanism operation returns them. `withKeys` is that operation's form.
 */
export function attestationJson(settings: EnrollmentSettings, withKeys: boolean): JsonObject {
  const { attestation } = settings;
  if (attestation.type === 'x509') return { type: 'x509', x509: attestation.x509 };
  return { type: 'symmetricKey', symmetricKey: withKeys ? { ...attestation.symmetricKey } : {} };
}

function settingsJson(settings: EnrollmentSettings): JsonObject {
  const initial = settings.initialTwin;
  return {
    attestation: attestationJson(settings, false),
    provisioningStatus: settings.provisioningStatus,
    reprovisionPolicy: { ...settings.reprovisionPolicy },
    capabilities: { iotEdge: settings.iotEdge },
    ...(initial === undefined ? {} : { initialTwin: { tags: initial.tags, properties: { desired: initial.desired } } }),
    ...(settings.allocationPolicy === undefined ? {} : { allocationPolicy: settings.allocationPolicy }),
    ...(settings.iotHubs === undefined ? {} : { iotHubs: [...settings.iotHubs], iotHubHostName: settings.iotHubs[0] ?? null }),
  };
}

const stamps = (record: { revision: number; createdDateTimeUtc: string; lastUpdatedDateTimeUtc: string }): JsonObject => ({
  etag: etagForVersion(record.revision),
  createdDateTimeUtc: record.createdDateTimeUtc,
  lastUpdatedDateTimeUtc: record.lastUpdatedDateTimeUtc,
});

export function enrollmentJson(enrollment: IndividualEnrollmentRecord, registration: RegistrationRecord | undefined): JsonObject {
  return {
    registrationId: enrollment.registrationId,
    ...(enrollment.deviceId === undefined ? {} : { deviceId: enrollment.deviceId }),
    ...settingsJson(enrollment),
    ...(registration === undefined ? {} : { registrationState: registrationJson(registration) }),
    ...stamps(enrollment),
  };
}

export function enrollmentGroupJson(group: EnrollmentGroupRecord): JsonObject {
  return { enrollmentGroupId: group.enrollmentGroupId, ...settingsJson(group), ...stamps(group) };
}

/** DeviceRegistrationState (service API) and DeviceRegistrationResult (device API): absent fields left out. */
export function registrationJson(registration: RegistrationRecord): JsonObject {
  const optional: JsonObject = {};
  if (registration.substatus !== undefined) optional.substatus = registration.substatus;
  if (registration.assignedHub !== undefined) optional.assignedHub = registration.assignedHub;
  if (registration.deviceId !== undefined) optional.deviceId = registration.deviceId;
  if (registration.errorCode !== undefined) optional.errorCode = registration.errorCode;
  if (registration.errorMessage !== undefined) optional.errorMessage = registration.errorMessage;
  if (registration.payload !== undefined) optional.payload = registration.payload;
  // DeviceRegistrationResult: the attestation's own object, `x509` or `symmetricKey`, naming the group (wire notes §2.2).
  const attestation: JsonObject = registration.enrollmentGroupId === undefined ? {} : { enrollmentGroupId: registration.enrollmentGroupId };
  if (registration.attestationType === 'x509') optional.x509 = attestation;
  else if (registration.enrollmentGroupId !== undefined) optional.symmetricKey = attestation;
  return { registrationId: registration.registrationId, status: registration.status, ...optional, ...stamps(registration) };
}
