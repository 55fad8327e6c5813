import type { JsonObject } from '../json.js';
import type { SymmetricKeys } from '../keys.js';

/** Shapes of the DPS service API 2021-10-01 (swagger service.json; wire notes §8.3), as stored. */
export type ProvisioningStatus = 'enabled' | 'disabled';

export type Attestation =
  | { readonly type: 'symmetricKey'; readonly symmetricKey: SymmetricKeys }
  /** Stored as given (certificates, CA references); devices presenting certificates are not yet served. */
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
