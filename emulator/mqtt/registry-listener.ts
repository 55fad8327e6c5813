import type { Client } from 'aedes';
import type { IdentityRef } from '../state/identity.js';
import { clientIdOf } from '../state/identity.js';
import type { IdentityRegistry } from '../state/registry.js';
import { revokedIdentities, type RegistryChange } from '../state/registry-changes.js';
import type { SessionTable } from './sessions.js';
import type { DesiredPatchNotifier } from './twin-channel.js';

/**
 * What the MQTT side does when the registry changes, whoever changed it (REST, bulk import, the
 * control plane, a test writing to the state): push desired patches to the identity's connection,
 * and close the connections of disabled and deleted identities at once, as the hub does (connect-auth
 * then refuses them). A deleted identity also loses its session, so a re-created id starts afresh.
 * Returns the unsubscribe function.
 */
export function followRegistry(
  registry: IdentityRegistry,
  parts: { sessions: SessionTable; desiredPatches: DesiredPatchNotifier; closing?: (client: Client, reason: string) => void },
): () => void {
  const { sessions, desiredPatches } = parts;
  const closing = parts.closing ?? (() => undefined);
  return registry.changes.subscribe((change: RegistryChange) => {
    // The other changes (reported properties, connection states, identities created) ask nothing of MQTT connections.
    switch (change.type) {
      case 'desired-properties-patched':
        desiredPatches.push(change.identity, change.patch, change.version);
        return;
      case 'identity-disabled':
      case 'identity-deleted':
        for (const identity of revokedIdentities(change)) revoke({ registry, sessions, closing }, identity, change.type === 'identity-deleted');
        return;
      case 'registry-cleared':
        sessions.clear();
        return;
    }
  });
}

function revoke(parts: { registry: IdentityRegistry; sessions: SessionTable; closing: (client: Client, reason: string) => void }, identity: IdentityRef, deleted: boolean): void {
  const clientId = clientIdOf(identity);
  const connection = parts.sessions.connection(clientId);
  if (connection !== undefined) parts.closing(connection, deleted ? 'identity-deleted' : 'identity-disabled');
  connection?.close();
  if (deleted) {
    parts.sessions.forget(clientId);
    return;
  }
  // Shown as disconnected as soon as the change is answered, not when the socket has closed.
  if (connection !== undefined) parts.registry.setConnectionState(identity, false);
}
