import { asDpsError, dpsErrors } from '../state/dps/dps-errors.js';
import type { ProvisioningService } from '../state/dps/provisioning-service.js';
import { isJsonObject, type JsonValue } from '../state/json.js';
import { dpsJson, type DpsResponse } from './dps-http.js';

/** docs ("DPS quotas and limits"): at most 10 enrollments in one bulk operation. */
const MAX_BULK_ENROLLMENTS = 10;
const MODES = ['create', 'update', 'updateIfMatchETag', 'delete'] as const;
type BulkMode = (typeof MODES)[number];

/**
 * POST /enrollments (BulkEnrollmentOperation): each enrollment is written or deleted on its own; the
 * result lists the refused ones (`{isSuccessful, errors: [{registrationId, errorCode, errorStatus}]}`).
 * A malformed operation (mode, list, size) is refused whole, before anything is written.
 */
export function runBulkOperation(service: ProvisioningService, body: unknown): DpsResponse {
  if (!isJsonObject(body)) throw dpsErrors.badRequest('A bulk operation is {mode, enrollments: [...]}.');
  const mode = body.mode;
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) throw dpsErrors.badRequest(`mode must be one of ${MODES.join(', ')}.`);
  const enrollments = body.enrollments;
  if (!Array.isArray(enrollments) || enrollments.length === 0 || enrollments.length > MAX_BULK_ENROLLMENTS) {
    throw dpsErrors.badRequest(`enrollments must list 1 to ${MAX_BULK_ENROLLMENTS} individual enrollments.`);
  }
  const errors = enrollments.flatMap((enrollment) => applyOne(service, mode as BulkMode, enrollment));
  return dpsJson(200, { isSuccessful: errors.length === 0, errors });
}

function applyOne(service: ProvisioningService, mode: BulkMode, enrollment: JsonValue): object[] {
  const registrationId = isJsonObject(enrollment) && typeof enrollment.registrationId === 'string' ? enrollment.registrationId : '';
  try {
    if (mode === 'delete') service.book.deleteEnrollment(registrationId, etagOf(enrollment));
    else service.book.putEnrollment(registrationId, enrollment, ifMatchFor(mode, enrollment));
    return [];
  } catch (error) {
    const refusal = asDpsError(error);
    return [{ registrationId, errorCode: refusal.errorCode, errorStatus: refusal.message }];
  }
}

/** create: only a new id (no If-Match, so an existing one is a conflict); update: any; updateIfMatchETag: the given etag. */
function ifMatchFor(mode: Exclude<BulkMode, 'delete'>, enrollment: JsonValue): string | undefined {
  if (mode === 'create') return undefined;
  if (mode === 'update') return '*';
  return etagOf(enrollment) ?? '"no-etag-given"';
}

function etagOf(enrollment: JsonValue): string | undefined {
  return isJsonObject(enrollment) && typeof enrollment.etag === 'string' ? enrollment.etag : undefined;
}
