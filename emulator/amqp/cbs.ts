import type { SharedAccessPolicy } from '../state/policies.js';
import type { IdentityRegistry } from '../state/registry.js';
import { identityOfResource, verifyIdentityToken, verifyServiceToken, type TokenVerdict } from '../state/token-auth.js';
import type { Claim, Grant } from './claims.js';

/** `type` of a put-token carrying a SAS token (wire notes §2.2); JWTs (AAD) are not emulated. */
export const SAS_TOKEN_TYPE = 'servicebus.windows.net:sastoken';

export interface PutTokenRequest {
  readonly operation: unknown;
  readonly type: unknown;
  /** The audience: the raw host name (service) or the URL-encoded identity resource (devices, modules). */
  readonly name: unknown;
  readonly token: unknown;
}

export interface CbsContext {
  readonly hostName: string;
  readonly registry: IdentityRegistry;
  readonly policies: ReadonlyMap<string, SharedAccessPolicy>;
  readonly nowSeconds: number;
  /** Audiences other endpoints verify themselves (the Event Hub-compatible endpoint); tried first. */
  readonly otherAudiences?: readonly CbsAudienceVerifier[];
}

/** Verifies tokens for audiences it owns; undefined for an audience that is not its own. */
export type CbsAudienceVerifier = (audience: string, token: string, nowSeconds: number) => CbsVerdict | undefined;

export type CbsVerdict = { readonly ok: true; readonly claim: Claim } | { readonly ok: false; readonly status: number; readonly description: string };

/**
 * A put-token on `$cbs`, checked as the hub checks it: a SAS token whose `sr` is the audience named,
 * signed by a hub policy (the hub's service endpoints) or by a device's or module's key (its own
 * endpoints). A refusal is a 401 with the reason; never an echo of the token.
 */
export function verifyPutToken(request: PutTokenRequest, context: CbsContext): CbsVerdict {
  if (request.operation !== 'put-token') return refused(400, `Unsupported $cbs operation '${String(request.operation)}'.`);
  if (request.type !== SAS_TOKEN_TYPE) return refused(400, `Unsupported token type '${String(request.type)}'.`);
  if (typeof request.name !== 'string' || typeof request.token !== 'string') return refused(400, 'A put-token needs a name and a token string.');
  const audience = request.name;
  for (const verify of context.otherAudiences ?? []) {
    const verdict = verify(audience, request.token, context.nowSeconds);
    if (verdict !== undefined) return verdict;
  }
  const resource = safeDecode(audience);
  if (resource === undefined) return refused(401, 'The audience is not a valid URI.');
  if (resource.toLowerCase() === context.hostName.toLowerCase()) {
    return toClaim(audience, verifyServiceToken(request.token, context), (policy) => ({ kind: 'service', permissions: policy.permissions }));
  }
  const identity = identityOfResource(context.hostName, resource);
  if (identity === undefined) return refused(401, `The audience '${audience}' is neither this hub nor one of its devices or modules.`);
  return toClaim(audience, verifyIdentityToken(request.token, identity, context), (granted) => ({ kind: 'identity', identity: granted }));
}

function toClaim<T>(audience: string, verdict: TokenVerdict<T>, grantOf: (granted: T) => Grant): CbsVerdict {
  if (!verdict.ok) return refused(401, `Unauthorized: ${verdict.reason}.`);
  return { ok: true, claim: { audience, grant: grantOf(verdict.granted), expiresAt: verdict.tokenExpiry } };
}

function refused(status: number, description: string): CbsVerdict {
  return { ok: false, status, description };
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
