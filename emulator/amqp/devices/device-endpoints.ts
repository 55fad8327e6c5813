import type { ActivityFeed } from '../../state/activity.js';
import { verifyIdentityCertificate, type CertificateVerdict } from '../../state/certificate-auth.js';
import type { CertificateAuthorities } from '../../state/certificate-authorities.js';
import type { CloudToDeviceQueues } from '../../state/cloud-to-device.js';
import type { Clock } from '../../state/clock.js';
import { clientIdOf, type IdentityRef } from '../../state/identity.js';
import { revokedIdentities } from '../../state/registry-changes.js';
import type { IdentityRegistry } from '../../state/registry.js';
import type { TelemetryBuffer } from '../../state/telemetry.js';
import type { Grant } from '../claims.js';
import type { LinkHandler, LinkRoute, LinkService, ServerRole } from '../link-routes.js';
import type { Receiver, Sender } from '../rhea.js';
import { parseDeviceAddress, sameIdentity, type DeviceAddress } from './device-addresses.js';
import { DeviceCloudToDeviceSender } from './device-c2d.js';
import { AmqpMethodChannel } from './device-methods.js';
import { AmqpDevicePresence } from './device-presence.js';
import { telemetryIntake } from './device-telemetry.js';
import { DeviceTwinChannels } from './device-twin.js';

export interface DeviceEndpointsOptions {
  readonly registry: IdentityRegistry;
  readonly telemetry: TelemetryBuffer;
  readonly queues: CloudToDeviceQueues;
  readonly clock: Clock;
  /** The CAs the hub trusts for certificateAuthority identities. */
  readonly authorities: CertificateAuthorities;
  /** Where connections, disconnections, telemetry and desired deliveries are announced. */
  readonly activity?: ActivityFeed;
}

export interface DeviceEndpoints {
  readonly service: LinkService;
  /** Direct methods to identities listening on AMQP. */
  readonly methods: AmqpMethodChannel;
  /** Who is connected over AMQP (the control plane's connection view and fault injection). */
  readonly presence: AmqpDevicePresence;
  /** Whether the identity's twin link listens for desired patches now; `presence.changes` tells when it may have changed. */
  listensForDesired(identity: IdentityRef): boolean;
  /** Stops following the registry. */
  close(): void;
}

type Opener = (link: Sender | Receiver, identity: IdentityRef) => LinkHandler;

/**
 * The hub's device-side AMQP endpoints (wire notes §4; "Communicate with your IoT hub using AMQP"):
 * under `/devices/{d}[/modules/{m}]`, telemetry, C2D (devices), twin and direct methods, each link
 * allowed only to a connection holding that very identity's claim (or, for X.509 identities, its
 * client certificate). Follows the registry: desired patches are pushed to subscribed twin links; a
 * disabled or deleted identity's links are detached, and a reset of the emulator detaches them all.
 */
export function deviceEndpoints(options: DeviceEndpointsOptions): DeviceEndpoints {
  const presence = new AmqpDevicePresence(options.registry, options.activity);
  const twins = new DeviceTwinChannels(options.registry, () => presence.changes.emit('change'), options.activity);
  const methods = new AmqpMethodChannel();
  const openers = openersFor(options, { twins, methods });
  const stop = options.registry.changes.subscribe((change) => {
    if (change.type === 'desired-properties-patched') twins.desiredPatched(change.identity, change.patch, change.version);
    for (const identity of revokedIdentities(change)) {
      const deleted = change.type === 'identity-deleted';
      presence.revoke(identity, `${clientIdOf(identity)} was ${deleted ? 'deleted' : 'disabled'}.`, deleted ? 'identity-deleted' : 'identity-disabled');
    }
    if (change.type === 'registry-cleared') presence.revokeAll('The emulator was reset: every identity is gone.');
  });
  const service: LinkService = {
    route(address: string, role: ServerRole): LinkRoute | undefined {
      const parsed = parseDeviceAddress(address);
      const open = parsed === undefined ? undefined : openers.get(routeKey(parsed, role));
      if (parsed === undefined || open === undefined) return undefined;
      const { identity } = parsed;
      return {
        describe: `the ${parsed.node} link of '${clientIdOf(identity)}'`,
        needs: (grant: Grant) => grant.kind === 'identity' && sameIdentity(grant.identity, identity) && mayConnect(options.registry, identity),
        certificateRefusal: (certificate) => refusalOf(verifyIdentityCertificate(certificate, identity, { ...options, now: options.clock.now() })),
        open: (link, authentication) => withPresence(presence, { identity, link, authentication }, open(link, identity)),
      };
    },
  };
  const listensForDesired = (identity: IdentityRef): boolean => twins.listensForDesired(identity);
  return { service, methods, presence, listensForDesired, close: () => { stop(); presence.closeAll(); } };
}

/** What each address serves, by node, role and whether a module owns it (wire notes §4.1). */
function openersFor(options: DeviceEndpointsOptions, parts: { twins: DeviceTwinChannels; methods: AmqpMethodChannel }): ReadonlyMap<string, Opener> {
  const { twins, methods } = parts;
  return new Map<string, Opener>([
    ['events/receives/device', (_link, identity) => telemetryIntake(identity, options)],
    ['events/receives/module', (_link, identity) => telemetryIntake(identity, options)],
    // A module's input link: the hub itself routes nothing to module inputs (only IoT Edge does), so it stays quiet.
    ['events/sends/module', () => ({})],
    ['devicebound/sends/device', (link, identity) => new DeviceCloudToDeviceSender(link as Sender, { deviceId: identity.deviceId, queues: options.queues })],
    ['twin/receives/device', (link, identity) => twins.requestLink(identity, link.connection)],
    ['twin/receives/module', (link, identity) => twins.requestLink(identity, link.connection)],
    ['twin/sends/device', (link, identity) => twins.replyLink(identity, link as Sender)],
    ['twin/sends/module', (link, identity) => twins.replyLink(identity, link as Sender)],
    ['methods/sends/device', (link, identity) => methods.requestLink(identity, link as Sender)],
    ['methods/sends/module', (link, identity) => methods.requestLink(identity, link as Sender)],
    ['methods/receives/device', (link, identity) => methods.responseLink(identity, link.connection)],
    ['methods/receives/module', (link, identity) => methods.responseLink(identity, link.connection)],
  ]);
}

function routeKey(address: DeviceAddress, role: ServerRole): string {
  return `${address.node}/${role}/${address.identity.moduleId === undefined ? 'device' : 'module'}`;
}

function refusalOf(verdict: CertificateVerdict): string | undefined {
  return verdict.ok ? undefined : verdict.reason;
}

/** A claim outlives a disable or delete: each attach checks the identity may still connect. */
function mayConnect(registry: IdentityRegistry, identity: IdentityRef): boolean {
  const device = registry.findIdentity({ deviceId: identity.deviceId });
  const record = identity.moduleId === undefined ? device : registry.findIdentity(identity);
  return record !== undefined && device !== undefined && 'status' in device && device.status === 'enabled';
}

function withPresence(presence: AmqpDevicePresence, opened: { identity: IdentityRef; link: Sender | Receiver; authentication: 'sas' | 'x509' | undefined }, handler: LinkHandler): LinkHandler {
  const { identity, link } = opened;
  presence.linkOpened(identity, link, opened.authentication);
  return {
    ...(handler.onMessage === undefined ? {} : { onMessage: handler.onMessage.bind(handler) }),
    ...(handler.onSendable === undefined ? {} : { onSendable: handler.onSendable.bind(handler) }),
    onClose: (reason?: string) => {
      handler.onClose?.(reason);
      presence.linkClosed(identity, link, reason);
    },
  };
}
