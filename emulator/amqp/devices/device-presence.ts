import { clientIdOf, type IdentityRef } from '../../state/identity.js';
import type { IdentityRegistry } from '../../state/registry.js';
import type { AmqpError, Connection } from '../rhea.js';

interface Presence {
  readonly identity: IdentityRef;
  readonly connection: Connection;
  openLinks: number;
}

/**
 * Which AMQP connection each device or module is on, from the links it has open. The hub keeps one
 * connection per identity (IoT Hub "device connections": a new connection of the same identity
 * replaces the old one), shows the identity as connected while it has links, and drops the
 * connection of an identity whose right to connect is taken away (disabled, deleted).
 */
export class AmqpDevicePresence {
  private readonly byClientId = new Map<string, Presence>();

  constructor(private readonly registry: IdentityRegistry) {}

  /** A link of `identity` opened on `connection`; the identity's older connection is closed. */
  linkOpened(identity: IdentityRef, connection: Connection): void {
    const clientId = clientIdOf(identity);
    const current = this.byClientId.get(clientId);
    if (current !== undefined && current.connection === connection) {
      current.openLinks += 1;
      return;
    }
    this.byClientId.set(clientId, { identity, connection, openLinks: 1 });
    current?.connection.close(replaced(identity));
    if (current === undefined) this.registry.setConnectionState(identity, true);
  }

  /** A link of `identity` closed (or its connection went): the last one leaves the identity disconnected. */
  linkClosed(identity: IdentityRef, connection: Connection): void {
    const clientId = clientIdOf(identity);
    const current = this.byClientId.get(clientId);
    if (current?.connection !== connection) return;
    current.openLinks -= 1;
    if (current.openLinks > 0) return;
    this.byClientId.delete(clientId);
    this.registry.setConnectionState(identity, false);
  }

  /** The identity may no longer connect: its connection is closed at once, as the hub does. */
  revoke(identity: IdentityRef, description: string): void {
    const clientId = clientIdOf(identity);
    const current = this.byClientId.get(clientId);
    if (current === undefined) return;
    this.byClientId.delete(clientId);
    current.connection.close({ condition: 'amqp:unauthorized-access', description });
    this.registry.setConnectionState(identity, false);
  }

  isConnected(identity: IdentityRef): boolean {
    return this.byClientId.has(clientIdOf(identity));
  }

  closeAll(): void {
    this.byClientId.clear();
  }
}

function replaced(identity: IdentityRef): AmqpError {
  return { condition: 'amqp:connection:forced', description: `A newer connection of ${clientIdOf(identity)} replaced this one.` };
}
