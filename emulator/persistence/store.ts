import type { TlsMaterial } from '../state/tls-material.js';
import type { DeviceRecord, IdentityRecord, ModuleRecord } from '../state/identity.js';
import type { Permission, SharedAccessPolicy } from '../state/policies.js';

/** One device with its modules, as the registry holds them (plain, immutable JSON records). */
export interface DeviceSnapshot {
  readonly device: DeviceRecord;
  readonly modules: readonly ModuleRecord[];
}

/** A policy as stored: permissions as a list. */
export interface StoredPolicy {
  readonly name: string;
  readonly primaryKey: string;
  readonly secondaryKey: string;
  readonly permissions: readonly Permission[];
}

/** What a restarted hub must keep so that existing connection strings and trusted CAs still work. */
export interface HubMaterial {
  readonly policies: readonly SharedAccessPolicy[];
  readonly tls: TlsMaterial;
}

/** A write to one identity row: `record` undefined deletes it. */
export interface IdentityWrite {
  readonly deviceId: string;
  /** '' for the device itself. */
  readonly moduleId: string;
  readonly record: IdentityRecord | undefined;
}

/**
 * Where the emulator keeps its state across restarts (issue 7, "Persistence"). Every write is one
 * transaction: after a crash the store holds the state before or after it, never a mix.
 */
export interface EmulatorStore {
  loadHubMaterial(): HubMaterial | undefined;
  saveHubMaterial(material: HubMaterial): void;
  loadDevices(): DeviceSnapshot[];
  writeIdentities(writes: readonly IdentityWrite[]): void;
  clearIdentities(): void;
  /** Subscribed topic families by MQTT client id. */
  loadSessions(): Map<string, string[]>;
  /** An empty list forgets the session. */
  saveSession(clientId: string, topics: readonly string[]): void;
  clearSessions(): void;
  close(): void;
}

export function toStoredPolicy(policy: SharedAccessPolicy): StoredPolicy {
  return { name: policy.name, primaryKey: policy.primaryKey, secondaryKey: policy.secondaryKey, permissions: [...policy.permissions] };
}

export function fromStoredPolicy(stored: StoredPolicy): SharedAccessPolicy {
  return { name: stored.name, primaryKey: stored.primaryKey, secondaryKey: stored.secondaryKey, permissions: new Set(stored.permissions) };
}
