import type { AedesOptions, AuthErrorCode, AuthenticateError, Client } from 'aedes';
import { epochSeconds, type Clock } from '../state/clock.js';
import { CertificateAuthorities } from '../state/certificate-authorities.js';
import type { SharedAccessPolicy } from '../state/policies.js';
import type { IdentityRegistry } from '../state/registry.js';
import { authenticateConnect } from './connect-auth.js';
import type { ConnectionCertificates } from './connection-certificates.js';
import type { MqttActivity } from './mqtt-activity.js';
import type { SessionTable } from './sessions.js';
import type { TokenExpiryWatch } from './token-expiry.js';

/** What the CONNECT hook checks against. */
export interface ConnectHub {
  readonly hostName: string;
  readonly registry: IdentityRegistry;
  readonly clock: Clock;
  readonly certificateAuthorities?: CertificateAuthorities;
}

/** The broker's parts the CONNECT hook records into. */
export interface ConnectParts {
  readonly policies: ReadonlyMap<string, SharedAccessPolicy>;
  readonly expiries: TokenExpiryWatch;
  readonly sessions: SessionTable;
  readonly certificates: ConnectionCertificates;
  readonly activity: MqttActivity;
}

/**
 * CONNACK return code 5, "not authorized": what the hub answers to any failed authentication.
 * aedes declares the codes as an ambient const enum, which isolated modules cannot read by name.
 */
const NOT_AUTHORIZED = 5;

function notAuthorized(reason: string): AuthenticateError {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- see NOT_AUTHORIZED
  const returnCode: AuthErrorCode = NOT_AUTHORIZED;
  return Object.assign(new Error(`Connection refused: ${reason}`), { returnCode });
}

/** CONNECT: the hub's checks (connect-auth.ts); an accepted token's expiry is watched. */
export function authenticateHook(options: ConnectHub, parts: ConnectParts): NonNullable<AedesOptions['authenticate']> {
  const { policies, expiries, sessions, certificates, activity } = parts;
  const authorities = options.certificateAuthorities ?? new CertificateAuthorities();
  return (client, username, password, done) => {
    const verdict = authenticateConnect(
      { clientId: client.id, username, password, certificate: certificates.of(client.conn) },
      { hostName: options.hostName, registry: options.registry, policies, nowSeconds: epochSeconds(options.clock), authorities },
    );
    if (!verdict.ok) {
      activity.refused(client, verdict.reason);
      done(notAuthorized(verdict.reason), false);
      return;
    }
    activity.authenticated(client, verdict.tokenExpiry === undefined ? 'x509' : 'sas');
    if (verdict.tokenExpiry !== undefined) expiries.authenticated(client, verdict.tokenExpiry);
    const accept = (): void => {
      announceTakeover(client, { sessions, activity });
      done(null, true);
    };
    if (client.clean || sessions.hasSession(client.id)) {
      accept();
      return;
    }
    // aedes keeps its own copy of each session's subscriptions. The hub-level table is the truth: a
    // session it no longer has (the identity was deleted) must not come back with sessionPresent
    // (MQTT 3.1.1 §3.2.2.2), so aedes' copy is dropped before aedes restores it.
    forgetAedesSubscriptions(client).then(
      accept,
      (error: unknown) => done(notAuthorized(`its old session could not be cleared (${error instanceof Error ? error.message : String(error)})`), false),
    );
  };
}

/**
 * aedes closes an older connection of the same client id once this one is accepted (MQTT 3.1.1 §3.1.4,
 * the hub's takeover), before its 'client' event: the old connection's reason is told here.
 */
function announceTakeover(client: Client, parts: { sessions: SessionTable; activity: MqttActivity }): void {
  const previous = parts.sessions.connection(client.id);
  if (previous !== undefined) parts.activity.closing(previous, 'taken-over');
}

/**
 * aedes' types declare neither `client.broker` nor its persistence (`persistence?: any`), though aedes
 * itself calls `client.broker.persistence.cleanSubscriptions(client)` (lib/handlers/connect.js); this is
 * that call, through aedes-persistence's async interface.
 */
interface AedesRuntimeClient {
  readonly broker: { readonly persistence: { cleanSubscriptions(client: Client): Promise<unknown> } };
}

function forgetAedesSubscriptions(client: Client): Promise<unknown> {
  return (client as unknown as AedesRuntimeClient).broker.persistence.cleanSubscriptions(client);
}
