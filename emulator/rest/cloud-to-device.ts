import { hubErrors } from '../errors.js';
import { jsonResponse, type RestResponse } from './http-types.js';
import { pathParam, type RestContext, type Route } from './route.js';

/**
 * `DELETE /devices/{id}/commands` (swagger CloudToDeviceMessages_PurgeCloudToDeviceMessageQueue,
 * `Registry.purgeCommandQueue`): every message waiting for the device goes, locked ones too.
 */
function purgeQueue(context: RestContext): RestResponse {
  const deviceId = pathParam(context.params, 'id');
  if (context.cloudToDevice === undefined) throw hubErrors.notImplemented('Cloud-to-device queues without a messaging endpoint');
  const totalMessagesPurged = context.cloudToDevice.purge(deviceId);
  return jsonResponse(200, { totalMessagesPurged, deviceId });
}

export const cloudToDeviceRoutes: Route[] = [{ method: 'DELETE', path: '/devices/{id}/commands', permission: 'ServiceConnect', handle: purgeQueue }];
