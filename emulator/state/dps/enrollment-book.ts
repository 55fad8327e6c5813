import type { Clock } from '../clock.js';
import { ChangeFeed } from '../change-feed.js';
import { isJsonObject, type JsonObject } from '../json.js';
import type { KeyGenerator } from '../keys.js';
import { dpsErrors } from './dps-errors.js';
import { EtaggedStore } from './enrollment-store.js';
import { assertValidRegistrationId, parseDeviceId, parseEnrollmentSettings } from './enrollment-parse.js';
import type { EnrollmentGroupRecord, IndividualEnrollmentRecord } from './enrollment-types.js';
import type { ProvisioningChange } from './provisioning-changes.js';

export interface EnrollmentBookOptions {
  readonly clock: Clock;
  readonly linkedHub: string;
  readonly generateKey: KeyGenerator;
  readonly changes: ChangeFeed<ProvisioningChange>;
}

/** Individual enrollments and enrollment groups (service API `/enrollments`, `/enrollmentGroups`): validated, etagged, announced. */
export class EnrollmentBook {
  readonly enrollments = new EtaggedStore<IndividualEnrollmentRecord>(dpsErrors.enrollmentNotFound);
  readonly groups = new EtaggedStore<EnrollmentGroupRecord>(dpsErrors.enrollmentGroupNotFound);

  constructor(private readonly options: EnrollmentBookOptions) {}

  /** PUT /enrollments/{id}: the body's registrationId must be the path's (wire notes §8.4, bad request). */
  putEnrollment(id: string, body: unknown, ifMatch: string | undefined): IndividualEnrollmentRecord {
    assertValidRegistrationId(id);
    const object = bodyWithId(body, 'registrationId', id);
    const settings = parseEnrollmentSettings(object, this.options, 'individual');
    const deviceId = parseDeviceId(object.deviceId);
    const current = this.enrollments.assertReplaceable(id, ifMatch);
    const enrollment: IndividualEnrollmentRecord = { registrationId: current?.registrationId ?? id, deviceId, ...settings, ...this.stamps(current) };
    this.enrollments.set(id, enrollment);
    this.options.changes.announce({ type: 'enrollment-written', enrollment });
    return enrollment;
  }

  deleteEnrollment(id: string, ifMatch: string | undefined): void {
    const deleted = this.enrollments.delete(id, ifMatch);
    this.options.changes.announce({ type: 'enrollment-deleted', registrationId: deleted.registrationId });
  }

  putGroup(id: string, body: unknown, ifMatch: string | undefined): EnrollmentGroupRecord {
    assertValidRegistrationId(id, 'enrollmentGroupId');
    const object = bodyWithId(body, 'enrollmentGroupId', id);
    const settings = parseEnrollmentSettings(object, this.options, 'group');
    const current = this.groups.assertReplaceable(id, ifMatch);
    const group: EnrollmentGroupRecord = { enrollmentGroupId: current?.enrollmentGroupId ?? id, ...settings, ...this.stamps(current) };
    this.groups.set(id, group);
    this.options.changes.announce({ type: 'enrollment-group-written', group });
    return group;
  }

  deleteGroup(id: string, ifMatch: string | undefined): void {
    const deleted = this.groups.delete(id, ifMatch);
    this.options.changes.announce({ type: 'enrollment-group-deleted', enrollmentGroupId: deleted.enrollmentGroupId });
  }

  clear(): void {
    this.enrollments.clear();
    this.groups.clear();
  }

  private stamps(current: { revision: number; createdDateTimeUtc: string } | undefined): { revision: number; createdDateTimeUtc: string; lastUpdatedDateTimeUtc: string } {
    const now = this.options.clock.now().toISOString();
    return { revision: (current?.revision ?? 0) + 1, createdDateTimeUtc: current?.createdDateTimeUtc ?? now, lastUpdatedDateTimeUtc: now };
  }
}

function bodyWithId(body: unknown, field: string, id: string): JsonObject {
  const object = asObject(body);
  const given = object[field];
  if (typeof given !== 'string' || given.toLowerCase() !== id.toLowerCase()) throw dpsErrors.badRequest(`The body's ${field} must be the one in the path ('${id}').`);
  return object;
}

function asObject(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw dpsErrors.badRequest('The request body must be a JSON object.');
  return body;
}
