/**
 * DPS's MQTT topics and CONNECT username (docs, "Use MQTT to connect to DPS"; wire notes §2.1-§2.2).
 * Requests: `$dps/registrations/PUT/iotdps-register/?$rid={rid}` and
 * `$dps/registrations/GET/iotdps-get-operationstatus/?$rid={rid}&operationId={id}`; replies:
 * `$dps/registrations/res/{status}/?$rid={rid}[&retry-after={seconds}]`.
 */
export const RESPONSE_FILTER = '$dps/registrations/res/#';

export type DpsMqttRequest =
  | { readonly kind: 'register'; readonly requestId: string }
  | { readonly kind: 'operation-status'; readonly requestId: string; readonly operationId: string };

const REGISTER = '$dps/registrations/PUT/iotdps-register/';
const OPERATION_STATUS = '$dps/registrations/GET/iotdps-get-operationstatus/';

/** Undefined for any other topic, or a request without its `$rid` (and `operationId` for a poll). */
export function parseRequestTopic(topic: string): DpsMqttRequest | undefined {
  const question = topic.indexOf('?');
  if (question < 0) return undefined;
  const path = topic.slice(0, question);
  const query = new URLSearchParams(topic.slice(question + 1));
  const requestId = query.get('$rid');
  if (requestId === null || requestId === '') return undefined;
  if (path === REGISTER) return { kind: 'register', requestId };
  const operationId = query.get('operationId');
  if (path === OPERATION_STATUS && operationId !== null && operationId !== '') return { kind: 'operation-status', requestId, operationId };
  return undefined;
}

/** The SDK reads `retry-after` from the reply topic's query (seconds) with `querystring`. */
export function responseTopic(status: number, requestId: string, retryAfterSeconds?: number): string {
  const retry = retryAfterSeconds === undefined ? '' : `&retry-after=${retryAfterSeconds}`;
  return `$dps/registrations/res/${status}/?$rid=${encodeURIComponent(requestId)}${retry}`;
}

export interface DpsConnectIdentity {
  readonly idScope: string;
  readonly registrationId: string;
}

/**
 * `{idScope}/registrations/{registrationId}/api-version=...` (no `?` before api-version, unlike the
 * hub's username); the registration id must be the client id. Undefined when it is not such a username.
 */
export function parseConnectUsername(username: string | undefined, clientId: string): DpsConnectIdentity | undefined {
  if (username === undefined) return undefined;
  const marker = '/registrations/';
  const at = username.indexOf(marker);
  if (at <= 0) return undefined;
  const idScope = username.slice(0, at);
  const rest = username.slice(at + marker.length);
  const end = rest.indexOf('/');
  const registrationId = end < 0 ? rest : rest.slice(0, end);
  if (registrationId === '' || registrationId.toLowerCase() !== clientId.toLowerCase()) return undefined;
  if (end >= 0 && !rest.slice(end + 1).startsWith('api-version=')) return undefined;
  return { idScope, registrationId };
}
