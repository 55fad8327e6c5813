import type { IdentityRegistry } from '../registry.js';
import type { AuthenticationSpec } from '../identity-spec.js';
import type { EnrollmentSettings, RegistrationSubstatus } from './enrollment-types.js';

export interface Assignment {
  readonly deviceId: string;
  /** SAS keys, or `selfSigned` SHA-256 thumbprints of the device certificate (wire notes §6). */
  readonly authentication: AuthenticationSpec;
  readonly settings: EnrollmentSettings;
  /** No registration state existed for this registration id: the enrollment's initial twin applies. */
  readonly firstAssignment: boolean;
}

/**
 * What an assignment does to the one linked hub (wire notes §6): the device is created, or updated to
 * the enrollment's keys and edge capability when it exists; the initial twin (tags, desired) is applied
 * on the first assignment only. Registering again with `migrateDeviceData: false` resets the twin to
 * the initial twin ("Reprovision policies": data reset); with one hub, the default keeps it.
 */
export function assignToHub(registry: IdentityRegistry, assignment: Assignment): RegistrationSubstatus {
  const { deviceId, authentication, settings } = assignment;
  const ref = { deviceId };
  if (registry.findIdentity(ref) === undefined) {
    registry.addDevice({ deviceId, authentication, iotEdge: settings.iotEdge });
    patchWithInitialTwin(registry, deviceId, settings);
    return 'initialAssignment';
  }
  registry.updateDevice({ deviceId, authentication, iotEdge: settings.iotEdge }, undefined);
  if (!assignment.firstAssignment && !settings.reprovisionPolicy.migrateDeviceData) {
    resetToInitialTwin(registry, deviceId, settings);
    return 'deviceDataReset';
  }
  if (assignment.firstAssignment) patchWithInitialTwin(registry, deviceId, settings);
  return 'initialAssignment';
}

/** A data reset: the twin's tags and desired become the initial twin's, nothing else kept. */
function resetToInitialTwin(registry: IdentityRegistry, deviceId: string, settings: EnrollmentSettings): void {
  const initial = settings.initialTwin ?? { tags: {}, desired: {} };
  registry.replaceTwinDocument({ deviceId }, { tags: initial.tags, desired: initial.desired }, undefined);
}

/** A first assignment: the initial twin is merged into what the twin holds (a device the back end made first keeps its own). */
function patchWithInitialTwin(registry: IdentityRegistry, deviceId: string, settings: EnrollmentSettings): void {
  const initial = settings.initialTwin ?? { tags: {}, desired: {} };
  const hasTags = Object.keys(initial.tags).length > 0;
  const hasDesired = Object.keys(initial.desired).length > 0;
  // An empty section is left out: patching it would still be a write. A patch of nothing writes nothing.
  registry.patchTwin({ deviceId }, { ...(hasTags ? { tags: initial.tags } : {}), ...(hasDesired ? { desired: initial.desired } : {}) }, undefined);
}
