import type { IdentityRecord } from '../state/identity.js';
import type { IdentityRegistry } from '../state/registry.js';
import type { EmulatorStore, IdentityWrite } from './store.js';

/** Registry methods that never change state; every other method is a write (new ones included). */
const READS = new Set(['getDevice', 'listDevices', 'getModule', 'listModules', 'allModules', 'findIdentity', 'getTwin', 'deviceCount', 'exportDevice']);

/** The device a registry call is about: its first argument is a device id, an IdentityRef or a spec. */
function deviceIdOf(args: readonly unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === 'string') return first;
  if (typeof first === 'object' && first !== null && typeof (first as { deviceId?: unknown }).deviceId === 'string') return (first as { deviceId: string }).deviceId;
  return undefined;
}

/**
 * Writes the registry through to the store after every successful change, keeping the registry itself
 * pure. Records are immutable (replaced on every change), so comparing with the last stored object
 * finds exactly the rows to write; a failed call (a HubError) writes nothing.
 */
/** Writes the rows of one device that differ from what was last stored. */
class RowWriter {
  private readonly stored = new Map<string, IdentityRecord>();

  constructor(private readonly store: EmulatorStore) {}

  remember(deviceId: string, moduleId: string, record: IdentityRecord): void {
    this.stored.set(rowKey(deviceId, moduleId), record);
  }

  persistDevice(registry: IdentityRegistry, deviceId: string): void {
    const current = registry.exportDevice(deviceId);
    const present = new Map<string, IdentityWrite>();
    if (current !== undefined) {
      present.set(rowKey(deviceId, ''), { deviceId, moduleId: '', record: current.device });
      for (const module of current.modules) present.set(rowKey(deviceId, module.moduleId), { deviceId, moduleId: module.moduleId, record: module });
    }
    const writes = [...present].filter(([key, write]) => this.stored.get(key) !== write.record).map(([, write]) => write);
    for (const key of this.stored.keys()) {
      const [rowDevice = '', rowModule = ''] = key.split('\u0000');
      if (rowDevice === deviceId && !present.has(key)) writes.push({ deviceId, moduleId: rowModule, record: undefined });
    }
    if (writes.length === 0) return;
    this.store.writeIdentities(writes);
    for (const write of writes) {
      if (write.record === undefined) this.stored.delete(rowKey(write.deviceId, write.moduleId));
      else this.remember(write.deviceId, write.moduleId, write.record);
    }
  }

  clear(): void {
    this.store.clearIdentities();
    this.stored.clear();
  }
}

const rowKey = (deviceId: string, moduleId: string): string => `${deviceId}\u0000${moduleId}`;

/**
 * Writes the registry through to the store after every successful change, keeping the registry itself
 * pure. Records are immutable (replaced on every change), so comparing with the last stored object
 * finds exactly the rows to write; a failed call (a HubError) writes nothing.
 */
export function persistentRegistry(registry: IdentityRegistry, store: EmulatorStore): IdentityRegistry {
  const rows = new RowWriter(store);
  for (const snapshot of store.loadDevices()) {
    registry.importDevice(snapshot);
    rows.remember(snapshot.device.deviceId, '', snapshot.device);
    for (const module of snapshot.modules) rows.remember(module.deviceId, module.moduleId, module);
  }
  return new Proxy(registry, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || READS.has(property)) return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = (value as (...callArgs: unknown[]) => unknown).apply(target, args);
        if (property === 'clear') rows.clear();
        else {
          const deviceId = deviceIdOf(args);
          if (deviceId !== undefined) rows.persistDevice(target, deviceId);
        }
        return result;
      };
    },
  });
}
