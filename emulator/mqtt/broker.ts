import { Aedes, type Client, type PublishPacket, type Subscription } from 'aedes';
import { ActivityFeed } from '../state/activity.js';
import type { Clock } from '../state/clock.js';
import type { SharedAccessPolicy } from '../state/policies.js';
import type { IdentityRegistry } from '../state/registry.js';
import { identityFromClientId } from '../state/identity.js';
import type { DeviceSessions } from '../state/sessions.js';
import { TelemetryBuffer } from '../state/telemetry.js';
import { recordDeviceToCloud } from '../state/device-to-cloud.js';
import type { CertificateAuthorities } from '../state/certificate-authorities.js';
import { authenticateHook } from './connect-hook.js';
import { ConnectionCertificates } from './connection-certificates.js';
import { CONNECT_RULES } from './connect-rules.js';
import { MqttMethodChannel } from './method-channel.js';
import { MqttActivity } from './mqtt-activity.js';
import { followRegistry } from './registry-listener.js';
import { deliverCloudToDevice } from './c2d-delivery.js';
import type { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import { SessionTable } from './sessions.js';
import { parseMessageProperties } from './message-properties.js';
import { TokenExpiryWatch } from './token-expiry.js';
import { allowedSubscriptions, classifyPublish } from './topics.js';
import { answerReportedPatch, answerTwinGet, DesiredPatchNotifier } from './twin-channel.js';

export interface HubBrokerOptions {
  readonly hostName: string;
  readonly registry: IdentityRegistry;
  readonly policies: readonly SharedAccessPolicy[];
  readonly clock: Clock;
  /** Where device-to-cloud messages are kept; a default-sized buffer when absent. */
  readonly telemetry?: TelemetryBuffer;
  /** Subscriptions per client id, from the hub's state (persistence keeps them); fresh ones when absent. */
  readonly sessions?: DeviceSessions;
  /** aedes's own session store (subscriptions, QoS 1 queues); aedes keeps them in memory when absent. */
  readonly aedesPersistence?: unknown;
  /** The hub's cloud-to-device queues, delivered to subscribed devices; none are delivered when absent. */
  readonly cloudToDevice?: CloudToDeviceQueues;
  /** The CA certificates the hub trusts for certificateAuthority identities; none when absent. */
  readonly certificateAuthorities?: CertificateAuthorities;
  /** Where connections, refusals, telemetry and packets are announced (state/activity.ts); nobody hears them when absent. */
  readonly activity?: ActivityFeed;
}

export interface HubBroker {
  readonly aedes: Aedes;
  readonly sessions: SessionTable;
  readonly desiredPatches: DesiredPatchNotifier;
  readonly methods: MqttMethodChannel;
  readonly telemetry: TelemetryBuffer;
  /** Where the listeners record each connection's TLS client certificate before handing it to aedes. */
  readonly certificates: ConnectionCertificates;
  close(): Promise<void>;
}

interface PublishContext {
  readonly registry: IdentityRegistry;
  readonly methods: MqttMethodChannel;
  readonly telemetry: TelemetryBuffer;
  readonly clock: Clock;
  readonly activity: MqttActivity;
}

/**
 * aedes with IoT Hub's policy in its hooks (one hook per packet type, no logging in the core):
 * authenticate on CONNECT, allow-list SUBSCRIBE and PUBLISH per identity, and answer twin requests
 * on the connection that made them.
 */
export async function createHubBroker(options: HubBrokerOptions): Promise<HubBroker> {
  const sessions = new SessionTable(options.sessions);
  const policies = new Map(options.policies.map((policy) => [policy.name, policy]));
  const activity = new MqttActivity(options.activity ?? new ActivityFeed());
  const context: PublishContext = { registry: options.registry, methods: new MqttMethodChannel(sessions), telemetry: options.telemetry ?? new TelemetryBuffer(), clock: options.clock, activity };
  const [expiries, certificates] = [new TokenExpiryWatch(options.clock, (client) => activity.closing(client, 'token-expired')), new ConnectionCertificates()];
  const aedes = await Aedes.createBroker({
    ...(options.aedesPersistence === undefined ? {} : { persistence: options.aedesPersistence }),
    ...CONNECT_RULES,
    authenticate: authenticateHook(options, { policies, expiries, sessions, certificates, activity }),
    authorizeSubscribe: (client, subscription, done) => done(null, authorizeSubscription(client, subscription, { sessions, activity })),
    authorizePublish(client, packet, done) {
      done(client === null ? new Error('broker-originated publishes are not allowed') : handlePublish(client, packet, context));
    },
  });
  trackConnections(aedes, { sessions, registry: options.registry, expiries, activity });
  const desiredPatches = new DesiredPatchNotifier(sessions, activity);
  const stopFollowing = [
    followRegistry(options.registry, { sessions, desiredPatches, closing: (client, reason) => activity.closing(client, reason) }),
    ...(options.cloudToDevice === undefined ? [] : [deliverCloudToDevice(aedes, { sessions, queues: options.cloudToDevice })]),
  ];
  return {
    aedes,
    sessions,
    desiredPatches,
    methods: context.methods,
    telemetry: context.telemetry,
    certificates,
    close: () =>
      new Promise<void>((resolve) => {
        stopFollowing.forEach((stop) => stop());
        expiries.close();
        aedes.close(() => resolve());
      }),
  };
}

function trackConnections(aedes: Aedes, parts: { sessions: SessionTable; registry: IdentityRegistry; expiries: TokenExpiryWatch; activity: MqttActivity }): void {
  const { sessions, registry, expiries, activity } = parts;
  aedes.on('client', (client) => {
    activity.connected(client);
    sessions.connected(client);
    setConnectionState(registry, client, true);
    expiries.connected(client);
  });
  aedes.on('clientDisconnect', (client) => {
    activity.disconnected(client);
    expiries.disconnected(client);
    if (sessions.disconnected(client)) setConnectionState(registry, client, false);
  });
  aedes.on('unsubscribe', (topics, client) => topics.forEach((topic) => sessions.unsubscribed(client.id, topic)));
  aedes.on('clientError', (client, error) => activity.closing(client, `error: ${error.message}`));
  aedes.on('keepaliveTimeout', (client) => activity.closing(client, 'keepalive-timeout'));
  aedes.on('publish', (packet, client) => {
    if (client !== null) activity.packet(client, { direction: 'in', kind: 'PUBLISH', topic: packet.topic, bytes: packet.payload.length });
  });
  aedes.on('subscribe', (subscriptions, client) => activity.packet(client, { direction: 'in', kind: 'SUBSCRIBE', topic: subscriptions.map((each) => each.topic).join(' ') }));
}

/** A refused subscription gets SUBACK 0x80 (MQTT 3.1.1 §3.9.3) and the connection stays up. */
function authorizeSubscription(client: Client, subscription: Subscription, parts: { sessions: SessionTable; activity: MqttActivity }): Subscription | null {
  const { sessions, activity } = parts;
  const identity = identityFromClientId(client.id);
  if (identity === undefined || !allowedSubscriptions(identity).has(subscription.topic)) {
    activity.refused(client, `subscribing to '${subscription.topic}' is not allowed for this identity`, 'forbidden-topic');
    return null;
  }
  sessions.subscribed(client.id, subscription.topic);
  // The hub grants QoS 1 at most to a QoS 2 subscription; aedes fixes the granted QoS before this
  // hook runs, so the emulator grants what was asked (FIDELITY.md).
  return subscription;
}

/** Returns an error to refuse the publish: aedes then closes the connection, as the hub does. */
function handlePublish(client: Client, packet: PublishPacket, context: PublishContext): Error | null {
  const identity = identityFromClientId(client.id);
  if (identity === undefined) return new Error('unknown client identity');
  // MQTT support doc: the hub closes the connection on a QoS 2 publish, and keeps no retained messages.
  if (packet.qos === 2) return new Error('IoT Hub does not support QoS 2 publishes');
  packet.retain = false;
  const payload = Buffer.from(packet.payload);
  const action = classifyPublish(identity, packet.topic);
  switch (action.kind) {
    case 'twin-get':
      answerTwinGet(client, identity, action.requestId, context.registry);
      return null;
    case 'twin-reported':
      answerReportedPatch(client, identity, action.requestId, payload, context.registry);
      return null;
    case 'method-response':
      // A response nobody waits for (late, or another connection's id) is dropped, as the hub does.
      context.methods.responded(client.id, action.requestId, action.status, payload);
      return null;
    case 'telemetry': {
      const enqueuedTime = context.clock.now().toISOString();
      const properties = parseMessageProperties(action.encodedProperties);
      // A message over the size limit is refused; aedes then closes the connection, as the hub does.
      const verdict = recordDeviceToCloud({ identity, body: payload, systemProperties: properties.system, applicationProperties: properties.application, enqueuedTime }, context.telemetry);
      if (verdict.ok) context.activity.telemetry(client, { ...identity, properties, bodyBytes: payload.length });
      return verdict.ok ? null : new Error(verdict.reason);
    }
    case 'refused':
      context.activity.refused(client, action.reason, 'forbidden-topic');
      context.activity.closing(client, 'refused-publish');
      return new Error(action.reason);
  }
}

function setConnectionState(registry: IdentityRegistry, client: Client, connected: boolean): void {
  const identity = identityFromClientId(client.id);
  if (identity !== undefined) registry.setConnectionState(identity, connected);
}
