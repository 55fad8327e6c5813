import { Aedes, type AuthErrorCode, type AuthenticateError, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { Clock } from '../state/clock.js';
import { epochSeconds } from '../state/clock.js';
import type { SharedAccessPolicy } from '../state/policies.js';
import type { IdentityRegistry } from '../state/registry.js';
import { authenticateConnect, identityFromClientId } from './connect-auth.js';
import { SessionTable } from './sessions.js';
import { allowedSubscriptions, classifyPublish } from './topics.js';
import { answerReportedPatch, answerTwinGet, DesiredPatchNotifier } from './twin-channel.js';

export interface HubBrokerOptions {
  readonly hostName: string;
  readonly registry: IdentityRegistry;
  readonly policies: readonly SharedAccessPolicy[];
  readonly clock: Clock;
}

export interface HubBroker {
  readonly aedes: Aedes;
  readonly sessions: SessionTable;
  readonly desiredPatches: DesiredPatchNotifier;
  close(): Promise<void>;
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

/**
 * aedes with IoT Hub's policy in its hooks (one hook per packet type, no logging in the core):
 * authenticate on CONNECT, allow-list SUBSCRIBE and PUBLISH per identity, and answer twin requests
 * on the connection that made them.
 */
export async function createHubBroker(options: HubBrokerOptions): Promise<HubBroker> {
  const sessions = new SessionTable();
  const policies = new Map(options.policies.map((policy) => [policy.name, policy]));
  const aedes = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const verdict = authenticateConnect(
        { clientId: client.id, username, password },
        { hostName: options.hostName, registry: options.registry, policies, nowSeconds: epochSeconds(options.clock) },
      );
      if (verdict.ok) done(null, true);
      else done(notAuthorized(verdict.reason), false);
    },
    authorizeSubscribe(client, subscription, done) {
      done(null, authorizeSubscription(client, subscription, sessions));
    },
    authorizePublish(client, packet, done) {
      done(client === null ? new Error('broker-originated publishes are not allowed') : handlePublish(client, packet, options.registry));
    },
  });
  aedes.on('client', (client) => {
    sessions.connected(client);
    setConnectionState(options.registry, client, true);
  });
  aedes.on('clientDisconnect', (client) => {
    if (sessions.disconnected(client)) setConnectionState(options.registry, client, false);
  });
  aedes.on('unsubscribe', (topics, client) => topics.forEach((topic) => sessions.unsubscribed(client.id, topic)));
  return {
    aedes,
    sessions,
    desiredPatches: new DesiredPatchNotifier(sessions),
    close: () => new Promise<void>((resolve) => aedes.close(() => resolve())),
  };
}

/** A refused subscription gets SUBACK 0x80 (MQTT 3.1.1 §3.9.3) and the connection stays up. */
function authorizeSubscription(client: Client, subscription: Subscription, sessions: SessionTable): Subscription | null {
  const identity = identityFromClientId(client.id);
  if (identity === undefined || !allowedSubscriptions(identity).has(subscription.topic)) return null;
  sessions.subscribed(client.id, subscription.topic);
  return subscription;
}

/** Returns an error to refuse the publish: aedes then closes the connection, as the hub does. */
function handlePublish(client: Client, packet: PublishPacket, registry: IdentityRegistry): Error | null {
  const identity = identityFromClientId(client.id);
  if (identity === undefined) return new Error('unknown client identity');
  const action = classifyPublish(identity, packet.topic);
  switch (action.kind) {
    case 'twin-get':
      answerTwinGet(client, identity, action.requestId, registry);
      return null;
    case 'twin-reported':
      answerReportedPatch(client, identity, action.requestId, Buffer.from(packet.payload), registry);
      return null;
    case 'method-response':
      return null;
    case 'telemetry':
      return new Error('device-to-cloud telemetry is not emulated yet (see FIDELITY.md)');
    case 'refused':
      return new Error(action.reason);
  }
}

function setConnectionState(registry: IdentityRegistry, client: Client, connected: boolean): void {
  const identity = identityFromClientId(client.id);
  if (identity !== undefined) registry.setConnectionState(identity, connected);
}
