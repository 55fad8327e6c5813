import type { IdentityRef } from './identity.js';
import type { SharedAccessPolicy } from './policies.js';
import type { IdentityRegistry } from './registry.js';
import { parseSasToken, resourceCovers, signedWithOneOf, type SasToken } from './sas.js';

export interface TokenAuthContext {
  readonly hostName: string;
  readonly registry: IdentityRegistry;
  readonly policies: ReadonlyMap<string, SharedAccessPolicy>;
  readonly nowSeconds: number;
}

export type TokenVerdict<T> = { readonly ok: true; readonly granted: T; readonly tokenExpiry: number } | { readonly ok: false; readonly reason: string };

/** `<hostName>/devices/<d>[/modules/<m>]`: the resource a device's or module's token is for. */
export function identityResource(hostName: string, identity: IdentityRef): string {
  return `${hostName}/devices/${identity.deviceId}${identity.moduleId === undefined ? '' : `/modules/${identity.moduleId}`}`;
}

/** The identity a resource URI names (the inverse of identityResource); undefined for anything else. */
export function identityOfResource(hostName: string, resourceUri: string): IdentityRef | undefined {
  const prefix = `${hostName.toLowerCase()}/devices/`;
  if (!resourceUri.toLowerCase().startsWith(prefix)) return undefined;
  const [deviceId, modules, moduleId, ...rest] = resourceUri.slice(prefix.length).split('/');
  if (!deviceId || rest.length > 0) return undefined;
  if (modules === undefined) return { deviceId };
  return modules === 'modules' && moduleId ? { deviceId, moduleId } : undefined;
}

/**
 * A device's or module's SAS token, checked as the hub checks it on every protocol ("Control access
 * to IoT Hub", security tokens): the identity is registered and uses SAS, the token's resource covers
 * the identity, it is signed with one of the identity's keys (or by a hub policy with DeviceConnect),
 * unexpired, and the device is enabled.
 */
export function verifyIdentityToken(tokenText: string, identity: IdentityRef, context: TokenAuthContext): TokenVerdict<IdentityRef> {
  const token = parseSasToken(tokenText);
  if (token === undefined) return { ok: false, reason: 'the credential is not a SAS token' };
  const record = context.registry.findIdentity(identity);
  if (record === undefined) return { ok: false, reason: 'the identity is not registered' };
  // X.509 identities have keys nobody was told; a SAS token must not get them in (FIDELITY.md).
  if (record.authentication.type !== 'sas') return { ok: false, reason: 'the identity does not use SAS authentication' };
  if (!resourceCovers(token.resourceUri, identityResource(context.hostName, identity))) return { ok: false, reason: 'the token is for another resource' };
  if (!signedBy(token, [record.keys.primaryKey, record.keys.secondaryKey], context.policies)) return { ok: false, reason: 'the token signature does not match' };
  if (token.expiry <= context.nowSeconds) return { ok: false, reason: 'the token has expired' };
  // A module's device is registered while the module is; a device is its own.
  if (context.registry.getDevice(identity.deviceId).status !== 'enabled') return { ok: false, reason: 'the device is disabled' };
  return { ok: true, granted: identity, tokenExpiry: token.expiry };
}

/**
 * A service token (`skn` names a hub policy): signed with one of the policy's keys, unexpired, its
 * resource covering the hub. What it may do is the policy's; the caller checks the permission it needs.
 */
export function verifyServiceToken(tokenText: string, context: Omit<TokenAuthContext, 'registry'>): TokenVerdict<SharedAccessPolicy> {
  const token = parseSasToken(tokenText);
  if (token === undefined) return { ok: false, reason: 'the credential is not a SAS token' };
  if (token.keyName === undefined) return { ok: false, reason: 'the token names no shared access policy (skn)' };
  const policy = context.policies.get(token.keyName);
  if (policy === undefined) return { ok: false, reason: `the token names policy '${token.keyName}', which this hub does not have` };
  if (!signedWithOneOf(token, [policy.primaryKey, policy.secondaryKey])) {
    return { ok: false, reason: `the token is not signed by a key of policy '${token.keyName}'` };
  }
  if (token.expiry <= context.nowSeconds) return { ok: false, reason: 'the token has expired' };
  if (!resourceCovers(token.resourceUri, context.hostName)) return { ok: false, reason: `the token's resource does not cover ${context.hostName}` };
  return { ok: true, granted: policy, tokenExpiry: token.expiry };
}

function signedBy(token: SasToken, identityKeys: readonly string[], policies: ReadonlyMap<string, SharedAccessPolicy>): boolean {
  if (token.keyName === undefined) return signedWithOneOf(token, identityKeys);
  const policy = policies.get(token.keyName);
  return policy !== undefined && policy.permissions.has('DeviceConnect') && signedWithOneOf(token, [policy.primaryKey, policy.secondaryKey]);
}
