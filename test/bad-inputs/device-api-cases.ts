import { identityToken, NOW_SECONDS, policyToken, type DeviceApiCase } from './device-api-fixture.js';

const EVENTS = '/devices/d1/messages/events';
const BATCH = 'application/vnd.microsoft.iothub.json';
const FOREIGN_KEY = Buffer.alloc(32, 250).toString('base64');
const unauthorized = { status: 401, code: 'IotHubUnauthorizedAccess' } as const;
const invalid = { status: 400, code: 'ArgumentInvalid' } as const;
const lockLost = { status: 412, code: 'DeviceMessageLockLost' } as const;
const send = { method: 'POST', path: EVENTS, body: 'telemetry' } as const;
const batch = (body: unknown): { method: string; path: string; contentType: string; body: string } => ({ method: 'POST', path: EVENTS, contentType: BATCH, body: typeof body === 'string' ? body : JSON.stringify(body) });
const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** Device tokens the hub refuses with 401 ("Control access to IoT Hub", security tokens; 401003). */
export const deviceAuthCases: DeviceApiCase[] = [
  { name: 'device auth: no Authorization header', request: { ...send, authorization: null }, ...unauthorized },
  { name: 'device auth: a Bearer token', request: { ...send, authorization: () => 'Bearer abc.def.ghi' }, ...unauthorized },
  { name: 'device auth: another device\'s token', request: { ...send, authorization: (bench) => identityToken(bench, { deviceId: 'd2' }) }, ...unauthorized },
  { name: 'device auth: the device\'s own module\'s token', request: { ...send, authorization: (bench) => identityToken(bench, { moduleId: 'm1' }) }, ...unauthorized },
  { name: 'device auth: forged signature (foreign key)', request: { ...send, authorization: (bench) => identityToken(bench, { key: FOREIGN_KEY }) }, ...unauthorized },
  { name: 'device auth: expired token', request: { ...send, authorization: (bench) => identityToken(bench, { expiry: NOW_SECONDS - 1 }) }, ...unauthorized },
  { name: 'device auth: the device\'s key for another hub', request: { ...send, authorization: (bench) => identityToken(bench, { resourceUri: `other-hub.azure-devices.net/devices/d1` }) }, ...unauthorized },
  { name: 'device auth: tampered expiry', request: { ...send, authorization: (bench) => identityToken(bench).replace(/se=\d+/, `se=${NOW_SECONDS + 7200}`) }, ...unauthorized },
  { name: 'device auth: service policy (no DeviceConnect)', request: { ...send, authorization: (bench) => policyToken(bench, 'service') }, ...unauthorized },
  { name: 'device auth: registryReadWrite policy (no DeviceConnect)', request: { ...send, authorization: (bench) => policyToken(bench, 'registryReadWrite') }, ...unauthorized },
  { name: 'device auth: a disabled device\'s own token', request: { ...send, path: '/devices/d-off/messages/events', authorization: (bench) => identityToken(bench, { deviceId: 'd-off' }) }, ...unauthorized },
  { name: 'device auth: an unknown device, with a DeviceConnect policy', request: { ...send, path: '/devices/ghost/messages/events', authorization: (bench) => policyToken(bench, 'device') }, ...unauthorized },
  { name: 'device auth: receive another device\'s messages', request: { method: 'GET', path: '/devices/d1/messages/deviceBound', authorization: (bench) => identityToken(bench, { deviceId: 'd2' }) }, ...unauthorized },
  { name: 'device auth: complete another device\'s message with its lock token', request: { method: 'DELETE', path: '/devices/d1/messages/deviceBound/lock-1', authorization: (bench) => identityToken(bench, { deviceId: 'd2' }) }, ...unauthorized },
];

/** Batches the hub cannot read (400) and messages over its 256 KB limit (413). */
export const deviceBodyCases: DeviceApiCase[] = [
  { name: 'batch: not JSON', request: batch('[{"body":'), ...invalid },
  { name: 'batch: bytes that are not UTF-8', request: { ...batch(''), body: Buffer.from([0x5b, 0xff, 0x5d]) }, ...invalid },
  { name: 'batch: an object, not an array', request: batch({ body: b64('x') }), ...invalid },
  { name: 'batch: an empty array', request: batch([]), ...invalid },
  { name: 'batch: an entry that is not an object', request: batch([{ body: b64('ok') }, 'text']), ...invalid },
  { name: 'batch: an entry without a body', request: batch([{ properties: {} }]), ...invalid },
  { name: 'batch: a body that is not base64', request: batch([{ body: b64('ok') }, { body: 'not base64!' }]), ...invalid },
  { name: 'batch: base64 with a bad length', request: batch([{ body: 'abc' }]), ...invalid },
  { name: 'batch: base64Encoded that is not a boolean', request: batch([{ body: 'text', base64Encoded: 'no' }]), ...invalid },
  { name: 'batch: properties that are not an object', request: batch([{ body: b64('x'), properties: ['iothub-app-a'] }]), ...invalid },
  { name: 'batch: a property value that is not a string', request: batch([{ body: b64('x'), properties: { 'iothub-app-n': 1 } }]), ...invalid },
  { name: 'size: one message over 256 KB', request: { ...send, body: Buffer.alloc(256 * 1024 + 1) }, status: 413, code: 'MessageTooLarge' },
  {
    name: 'size: a batch over 256 KB in all',
    request: batch([{ body: Buffer.alloc(130 * 1024).toString('base64') }, { body: Buffer.alloc(130 * 1024).toString('base64') }]),
    status: 413,
    code: 'MessageTooLarge',
  },
];

/** Lock tokens that lock nothing (412 DeviceMessageLockLost) and routes the device API does not serve. */
export const deviceRouteCases: DeviceApiCase[] = [
  { name: 'lock: complete with an unknown token', request: { method: 'DELETE', path: '/devices/d1/messages/deviceBound/lock-99' }, ...lockLost },
  { name: 'lock: reject with an unknown token', request: { method: 'DELETE', path: '/devices/d1/messages/deviceBound/lock-99', query: 'api-version=2021-04-12&reject' }, ...lockLost },
  { name: 'lock: abandon with an unknown token', request: { method: 'POST', path: '/devices/d1/messages/deviceBound/lock-99/abandon' }, ...lockLost },
  { name: 'lock: d1\'s token on d2\'s queue', request: { method: 'DELETE', path: '/devices/d2/messages/deviceBound/lock-1', authorization: (bench) => identityToken(bench, { deviceId: 'd2' }) }, ...lockLost },
  { name: 'route: GET on the events endpoint', request: { method: 'GET', path: EVENTS }, status: 405, code: 'MethodNotAllowed' },
  { name: 'route: POST on the deviceBound endpoint', request: { method: 'POST', path: '/devices/d1/messages/deviceBound', body: 'x' }, status: 405, code: 'MethodNotAllowed' },
  { name: 'route: a module\'s events endpoint (not served over HTTPS)', request: { ...send, path: '/devices/d1/modules/m1/messages/events', authorization: (bench) => identityToken(bench, { moduleId: 'm1' }) }, status: 404, code: 'NotFound' },
  { name: 'route: no api-version', request: { ...send, query: '' }, status: 400, code: 'InvalidProtocolVersion' },
];
