import type { EnrollmentGroupRecord, IndividualEnrollmentRecord, RegistrationRecord } from '../state/dps/enrollment-types.js';
import type { ProvisioningChange } from '../state/dps/provisioning-changes.js';
import type { ProvisioningService } from '../state/dps/provisioning-service.js';
import type { ProvisioningStore } from './provisioning-store.js';

/**
 * Keeps DPS's enrollments, groups and registration states in the store: puts back what was kept
 * (restoring is not a change: nothing is announced), then writes exactly what each change announces
 * (state/dps/provisioning-changes.ts), synchronously, before the writer answers. Operations in flight
 * are not kept: a device polling across a restart registers again. Returns the unsubscribe.
 */
export function persistProvisioning(service: ProvisioningService, store: ProvisioningStore): () => void {
  for (const enrollment of store.load('enrollment') as IndividualEnrollmentRecord[]) service.book.enrollments.set(enrollment.registrationId, enrollment);
  for (const group of store.load('group') as EnrollmentGroupRecord[]) service.book.groups.set(group.enrollmentGroupId, group);
  for (const registration of store.load('registration') as RegistrationRecord[]) service.desk.registrations.set(registration.registrationId, registration);
  return service.changes.subscribe((change) => writeChange(store, change));
}

function writeChange(store: ProvisioningStore, change: ProvisioningChange): void {
  switch (change.type) {
    case 'enrollment-written':
      return store.write('enrollment', change.enrollment.registrationId, change.enrollment);
    case 'enrollment-deleted':
      return store.write('enrollment', change.registrationId, undefined);
    case 'enrollment-group-written':
      return store.write('group', change.group.enrollmentGroupId, change.group);
    case 'enrollment-group-deleted':
      return store.write('group', change.enrollmentGroupId, undefined);
    case 'registration-written':
      return store.write('registration', change.registration.registrationId, change.registration);
    case 'registration-deleted':
      return store.write('registration', change.registrationId, undefined);
    case 'provisioning-cleared':
      return store.clear();
  }
}
