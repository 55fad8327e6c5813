import { dpsErrors } from '../state/dps/dps-errors.js';
import type { ProvisioningService } from '../state/dps/provisioning-service.js';
import { decodeSegment, dpsJson, parseJsonBody, type DpsRequest, type DpsResponse } from './dps-http.js';
import { attestationJson, enrollmentGroupJson, enrollmentJson, registrationJson } from './dps-serialize.js';
import { runBulkOperation } from './service-bulk.js';
import { queryPage } from './service-query.js';

type Handler = (service: ProvisioningService, request: DpsRequest, id: string) => DpsResponse;

interface ServiceRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: Handler;
}

const noContent = (): DpsResponse => ({ status: 204, headers: {} });

const getEnrollment: Handler = (service, _request, id) => dpsJson(200, enrollmentJson(service.book.enrollments.get(id), service.desk.registrations.find(id)));
const getGroup: Handler = (service, _request, id) => dpsJson(200, enrollmentGroupJson(service.book.groups.get(id)));

/**
 * service.json 2021-10-01 as azure-iot-provisioning-service calls it (wire notes §8.2): segments
 * compared without regard to case, an optional trailing slash; the query routes come before `{id}`.
 */
const ROUTES: readonly ServiceRoute[] = [
  { method: 'POST', pattern: /^\/enrollments\/query\/?$/i, handle: (service, request) => queryPage(service.book.enrollments.all().map((entry) => enrollmentJson(entry, service.desk.registrations.find(entry.registrationId))), request, 'enrollments') },
  { method: 'POST', pattern: /^\/enrollments\/?$/i, handle: (service, request) => runBulkOperation(service, parseJsonBody(request.body)) },
  { method: 'PUT', pattern: /^\/enrollments\/([^/]+)\/?$/i, handle: (service, request, id) => dpsJson(200, enrollmentJson(service.book.putEnrollment(id, parseJsonBody(request.body), request.headers['if-match']), service.desk.registrations.find(id))) },
  { method: 'GET', pattern: /^\/enrollments\/([^/]+)\/?$/i, handle: getEnrollment },
  { method: 'DELETE', pattern: /^\/enrollments\/([^/]+)\/?$/i, handle: (service, request, id) => (service.book.deleteEnrollment(id, request.headers['if-match']), noContent()) },
  { method: 'POST', pattern: /^\/enrollments\/([^/]+)\/attestationmechanism\/?$/i, handle: (service, _request, id) => dpsJson(200, attestationJson(service.book.enrollments.get(id), true)) },
  { method: 'POST', pattern: /^\/enrollmentGroups\/query\/?$/i, handle: (service, request) => queryPage(service.book.groups.all().map(enrollmentGroupJson), request, 'enrollmentGroups') },
  { method: 'PUT', pattern: /^\/enrollmentGroups\/([^/]+)\/?$/i, handle: (service, request, id) => dpsJson(200, enrollmentGroupJson(service.book.putGroup(id, parseJsonBody(request.body), request.headers['if-match']))) },
  { method: 'GET', pattern: /^\/enrollmentGroups\/([^/]+)\/?$/i, handle: getGroup },
  { method: 'DELETE', pattern: /^\/enrollmentGroups\/([^/]+)\/?$/i, handle: (service, request, id) => (service.book.deleteGroup(id, request.headers['if-match']), noContent()) },
  { method: 'POST', pattern: /^\/enrollmentGroups\/([^/]+)\/attestationmechanism\/?$/i, handle: (service, _request, id) => dpsJson(200, attestationJson(service.book.groups.get(id), true)) },
  { method: 'POST', pattern: /^\/registrations\/([^/]+)\/query\/?$/i, handle: (service, request, id) => queryPage(registrationsOfGroup(service, id), request, 'registrations') },
  { method: 'GET', pattern: /^\/registrations\/([^/]+)\/?$/i, handle: (service, _request, id) => dpsJson(200, registrationJson(service.desk.registrations.get(id))) },
  { method: 'DELETE', pattern: /^\/registrations\/([^/]+)\/?$/i, handle: (service, request, id) => (service.desk.deleteRegistration(id, request.headers['if-match']), noContent()) },
];

const SERVICE_PREFIX = /^\/(?:enrollments|enrollmentGroups|registrations)(?:\/|$)/i;

export function isServiceApiPath(path: string): boolean {
  return SERVICE_PREFIX.test(path);
}

/** Routes an (already authorized) service request: 405 for a known path with another method, 404 for an unknown one. */
export function handleServiceRequest(service: ProvisioningService, request: DpsRequest): DpsResponse {
  let pathMatched = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(request.path);
    if (match === null) continue;
    pathMatched = true;
    if (route.method === request.method) return route.handle(service, request, decodeSegment(match[1] ?? ''));
  }
  if (pathMatched) throw dpsErrors.methodNotAllowed(request.method);
  throw dpsErrors.routeNotFound(request.method, request.path);
}

function registrationsOfGroup(service: ProvisioningService, groupId: string): object[] {
  service.book.groups.get(groupId);
  return service.desk.registrations.all().filter((entry) => entry.enrollmentGroupId?.toLowerCase() === groupId.toLowerCase()).map(registrationJson);
}
