import { ManualClock } from '../../emulator/state/clock.js';
import type { IdentityRef } from '../../emulator/state/identity.js';
import type { JsonObject } from '../../emulator/state/json.js';
import { defaultPolicies } from '../../emulator/state/policies.js';
import { IdentityRegistry } from '../../emulator/state/registry.js';
import { revokedIdentities } from '../../emulator/state/registry-changes.js';
import { createSasToken } from '../../emulator/state/sas.js';
import type { RestResponse } from '../../emulator/rest/http-types.js';
import { RestApi } from '../../emulator/rest/router.js';

/**
 * The REST API driven directly (no network): signed like the SDK signs, with a manual clock and
 * deterministic keys, recording what the registry announces that the device side acts on (desired
 * patches, identities that lose their connection).
 */
export const HOST = 'fidelity-hub.azure-devices.net';

export interface SentPatch {
  readonly identity: IdentityRef;
  readonly patch: JsonObject;
  readonly version: number;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly policy?: string;
}

export interface Parsed {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export class RestFixture {
  readonly clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  readonly registry: IdentityRegistry;
  readonly patches: SentPatch[] = [];
  readonly revoked: { identity: IdentityRef; reason: 'disabled' | 'deleted' }[] = [];
  private readonly policies;
  private readonly api: RestApi;

  constructor() {
    let seed = 1;
    let generation = 0;
    const generateKey = (): string => Buffer.alloc(32, seed++ % 256).toString('base64');
    this.registry = new IdentityRegistry({ clock: this.clock, generateKey, generateGenerationId: () => `gen-${++generation}` });
    this.policies = defaultPolicies(generateKey);
    this.api = new RestApi({ hostName: HOST, registry: this.registry, policies: this.policies, clock: this.clock });
    this.registry.changes.subscribe((change) => {
      if (change.type === 'desired-properties-patched') this.patches.push({ identity: change.identity, patch: change.patch, version: change.version });
      const reason = change.type === 'identity-disabled' ? 'disabled' : 'deleted';
      for (const identity of revokedIdentities(change)) this.revoked.push({ identity, reason });
    });
  }

  async call(method: string, pathAndQuery: string, options: CallOptions = {}): Promise<Parsed> {
    const url = new URL(`https://${HOST}${pathAndQuery}`);
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', '2021-04-12');
    const response: RestResponse = await this.api.handle({
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: { authorization: this.token(options.policy ?? 'iothubowner'), ...lowerCase(options.headers ?? {}) },
      body: options.body === undefined ? '' : JSON.stringify(options.body),
    });
    return { status: response.status, headers: response.headers, body: response.body === undefined || response.body === '' ? undefined : JSON.parse(response.body) };
  }

  private token(policyName: string): string {
    const policy = this.policies.find((candidate) => candidate.name === policyName);
    if (policy === undefined) throw new Error(`no policy ${policyName}`);
    const expiry = Math.floor(this.clock.now().getTime() / 1000) + 3600;
    return createSasToken({ resourceUri: HOST, base64Key: policy.primaryKey, expiry, keyName: policyName });
  }
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** The error code a hub error response carries (`ErrorCode:<code>;...`). */
export function errorCodeOf(parsed: Parsed): string | undefined {
  const message = (parsed.body as { Message?: string } | undefined)?.Message;
  return /^ErrorCode:([^;]+);/.exec(message ?? '')?.[1];
}
