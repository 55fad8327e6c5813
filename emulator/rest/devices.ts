import { hubErrors } from '../errors.js';
import { emptyResponse, jsonResponse, type RestResponse } from './http-types.js';
import { readDeviceSpec } from './identity-body.js';
import { bulkRegistryRoute } from './bulk.js';
import { ifMatchHeader, pathParam, pendingMessages, readJsonBody, type RestContext, type Route } from './route.js';
import { serializeDevice } from './serialize.js';

/**
 * `PUT /devices/{id}`: without If-Match a create (409 when the id exists), with one an update of an
 * existing device (404 when absent, 412 when the etag differs; `*` matches any). Disabling a device
 * closes its connections, as on the hub: the MQTT side does that on the registry's change.
 */
function putDevice(context: RestContext): RestResponse {
  const deviceId = pathParam(context.params, 'id');
  const spec = readDeviceSpec(readJsonBody(context.request), deviceId);
  const ifMatch = ifMatchHeader(context.request);
  const device = ifMatch === undefined ? context.registry.addDevice(spec) : context.registry.updateDevice(spec, ifMatch);
  return jsonResponse(200, serializeDevice(device, pendingMessages(context, device.deviceId)));
}

function deleteDevice(context: RestContext): RestResponse {
  context.registry.deleteDevice(pathParam(context.params, 'id'), ifMatchHeader(context.request));
  return emptyResponse(204);
}

/**
 * `GET /devices?top=N` (swagger Devices_GetDevices): a non-integer `top` is refused. `Registry.list()`
 * sends `GET /devices/` (azure-iot-common endpoint.devicePath('')), so the trailing slash is served too.
 */
function listDevices(context: RestContext): RestResponse {
  const top = context.request.query.get('top');
  if (top !== null && !/^-?\d+$/.test(top)) throw hubErrors.argumentInvalid(`top must be an integer, not '${top}'.`);
  return jsonResponse(200, context.registry.listDevices(top === null ? undefined : Number(top)).map((device) => serializeDevice(device, pendingMessages(context, device.deviceId))));
}

export const deviceRoutes: Route[] = [
  { method: 'PUT', path: '/devices/{id}', permission: 'RegistryWrite', handle: putDevice },
  {
    method: 'GET',
    path: '/devices/{id}',
    permission: 'RegistryRead',
    handle: (context) => {
      const device = context.registry.getDevice(pathParam(context.params, 'id'));
      return jsonResponse(200, serializeDevice(device, pendingMessages(context, device.deviceId)));
    },
  },
  { method: 'DELETE', path: '/devices/{id}', permission: 'RegistryWrite', handle: deleteDevice },
  { method: 'GET', path: '/devices', permission: 'RegistryRead', handle: listDevices },
  { method: 'GET', path: '/devices/', permission: 'RegistryRead', handle: listDevices },
  bulkRegistryRoute,
];
