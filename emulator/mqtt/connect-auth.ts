import { identityFromClientId, type IdentityRef } from '../state/identity.js';
import type { SharedAccessPolicy } from '../state/policies.js';
import type { IdentityRegistry } from '../state/registry.js';
import { verifyIdentityToken } from '../state/token-auth.js';

export interface ConnectCredentials {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly password: Buffer | undefined;
}

export interface ConnectAuthContext {
  readonly hostName: string;
  readonly registry: IdentityRegistry;
  readonly policies: ReadonlyMap<string, SharedAccessPolicy>;
  readonly nowSeconds: number;
}

/** On success, the token's expiry (epoch seconds): the hub closes the connection then (token-expiry.ts). */
export type ConnectVerdict = { readonly ok: true; readonly identity: IdentityRef; readonly tokenExpiry: number } | { readonly ok: false; readonly reason: string };

/**
 * CONNECT checks, as the hub makes them: the username is `<hostName>/<clientId>/?api-version=...`, the
 * password a SAS token for `<hostName>/devices/<d>[/modules/<m>]`, signed with one of the identity's
 * keys (or by a hub policy with DeviceConnect), unexpired; the device must be enabled.
 */
export function authenticateConnect(credentials: ConnectCredentials, context: ConnectAuthContext): ConnectVerdict {
  const identity = identityFromClientId(credentials.clientId);
  if (identity === undefined) return { ok: false, reason: `client id '${credentials.clientId}' is not 'device' or 'device/module'` };
  if (!usernameNames(credentials.username, context.hostName, credentials.clientId)) {
    return { ok: false, reason: 'the username does not name this hub and client id' };
  }
  if (!/[?&]api-version=/.test(credentials.username)) return { ok: false, reason: 'the username has no api-version' };
  const verdict = verifyIdentityToken(credentials.password?.toString('utf8') ?? '', identity, context);
  return verdict.ok ? { ok: true, identity, tokenExpiry: verdict.tokenExpiry } : verdict;
}

/** Host names are case-insensitive (RFC 4343); device and module ids are not (identity registry docs). */
function usernameNames(username: string | undefined, hostName: string, clientId: string): username is string {
  const hostPart = `${hostName}/`;
  if (username === undefined || username.slice(0, hostPart.length).toLowerCase() !== hostPart.toLowerCase()) return false;
  return username.slice(hostPart.length).startsWith(`${clientId}/`);
}
