import { ChangeFeed } from './change-feed.js';

/** What the session table announces: a client id's subscribed topic families now, or all forgotten. */
export type SessionChange =
  | { readonly type: 'session-changed'; readonly clientId: string; readonly topics: readonly string[] }
  | { readonly type: 'sessions-cleared' };

/**
 * Which topic families each client id's session is subscribed to. Sessions outlive connections: the
 * SDK connects with clean=false and never re-subscribes to twin topics after a reconnect (wire notes
 * §2.2), so a session lost (in a restart, say) would lose patches. Pure state: the MQTT side records
 * here, persistence keeps what `changes` announces. An empty session is no session.
 */
export class DeviceSessions {
  private readonly subscriptions = new Map<string, Set<string>>();
  readonly changes = new ChangeFeed<SessionChange>();

  subscribed(clientId: string, topic: string): void {
    const topics = this.subscriptions.get(clientId) ?? new Set<string>();
    if (topics.has(topic)) return;
    topics.add(topic);
    this.subscriptions.set(clientId, topics);
    this.announce(clientId);
  }

  unsubscribed(clientId: string, topic: string): void {
    const topics = this.subscriptions.get(clientId);
    if (topics?.delete(topic) !== true) return;
    if (topics.size === 0) this.subscriptions.delete(clientId);
    this.announce(clientId);
  }

  /** Drops the client id's session (a clean session, or a deleted identity). */
  forget(clientId: string): void {
    if (this.subscriptions.delete(clientId)) this.announce(clientId);
  }

  clear(): void {
    this.subscriptions.clear();
    this.changes.announce({ type: 'sessions-cleared' });
  }

  /** Puts back a session kept by persistence; restoring is not a change, so nothing is announced. */
  restore(clientId: string, topics: readonly string[]): void {
    if (topics.length > 0) this.subscriptions.set(clientId, new Set(topics));
  }

  isSubscribed(clientId: string, topic: string): boolean {
    return this.subscriptions.get(clientId)?.has(topic) ?? false;
  }

  /** True when the client id has subscriptions remembered from an earlier connection. */
  hasSession(clientId: string): boolean {
    return this.subscriptions.has(clientId);
  }

  topicsOf(clientId: string): string[] {
    return [...(this.subscriptions.get(clientId) ?? [])];
  }

  private announce(clientId: string): void {
    this.changes.announce({ type: 'session-changed', clientId, topics: this.topicsOf(clientId) });
  }
}
