import { hubErrors } from '../errors.js';
import { emptyResponse, jsonResponse, type RestResponse } from './http-types.js';
import { readDeviceSpec } from './identity-body.js';
import { bulkRegistryRoute } from './bulk.js';
import { ifMatchHeader, readJsonBody, revokeDevice, type RestContext, type Route } from './route.js';
import { serializeDevice } from './serialize.js';

/**
 * `PUT /devices/{id}`: without If-Match a create (409 when the id exists), with one an update of an
 * existing device (404 when absent, 412 when the etag differs; `*` matches any). Disabling a device
 * closes its connections, as on the hub.
 */
function putDevice(context: RestContext): RestResponse {
  const deviceId = context.params.id ?? '';
  const spec = readDeviceSpec(readJsonBody(context.request), deviceId);
  const ifMatch = ifMatchHeader(context.request);
  if (ifMatch === undefined) return jsonResponse(200, serializeDevice(context.registry.addDevice(spec)));
  const before = context.registry.getDevice(deviceId);
  const device = context.registry.updateDevice(spec, ifMatch);
  if (device.status === 'disabled' && before.status !== 'disabled') {
    revokeDevice(context, deviceId, context.registry.listModules(deviceId).map((module) => module.moduleId), 'disabled');
  }
  return jsonResponse(200, serializeDevice(device));
}

function deleteDevice(context: RestContext): RestResponse {
  const deviceId = context.params.id ?? '';
  const moduleIds = context.registry.listModules(deviceId).map((module) => module.moduleId);
  context.registry.deleteDevice(deviceId, ifMatchHeader(context.request));
  revokeDevice(context, deviceId, moduleIds, 'deleted');
  return emptyResponse(204);
}

/** `GET /devices?top=N` (swagger Devices_GetDevices): a non-integer `top` is refused. */
function listDevices(context: RestContext): RestResponse {
  const top = context.request.query.get('top');
  if (top !== null && !/^-?\d+$/.test(top)) throw hubErrors.argumentInvalid(`top must be an integer, not '${top}'.`);
  return jsonResponse(200, context.registry.listDevices(top === null ? undefined : Number(top)).map(serializeDevice));
}

export const deviceRoutes: Route[] = [
  { method: 'PUT', path: '/devices/{id}', permission: 'RegistryWrite', handle: putDevice },
  {
    method: 'GET',
    path: '/devices/{id}',
    permission: 'RegistryRead',
    handle: (context) => jsonResponse(200, serializeDevice(context.registry.getDevice(context.params.id ?? ''))),
  },
  { method: 'DELETE', path: '/devices/{id}', permission: 'RegistryWrite', handle: deleteDevice },
  { method: 'GET', path: '/devices', permission: 'RegistryRead', handle: listDevices },
  bulkRegistryRoute,
];
