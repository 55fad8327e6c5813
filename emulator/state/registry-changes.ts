import type { DeviceRecord, IdentityRecord, IdentityRef } from './identity.js';
import type { JsonObject } from './json.js';

/**
 * What the identity registry announces after each of its writes (emulator/state/registry.ts): one
 * change per write that changed something, after the change is complete, never for a refused write.
 * Changes that leave a record behind carry it whole, so a subscriber that keeps a copy (persistence)
 * writes exactly what the change says, and one that talks to devices needs no second look-up.
 */
export type RegistryChange =
  | IdentityCreated
  | IdentityUpdated
  | IdentityDisabled
  | IdentityDeleted
  | DesiredPropertiesPatched
  | TagsUpdated
  | ReportedPropertiesPatched
  | ConnectionStateChanged
  | RegistryCleared;

/** A record that now holds for `identity` (a device's, or a module's when `identity.moduleId` is set). */
interface RecordChange {
  readonly identity: IdentityRef;
  readonly record: IdentityRecord;
}

export interface IdentityCreated extends RecordChange {
  readonly type: 'identity-created';
}

/** Keys, status reason, scopes, managedBy...; a device that becomes disabled is `identity-disabled`. */
export interface IdentityUpdated extends RecordChange {
  readonly type: 'identity-updated';
}

/**
 * An update that disabled an enabled device. Its modules are disabled with it: a module of a
 * disabled device may not connect either ("Identity registry", device status).
 */
export interface IdentityDisabled extends RecordChange {
  readonly type: 'identity-disabled';
  readonly record: DeviceRecord;
  readonly moduleIds: readonly string[];
}

/** A device (with every module it had, listed) or a single module was deleted. */
export interface IdentityDeleted {
  readonly type: 'identity-deleted';
  readonly identity: IdentityRef;
  /** For a device: the modules deleted with it; for a module: empty. */
  readonly moduleIds: readonly string[];
}

/** The service changed desired properties (tags may have changed in the same write). */
export interface DesiredPropertiesPatched extends RecordChange {
  readonly type: 'desired-properties-patched';
  /** What the device is told: the patch as applied, removed keys as `null`, without `$version`. */
  readonly patch: JsonObject;
  /** The desired `$version` after the patch. */
  readonly version: number;
}

/** The service changed tags only. */
export interface TagsUpdated extends RecordChange {
  readonly type: 'tags-updated';
}

export interface ReportedPropertiesPatched extends RecordChange {
  readonly type: 'reported-properties-patched';
  readonly patch: JsonObject;
  /** The reported `$version` after the patch. */
  readonly version: number;
}

export interface ConnectionStateChanged extends RecordChange {
  readonly type: 'connection-state-changed';
  readonly connected: boolean;
}

/** The control plane forgot every identity (the hub has no such operation). */
export interface RegistryCleared {
  readonly type: 'registry-cleared';
}

/** The identities a change takes away the right to be connected from, modules first. */
export function revokedIdentities(change: RegistryChange): IdentityRef[] {
  if (change.type !== 'identity-disabled' && change.type !== 'identity-deleted') return [];
  const { deviceId, moduleId } = change.identity;
  if (moduleId !== undefined) return [{ deviceId, moduleId }];
  return [...change.moduleIds.map((id) => ({ deviceId, moduleId: id })), { deviceId }];
}
