import type { DeviceSessions } from '../state/sessions.js';
import type { EmulatorStore } from './store.js';

/**
 * Keeps the MQTT sessions' subscribed topic families in the store: puts back what was kept, then
 * writes what each session change announces (emulator/state/sessions.ts). Returns the unsubscribe.
 */
export function persistSessions(sessions: DeviceSessions, store: EmulatorStore): () => void {
  for (const [clientId, topics] of store.loadSessions()) sessions.restore(clientId, topics);
  return sessions.changes.subscribe((change) => {
    if (change.type === 'sessions-cleared') store.clearSessions();
    else store.saveSession(change.clientId, change.topics);
  });
}
