import type { Registry } from 'azure-iothub';

export interface ModuleIdentity {
  readonly deviceId: string;
  readonly moduleId: string;
  readonly primaryKey: string;
  readonly secondaryKey: string;
  /** False when the device already existed and was fetched instead (the tutorial tolerates that). */
  readonly deviceCreated: boolean;
  readonly moduleCreated: boolean;
}

interface SasAuthenticated {
  authentication?: { symmetricKey?: { primaryKey?: string; secondaryKey?: string } };
}

/** 409 from the hub; azure-iothub maps it to DeviceAlreadyExistsError for devices and modules alike. */
function isAlreadyExists(error: unknown): boolean {
  const candidate = error as { name?: string; response?: { statusCode?: number } };
  return candidate.name === 'DeviceAlreadyExistsError' || candidate.response?.statusCode === 409;
}

async function createOrFetch<T>(create: () => Promise<T>, fetch: () => Promise<T>): Promise<{ value: T; created: boolean }> {
  try {
    return { value: await create(), created: true };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    return { value: await fetch(), created: false };
  }
}

/**
 * The tutorial's CreateModule app: register the device and then the module, both with SAS
 * authentication and empty keys so that the hub generates them; an id that already exists is fetched.
 */
export async function createModuleIdentity(registry: Registry, ids: { deviceId: string; moduleId: string }): Promise<ModuleIdentity> {
  const { deviceId, moduleId } = ids;
  const emptyKeys = { type: 'sas', symmetricKey: { primaryKey: '', secondaryKey: '' } };
  const device = await createOrFetch(
    async () => (await registry.create({ deviceId, authentication: emptyKeys })).responseBody,
    async () => (await registry.get(deviceId)).responseBody,
  );
  const module = await createOrFetch<SasAuthenticated>(
    async () => (await registry.addModule({ deviceId, moduleId, authentication: emptyKeys })).responseBody as SasAuthenticated,
    async () => (await registry.getModule(deviceId, moduleId)).responseBody,
  );
  const keys = module.value.authentication?.symmetricKey;
  if (!keys?.primaryKey || !keys.secondaryKey) throw new Error(`The hub returned module '${moduleId}' without SAS keys.`);
  return {
    deviceId,
    moduleId,
    primaryKey: keys.primaryKey,
    secondaryKey: keys.secondaryKey,
    deviceCreated: device.created,
    moduleCreated: module.created,
  };
}
