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

export interface RestContext {
  readonly request: RestRequest;
  readonly params: Readonly<Record<string, string>>;
  readonly registry: IdentityRegistry;
  readonly desiredPatches: DesiredPatchSink;
  readonly clock: Clock;
}

export interface Route {
  readonly method: string;
  /** Path template with `{name}` segments, as in the swagger file. */
  readonly path: string;
  readonly permission: Permission;
  handle(context: RestContext): RestResponse;
}

export function readJsonBody(request: RestRequest): unknown {
  if (request.body.trim() === '') throw hubErrors.argumentInvalid('The request body is empty; a JSON document is required.');
  try {
    return JSON.parse(request.body) as unknown;
  } catch (error) {
    throw hubErrors.argumentInvalid(`The request body is not valid JSON: ${(error as Error).message}`);
  }
}

export function ifMatchHeader(request: RestRequest): string | undefined {
  return request.headers['if-match'];
}

export function compileTemplate(template: string): RegExp {
  const source = template.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}$`);
}
