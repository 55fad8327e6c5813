import { hubErrors } from '../errors.js';
import type { Permission, SharedAccessPolicy } from '../state/policies.js';
import { resourceCovers } from '../state/sas.js';
import type { VerifiedTokens } from '../state/verified-tokens.js';

export interface ServiceAuthContext {
  readonly hostName: string;
  readonly policies: ReadonlyMap<string, SharedAccessPolicy>;
  readonly nowSeconds: number;
  readonly verifiedTokens: VerifiedTokens;
}

/**
 * Checks the `Authorization: SharedAccessSignature sr=<host>&sig=..&skn=<policy>&se=..` header the
 * service SDK sends (wire notes §3): the policy must exist, the signature match one of its keys, the
 * token be unexpired, its resource cover this hub, and the policy grant the operation's permission.
 * Every failure is 401 IotHubUnauthorizedAccess, as on the hub; the message never echoes a key.
 */
export function authorizeServiceRequest(authorization: string | undefined, needed: Permission, context: ServiceAuthContext): void {
  if (authorization === undefined) throw hubErrors.unauthorized('The request has no Authorization header.');
  const { verifiedTokens } = context;
  const token = verifiedTokens.parse(authorization);
  if (token === undefined) throw hubErrors.unauthorized('The Authorization header is not a valid SharedAccessSignature.');
  if (token.keyName === undefined) throw hubErrors.unauthorized('The token names no shared access policy (skn).');
  const policy = context.policies.get(token.keyName);
  if (policy === undefined) throw hubErrors.unauthorized(`The token names policy '${token.keyName}', which this hub does not have.`);
  if (!verifiedTokens.signedWithOneOf(authorization, token, [policy.primaryKey, policy.secondaryKey])) {
    throw hubErrors.unauthorized(`The token is not signed by a key of policy '${token.keyName}'.`);
  }
  if (token.expiry <= context.nowSeconds) throw hubErrors.unauthorized('The SAS token has expired.');
  if (!resourceCovers(token.resourceUri, context.hostName)) {
    throw hubErrors.unauthorized(`The token's resource '${token.resourceUri}' does not cover ${context.hostName}.`);
  }
  if (!policy.permissions.has(needed)) {
    throw hubErrors.unauthorized(`Policy '${policy.name}' lacks the ${needed} permission this operation needs.`);
  }
}
