import { hubErrors } from '../errors.js';
import type { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import { deviceBoundHeaders } from './device-bound-headers.js';
import { emptyResponse, type RestResponse } from './http-types.js';
import { pathParam, type RestContext, type Route } from './route.js';

/**
 * Cloud-to-device messages for devices that poll over HTTPS (REST device API "Receive / Complete /
 * Abandon Device Bound Notification"; C2D doc, "message life cycle"), on the hub's per-device queues
 * that MQTT delivery and the service's feedback receiver share (state/cloud-to-device.ts):
 * - `GET /devices/{id}/messages/deviceBound`: the oldest visible message, locked for the hub's fixed
 *   minute, 200 with its body and headers (ETag = lock token); 204 when none is waiting.
 * - `DELETE .../deviceBound/{etag}`: complete (positive feedback); with a `reject` query parameter,
 *   reject (dead-lettered, negative feedback, never delivered again). 204.
 * - `POST .../deviceBound/{etag}/abandon`: back to the queue, its delivery count up by one. 204.
 * A token that locks nothing (settled, timed out, unknown) is 412 DeviceMessageLockLost (412002).
 */
const RECEIVE_PATH = '/devices/{id}/messages/deviceBound';
const SETTLE_PATH = '/devices/{id}/messages/deviceBound/{etag}';
const ABANDON_PATH = '/devices/{id}/messages/deviceBound/{etag}/abandon';

function receive(context: RestContext): RestResponse {
  const locked = requireQueues(context.cloudToDevice).lockNext(pathParam(context.params, 'id'));
  if (locked === undefined) return emptyResponse(204);
  return { status: 200, headers: deviceBoundHeaders(locked), bytes: locked.message.body };
}

function completeOrReject(context: RestContext): RestResponse {
  const queues = requireQueues(context.cloudToDevice);
  const [id, etag] = [pathParam(context.params, 'id'), pathParam(context.params, 'etag')];
  // "To reject a message, include a query parameter called reject" (Complete Device Bound Notification).
  if (context.request.query.has('reject')) queues.reject(id, etag);
  else queues.complete(id, etag);
  return emptyResponse(204);
}

function abandon(context: RestContext): RestResponse {
  requireQueues(context.cloudToDevice).abandon(pathParam(context.params, 'id'), pathParam(context.params, 'etag'));
  return emptyResponse(204);
}

function requireQueues(queues: CloudToDeviceQueues | undefined): CloudToDeviceQueues {
  if (queues === undefined) throw hubErrors.notImplemented('Cloud-to-device queues without a messaging endpoint');
  return queues;
}

export const deviceBoundRoutes: Route[] = [
  { method: 'GET', path: RECEIVE_PATH, permission: 'DeviceConnect', caseInsensitivePath: true, handle: receive },
  { method: 'DELETE', path: SETTLE_PATH, permission: 'DeviceConnect', caseInsensitivePath: true, handle: completeOrReject },
  { method: 'POST', path: ABANDON_PATH, permission: 'DeviceConnect', caseInsensitivePath: true, handle: abandon },
];
