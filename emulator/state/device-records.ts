import { hubErrors } from '../errors.js';
import { NEVER, type DeviceRecord, type IdentityRecord, type ModuleRecord } from './identity.js';
import { assertValidStatusReason, type DeviceSpec, type ModuleSpec, type ResolvedAuthentication } from './identity-spec.js';
import type { ResolvedScopes } from './edge-scope.js';

/** Pure record builders for the registry: a new record for every change, never a mutation. */
export function newDeviceRecord(base: IdentityRecord, spec: DeviceSpec, scopes: ResolvedScopes, now: string): DeviceRecord {
  assertValidStatusReason(spec.statusReason);
  const status = spec.status ?? 'enabled';
  return {
    ...base,
    status,
    statusReason: spec.statusReason ?? null,
    // The hub stamps the status time at creation only when the device starts out disabled.
    statusUpdatedTime: status === 'enabled' ? NEVER : now,
    iotEdge: spec.iotEdge ?? false,
    deviceScope: scopes.deviceScope,
    parentScopes: scopes.parentScopes,
  };
}

/**
 * An update replaces what the body names and keeps what it leaves out (the generation id, the
 * twin and the connection state are never the caller's to change). The revision, hence the etag,
 * always advances.
 */
export function updatedDeviceRecord(
  current: DeviceRecord,
  change: { spec: DeviceSpec; auth: ResolvedAuthentication; scopes: ResolvedScopes; now: string },
): DeviceRecord {
  const { spec } = change;
  assertValidStatusReason(spec.statusReason);
  const status = spec.status ?? current.status;
  return {
    ...current,
    ...change.auth,
    revision: current.revision + 1,
    status,
    statusReason: spec.statusReason === undefined ? current.statusReason : spec.statusReason,
    statusUpdatedTime: status === current.status ? current.statusUpdatedTime : change.now,
    iotEdge: spec.iotEdge ?? current.iotEdge,
    deviceScope: change.scopes.deviceScope,
    parentScopes: change.scopes.parentScopes,
  };
}

export function updatedModuleRecord(current: ModuleRecord, spec: ModuleSpec, auth: ResolvedAuthentication): ModuleRecord {
  return {
    ...current,
    ...auth,
    revision: current.revision + 1,
    managedBy: spec.managedBy === undefined ? current.managedBy : spec.managedBy,
  };
}

/** Update needs an existing identity and a matching etag; `*` matches any (RFC 7232 §3.1). */
export function assertEtag(ok: boolean, what: string, ifMatch: string | undefined): void {
  if (!ok) throw hubErrors.preconditionFailed(`The ${what} etag ${ifMatch ?? ''} does not match the current one.`);
}
