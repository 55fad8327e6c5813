import type { SymmetricKeys } from './keys.js';
import type { TwinState } from './twin.js';

/** `authentication.type` values the registry stores (swagger `AuthenticationMechanism`). */
export type AuthenticationType = 'sas' | 'selfSigned' | 'certificateAuthority';

export interface X509Thumbprints {
  readonly primaryThumbprint: string | null;
  readonly secondaryThumbprint: string | null;
}

/**
 * How an identity authenticates. For X.509 identities `keys` (on the record) still holds two random
 * keys that nobody is ever told, so that no SAS token can be signed for them.
 */
export interface AuthenticationRecord {
  readonly type: AuthenticationType;
  readonly thumbprints: X509Thumbprints;
}

/** What devices and modules share in the identity registry (docs: "Identity registry", properties). */
export interface IdentityRecord {
  readonly deviceId: string;
  readonly generationId: string;
  /** Bumped on every change of the identity itself; the etag is derived from it. */
  readonly revision: number;
  readonly keys: SymmetricKeys;
  readonly authentication: AuthenticationRecord;
  readonly connectionState: 'Connected' | 'Disconnected';
  readonly connectionStateUpdatedTime: string;
  readonly lastActivityTime: string;
  readonly twin: TwinState;
}

export type DeviceStatus = 'enabled' | 'disabled';

export interface DeviceRecord extends IdentityRecord {
  readonly status: DeviceStatus;
  readonly statusReason: string | null;
  readonly statusUpdatedTime: string;
  readonly iotEdge: boolean;
  /** Edge devices: their own scope; leaf devices: the scope of their parent edge device, if any. */
  readonly deviceScope: string | undefined;
  readonly parentScopes: readonly string[];
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

/** The ref alone, without other fields a caller's object may carry (changes compare refs whole). */
export function identityRef(ref: IdentityRef): IdentityRef {
  return ref.moduleId === undefined ? { deviceId: ref.deviceId } : { deviceId: ref.deviceId, moduleId: ref.moduleId };
}

/**
 * `deviceId` for a device, `deviceId/moduleId` for a module: the MQTT client id the hub requires
 * (MQTT support doc, "Using the MQTT protocol directly"), and how the control plane names identities.
 */
export function clientIdOf(identity: IdentityRef): string {
  return identity.moduleId === undefined ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;
}

/** The identity a client id names; undefined when it is neither `device` nor `device/module`. */
export function identityFromClientId(clientId: string): IdentityRef | undefined {
  const [deviceId, moduleId, ...rest] = clientId.split('/');
  if (!deviceId || moduleId === '' || rest.length > 0) return undefined;
  return moduleId === undefined ? { deviceId } : { deviceId, moduleId };
}

export function describeIdentity(ref: IdentityRef): string {
  return ref.moduleId === undefined ? `device '${ref.deviceId}'` : `module '${ref.moduleId}' of device '${ref.deviceId}'`;
}

/** The hub's "never" timestamp for times that have not happened yet. */
export const NEVER = '0001-01-01T00:00:00Z';
