import assert from 'node:assert/strict';
import type { HubErrorCode } from '../../emulator/errors.js';
import type { RestResponse } from '../../emulator/rest/http-types.js';
import { RestApi } from '../../emulator/rest/router.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { defaultPolicies, type SharedAccessPolicy } from '../../emulator/state/policies.js';
import { IdentityRegistry } from '../../emulator/state/registry.js';
import type { RegistryChange } from '../../emulator/state/registry-changes.js';
import { createSasToken } from '../../emulator/state/sas.js';

/** A RestApi over a registry with one device (d1) holding one module (m1), both with a non-empty twin. */
export const HOST = 'bad-inputs.azure-devices.net';
const START = new Date('2026-01-01T00:00:00Z');
export const NOW_SECONDS = Math.floor(START.getTime() / 1000);

export interface RestBench {
  readonly api: RestApi;
  readonly registry: IdentityRegistry;
  readonly policies: readonly SharedAccessPolicy[];
  /** Every change the registry announced after the bench was set up: a refused request announces none. */
  readonly notified: RegistryChange[];
}

function seededKey(seed: number): string {
  return Buffer.alloc(32, seed).toString('base64');
}

export function newRestBench(): RestBench {
  let seed = 1;
  let generation = 0;
  const clock = new ManualClock(START);
  const registry = new IdentityRegistry({ clock, generateKey: () => seededKey(seed++), generateGenerationId: () => `gen-${++generation}` });
  let policySeed = 100;
  const policies = defaultPolicies(() => seededKey(policySeed++));
  const api = new RestApi({ hostName: HOST, registry, policies, clock });
  registry.createDevice('d1', undefined);
  registry.createModule('d1', 'm1', undefined);
  registry.patchTwin({ deviceId: 'd1', moduleId: 'm1' }, { tags: { site: 'a' }, desired: { speed: 1, nested: { on: true } } }, undefined);
  registry.patchTwin({ deviceId: 'd1' }, { desired: { mode: 'auto' } }, undefined);
  const notified: RegistryChange[] = [];
  registry.changes.subscribe((change) => notified.push(change));
  return { api, registry, policies, notified };
}

export function policy(bench: RestBench, name: string): SharedAccessPolicy {
  const found = bench.policies.find((candidate) => candidate.name === name);
  assert.ok(found, `policy ${name} exists`);
  return found;
}

export interface TokenInit {
  readonly policyName?: string;
  readonly resourceUri?: string;
  readonly expiry?: number;
  readonly key?: string;
  /** Drop `skn` from the token. */
  readonly anonymous?: boolean;
}

export function serviceToken(bench: RestBench, init: TokenInit = {}): string {
  const signer = policy(bench, init.policyName ?? 'iothubowner');
  return createSasToken({
    resourceUri: init.resourceUri ?? HOST,
    base64Key: init.key ?? signer.primaryKey,
    expiry: init.expiry ?? NOW_SECONDS + 3600,
    ...(init.anonymous === true ? {} : { keyName: signer.name }),
  });
}

export interface RestCall {
  readonly method: string;
  readonly path: string;
  /** A string is sent as is; anything else as JSON. Default: no body. */
  readonly body?: unknown;
  /** undefined: a valid owner token; null: no header; a function: built from the bench. */
  readonly authorization?: string | null | ((bench: RestBench) => string);
  /** undefined: 2021-04-12; null: none. */
  readonly apiVersion?: string | null;
  readonly ifMatch?: string;
}

export function send(bench: RestBench, request: RestCall): Promise<RestResponse> {
  const query = new URLSearchParams();
  if (request.apiVersion !== null) query.set('api-version', request.apiVersion ?? '2021-04-12');
  const auth = request.authorization;
  const authorization = auth === null ? undefined : typeof auth === 'function' ? auth(bench) : (auth ?? serviceToken(bench));
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const headers = { authorization, 'if-match': request.ifMatch };
  return Promise.resolve(bench.api.handle({ method: request.method, path: request.path, query, headers, body }));
}

/** Everything the registry holds (identities, keys, twins with versions), as comparable JSON. */
export function snapshot(bench: RestBench): string {
  const devices = bench.registry.listDevices();
  return JSON.stringify({ devices, modules: devices.map((device) => bench.registry.listModules(device.deviceId)) });
}

/** The hub's error envelope: status, `iothub-errorcode` header and `ErrorCode:<code>;` in Message. */
export function assertHubError(response: RestResponse, status: number, code: HubErrorCode): void {
  const detail = `body: ${response.body ?? ''}`;
  assert.equal(response.status, status, `status (${detail})`);
  assert.equal(response.headers['iothub-errorcode'], code, `iothub-errorcode (${detail})`);
  const body = JSON.parse(response.body ?? '{}') as { Message?: unknown };
  assert.match(String(body.Message), new RegExp(`^ErrorCode:${code};`), detail);
}

/** The emulator still serves: an authorised read answers 200 with the twin. */
export async function assertStillServing(bench: RestBench): Promise<void> {
  const response = await send(bench, { method: 'GET', path: '/twins/d1/modules/m1' });
  assert.equal(response.status, 200, `a valid twin read after the bad input (body: ${response.body ?? ''})`);
}
