import type { KeyGenerator } from './keys.js';

/** Hub-level shared access policy permissions (docs: "Control access to IoT Hub", "IoT Hub permissions"). */
export type Permission = 'RegistryRead' | 'RegistryWrite' | 'ServiceConnect' | 'DeviceConnect';

export interface SharedAccessPolicy {
  readonly name: string;
  readonly primaryKey: string;
  readonly secondaryKey: string;
  readonly permissions: ReadonlySet<Permission>;
}

/** The policies a new hub has, with the permissions the docs list for each. */
const DEFAULT_POLICY_PERMISSIONS: Record<string, Permission[]> = {
  iothubowner: ['RegistryRead', 'RegistryWrite', 'ServiceConnect', 'DeviceConnect'],
  service: ['ServiceConnect'],
  device: ['DeviceConnect'],
  registryRead: ['RegistryRead'],
  registryReadWrite: ['RegistryRead', 'RegistryWrite'],
};

export function defaultPolicies(generateKey: KeyGenerator, ownerKey?: string): SharedAccessPolicy[] {
  return Object.entries(DEFAULT_POLICY_PERMISSIONS).map(([name, permissions]) => ({
    name,
    primaryKey: name === 'iothubowner' && ownerKey !== undefined ? ownerKey : generateKey(),
    secondaryKey: generateKey(),
    permissions: new Set(permissions),
  }));
}
