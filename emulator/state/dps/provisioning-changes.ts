import type { EnrollmentGroupRecord, IndividualEnrollmentRecord, RegistrationRecord } from './enrollment-types.js';

/**
 * What the provisioning state announces after each of its writes (as registry-changes.ts does for the
 * hub): one change per completed write, never for a refused one, carrying the record whole.
 */
export type ProvisioningChange =
  | { readonly type: 'enrollment-written'; readonly enrollment: IndividualEnrollmentRecord }
  | { readonly type: 'enrollment-deleted'; readonly registrationId: string }
  | { readonly type: 'enrollment-group-written'; readonly group: EnrollmentGroupRecord }
  | { readonly type: 'enrollment-group-deleted'; readonly enrollmentGroupId: string }
  | { readonly type: 'registration-written'; readonly registration: RegistrationRecord }
  | { readonly type: 'registration-deleted'; readonly registrationId: string }
  /** Everything was forgotten (the control plane's reset; DPS has no such operation). */
  | { readonly type: 'provisioning-cleared' };
