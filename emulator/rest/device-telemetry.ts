import { hubErrors, messagingErrors } from '../errors.js';
import type { ActivityFeed } from '../state/activity.js';
import { checkDeviceToCloudSize, MAX_DEVICE_TO_CLOUD_BYTES, recordDeviceToCloud } from '../state/device-to-cloud.js';
import { encodeUriComponentStrict } from '../state/sas.js';
import type { TelemetryBuffer } from '../state/telemetry.js';
import { BATCH_CONTENT_TYPE, readBatch, type BatchEntry } from './device-batch.js';
import { propertiesFromHeaders } from './device-message-headers.js';
import { emptyResponse, type RestRequest, type RestResponse } from './http-types.js';
import { compileTemplate, pathParam, type RestContext, type Route } from './route.js';

/** REST "Device - Send Device Event": `POST /devices/{id}/messages/events`, 204 No Content. */
const DEVICE_EVENTS_PATH = '/devices/{id}/messages/events';
const DEVICE_EVENTS = compileTemplate(DEVICE_EVENTS_PATH, { caseInsensitive: true });

/**
 * The one route whose body is bytes, not text ("Send Device Event": the body is any octet stream):
 * the front ends hand it over undecoded (servers/http-translation.ts, nock-interceptor.ts).
 */
export function takesBinaryBody(method: string, path: string): boolean {
  return method === 'POST' && DEVICE_EVENTS.test(path);
}

/**
 * Telemetry over HTTPS: one message (the body, its properties in headers) or a batch
 * (`application/vnd.microsoft.iothub.json`), kept in the telemetry buffer MQTT telemetry goes to, so
 * the back end reads both alike on the built-in endpoint. Every message is checked before any is
 * kept; one over 256 KB, or a batch over 256 KB in all ("IoT Hub quotas and throttling"), is 413
 * MessageTooLarge.
 */
function sendDeviceEvent(context: RestContext): RestResponse {
  const telemetry = requireTelemetry(context.telemetry);
  const deviceId = pathParam(context.params, 'id');
  // As the SDKs address it (azure-iot-device-http: endpoint.deviceEventPath(encodeUriComponentStrict(id))).
  const ownAddress = `/devices/${encodeUriComponentStrict(deviceId)}/messages/events`;
  const entries = isBatch(context.request) ? readBatch(bodyBytes(context.request)) : [singleMessage(context.request)];
  const total = entries.reduce((sum, entry) => sum + entry.body.length, 0);
  for (const size of [...entries.map((entry) => entry.body.length), total]) {
    if (!checkDeviceToCloudSize(size).ok) throw messagingErrors.tooLarge(size, MAX_DEVICE_TO_CLOUD_BYTES);
  }
  const enqueuedTime = context.clock.now().toISOString();
  for (const entry of entries) {
    const { system, application } = propertiesFromHeaders(entry.properties, ownAddress);
    recordDeviceToCloud({ identity: { deviceId }, body: entry.body, systemProperties: system, applicationProperties: application, enqueuedTime }, telemetry);
    announceTelemetry(context.activity, { deviceId, system, application, bodyBytes: entry.body.length });
  }
  return emptyResponse(204);
}

/** One message taken in over HTTPS, as MQTT and AMQP announce theirs (their adapters do; the shared intake does not). */
function announceTelemetry(activity: ActivityFeed | undefined, message: { deviceId: string; system: Record<string, string>; application: Record<string, string>; bodyBytes: number }): void {
  const systemProperties = Object.fromEntries(Object.entries(message.system).map(([name, value]) => [`$.${name}`, value]));
  activity?.announce({ type: 'telemetry', at: new Date(), transport: 'https', deviceId: message.deviceId, properties: { ...systemProperties, ...message.application }, bodyBytes: message.bodyBytes });
}

function isBatch(request: RestRequest): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === BATCH_CONTENT_TYPE;
}

function bodyBytes(request: RestRequest): Buffer {
  return request.bytes ?? Buffer.from(request.body, 'utf8');
}

/** The request's own headers, under the names the client spelled (application property names keep their case). */
function singleMessage(request: RestRequest): BatchEntry {
  const names = request.headerNames ?? Object.keys(request.headers);
  const pairs = names.flatMap((name) => {
    const value = request.headers[name.toLowerCase()];
    return value === undefined ? [] : [[name, value] as const];
  });
  return { body: bodyBytes(request), properties: pairs };
}

function requireTelemetry(telemetry: TelemetryBuffer | undefined): TelemetryBuffer {
  if (telemetry === undefined) throw hubErrors.notImplemented('Device-to-cloud messages without a telemetry buffer');
  return telemetry;
}

export const deviceTelemetryRoutes: Route[] = [
  { method: 'POST', path: DEVICE_EVENTS_PATH, permission: 'DeviceConnect', caseInsensitivePath: true, handle: sendDeviceEvent },
];
