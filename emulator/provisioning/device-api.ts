import { dpsErrors } from '../state/dps/dps-errors.js';
import type { OperationView, RegistrationDesk } from '../state/dps/registration-desk.js';
import { decodeSegment, dpsJson, parseJsonBody, type DpsRequest, type DpsResponse } from './dps-http.js';
import { registrationJson } from './dps-serialize.js';

/** device.json: register and operation status, any api-version (the SDK sends 2019-03-31; wire notes §1). */
const REGISTER = /^\/([^/]+)\/registrations\/([^/]+)\/register\/?$/i;
const OPERATION = /^\/([^/]+)\/registrations\/([^/]+)\/operations\/([^/]+)\/?$/i;

export function isDeviceApiPath(path: string): boolean {
  return REGISTER.test(path) || OPERATION.test(path);
}

/**
 * The device registration API over HTTPS (wire notes §3): PUT register answers 202 `assigning` with
 * an operation id and `retry-after` (seconds); GET operation answers 202 while assigning, then 200 with
 * the result and its registrationState. Every status below 300 carries `status` (§2.4).
 */
export function handleDeviceRequest(desk: RegistrationDesk, request: DpsRequest, retryAfterSeconds: number): DpsResponse {
  const { certificate } = request;
  const authorization = request.headers.authorization;
  const register = REGISTER.exec(request.path);
  if (register !== null) {
    if (request.method !== 'PUT') throw dpsErrors.methodNotAllowed(request.method);
    const [idScope, registrationId] = [decodeSegment(register[1] ?? ''), decodeSegment(register[2] ?? '')];
    const view = desk.register({ idScope, registrationId, authorization, certificate, body: parseJsonBody(request.body) });
    return operationResponse(view, retryAfterSeconds);
  }
  const operation = OPERATION.exec(request.path);
  if (operation === null) throw dpsErrors.routeNotFound(request.method, request.path);
  if (request.method !== 'GET') throw dpsErrors.methodNotAllowed(request.method);
  const [idScope, registrationId, operationId] = [decodeSegment(operation[1] ?? ''), decodeSegment(operation[2] ?? ''), decodeSegment(operation[3] ?? '')];
  return operationResponse(desk.operationStatus({ idScope, registrationId, operationId, authorization, certificate }), retryAfterSeconds);
}

export function operationResponse(view: OperationView, retryAfterSeconds: number): DpsResponse {
  if (view.status === 'assigning') return dpsJson(202, operationBody(view), { 'retry-after': String(retryAfterSeconds) });
  return dpsJson(200, operationBody(view));
}

/** RegistrationOperationStatus: `{operationId, status[, registrationState]}`. */
export function operationBody(view: OperationView): object {
  return { operationId: view.operationId, status: view.status, ...(view.registrationState === undefined ? {} : { registrationState: registrationJson(view.registrationState) }) };
}
