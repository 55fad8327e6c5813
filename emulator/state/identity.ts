import type { SymmetricKeys } from './keys.js';
import type { TwinState } from './twin.js';

/** What devices and modules share in the identity registry (docs: "Identity registry", properties). */
export interface IdentityRecord {
  readonly deviceId: string;
  readonly generationId: string;
  /** Bumped on every change of the identity itself; the etag is derived from it. */
  readonly revision: number;
  readonly keys: SymmetricKeys;
  readonly connectionState: 'Connected' | 'Disconnected';
  readonly connectionStateUpdatedTime: string;
  readonly lastActivityTime: string;
  readonly twin: TwinState;
}

export interface DeviceRecord extends IdentityRecord {
  readonly status: 'enabled' | 'disabled';
  readonly statusReason: string | null;
  readonly statusUpdatedTime: string;
  readonly iotEdge: boolean;
}

export interface ModuleRecord extends IdentityRecord {
  readonly moduleId: string;
  readonly managedBy: string | null;
}

/** Who an MQTT connection or a token speaks for. */
export interface IdentityRef {
  readonly deviceId: string;
  readonly moduleId?: string;
}

export function describeIdentity(ref: IdentityRef): string {
  return ref.moduleId === undefined ? `device '${ref.deviceId}'` : `module '${ref.moduleId}' of device '${ref.deviceId}'`;
}

/** The hub's "never" timestamp for times that have not happened yet. */
export const NEVER = '0001-01-01T00:00:00Z';
