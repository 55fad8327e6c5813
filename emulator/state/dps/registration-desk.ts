import type { X509Certificate } from 'node:crypto';
import type { PresentedCertificate } from '../presented-certificate.js';
import type { SasToken } from '../sas.js';
import type { ChangeFeed } from '../change-feed.js';
import type { Clock } from '../clock.js';
import type { AuthenticationSpec } from '../identity-spec.js';
import { isJsonObject } from '../json.js';
import type { SymmetricKeys } from '../keys.js';
import type { IdentityRegistry } from '../registry.js';
import { dpsErrors } from './dps-errors.js';
import type { EnrollmentBook } from './enrollment-book.js';
import { assertValidRegistrationId } from './enrollment-parse.js';
import { EtaggedStore } from './enrollment-store.js';
import { matchCertificateEnrollment } from './certificate-enrollment.js';
import type { EnrollmentMatch, OperationRecord, RegistrationRecord } from './enrollment-types.js';
import { assignToHub } from './hub-assignment.js';
import type { ProvisioningChange } from './provisioning-changes.js';
import { derivedDeviceKeys, parseRegistrationToken, requireToken, tokenSignedWith } from './registration-auth.js';

/** Operations kept for polling; the oldest go first (a device polls within seconds of registering). */
const MAX_OPERATIONS = 10_000;

export interface DeviceRequest {
  readonly idScope: string;
  readonly registrationId: string;
  readonly authorization: string | undefined;
  /** The TLS client certificate of the connection (X.509 attestation, wire notes §5.1); used when no token is sent. */
  readonly certificate?: PresentedCertificate | undefined;
}

/** What the device is told: the operation, `assigning` until its retry-after has passed on the clock. */
export interface OperationView {
  readonly operationId: string;
  readonly status: 'assigning' | RegistrationRecord['status'];
  readonly registrationState: RegistrationRecord | undefined;
}

export interface RegistrationDeskOptions {
  readonly clock: Clock;
  readonly registry: IdentityRegistry;
  readonly book: EnrollmentBook;
  readonly idScope: string;
  readonly linkedHub: string;
  readonly retryAfterSeconds: number;
  readonly generateOperationId: () => string;
  readonly changes: ChangeFeed<ProvisioningChange>;
  /** The CA certificates an X.509 group's `caReferences` name stands for; none when absent. */
  readonly caReference?: (name: string) => readonly X509Certificate[];
}

/**
 * The device registration API (device.json 2021-06-01; wire notes §2-§4): attest the device's SAS
 * token against its enrollment (individual first, then the groups by derived key), assign it to the
 * linked hub, keep its registration state, and answer polls of the operation.
 */
export class RegistrationDesk {
  readonly registrations = new EtaggedStore<RegistrationRecord>(dpsErrors.registrationNotFound);
  private readonly operations = new Map<string, OperationRecord>();

  constructor(private readonly options: RegistrationDeskOptions) {}

  register(request: DeviceRequest & { readonly body: unknown }): OperationView {
    this.assertScope(request.idScope);
    assertValidRegistrationId(request.registrationId);
    assertRegisterBody(request.body, request.registrationId);
    const match = this.attest(request);
    const outcome = match.settings.provisioningStatus === 'disabled' ? this.refusedAsDisabled(request.registrationId) : this.assign(request.registrationId, match);
    const operation: OperationRecord = {
      operationId: this.options.generateOperationId(),
      registrationId: request.registrationId,
      readyAt: this.nowMs() + this.options.retryAfterSeconds * 1000,
      outcome,
    };
    this.remember(operation);
    return { operationId: operation.operationId, status: 'assigning', registrationState: undefined };
  }

  /** GET .../operations/{operationId}: the same token as the registration; an unknown operation is 404. */
  operationStatus(request: DeviceRequest & { readonly operationId: string }): OperationView {
    this.assertScope(request.idScope);
    assertValidRegistrationId(request.registrationId);
    this.attest(request);
    const operation = this.operations.get(request.operationId);
    if (operation === undefined || operation.registrationId.toLowerCase() !== request.registrationId.toLowerCase()) throw dpsErrors.operationNotFound(request.operationId);
    if (this.nowMs() < operation.readyAt) return { operationId: operation.operationId, status: 'assigning', registrationState: undefined };
    return { operationId: operation.operationId, status: operation.outcome.status, registrationState: operation.outcome };
  }

  deleteRegistration(id: string, ifMatch: string | undefined): void {
    const deleted = this.registrations.delete(id, ifMatch);
    this.options.changes.announce({ type: 'registration-deleted', registrationId: deleted.registrationId });
  }

  clear(): void {
    this.registrations.clear();
    this.operations.clear();
  }

  private assertScope(idScope: string): void {
    if (idScope.toLowerCase() !== this.options.idScope.toLowerCase()) throw dpsErrors.unknownIdScope();
  }

  /**
   * The enrollment whose key signed the token, or, when the device sent no token, the one its TLS
   * client certificate attests (certificate-enrollment.ts); 401 (401002) when none does.
   */
  private attest(request: DeviceRequest): EnrollmentMatch {
    const { registrationId } = request;
    if (request.authorization === undefined && request.certificate !== undefined) {
      return matchCertificateEnrollment(request.certificate, registrationId, { book: this.options.book, now: new Date(this.nowMs()), caReference: this.options.caReference ?? (() => []) });
    }
    const token = requireToken(parseRegistrationToken(request.authorization, { ...request, nowSeconds: Math.floor(this.nowMs() / 1000) }));
    const match = this.matchEnrollment(registrationId, token);
    if (match === undefined) throw dpsErrors.unauthorized();
    return match;
  }

  /** docs ("Enrollment"): an individual enrollment for the registration id wins over every group. */
  private matchEnrollment(registrationId: string, token: SasToken): EnrollmentMatch | undefined {
    const individual = this.options.book.enrollments.find(registrationId);
    if (individual !== undefined) {
      const { attestation } = individual;
      if (attestation.type !== 'symmetricKey' || !tokenSignedWith(token, attestation.symmetricKey)) return undefined;
      return { settings: individual, attestationType: 'symmetricKey', authentication: sasOf(attestation.symmetricKey), deviceId: individual.deviceId ?? registrationId, enrollmentGroupId: undefined };
    }
    for (const group of this.options.book.groups.all()) {
      if (group.attestation.type !== 'symmetricKey') continue;
      const keys = derivedDeviceKeys(group.attestation.symmetricKey, registrationId);
      if (tokenSignedWith(token, keys)) return { settings: group, attestationType: 'symmetricKey', authentication: sasOf(keys), deviceId: registrationId, enrollmentGroupId: group.enrollmentGroupId };
    }
    return undefined;
  }

  private assign(registrationId: string, match: EnrollmentMatch): RegistrationRecord {
    const previous = this.registrations.find(registrationId);
    const substatus = assignToHub(this.options.registry, { deviceId: match.deviceId, authentication: match.authentication, settings: match.settings, firstAssignment: previous === undefined });
    const now = new Date(this.nowMs()).toISOString();
    const registration: RegistrationRecord = {
      registrationId: previous?.registrationId ?? registrationId,
      status: 'assigned',
      substatus,
      assignedHub: this.options.linkedHub,
      deviceId: match.deviceId,
      enrollmentGroupId: match.enrollmentGroupId,
      attestationType: match.attestationType,
      errorCode: undefined,
      errorMessage: undefined,
      payload: undefined,
      revision: (previous?.revision ?? 0) + 1,
      createdDateTimeUtc: previous?.createdDateTimeUtc ?? now,
      lastUpdatedDateTimeUtc: now,
    };
    this.registrations.set(registrationId, registration);
    this.options.changes.announce({ type: 'registration-written', registration });
    return registration;
  }

  /** A disabled enrollment: the result status is `disabled` (docs); neither the hub nor the registration states change. */
  private refusedAsDisabled(registrationId: string): RegistrationRecord {
    const now = new Date(this.nowMs()).toISOString();
    return {
      registrationId, status: 'disabled', substatus: undefined, assignedHub: undefined, deviceId: undefined, enrollmentGroupId: undefined,
      errorCode: undefined, errorMessage: 'The enrollment of this device is disabled.', payload: undefined, revision: 0, createdDateTimeUtc: now, lastUpdatedDateTimeUtc: now,
    };
  }

  private remember(operation: OperationRecord): void {
    this.operations.set(operation.operationId, operation);
    if (this.operations.size <= MAX_OPERATIONS) return;
    const oldest = this.operations.keys().next().value;
    if (oldest !== undefined) this.operations.delete(oldest);
  }

  private nowMs(): number {
    return this.options.clock.now().getTime();
  }
}

/** DeviceRegistration (device.json): `{registrationId, payload?, tpm?}`; the id must be the path's. */
function assertRegisterBody(body: unknown, registrationId: string): void {
  if (!isJsonObject(body)) throw dpsErrors.badRequest('The registration request body must be a JSON object {registrationId[, payload]}.');
  if (body.tpm !== undefined) throw dpsErrors.notSupported('TPM attestation');
  if (typeof body.registrationId !== 'string' || body.registrationId.toLowerCase() !== registrationId.toLowerCase()) {
    throw dpsErrors.badRequest(`The body's registrationId must be the one in the path ('${registrationId}').`);
  }
}

const sasOf = (keys: SymmetricKeys): AuthenticationSpec => ({ type: 'sas', symmetricKey: keys });
