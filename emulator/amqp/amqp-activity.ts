import type { ActivityFeed, ActivityTransport } from '../state/activity.js';
import { refusalReasonOf } from '../state/refusal-reasons.js';
import type { Connection } from './rhea.js';

/** How a link's connection authenticated: a $cbs claim (SAS) or the TLS client certificate (X.509). */
export type AmqpAuthentication = 'sas' | 'x509';

/**
 * rhea keeps the transport it accepted the connection on as `socket` (connection.js init): a
 * TLSSocket (`encrypted`) for AMQPS, a plain socket for the loopback listener, rhea's WebSocket
 * wrapper (no `remoteAddress`) for AMQP over WebSockets.
 */
export function transportOfConnection(connection: Connection): ActivityTransport {
  const socket = (connection as { socket?: { encrypted?: unknown; remoteAddress?: unknown } }).socket;
  if (socket?.encrypted === true || typeof socket?.remoteAddress === 'string') return 'amqp';
  return 'amqp-ws';
}

/** A put-token or an attach refused: the reason read from the check's own text, which never holds the token. */
export function announceAmqpRefusal(feed: ActivityFeed | undefined, init: { connection: Connection; claimedBy?: string; detail: string }): void {
  feed?.announce({
    type: 'refused', at: new Date(), transport: transportOfConnection(init.connection),
    ...(init.claimedBy === undefined ? {} : { claimedBy: init.claimedBy }), reason: refusalReasonOf(init.detail), detail: init.detail,
  });
}

/** Packet-level detail for debug: attaches and transfers, by address. */
export function announceAmqpPacket(feed: ActivityFeed | undefined, init: { connection: Connection; kind: string; address: string; direction: 'in' | 'out' }): void {
  feed?.announce({ type: 'packet', at: new Date(), transport: transportOfConnection(init.connection), direction: init.direction, kind: init.kind, topicOrAddress: init.address });
}
