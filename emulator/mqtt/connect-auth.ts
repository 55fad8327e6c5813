import { CertificateAuthorities } from '../state/certificate-authorities.js';
import { verifyIdentityCertificate } from '../state/certificate-auth.js';
import { identityFromClientId, type IdentityRef } from '../state/identity.js';
import type { SharedAccessPolicy } from '../state/policies.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';
import type { IdentityRegistry } from '../state/registry.js';
import { verifyIdentityToken } from '../state/token-auth.js';

export interface ConnectCredentials {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly password: Buffer | undefined;
  /** The TLS client certificate the connection presented, if any (servers/peer-certificate.ts). */
  readonly certificate?: PresentedCertificate;
}

export interface ConnectAuthContext {
  readonly hostName: string;
  readonly registry: IdentityRegistry;
  readonly policies: ReadonlyMap<string, SharedAccessPolicy>;
  readonly nowSeconds: number;
  /** The CA certificates the hub trusts (certificateAuthority identities); none when absent. */
  readonly authorities?: CertificateAuthorities;
}

/**
 * On success, the SAS token's expiry (epoch seconds): the hub closes the connection then
 * (token-expiry.ts). An X.509 connection has none: the certificate was checked at CONNECT, as the
 * hub re-authenticates on every connection, not during one.
 */
export type ConnectVerdict = { readonly ok: true; readonly identity: IdentityRef; readonly tokenExpiry: number | undefined } | { readonly ok: false; readonly reason: string };

/**
 * CONNECT checks, as the hub makes them: the username is `<hostName>/<clientId>/?api-version=...`, the
 * password a SAS token for `<hostName>/devices/<d>[/modules/<m>]`, signed with one of the identity's
 * keys (or by a hub policy with DeviceConnect), unexpired; the device must be enabled. Without a
 * password the TLS client certificate is the credential (the SDK's X.509 CONNECT has no password
 * flag, wire notes §7.1), checked against the identity's X.509 authentication (certificate-auth.ts).
 * A password always means SAS, so an X.509 identity that sends one is refused.
 */
export function authenticateConnect(credentials: ConnectCredentials, context: ConnectAuthContext): ConnectVerdict {
  const identity = identityFromClientId(credentials.clientId);
  if (identity === undefined) return { ok: false, reason: `client id '${credentials.clientId}' is not 'device' or 'device/module'` };
  if (!usernameNames(credentials.username, context.hostName, credentials.clientId)) {
    return { ok: false, reason: 'the username does not name this hub and client id' };
  }
  if (!/[?&]api-version=/.test(credentials.username)) return { ok: false, reason: 'the username has no api-version' };
  if (credentials.password === undefined) {
    const now = new Date(context.nowSeconds * 1000);
    const verdict = verifyIdentityCertificate(credentials.certificate, identity, { registry: context.registry, authorities: context.authorities ?? NO_AUTHORITIES, now });
    return verdict.ok ? { ok: true, identity, tokenExpiry: undefined } : verdict;
  }
  const verdict = verifyIdentityToken(credentials.password.toString('utf8'), identity, context);
  return verdict.ok ? { ok: true, identity, tokenExpiry: verdict.tokenExpiry } : verdict;
}

const NO_AUTHORITIES = new CertificateAuthorities();

/**
 * Host names are case-insensitive (RFC 4343); device and module ids are not (identity registry docs).
 * The host may carry a port: an `x509=true` connection string ignores GatewayHostName, so a device
 * reaching an emulator on a port other than 8883 names it in HostName, and the SDK puts HostName in
 * the username as it is (wire notes §7.1).
 */
function usernameNames(username: string | undefined, hostName: string, clientId: string): username is string {
  if (username === undefined || username.slice(0, hostName.length).toLowerCase() !== hostName.toLowerCase()) return false;
  const rest = /^(?::\d{1,5})?\/(.*)/s.exec(username.slice(hostName.length));
  return rest?.[1]?.startsWith(`${clientId}/`) ?? false;
}
