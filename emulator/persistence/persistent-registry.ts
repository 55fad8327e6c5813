import type { RegistryChange } from '../state/registry-changes.js';
import type { IdentityRegistry } from '../state/registry.js';
import type { EmulatorStore, IdentityWrite } from './store.js';

/**
 * Keeps the registry in the store: puts back what was kept, then writes exactly what each change
 * announces (emulator/state/registry-changes.ts). Changes are delivered synchronously, so a write is
 * in the store (one SQLite transaction) before the writer answers its client. Returns the unsubscribe.
 */
export function persistRegistry(registry: IdentityRegistry, store: EmulatorStore): () => void {
  for (const snapshot of store.loadDevices()) registry.importDevice(snapshot);
  return registry.changes.subscribe((change) => {
    if (change.type === 'registry-cleared') {
      store.clearIdentities();
      return;
    }
    store.writeIdentities(rowWritesFor(change));
  });
}

/** The identity rows a change rewrites: the record that now holds, or none for what was deleted. */
export function rowWritesFor(change: Exclude<RegistryChange, { type: 'registry-cleared' }>): IdentityWrite[] {
  const { deviceId, moduleId = '' } = change.identity;
  if (change.type !== 'identity-deleted') return [{ deviceId, moduleId, record: change.record }];
  const modules = change.moduleIds.map((id): IdentityWrite => ({ deviceId, moduleId: id, record: undefined }));
  return [...modules, { deviceId, moduleId, record: undefined }];
}
