import { hubErrors } from '../errors.js';
import type { Clock } from '../state/clock.js';
import type { IdentityRef } from '../state/identity.js';
import type { JsonObject } from '../state/json.js';
import type { Permission } from '../state/policies.js';
import type { IdentityRegistry } from '../state/registry.js';
import type { RestRequest, RestResponse } from './http-types.js';

/** Told when the service changes desired properties, so the MQTT side can notify the device. */
export interface DesiredPatchSink {
  desiredPropertiesPatched(identity: IdentityRef, patch: JsonObject, version: number): void;
}

/** Why an identity may no longer hold a connection. */
export type RevocationReason = 'disabled' | 'deleted';

/**
 * Told when a device is disabled or an identity deleted, so that the MQTT side closes the live
 * connection of that identity (a disabled or deleted identity cannot connect: connect-auth refuses
 * it, as the hub does). Called once per identity: for a device, also once per module of it.
 */
export interface IdentityRevocationSink {
  identityRevoked(identity: IdentityRef, reason: RevocationReason): void;
}

export const ignoreRevocations: IdentityRevocationSink = { identityRevoked: () => undefined };

export interface RestContext {
  readonly request: RestRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly registry: IdentityRegistry;
  readonly desiredPatches: DesiredPatchSink;
  readonly revocations: IdentityRevocationSink;
  readonly clock: Clock;
}

export interface Route {
  readonly method: string;
  /** Path template with `{name}` segments, as in the swagger file. */
  readonly path: string;
  readonly permission: Permission;
  /** Async for routes that wait on a device (direct methods). */
  handle(context: RestContext): RestResponse | Promise<RestResponse>;
}

export function readJsonBody(request: RestRequest): unknown {
  if (request.body.trim() === '') throw hubErrors.argumentInvalid('The request body is empty; a JSON document is required.');
  try {
    return JSON.parse(request.body) as unknown;
  } catch {
    // Not the parser's message: V8 quotes a slice of the body, which may hold a key.
    throw hubErrors.argumentInvalid('The request body is not valid JSON.');
  }
}

export function ifMatchHeader(request: RestRequest): string | undefined {
  return request.headers['if-match'];
}

export function compileTemplate(template: string): RegExp {
  const source = template.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}$`);
}

/** Signals that a device (and so each of its modules) may no longer be connected. */
export function revokeDevice(context: RestContext, deviceId: string, moduleIds: readonly string[], reason: RevocationReason): void {
  for (const moduleId of moduleIds) context.revocations.identityRevoked({ deviceId, moduleId }, reason);
  context.revocations.identityRevoked({ deviceId }, reason);
}
