import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SharedAccessPolicy } from '../../state/policies.js';
import { parseSasToken, resourceCovers, type SasToken } from '../../state/sas.js';
import type { CbsAudienceVerifier, CbsVerdict } from '../cbs.js';
import { entityPath, isEventHubsUri } from './entities.js';

export interface EventHubTokenContext {
  readonly hubName: string;
  readonly policies: ReadonlyMap<string, SharedAccessPolicy>;
}

/**
 * Put-tokens for the built-in Event Hub-compatible endpoint (wire notes §2.3): the audience is an
 * `sb://` URI under the hub's entity, the token names a hub policy with ServiceConnect ("IoT Hub
 * permissions": ServiceConnect grants reading the device-to-cloud endpoints), and is signed as Event
 * Hubs signs: HMAC-SHA256 keyed with the UTF-8 bytes of the key string as written (not base64-decoded),
 * over `{encoded sr}\n{se}`. An audience outside the hub's entity is a 404 (the entity does not
 * exist); a bad token a 401 with the reason. Audiences that are not URIs are the hub's own: undefined.
 */
export function eventHubAudienceVerifier(context: EventHubTokenContext): CbsAudienceVerifier {
  const hubEntity = context.hubName.toLowerCase();
  return (audience, tokenText, nowSeconds) => {
    if (!isEventHubsUri(audience)) return undefined;
    const entity = entityPath(audience);
    if (entity !== hubEntity && !entity.startsWith(`${hubEntity}/`)) {
      return refused(404, `The messaging entity '${audience}' could not be found. This hub's Event Hub-compatible name is '${context.hubName}'.`);
    }
    const token = parseSasToken(tokenText);
    if (token === undefined) return refused(401, 'The credential is not a SAS token.');
    const reason = whyRefused(token, audience, context, nowSeconds);
    if (reason !== undefined) return refused(401, `Unauthorized: ${reason}.`);
    return { ok: true, claim: { audience, grant: { kind: 'event-hub', entity }, expiresAt: token.expiry } };
  };
}

function whyRefused(token: SasToken, audience: string, context: EventHubTokenContext, nowSeconds: number): string | undefined {
  if (token.keyName === undefined) return 'the token names no shared access policy (skn)';
  const policy = context.policies.get(token.keyName);
  if (policy === undefined) return `the token names policy '${token.keyName}', which this hub does not have`;
  if (!signedWithKeyText(token, [policy.primaryKey, policy.secondaryKey])) return `the token is not signed by a key of policy '${token.keyName}'`;
  if (!policy.permissions.has('ServiceConnect')) return `policy '${policy.name}' lacks ServiceConnect, which reading the built-in endpoint needs`;
  if (token.expiry <= nowSeconds) return 'the token has expired';
  if (!resourceCovers(token.resourceUri, audience)) return `the token's resource does not cover ${audience}`;
  return undefined;
}

/** Event Hubs' signature: the key string's UTF-8 bytes are the HMAC key (core-amqp util/hmacSha256.js). */
export function eventHubsSignature(signedResource: string, expiry: number, keyText: string): string {
  return createHmac('sha256', Buffer.from(keyText, 'utf8')).update(`${signedResource}\n${expiry}`).digest('base64');
}

function signedWithKeyText(token: SasToken, keys: readonly string[]): boolean {
  const presented = Buffer.from(token.signature, 'utf8');
  return keys.some((key) => {
    const expected = Buffer.from(eventHubsSignature(token.signedResource, token.expiry, key), 'utf8');
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
}

function refused(status: number, description: string): CbsVerdict {
  return { ok: false, status, description };
}
