import type { Registry } from 'azure-iothub';
import type { JsonObject } from './twin-snapshot.js';

/**
 * Back-end operations on device identities through the official Registry client, as an application
 * uses them: register, read, update with an etag (optimistic concurrency), disable, delete, bulk.
 */
export interface RegisteredDevice {
  readonly deviceId: string;
  readonly etag: string;
  readonly status: string;
  readonly statusReason?: string | null;
  readonly primaryKey: string;
}

export interface DeviceDocument {
  deviceId: string;
  etag?: string;
  status?: string;
  statusReason?: string | null;
  connectionState?: string;
  authentication?: { symmetricKey?: { primaryKey?: string } };
}

function registered(document: DeviceDocument): RegisteredDevice {
  return {
    deviceId: document.deviceId,
    etag: document.etag ?? '',
    status: document.status ?? '',
    statusReason: document.statusReason ?? null,
    primaryKey: document.authentication?.symmetricKey?.primaryKey ?? '',
  };
}

export async function registerDevice(registry: Registry, deviceId: string): Promise<RegisteredDevice> {
  return registered((await registry.create({ deviceId })).responseBody);
}

export async function readDevice(registry: Registry, deviceId: string): Promise<RegisteredDevice> {
  return registered((await registry.get(deviceId)).responseBody);
}

/**
 * Changes the status the way an application does: read the device, change it, write it back.
 * `Registry.update` always sends `If-Match: *`; with `guardWith` (an earlier read) the change goes
 * through `updateDevices(devices, forceUpdate=false)`, which sends that read's etag, so that the hub
 * refuses it if the device has changed since.
 */
export async function setDeviceStatus(
  registry: Registry,
  change: { deviceId: string; status: 'enabled' | 'disabled'; statusReason?: string; guardWith?: DeviceDocument },
): Promise<void> {
  const base = change.guardWith ?? ((await registry.get(change.deviceId)).responseBody);
  const device = { ...base, status: change.status, statusReason: change.statusReason ?? null };
  if (change.guardWith === undefined) {
    await registry.update(device);
    return;
  }
  const result = await bulkResultOf(async () => (await registry.updateDevices([device], false)).responseBody);
  if (!result.isSuccessful) throw new BulkRegistrationError(result);
}

export async function readDeviceDocument(registry: Registry, deviceId: string): Promise<DeviceDocument> {
  return structuredClone((await registry.get(deviceId)).responseBody as unknown as DeviceDocument);
}

export interface BulkResult {
  readonly isSuccessful: boolean;
  readonly errors: readonly { deviceId: string; errorCode: string; errorStatus?: string }[];
}

export class BulkRegistrationError extends Error {
  constructor(readonly result: BulkResult) {
    super(`The hub refused part of the bulk operation: ${result.errors.map((error) => `${error.deviceId}: ${error.errorCode}`).join(', ')}`);
    this.name = 'BulkRegistrationError';
  }
}

/** `Registry.addDevices`: the hub answers 400 with the per-device errors when any entry fails. */
export async function registerDevicesAtOnce(registry: Registry, deviceIds: readonly string[]): Promise<BulkResult> {
  return bulkResultOf(async () => (await registry.addDevices(deviceIds.map((deviceId) => ({ deviceId })))).responseBody);
}

/** A bulk answer is `{isSuccessful, errors}` with 200 or, when an entry failed, 400 (an ArgumentError carrying it). */
async function bulkResultOf(call: () => Promise<unknown>): Promise<BulkResult> {
  try {
    return (await call()) as BulkResult;
  } catch (error) {
    const body = (error as { responseBody?: unknown }).responseBody;
    const parsed = typeof body === 'string' ? (JSON.parse(body) as unknown) : body;
    if (typeof parsed === 'object' && parsed !== null && 'isSuccessful' in parsed) return parsed as BulkResult;
    throw error;
  }
}

export async function deleteDevice(registry: Registry, deviceId: string): Promise<void> {
  await registry.delete(deviceId);
}

export async function updateDeviceTwin(registry: Registry, deviceId: string, patch: JsonObject): Promise<{ desiredVersion: number }> {
  const twin = (await registry.getTwin(deviceId)).responseBody;
  const updated = (await registry.updateTwin(deviceId, patch, twin.etag)).responseBody;
  const version = (updated.properties.desired as { $version?: unknown }).$version;
  return { desiredVersion: typeof version === 'number' ? version : Number.NaN };
}

export async function readDeviceTwin(registry: Registry, deviceId: string): Promise<{ tags: JsonObject; desired: JsonObject }> {
  const twin = (await registry.getTwin(deviceId)).responseBody as unknown as { tags?: JsonObject; properties: { desired: JsonObject } };
  return structuredClone({ tags: twin.tags ?? {}, desired: twin.properties.desired });
}
