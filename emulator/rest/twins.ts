import { hubErrors } from '../errors.js';
import type { IdentityRef } from '../state/identity.js';
import { isJsonObject } from '../state/json.js';
import type { ServicePatch } from '../state/twin.js';
import { jsonResponse, type RestResponse } from './http-types.js';
import { ifMatchHeader, pathParam, readJsonBody, type RestContext, type Route } from './route.js';
import { serializeTwin } from './serialize.js';

/** Twin fields the service may send back unchanged in a patch (the hub ignores read-only ones). */
const READ_ONLY_TWIN_FIELDS = new Set([
  'deviceId', 'moduleId', 'etag', 'deviceEtag', 'version', 'status', 'statusReason', 'statusUpdateTime',
  'connectionState', 'lastActivityTime', 'cloudToDeviceMessageCount', 'authenticationType', 'x509Thumbprint',
  'capabilities', 'modelId', 'deviceScope', 'parentScopes',
]);

function identityOf(context: RestContext): IdentityRef {
  const deviceId = pathParam(context.params, 'id');
  return context.params.mid === undefined ? { deviceId } : { deviceId, moduleId: context.params.mid };
}

function twinResponse(context: RestContext, ref: IdentityRef): RestResponse {
  const identity = ref.moduleId === undefined ? context.registry.getDevice(ref.deviceId) : context.registry.getModule(ref.deviceId, ref.moduleId);
  const body = serializeTwin(identity, context.registry.getDevice(ref.deviceId));
  return jsonResponse(200, body, { etag: `"${body.etag}"` });
}

/**
 * The PATCH body is a partial twin: `tags` and `properties.desired` (`null` clears the section);
 * reported belongs to the device. A PUT body is a whole twin: its reported section, `$metadata` and
 * `$version` are read-only and ignored.
 */
export function readServicePatch(body: unknown, replacing = false): ServicePatch {
  if (!isJsonObject(body)) throw hubErrors.argumentInvalid('The twin patch must be a JSON object.');
  for (const key of Object.keys(body)) {
    if (key !== 'tags' && key !== 'properties' && !READ_ONLY_TWIN_FIELDS.has(key)) {
      throw hubErrors.argumentInvalid(`Unknown twin field '${key}'.`);
    }
  }
  const properties = body.properties;
  if (properties !== undefined && !isJsonObject(properties)) throw hubErrors.argumentInvalid('properties must be an object.');
  for (const key of Object.keys(properties ?? {})) {
    if (key === 'reported' && replacing) continue;
    if (key === 'reported') throw hubErrors.argumentInvalid('Reported properties can only be updated by the device.');
    if (key !== 'desired') throw hubErrors.argumentInvalid(`Unknown twin properties section '${key}'.`);
  }
  const desired = properties?.desired;
  if (replacing && isJsonObject(desired)) {
    const { $metadata: _metadata, $version: _version, ...values } = desired;
    return { tags: body.tags, desired: values };
  }
  return { tags: body.tags, desired };
}

function patchTwin(context: RestContext): RestResponse {
  const ref = identityOf(context);
  const patch = readServicePatch(readJsonBody(context.request));
  context.registry.patchTwin(ref, patch, ifMatchHeader(context.request));
  return twinResponse(context, ref);
}

function replaceTwin(context: RestContext): RestResponse {
  const ref = identityOf(context);
  const replacement = readServicePatch(readJsonBody(context.request), true);
  context.registry.replaceTwinDocument(ref, replacement, ifMatchHeader(context.request));
  return twinResponse(context, ref);
}

export const twinRoutes: Route[] = [
  { method: 'GET', path: '/twins/{id}', permission: 'ServiceConnect', handle: (context) => twinResponse(context, identityOf(context)) },
  { method: 'PATCH', path: '/twins/{id}', permission: 'ServiceConnect', handle: patchTwin },
  { method: 'PUT', path: '/twins/{id}', permission: 'ServiceConnect', handle: replaceTwin },
  {
    method: 'GET',
    path: '/twins/{id}/modules/{mid}',
    permission: 'ServiceConnect',
    handle: (context) => twinResponse(context, identityOf(context)),
  },
  { method: 'PATCH', path: '/twins/{id}/modules/{mid}', permission: 'ServiceConnect', handle: patchTwin },
  { method: 'PUT', path: '/twins/{id}/modules/{mid}', permission: 'ServiceConnect', handle: replaceTwin },
];
