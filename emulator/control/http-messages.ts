import { HubError } from '../errors.js';
import type { DeviceBoundMessage } from '../mqtt/device-bound.js';
import type { IdentityRef } from '../state/identity.js';
import { isJsonObject, type JsonObject } from '../state/json.js';
import type { TelemetryMessage } from '../state/telemetry.js';
import type { EmulatorControl } from './control-plane.js';
import { BadControlRequest, parseJsonBody, segment, type Answer, type ControlRequest, type RouteEntry } from './http-route.js';

/**
 * Messages through the HTTP control plane, for emulators in another process or a container: the
 * telemetry the devices sent (for tooling; back ends read it from the Event Hub-compatible endpoint),
 * cloud-to-device messages (queued as the service's AMQP send queues them) and module-input messages.
 */
export const MESSAGE_ROUTES: readonly RouteEntry[] = [
  { method: 'GET', pattern: /^\/_emulator\/telemetry$/, route: (control, _match, request) => ({ status: 200, body: { messages: control.telemetry(telemetryFilter(request.url)).map(telemetryDocument) } }) },
  { method: 'DELETE', pattern: /^\/_emulator\/telemetry$/, route: clearTelemetry },
  { method: 'POST', pattern: /^\/_emulator\/devices\/([^/]+)\/messages$/, route: sendCloudToDevice },
  { method: 'POST', pattern: /^\/_emulator\/devices\/([^/]+)\/modules\/([^/]+)\/inputs\/([^/]+)$/, route: sendInput },
];

function telemetryFilter(url: URL): IdentityRef | undefined {
  const deviceId = url.searchParams.get('deviceId') ?? undefined;
  const moduleId = url.searchParams.get('moduleId') ?? undefined;
  if (deviceId === undefined && moduleId !== undefined) throw new BadControlRequest('moduleId needs a deviceId.');
  if (deviceId === undefined) return undefined;
  return moduleId === undefined ? { deviceId } : { deviceId, moduleId };
}

/** The body as text when it is UTF-8, and always as base64, so that binary payloads survive JSON. */
export function telemetryDocument(message: TelemetryMessage): JsonObject {
  let bodyText: string | null;
  try {
    bodyText = new TextDecoder('utf-8', { fatal: true }).decode(message.body);
  } catch {
    bodyText = null;
  }
  return {
    deviceId: message.deviceId,
    ...(message.moduleId === undefined ? {} : { moduleId: message.moduleId }),
    ...(message.outputName === undefined ? {} : { outputName: message.outputName }),
    bodyText,
    bodyBase64: message.body.toString('base64'),
    systemProperties: { ...message.systemProperties },
    applicationProperties: { ...message.applicationProperties },
    enqueuedTime: message.enqueuedTime,
  };
}

function clearTelemetry(control: EmulatorControl): Answer {
  control.clearTelemetry();
  return { status: 200, body: { cleared: true } };
}

/** Queued in the device's hub queue as `Client.send` would; the hub's error (404, 403 queue full) otherwise. */
async function sendCloudToDevice(control: EmulatorControl, match: RegExpExecArray, request: ControlRequest): Promise<Answer> {
  const deviceId = segment(match[1]);
  try {
    await control.sendCloudToDeviceMessage(deviceId, deviceBoundMessage(request.body));
  } catch (error) {
    if (!(error instanceof HubError)) throw error;
    return { status: error.status, body: { queued: false, errorCode: error.code, error: error.message } };
  }
  return { status: 200, body: { queued: true } };
}

async function sendInput(control: EmulatorControl, match: RegExpExecArray, request: ControlRequest): Promise<Answer> {
  const module = { deviceId: segment(match[1]), moduleId: segment(match[2]) };
  const inputName = segment(match[3]);
  const delivered = await control.sendInputMessage(module, inputName, deviceBoundMessage(request.body));
  return deliveryAnswer(delivered, `Module '${module.deviceId}/${module.moduleId}' is not connected and listening for input messages`);
}

/** 409 when nothing was delivered: module inputs are routed, not queued (FIDELITY.md). */
function deliveryAnswer(delivered: boolean, notDelivered: string): Answer {
  return delivered ? { status: 200, body: { delivered: true } } : { status: 409, body: { delivered: false, error: `${notDelivered}; nothing is queued.` } };
}

/** `{"bodyText": "..."}` or `{"bodyBase64": "..."}`, with optional `properties: {system, application}` of strings. */
function deviceBoundMessage(text: string): DeviceBoundMessage {
  const body = parseJsonBody(text);
  if (!isJsonObject(body)) throw new BadControlRequest('The message must be a JSON object.');
  const { bodyText, bodyBase64, properties } = body;
  if (typeof bodyText === 'string' && bodyBase64 === undefined) return { body: bodyText, properties: messageProperties(properties) };
  if (typeof bodyBase64 === 'string' && bodyText === undefined) return { body: decodeBase64(bodyBase64), properties: messageProperties(properties) };
  throw new BadControlRequest('Give the message body as exactly one of bodyText or bodyBase64 (strings).');
}

/** Strict: Buffer.from would skip characters that are not base64 and send something else. */
function decodeBase64(text: string): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new BadControlRequest('bodyBase64 is not valid base64.');
  return Buffer.from(text, 'base64');
}

function messageProperties(value: unknown): { system: Record<string, string>; application: Record<string, string> } {
  if (value === undefined) return { system: {}, application: {} };
  if (!isJsonObject(value)) throw new BadControlRequest('properties must be an object with system and application maps.');
  return { system: stringMap(value.system, 'properties.system'), application: stringMap(value.application, 'properties.application') };
}

function stringMap(value: unknown, name: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isJsonObject(value) || !Object.values(value).every((entry) => typeof entry === 'string')) throw new BadControlRequest(`${name} must map names to strings.`);
  return value as Record<string, string>;
}
