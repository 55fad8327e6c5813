import type { Registry } from 'azure-iothub';
import { snapshotOf, type JsonObject, type TwinSnapshot } from './twin-snapshot.js';

export interface DesiredUpdate {
  readonly deviceId: string;
  readonly moduleId: string;
  readonly desired: JsonObject;
  /** The etag to send in If-Match; by default the one just read (the tutorial's flow). */
  readonly etag?: string;
}

export interface DesiredUpdateResult {
  readonly before: TwinSnapshot;
  readonly after: TwinSnapshot;
}

export async function readModuleTwin(registry: Registry, ids: { deviceId: string; moduleId: string }): Promise<TwinSnapshot> {
  return snapshotOf((await registry.getModuleTwin(ids.deviceId, ids.moduleId)).responseBody);
}

/**
 * The tutorial's UpdateModuleTwinDesiredProperties app: read the module twin, then patch
 * `properties.desired` with the twin's etag, so that a concurrent change is refused (412) rather
 * than overwritten.
 */
export async function updateModuleTwinDesiredProperties(registry: Registry, update: DesiredUpdate): Promise<DesiredUpdateResult> {
  const before = await readModuleTwin(registry, update);
  const patch = { properties: { desired: update.desired } };
  const response = await registry.updateModuleTwin(update.deviceId, update.moduleId, patch, update.etag ?? before.etag);
  return { before, after: snapshotOf(response.responseBody) };
}
