import { EventEmitter } from 'node:events';
import type { ActivityFeed } from '../../state/activity.js';
import { clientIdOf, type IdentityRef } from '../../state/identity.js';
import { transportOfConnection, type AmqpAuthentication } from '../amqp-activity.js';
import type { IdentityRegistry } from '../../state/registry.js';
import type { AmqpError, Connection, Receiver, Sender } from '../rhea.js';

type Link = Sender | Receiver;

interface Presence {
  readonly connection: Connection;
  readonly links: Set<Link>;
}

/**
 * Which AMQP connection each device or module is on, from the links it has open. The hub keeps one
 * connection per identity (a newer connection of the same identity takes over), shows the identity
 * as connected while it has links, and ends the links of an identity whose right to connect is taken
 * away (disabled, deleted). Links are detached with an error rather than the connection closed: the
 * SDK then runs its links down and closes the connection itself, where a server-side close would
 * leave it waiting 45 s for detaches that cannot come (wire notes §7, pitfalls 1 and 17).
 */
export class AmqpDevicePresence {
  private readonly byClientId = new Map<string, Presence>();
  private readonly connectionCounts = new Map<string, number>();
  /** Emits `change` whenever an identity connects or disconnects (the control plane waits on it). */
  readonly changes = new EventEmitter().setMaxListeners(0);

  constructor(
    private readonly registry: IdentityRegistry,
    private readonly activity?: ActivityFeed,
  ) {}

  linkOpened(identity: IdentityRef, link: Link, authentication: AmqpAuthentication = 'sas'): void {
    const clientId = clientIdOf(identity);
    const current = this.byClientId.get(clientId);
    if (current?.connection === link.connection) {
      current.links.add(link);
      return;
    }
    this.byClientId.set(clientId, { connection: link.connection, links: new Set([link]) });
    this.connectionCounts.set(clientId, this.connectionCount(clientId) + 1);
    if (current !== undefined) this.announceDisconnected(clientId, current, 'taken-over');
    this.activity?.announce({ type: 'connected', at: new Date(), transport: transportOfConnection(link.connection), clientId, authentication });
    this.changes.emit('change');
    if (current === undefined) this.registry.setConnectionState(identity, true);
    else detachAll(current, { condition: 'amqp:link:stolen', description: `A newer connection of ${clientId} took over its links.` });
  }

  /** A link closed (or its connection went): the identity's last link leaves it disconnected. */
  linkClosed(identity: IdentityRef, link: Link, reason = 'client-closed'): void {
    const clientId = clientIdOf(identity);
    const current = this.byClientId.get(clientId);
    if (current === undefined || !current.links.delete(link) || current.links.size > 0) return;
    this.byClientId.delete(clientId);
    this.announceDisconnected(clientId, current, reason);
    this.registry.setConnectionState(identity, false);
    this.changes.emit('change');
  }

  /** The identity may no longer connect: its links are ended at once, and it shows as disconnected. */
  revoke(identity: IdentityRef, description: string, reason = 'identity-revoked'): void {
    const clientId = clientIdOf(identity);
    const current = this.byClientId.get(clientId);
    if (current === undefined) return;
    this.byClientId.delete(clientId);
    this.announceDisconnected(clientId, current, reason);
    detachAll(current, { condition: 'amqp:unauthorized-access', description });
    this.registry.setConnectionState(identity, false);
    this.changes.emit('change');
  }

  /** Every identity's links are ended (the registry was cleared). */
  revokeAll(description: string): void {
    for (const [clientId, presence] of [...this.byClientId]) {
      this.byClientId.delete(clientId);
      this.announceDisconnected(clientId, presence, 'emulator-reset');
      detachAll(presence, { condition: 'amqp:unauthorized-access', description });
    }
    this.changes.emit('change');
  }

  isConnected(clientId: string): boolean {
    return this.byClientId.has(clientId);
  }

  /** How many connections the identity has made (a reconnect shows up as a higher count). */
  connectionCount(clientId: string): number {
    return this.connectionCounts.get(clientId) ?? 0;
  }

  connectedIds(): string[] {
    return [...this.byClientId.keys()];
  }

  /** Fault injection: cuts the identity's transport as a network failure would; false when it is not connected. */
  drop(clientId: string): boolean {
    const current = this.byClientId.get(clientId);
    // rhea keeps the transport it accepted the connection on as `socket` (connection.js init), and
    // hears of its end only through 'end' or 'error' (not 'close'): a TLS socket is destroyed with an
    // error, as after a network failure; rhea's WebSocket wrapper (lib/ws.js) offers only `end`,
    // which closes the WebSocket and is heard as its 'close'.
    const transport = (current?.connection as { socket?: { destroy?: (error: Error) => void; end?: () => void } } | undefined)?.socket;
    if (typeof transport?.destroy === 'function') transport.destroy(new Error('The emulator control plane dropped this connection.'));
    else if (typeof transport?.end === 'function') transport.end();
    else return false;
    return true;
  }

  private announceDisconnected(clientId: string, presence: Presence, reason: string): void {
    this.activity?.announce({ type: 'disconnected', at: new Date(), transport: transportOfConnection(presence.connection), clientId, reason });
  }

  closeAll(): void {
    this.byClientId.clear();
    this.connectionCounts.clear();
  }
}

function detachAll(presence: Presence, error: AmqpError): void {
  for (const link of presence.links) link.close(error);
}
