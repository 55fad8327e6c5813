import { EventEmitter } from 'node:events';
import type { Client } from 'aedes';
import { DeviceSessions } from '../state/sessions.js';

/**
 * Which connection currently speaks for each client id, and (through the state's DeviceSessions)
 * which topic families each session is subscribed to: subscriptions are kept per client id, not per
 * connection, because sessions outlive connections.
 */
export class SessionTable {
  private readonly connections = new Map<string, Client>();
  private readonly connectionCounts = new Map<string, number>();
  /** Emits `change` whenever a connection opens or closes or a subscription is made (waiters re-check then). */
  readonly changes = new EventEmitter().setMaxListeners(0);

  constructor(readonly subscriptions: DeviceSessions = new DeviceSessions()) {}

  connected(client: Client): void {
    this.connections.set(client.id, client);
    this.connectionCounts.set(client.id, (this.connectionCounts.get(client.id) ?? 0) + 1);
    this.changes.emit('change');
    // A clean session starts with no subscriptions (MQTT 3.1.1 §3.1.2.4).
    if (client.clean) this.subscriptions.forget(client.id);
  }

  /** True when this connection was the current one for its id (a taken-over one is not). */
  disconnected(client: Client): boolean {
    if (this.connections.get(client.id) !== client) return false;
    this.connections.delete(client.id);
    this.changes.emit('change');
    return true;
  }

  subscribed(clientId: string, topic: string): void {
    this.subscriptions.subscribed(clientId, topic);
    // Direct methods with a connect timeout wait for the target to subscribe.
    this.changes.emit('change');
  }

  unsubscribed(clientId: string, topic: string): void {
    this.subscriptions.unsubscribed(clientId, topic);
  }

  connection(clientId: string): Client | undefined {
    return this.connections.get(clientId);
  }

  isSubscribed(clientId: string, topic: string): boolean {
    return this.subscriptions.isSubscribed(clientId, topic);
  }

  /** How many connections this client id has made since the emulator started. */
  connectionCount(clientId: string): number {
    return this.connectionCounts.get(clientId) ?? 0;
  }

  connectedIds(): string[] {
    return [...this.connections.keys()];
  }

  /** True when the client id has subscriptions remembered from an earlier connection. */
  hasSession(clientId: string): boolean {
    return this.subscriptions.hasSession(clientId);
  }

  forget(clientId: string): void {
    this.subscriptions.forget(clientId);
  }

  /** Closes every connection and forgets every session and count (the control plane's reset). */
  clear(): void {
    const open = [...this.connections.values()];
    this.connections.clear();
    this.connectionCounts.clear();
    this.subscriptions.clear();
    for (const client of open) client.close();
  }
}
