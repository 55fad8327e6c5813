import type { HubErrorCode } from '../../emulator/errors.js';
import type { RestCall } from './rest-fixture.js';

export interface RestCase {
  readonly name: string;
  readonly request: RestCall;
  readonly status: number;
  readonly code: HubErrorCode;
}

const TWIN = '/twins/d1/modules/m1';
const DEVICE_TWIN = '/twins/d1';

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let level = 1; level < depth; level++) value = { [`l${level}`]: value };
  return value;
}

/** Arrays around an object: the object at the bottom is past the depth limit. */
function nestedArrays(depth: number): unknown {
  let value: unknown = { leaf: 1 };
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

/** Keys of 3,000-byte strings: each value is legal, together they pass the section's limit. */
function bulky(totalBytes: number): Record<string, string> {
  const entries = Array.from({ length: Math.ceil(totalBytes / 3000) }, (_, index) => [`k${index}`, 'x'.repeat(3000)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

const patchCase = (name: string, body: unknown, path = TWIN): RestCase => ({
  name, request: { method: 'PATCH', path, body }, status: 400, code: 'ArgumentInvalid',
});

const desired = (value: unknown): unknown => ({ properties: { desired: value } });

/** Twin patches the hub refuses with 400 ArgumentInvalid (docs: "Tags and properties format", "Device twin size"). */
export const twinBodyCases: RestCase[] = [
  patchCase('twin patch: truncated JSON', '{"properties": {"desired": '),
  patchCase('twin patch: trailing garbage after JSON', '{"tags": {}} extra'),
  patchCase('twin patch: NaN literal', '{"properties": {"desired": {"x": NaN}}}'),
  patchCase('twin patch: single-quoted JSON', "{'tags': {}}"),
  patchCase('twin patch: empty body', ''),
  patchCase('twin patch: whitespace-only body', '   \n'),
  patchCase('twin patch: a JSON array', [1, 2]),
  patchCase('twin patch: a JSON string', '"tags"'),
  patchCase('twin patch: JSON null', 'null'),
  patchCase('twin patch: a JSON number', '42'),
  patchCase('twin patch: unknown top-level field', { colour: 'red' }),
  patchCase('twin patch: reported properties from the service', { properties: { reported: { x: 1 } } }),
  patchCase('twin patch: properties is a number', { properties: 5 }),
  patchCase('twin patch: unknown properties section', { properties: { wanted: {} } }),
  patchCase('twin patch: desired is an array', desired([1])),
  patchCase('twin patch: desired is a string', desired('on')),
  patchCase('twin patch: tags is a string', { tags: 'site-a' }),
  patchCase('twin patch: key with a dot', desired({ 'a.b': 1 })),
  patchCase('twin patch: key starting with $', desired({ $secret: 1 })),
  patchCase('twin patch: key with a space', desired({ 'a b': 1 })),
  patchCase('twin patch: key with a control character', desired({ 'a\u0001b': 1 })),
  patchCase('twin patch: key with a C1 control character', { tags: { 'a\u0085b': 1 } }),
  patchCase('twin patch: empty key', desired({ '': 1 })),
  patchCase('twin patch: key over 1 KB', desired({ ['k'.repeat(1025)]: 1 })),
  patchCase('twin patch: string value over 4 KB', desired({ big: 'x'.repeat(4097) })),
  patchCase('twin patch: integer above the supported range', '{"properties": {"desired": {"n": 9007199254740993}}}'),
  patchCase('twin patch: integer below the supported range', desired({ n: -4503599627370497 })),
  patchCase('twin patch: number overflowing to Infinity', '{"properties": {"desired": {"n": 1e400}}}'),
  patchCase('twin patch: desired nested 14 levels deep', desired(nested(14))),
  patchCase('twin patch: tags nested 14 levels deep', { tags: nested(14) }),
  patchCase('twin patch: an object nested too deep inside arrays', desired({ a: nestedArrays(15) })),
  patchCase('twin patch: desired over 32 KB', desired(bulky(33 * 1024))),
  patchCase('twin patch: tags over 16 KB', { tags: bulky(17 * 1024) }),
  patchCase('twin patch: a valid tags change with an invalid desired key (nothing applied)', {
    tags: { site: 'b' }, properties: { desired: { 'bad.key': 1 } },
  }),
  patchCase('device twin patch: forbidden key', desired({ 'x y': 1 }), DEVICE_TWIN),
];

/** Identity bodies and ids the registry refuses (docs: "Device identity properties"). */
export const identityBodyCases: RestCase[] = [
  { name: 'create device: truncated JSON', request: { method: 'PUT', path: '/devices/new1', body: '{"deviceId": "new1"' }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: body is an array', request: { method: 'PUT', path: '/devices/new1', body: [] }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: empty body', request: { method: 'PUT', path: '/devices/new1', body: '' }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: id in body differs from path', request: { method: 'PUT', path: '/devices/new1', body: { deviceId: 'other' } }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: deviceId of the wrong type', request: { method: 'PUT', path: '/devices/new1', body: { deviceId: 7 } }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: authentication is a string', request: { method: 'PUT', path: '/devices/new1', body: { authentication: 'sas' } }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: unknown authentication type', request: { method: 'PUT', path: '/devices/new1', body: { authentication: { type: 'password' } } }, status: 400, code: 'ArgumentInvalid' },
  {
    name: 'create device: primaryKey is a number',
    request: { method: 'PUT', path: '/devices/new1', body: { authentication: { type: 'sas', symmetricKey: { primaryKey: 5 } } } },
    status: 400, code: 'ArgumentInvalid',
  },
  { name: 'create device: id with a space', request: { method: 'PUT', path: '/devices/bad%20id', body: {} }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: id with a caret', request: { method: 'PUT', path: '/devices/bad%5Eid', body: {} }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: non-ASCII id', request: { method: 'PUT', path: '/devices/caf%C3%A9', body: {} }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: id of 129 characters', request: { method: 'PUT', path: `/devices/${'d'.repeat(129)}`, body: {} }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: invalid percent-encoding', request: { method: 'PUT', path: '/devices/%E0%A4%A', body: {} }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create module: id with a slash (encoded)', request: { method: 'PUT', path: '/devices/d1/modules/m%2Fx', body: {} }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create module: id of 129 characters', request: { method: 'PUT', path: `/devices/d1/modules/${'m'.repeat(129)}`, body: {} }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create module: moduleId in body differs from path', request: { method: 'PUT', path: '/devices/d1/modules/m9', body: { moduleId: 'm8' } }, status: 400, code: 'ArgumentInvalid' },
  { name: 'create module: on an unknown device', request: { method: 'PUT', path: '/devices/nobody/modules/m1', body: {} }, status: 404, code: 'DeviceNotFound' },
  { name: 'create device: id already registered, no If-Match', request: { method: 'PUT', path: '/devices/d1', body: { deviceId: 'd1' } }, status: 409, code: 'DeviceAlreadyExists' },
  { name: 'create module: id already registered, no If-Match', request: { method: 'PUT', path: '/devices/d1/modules/m1', body: {} }, status: 409, code: 'ModuleAlreadyExistsOnDevice' },
];
