import assert from 'node:assert/strict';
import type { HubErrorCode } from '../../emulator/errors.js';
import type { RestResponse } from '../../emulator/rest/http-types.js';
import { RestApi, type RestApiOptions } from '../../emulator/rest/router.js';
import type { IdentityRef } from '../../emulator/state/identity.js';
import type { JsonObject } from '../../emulator/state/json.js';
import type { SharedAccessPolicy } from '../../emulator/state/policies.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { HOST, newPolicies, newRegistry, policyNamed, START_SECONDS, type RegistryFixture } from './fixtures.js';

/*
 * REST adapter fixtures, apart from fixtures.ts so that the pure-state tests do not load the router.
 * A RestFixture is a RestApi over a fresh registry, recording the desired patches the registry
 * announces (what the MQTT side would push).
 */
export interface RestFixture extends RegistryFixture {
  readonly api: RestApi;
  readonly policies: SharedAccessPolicy[];
  readonly desiredNotifications: { identity: IdentityRef; patch: JsonObject; version: number }[];
}

/** `parts`: what else the RestApi serves (a method invoker, C2D queues), built on the fixture's registry and clock. */
export function newRestApi(parts: (fixture: RegistryFixture) => Partial<RestApiOptions> = () => ({})): RestFixture {
  const fixture = newRegistry();
  const policies = newPolicies();
  const desiredNotifications: RestFixture['desiredNotifications'] = [];
  const api = new RestApi({ ...parts(fixture), hostName: HOST, registry: fixture.registry, policies, clock: fixture.clock });
  fixture.registry.changes.subscribe((change) => {
    if (change.type === 'desired-properties-patched') desiredNotifications.push({ identity: change.identity, patch: change.patch, version: change.version });
  });
  return { ...fixture, api, policies, desiredNotifications };
}

export function serviceToken(policy: SharedAccessPolicy, init: { resourceUri?: string; expiry?: number; key?: string } = {}): string {
  return createSasToken({
    resourceUri: init.resourceUri ?? HOST,
    base64Key: init.key ?? policy.primaryKey,
    expiry: init.expiry ?? START_SECONDS + 3600,
    keyName: policy.name,
  });
}

export interface CallInit {
  /** Default: a valid iothubowner token; null sends no Authorization header. */
  readonly authorization?: string | null;
  /** Default 2021-04-12; null sends none. */
  readonly apiVersion?: string | null;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  readonly ifMatch?: string;
}

/** RestApi.handle answers synchronously except for routes that wait on a device; this awaits both. */
export async function call(fixture: RestFixture, method: string, path: string, init: CallInit = {}): Promise<RestResponse> {
  const query = new URLSearchParams();
  if (init.apiVersion !== null) query.set('api-version', init.apiVersion ?? '2021-04-12');
  const authorization = init.authorization === null ? undefined : (init.authorization ?? serviceToken(policyNamed(fixture.policies, 'iothubowner')));
  const body = init.body === undefined ? '' : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const headers: Record<string, string | undefined> = { authorization, 'if-match': init.ifMatch };
  return await fixture.api.handle({ method, path, query, headers, body });
}

export function jsonBody(response: RestResponse): Record<string, unknown> {
  assert.ok(response.body !== undefined, `status ${response.status} response has a body`);
  const parsed: unknown = JSON.parse(response.body);
  assert.ok(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), 'body is a JSON object');
  return parsed as Record<string, unknown>;
}

/** Asserts the hub's error envelope, status, header and code; returns the envelope's Message. */
export function expectErrorResponse(response: RestResponse, status: number, code: HubErrorCode): string {
  const body = jsonBody(response);
  assert.equal(response.status, status, `status (body: ${response.body ?? ''})`);
  assert.equal(response.headers['iothub-errorcode'], code);
  assert.match(response.headers['content-type'] ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(body).sort(), ['ExceptionMessage', 'Message']);
  assert.match(String(body.Message), new RegExp(`^ErrorCode:${code};.+`));
  assert.match(String(body.ExceptionMessage), /^Tracking ID:[0-9a-f]{32}-G:0-TimeStamp:\d{4}-\d\d-\d\dT/);
  return String(body.Message);
}
