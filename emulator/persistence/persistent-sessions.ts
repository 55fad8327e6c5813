import { allowedSubscriptions } from '../mqtt/topics.js';
import { identityFromClientId } from '../mqtt/connect-auth.js';
import type { SessionTable } from '../mqtt/sessions.js';
import type { EmulatorStore } from './store.js';

/** SessionTable methods after which a client id's subscriptions may have changed. */
const SESSION_WRITES = new Set(['subscribed', 'unsubscribed', 'forget', 'connected']);

/**
 * Keeps the hub-level MQTT sessions (which topic families each client id is subscribed to) in the
 * store. They matter because the SDK connects with clean=false and does not re-subscribe to twin
 * topics after a reconnect (wire notes §2.2): a session lost in a restart would lose patches.
 */
export function persistentSessions(table: SessionTable, store: EmulatorStore): SessionTable {
  for (const [clientId, topics] of store.loadSessions()) for (const topic of topics) table.subscribed(clientId, topic);

  const persist = (clientId: string): void => {
    const identity = identityFromClientId(clientId);
    if (identity === undefined) return;
    store.saveSession(clientId, [...allowedSubscriptions(identity)].filter((topic) => table.isSubscribed(clientId, topic)));
  };

  return new Proxy(table, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      if (property !== 'clear' && !SESSION_WRITES.has(property)) return (value as (...args: unknown[]) => unknown).bind(target);
      return (...args: unknown[]): unknown => {
        const result: unknown = (value as (...callArgs: unknown[]) => unknown).apply(target, args);
        if (property === 'clear') store.clearSessions();
        else {
          const first = args[0];
          const clientId = typeof first === 'string' ? first : (first as { id?: string } | undefined)?.id;
          if (clientId !== undefined) persist(clientId);
        }
        return result;
      };
    },
  });
}
