import { hubErrors } from '../errors.js';
import type { RestResponse } from '../rest/http-types.js';
import type { IdentityRef } from '../state/identity.js';
import type { EmulatorControl } from './control-plane.js';
import { segment, type Answer, type ControlRequest, type RouteEntry } from './http-route.js';

const TWIN = String.raw`^\/_emulator\/hub\/twins\/([^/]+)(?:\/modules\/([^/]+))?`;

/**
 * The hub's service operations for the web inspector, under `/_emulator/hub/`: the same shapes,
 * checks and error bodies as `/twins/{id}` and `/twins/{id}/methods` of the service API, without a
 * SAS token (the control plane is loopback-only). `GET /_emulator/identities` lists ids, states and
 * authentication types: never a key.
 */
export const HUB_ROUTES: readonly RouteEntry[] = [
  { method: 'GET', pattern: /^\/_emulator\/identities$/, route: (control) => ({ status: 200, body: { identities: control.inspection.identities() } }) },
  { method: 'GET', pattern: new RegExp(`${TWIN}$`), route: (control, match) => answerOf(control.inspection.twin(identityOf(match))) },
  { method: 'PATCH', pattern: new RegExp(`${TWIN}$`), route: patchTwin },
  { method: 'POST', pattern: new RegExp(`${TWIN}\\/methods$`), route: invokeMethod },
];

function identityOf(match: RegExpExecArray): IdentityRef {
  const deviceId = segment(match[1]);
  return match[2] === undefined ? { deviceId } : { deviceId, moduleId: segment(match[2]) };
}

function patchTwin(control: EmulatorControl, match: RegExpExecArray, request: ControlRequest): Answer {
  const ifMatch = request.headers?.['if-match'];
  return answerOf(control.inspection.patchTwin(identityOf(match), () => hubJsonBody(request.body), typeof ifMatch === 'string' ? ifMatch : undefined));
}

/**
 * A POST that changes something must say it is JSON: a cross-origin page can send a "simple"
 * text/plain POST without asking first, but not an application/json one (the CORS preflight,
 * which this server never grants), so another site open in the same browser cannot call devices.
 */
async function invokeMethod(control: EmulatorControl, match: RegExpExecArray, request: ControlRequest): Promise<Answer> {
  const type = request.headers?.['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) return { status: 415, body: { error: 'Send the method request as application/json.' } };
  return answerOf(await control.inspection.invokeMethod(identityOf(match), () => hubJsonBody(request.body)));
}

function hubJsonBody(text: string): unknown {
  if (text.trim() === '') throw hubErrors.argumentInvalid('The request body is empty; a JSON document is required.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw hubErrors.argumentInvalid('The request body is not valid JSON.');
  }
}

function answerOf(response: RestResponse): Answer {
  const etag = response.headers.etag;
  const body = response.body === undefined || response.body === '' ? null : (JSON.parse(response.body) as unknown);
  return { status: response.status, body, ...(etag === undefined ? {} : { headers: { etag } }) };
}
