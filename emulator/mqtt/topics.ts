import type { IdentityRef } from '../state/identity.js';

/**
 * The topic families IoT Hub's MQTT endpoint accepts ("Communicate with an IoT hub using the MQTT
 * protocol"). `$iothub/...` topics are the same for every client, so replies are sent to one
 * connection only; the device-specific ones must name the connected identity.
 */
export const TWIN_RESPONSES = '$iothub/twin/res/#';
export const DESIRED_NOTIFICATIONS = '$iothub/twin/PATCH/properties/desired/#';
export const METHOD_REQUESTS = '$iothub/methods/POST/#';

export function identityPrefix(ref: IdentityRef): string {
  return ref.moduleId === undefined ? `devices/${ref.deviceId}` : `devices/${ref.deviceId}/modules/${ref.moduleId}`;
}

export function allowedSubscriptions(ref: IdentityRef): ReadonlySet<string> {
  const ownTopic = ref.moduleId === undefined ? `${identityPrefix(ref)}/messages/devicebound/#` : `${identityPrefix(ref)}/inputs/#`;
  return new Set([TWIN_RESPONSES, DESIRED_NOTIFICATIONS, METHOD_REQUESTS, ownTopic]);
}

export type ClientPublish =
  | { readonly kind: 'twin-get'; readonly requestId: string }
  | { readonly kind: 'twin-reported'; readonly requestId: string }
  | { readonly kind: 'method-response'; readonly status: number; readonly requestId: string }
  | { readonly kind: 'telemetry'; readonly encodedProperties: string }
  | { readonly kind: 'refused'; readonly reason: string };

const TWIN_GET = '$iothub/twin/GET/';
const TWIN_REPORTED = '$iothub/twin/PATCH/properties/reported/';

/** Classifies what a client publishes; anything not in the hub's list is refused. */
export function classifyPublish(ref: IdentityRef, topic: string): ClientPublish {
  if (topic.startsWith(TWIN_GET)) return twinRequest('twin-get', topic.slice(TWIN_GET.length));
  if (topic.startsWith(TWIN_REPORTED)) return twinRequest('twin-reported', topic.slice(TWIN_REPORTED.length));
  const methodResponse = /^\$iothub\/methods\/res\/(\d{3})\/\?(.*)$/.exec(topic);
  if (methodResponse !== null) return methodResponseOf(Number(methodResponse[1]), methodResponse[2] ?? '');
  const events = `${identityPrefix(ref)}/messages/events`;
  if (topic === events) return { kind: 'telemetry', encodedProperties: '' };
  if (topic.startsWith(`${events}/`)) return { kind: 'telemetry', encodedProperties: topic.slice(events.length + 1) };
  return { kind: 'refused', reason: `publishing to '${topic}' is not allowed for this identity` };
}

function methodResponseOf(status: number, query: string): ClientPublish {
  const requestId = new URLSearchParams(query).get('$rid');
  if (requestId === null || requestId === '') return { kind: 'refused', reason: 'a method response needs a $rid' };
  return { kind: 'method-response', status, requestId };
}

function twinRequest(kind: 'twin-get' | 'twin-reported', rest: string): ClientPublish {
  // URLSearchParams drops the leading '?' itself.
  const requestId = rest.startsWith('?') ? new URLSearchParams(rest).get('$rid') : null;
  if (requestId === null || requestId === '') return { kind: 'refused', reason: 'a twin request needs a $rid' };
  return { kind, requestId };
}

export function twinResponseTopic(status: number, requestId: string, version?: number): string {
  const versionPart = version === undefined ? '' : `&$version=${version}`;
  return `$iothub/twin/res/${status}/?$rid=${encodeURIComponent(requestId)}${versionPart}`;
}

export function desiredNotificationTopic(version: number): string {
  return `$iothub/twin/PATCH/properties/desired/?$version=${version}`;
}

export function methodRequestTopic(methodName: string, requestId: string): string {
  return `$iothub/methods/POST/${methodName}/?$rid=${encodeURIComponent(requestId)}`;
}

/** Where a module receives input messages: `devices/<d>/modules/<m>/inputs/<input>/<props>` (wire notes §2.1). */
export function inputMessageTopic(ref: IdentityRef, inputName: string, encodedProperties: string): string {
  return `${identityPrefix(ref)}/inputs/${inputName}/${encodedProperties}`;
}

/** Where a device receives cloud-to-device messages: `devices/<d>/messages/devicebound/<props>`. */
export function cloudToDeviceTopic(ref: IdentityRef, encodedProperties: string): string {
  return `${identityPrefix(ref)}/messages/devicebound/${encodedProperties}`;
}
