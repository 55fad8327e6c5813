import { asHubError, hubErrors, type HubError } from '../errors.js';
import { isJsonObject, type JsonObject } from '../state/json.js';
import { jsonResponse, type RestResponse } from './http-types.js';
import { readDeviceSpec } from './identity-body.js';
import { readJsonBody, type RestContext, type Route } from './route.js';

/**
 * `POST /devices` (swagger BulkRegistry_UpdateRegistry), as `Registry.addDevices`, `updateDevices`
 * and `removeDevices` send it: an array of `ExportImportDevice` with `id` and `importMode`. At most
 * 100 entries, each device once. Entries are applied one by one; the answer is
 * `{isSuccessful, errors, warnings}`, 200 when all succeeded, 400 otherwise.
 */
export const MAX_BULK_DEVICES = 100;

type ImportMode = 'create' | 'update' | 'updateifmatchetag' | 'delete' | 'deleteifmatchetag';
const MODES = new Set<string>(['create', 'update', 'updateifmatchetag', 'delete', 'deleteifmatchetag']);
const TWIN_MODES = new Set(['updatetwin', 'updatetwinifmatchetag']);

interface BulkEntry {
  readonly deviceId: string;
  readonly mode: ImportMode;
  readonly body: JsonObject;
  /** `eTag` in the swagger; the SDKs send back the device's own `etag`, which the hub also reads. */
  readonly etag: string | undefined;
}

function readEntry(value: unknown): BulkEntry {
  if (!isJsonObject(value)) throw hubErrors.argumentInvalid('Each bulk entry must be a JSON object.');
  const { id, importMode, moduleId } = value;
  if (typeof id !== 'string' || id === '') throw hubErrors.argumentInvalid('Each bulk entry needs an id.');
  if (moduleId !== undefined && moduleId !== null) throw hubErrors.notImplemented('Bulk operations on modules');
  const mode = typeof importMode === 'string' ? importMode.toLowerCase() : '';
  if (TWIN_MODES.has(mode)) throw hubErrors.notImplemented(`Bulk importMode '${mode}'`);
  if (!MODES.has(mode)) throw hubErrors.argumentInvalid(`Unknown importMode ${JSON.stringify(importMode)} for device '${id}'.`);
  // ExportImportDevice's twin fields would be stored with the identity on the hub; the emulator does not import twins in bulk.
  if ((value.tags ?? null) !== null || (value.properties ?? null) !== null) throw hubErrors.notImplemented('Bulk import of twin tags and properties');
  const etag = value.eTag ?? value.etag;
  const { id: _id, importMode: _mode, eTag: _eTag, etag: _etag, moduleId: _moduleId, twinETag: _twinETag, tags: _tags, properties: _properties, ...body } = value;
  return { deviceId: id, mode: mode as ImportMode, body: { ...body, deviceId: id }, etag: typeof etag === 'string' ? etag : undefined };
}

function readEntries(body: unknown): BulkEntry[] {
  if (!Array.isArray(body)) throw hubErrors.argumentInvalid('The bulk request must be a JSON array of devices.');
  if (body.length === 0 || body.length > MAX_BULK_DEVICES) {
    throw hubErrors.argumentInvalid(`A bulk request carries 1 to ${MAX_BULK_DEVICES} devices, not ${body.length}.`);
  }
  const entries = body.map(readEntry);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.deviceId)) throw hubErrors.definedMultipleTimes(entry.deviceId);
    seen.add(entry.deviceId);
  }
  return entries;
}

function conditionalEtag(entry: BulkEntry): string {
  if (entry.etag === undefined || entry.etag === '') throw hubErrors.argumentInvalid(`importMode ${entry.mode} needs the device's eTag.`);
  return entry.etag;
}

/** Each entry is one registry write; what follows from it (closing revoked connections) follows the registry's change. */
function applyEntry(context: RestContext, entry: BulkEntry): void {
  const { registry } = context;
  if (entry.mode === 'create') {
    registry.addDevice(readDeviceSpec(entry.body, entry.deviceId));
  } else if (entry.mode === 'update' || entry.mode === 'updateifmatchetag') {
    registry.updateDevice(readDeviceSpec(entry.body, entry.deviceId), entry.mode === 'update' ? '*' : conditionalEtag(entry));
  } else {
    registry.deleteDevice(entry.deviceId, entry.mode === 'delete' ? '*' : conditionalEtag(entry));
  }
}

function operationError(deviceId: string, error: HubError) {
  return { deviceId, errorCode: error.code, errorStatus: error.message };
}

function bulkUpdate(context: RestContext): RestResponse {
  const entries = readEntries(readJsonBody(context.request));
  const errors: ReturnType<typeof operationError>[] = [];
  for (const entry of entries) {
    try {
      applyEntry(context, entry);
    } catch (error) {
      const hubError = asHubError(error);
      if (hubError.status >= 500) throw hubError;
      errors.push(operationError(entry.deviceId, hubError));
    }
  }
  return jsonResponse(errors.length === 0 ? 200 : 400, { isSuccessful: errors.length === 0, errors, warnings: [] });
}

export const bulkRegistryRoute: Route = { method: 'POST', path: '/devices', permission: 'RegistryWrite', handle: bulkUpdate };
