import type { JsonObject } from '../json.js';
import type { AuthenticationSpec } from '../identity-spec.js';
import type { SymmetricKeys } from '../keys.js';

/** Shapes of the DPS service API 2021-10-01 (swagger service.json; wire notes §8.3), as stored. */
export type ProvisioningStatus = 'enabled' | 'disabled';

export type Attestation =
  | { readonly type: 'symmetricKey'; readonly symmetricKey: SymmetricKeys }
  /** Stored as given (certificates, CA references), checked readable when written (x509-attestation.ts). */
  | { readonly type: 'x509'; readonly x509: JsonObject };

export interface InitialTwin {
  readonly tags: JsonObject;
  readonly desired: JsonObject;
}

export interface ReprovisionPolicy {
  readonly updateHubAssignment: boolean;
  readonly migrateDeviceData: boolean;
}

/** What every enrollment (individual or group) carries besides its id. */
export interface EnrollmentSettings {
  readonly attestation: Attestation;
  readonly provisioningStatus: ProvisioningStatus;
  readonly initialTwin: InitialTwin | undefined;
  readonly reprovisionPolicy: ReprovisionPolicy;
  readonly iotEdge: boolean;
  readonly allocationPolicy: 'hashed' | 'geoLatency' | 'static' | undefined;
  /** The linked hubs named by the enrollment (only this emulator's hub may be named). */
  readonly iotHubs: readonly string[] | undefined;
}

export interface IndividualEnrollmentRecord extends EnrollmentSettings {
  readonly registrationId: string;
  readonly deviceId: string | undefined;
  readonly revision: number;
  readonly createdDateTimeUtc: string;
  readonly lastUpdatedDateTimeUtc: string;
}

export interface EnrollmentGroupRecord extends EnrollmentSettings {
  readonly enrollmentGroupId: string;
  readonly revision: number;
  readonly createdDateTimeUtc: string;
  readonly lastUpdatedDateTimeUtc: string;
}

export type RegistrationStatus = 'assigned' | 'failed' | 'disabled';
export type RegistrationSubstatus = 'initialAssignment' | 'deviceDataMigrated' | 'deviceDataReset';

/** DeviceRegistrationState (service API) / DeviceRegistrationResult (device API). */
export interface RegistrationRecord {
  readonly registrationId: string;
  readonly status: RegistrationStatus;
  readonly substatus: RegistrationSubstatus | undefined;
  readonly assignedHub: string | undefined;
  readonly deviceId: string | undefined;
  /** Set when the device came in through a group. */
  readonly enrollmentGroupId: string | undefined;
  /** How the device attested; absent on records kept before X.509 attestation was served (symmetric key). */
  readonly attestationType?: 'symmetricKey' | 'x509';
  readonly errorCode: number | undefined;
  readonly errorMessage: string | undefined;
  readonly payload: JsonObject | undefined;
  readonly revision: number;
  readonly createdDateTimeUtc: string;
  readonly lastUpdatedDateTimeUtc: string;
}

/** A device registration request in flight (assigning), then done: the device polls it by id. */
export interface OperationRecord {
  readonly operationId: string;
  readonly registrationId: string;
  /** When a poll first sees the outcome (now + retry-after): before that the operation is `assigning`. */
  readonly readyAt: number;
  readonly outcome: RegistrationRecord;
}

/** The enrollment a device's credential matched, and what the hub device is to be. */
export interface EnrollmentMatch {
  readonly settings: EnrollmentSettings;
  readonly attestationType: 'symmetricKey' | 'x509';
  /** The hub identity's authentication: the (derived) keys, or SHA-256 thumbprints of the device certificate. */
  readonly authentication: AuthenticationSpec;
  readonly deviceId: string;
  readonly enrollmentGroupId: string | undefined;
}
