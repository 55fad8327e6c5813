import type { RestCase } from './rest-body-cases.js';
import { HOST, NOW_SECONDS, serviceToken } from './rest-fixture.js';

const TWIN = '/twins/d1/modules/m1';
const FOREIGN_KEY = Buffer.alloc(32, 250).toString('base64');
const STALE_ETAG = '"AAAAAAAAAAE="';
const unauthorized = { status: 401, code: 'IotHubUnauthorizedAccess' } as const;
const readTwin = { method: 'GET', path: TWIN } as const;
const writeTwin = { method: 'PATCH', path: TWIN, body: { properties: { desired: { speed: 99 } } } } as const;
const createDevice = { method: 'PUT', path: '/devices/new1', body: { deviceId: 'new1' } } as const;

/** SAS tokens and policies the hub refuses with 401 (docs: "Control access to IoT Hub using SAS tokens"). */
export const authCases: RestCase[] = [
  { name: 'auth: no Authorization header', request: { ...writeTwin, authorization: null }, ...unauthorized },
  { name: 'auth: a Bearer token', request: { ...writeTwin, authorization: 'Bearer abc.def.ghi' }, ...unauthorized },
  { name: 'auth: SAS token without sig', request: { ...writeTwin, authorization: `SharedAccessSignature sr=${HOST}&se=${NOW_SECONDS + 60}&skn=iothubowner` }, ...unauthorized },
  { name: 'auth: SAS token with a non-numeric expiry', request: { ...writeTwin, authorization: `SharedAccessSignature sr=${HOST}&sig=abc&se=soon&skn=iothubowner` }, ...unauthorized },
  { name: 'auth: token without a policy name (skn)', request: { ...writeTwin, authorization: (bench) => serviceToken(bench, { anonymous: true }) }, ...unauthorized },
  { name: 'auth: token naming an unknown policy', request: { ...writeTwin, authorization: (bench) => serviceToken(bench, { key: FOREIGN_KEY }).replace('skn=iothubowner', 'skn=ghost') }, ...unauthorized },
  { name: 'auth: forged signature (foreign key)', request: { ...writeTwin, authorization: (bench) => serviceToken(bench, { key: FOREIGN_KEY }) }, ...unauthorized },
  {
    name: 'auth: signature of another policy under the owner name',
    request: { ...writeTwin, authorization: (bench) => serviceToken(bench, { key: bench.policies.find((p) => p.name === 'service')?.primaryKey ?? '' }) },
    ...unauthorized,
  },
  { name: 'auth: tampered expiry (signed for another se)', request: { ...writeTwin, authorization: (bench) => serviceToken(bench).replace(/se=\d+/, `se=${NOW_SECONDS + 7200}`) }, ...unauthorized },
  { name: 'auth: expired token', request: { ...writeTwin, authorization: (bench) => serviceToken(bench, { expiry: NOW_SECONDS - 1 }) }, ...unauthorized },
  { name: 'auth: token for another hub', request: { ...writeTwin, authorization: (bench) => serviceToken(bench, { resourceUri: 'other-hub.azure-devices.net' }) }, ...unauthorized },
  { name: 'auth: token scoped to one device', request: { ...writeTwin, authorization: (bench) => serviceToken(bench, { resourceUri: `${HOST}/devices/d1` }) }, ...unauthorized },
  { name: 'auth: hub name as a prefix of another host', request: { ...readTwin, authorization: (bench) => serviceToken(bench, { resourceUri: 'bad-inputs.azure' }) }, ...unauthorized },
  { name: 'permission: registryRead policy creates a device', request: { ...createDevice, authorization: (bench) => serviceToken(bench, { policyName: 'registryRead' }) }, ...unauthorized },
  { name: 'permission: service policy reads the registry', request: { method: 'GET', path: '/devices/d1', authorization: (bench) => serviceToken(bench, { policyName: 'service' }) }, ...unauthorized },
  { name: 'permission: device policy patches a twin', request: { ...writeTwin, authorization: (bench) => serviceToken(bench, { policyName: 'device' }) }, ...unauthorized },
  { name: 'permission: registryReadWrite policy patches a twin', request: { ...writeTwin, authorization: (bench) => serviceToken(bench, { policyName: 'registryReadWrite' }) }, ...unauthorized },
  { name: 'permission: service policy deletes a module', request: { method: 'DELETE', path: '/devices/d1/modules/m1', authorization: (bench) => serviceToken(bench, { policyName: 'service' }) }, ...unauthorized },
];

/** Routes, methods and versions the hub does not serve. */
export const routeCases: RestCase[] = [
  { name: 'route: no api-version', request: { ...writeTwin, apiVersion: null }, status: 400, code: 'InvalidProtocolVersion' },
  { name: 'route: unknown api-version', request: { ...writeTwin, apiVersion: '2099-01-01' }, status: 400, code: 'InvalidProtocolVersion' },
  { name: 'route: malformed api-version', request: { ...createDevice, apiVersion: 'latest' }, status: 400, code: 'InvalidProtocolVersion' },
  { name: 'route: unknown path', request: { method: 'GET', path: '/nothing/here' }, status: 404, code: 'NotFound' },
  { name: 'route: unknown sub-resource of a device', request: { method: 'PUT', path: '/devices/d1/gadgets/g1', body: {} }, status: 404, code: 'NotFound' },
  { name: 'route: path with a trailing segment', request: { method: 'PATCH', path: `${TWIN}/extra`, body: {} }, status: 404, code: 'NotFound' },
  { name: 'method: POST on a twin', request: { method: 'POST', path: TWIN, body: {} }, status: 405, code: 'MethodNotAllowed' },
  { name: 'method: DELETE on a twin', request: { method: 'DELETE', path: TWIN }, status: 405, code: 'MethodNotAllowed' },
  { name: 'method: PATCH on a device', request: { method: 'PATCH', path: '/devices/d1', body: {} }, status: 405, code: 'MethodNotAllowed' },
  { name: 'method: lower-case verb', request: { method: 'patch', path: TWIN, body: {} }, status: 405, code: 'MethodNotAllowed' },
];

/** Conditional writes with an etag that no longer matches (RFC 7232 §3.1), and writes to what does not exist. */
export const etagAndTargetCases: RestCase[] = [
  { name: 'etag: twin patch with a stale If-Match', request: { ...writeTwin, ifMatch: STALE_ETAG }, status: 412, code: 'PreconditionFailed' },
  { name: 'etag: twin patch with a garbage If-Match', request: { ...writeTwin, ifMatch: '"not-an-etag"' }, status: 412, code: 'PreconditionFailed' },
  { name: 'etag: twin patch with an unquoted stale If-Match', request: { ...writeTwin, ifMatch: 'AAAAAAAAAAA=' }, status: 412, code: 'PreconditionFailed' },
  { name: 'etag: device delete with a stale If-Match', request: { method: 'DELETE', path: '/devices/d1', ifMatch: '"AAAAAAAAAAk="' }, status: 412, code: 'PreconditionFailed' },
  { name: 'etag: module delete with a stale If-Match', request: { method: 'DELETE', path: '/devices/d1/modules/m1', ifMatch: '"AAAAAAAAAAk="' }, status: 412, code: 'PreconditionFailed' },
  { name: 'target: twin patch of an unknown device', request: { ...writeTwin, path: '/twins/nobody' }, status: 404, code: 'DeviceNotFound' },
  { name: 'target: twin patch of an unknown module', request: { ...writeTwin, path: '/twins/d1/modules/nobody' }, status: 404, code: 'ModuleNotFound' },
  { name: 'target: delete of an unknown module', request: { method: 'DELETE', path: '/devices/d1/modules/nobody' }, status: 404, code: 'ModuleNotFound' },
];
