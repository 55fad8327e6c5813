import type { EventEmitter } from 'node:events';
import type { HubBroker } from '../mqtt/broker.js';
import { clientIdOf } from '../mqtt/twin-channel.js';
import type { IdentityRef } from '../state/identity.js';
import type { IdentityRegistry } from '../state/registry.js';
import type { TwinState } from '../state/twin.js';

/**
 * The test control plane: what a test may do to the emulator that no one may do to a hub (reset,
 * look inside, inject faults). It is a separate object from the hub's API, never reachable through
 * the hub's REST routes or MQTT topics.
 */
export class EmulatorControl {
  constructor(
    private readonly registry: IdentityRegistry,
    private readonly broker: HubBroker,
  ) {}

  /** Forgets every identity and twin and disconnects every client. */
  reset(): void {
    for (const clientId of this.broker.sessions.connectedIds()) this.broker.sessions.connection(clientId)?.close();
    this.broker.sessions.clear();
    this.registry.clear();
  }

  twinOf(identity: IdentityRef): TwinState {
    return this.registry.getTwin(identity);
  }

  isConnected(identity: IdentityRef): boolean {
    return this.broker.sessions.connection(clientIdOf(identity)) !== undefined;
  }

  /** How many times the identity has connected: a reconnect shows up as a higher count. */
  connectionCount(identity: IdentityRef): number {
    return this.broker.sessions.connectionCount(clientIdOf(identity));
  }

  /** Emits `change` whenever any client connects or disconnects. */
  get connectionChanges(): EventEmitter {
    return this.broker.sessions.changes;
  }

  connectedClientIds(): string[] {
    return this.broker.sessions.connectedIds();
  }

  /** Fault injection: closes the identity's connection as a network failure would; its session stays. */
  dropConnection(identity: IdentityRef): boolean {
    const client = this.broker.sessions.connection(clientIdOf(identity));
    if (client === undefined) return false;
    client.conn.destroy();
    return true;
  }
}
