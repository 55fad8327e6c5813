import type { RestCase } from './rest-body-cases.js';

/**
 * Identity bodies with a field the hub does not define (issue 18; emulator/rest/identity-fields.ts):
 * refused with 400 ArgumentInvalid, nothing stored, rather than answered as if the field had been kept.
 * Bulk entries with twin tags or properties, which the emulator cannot import, are refused with 501.
 */
const device = (body: unknown, path = '/devices/new1', ifMatch?: string): RestCase['request'] => ({ method: 'PUT', path, body, ...(ifMatch === undefined ? {} : { ifMatch }) });

export const identityFieldCases: RestCase[] = [
  { name: 'create device: a field the hub does not define', request: device({ deviceId: 'new1', colour: 'red' }), status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: a field named __proto__', request: device('{"deviceId": "new1", "__proto__": {"status": "disabled"}}'), status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: modelId (a twin field, not an identity one)', request: device({ deviceId: 'new1', modelId: 'dtmi:x;1' }), status: 400, code: 'ArgumentInvalid' },
  { name: 'create device: unknown authentication field', request: device({ authentication: { type: 'sas', keyVault: 'k' } }), status: 400, code: 'ArgumentInvalid' },
  {
    name: 'create device: unknown symmetricKey field',
    request: device({ authentication: { type: 'sas', symmetricKey: { primaryKey: '', secondaryKey: '', tertiaryKey: '' } } }),
    status: 400, code: 'ArgumentInvalid',
  },
  {
    name: 'create device: unknown x509Thumbprint field',
    request: device({ authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'A'.repeat(40), spareThumbprint: 'B'.repeat(40) } } }),
    status: 400, code: 'ArgumentInvalid',
  },
  { name: 'create device: unknown capability', request: device({ capabilities: { iotEdge: false, gpu: true } }), status: 400, code: 'ArgumentInvalid' },
  { name: 'update device: a field the hub does not define', request: device({ deviceId: 'd1', status: 'disabled', colour: 'red' }, '/devices/d1', '*'), status: 400, code: 'ArgumentInvalid' },
  { name: 'create module: status (a device field)', request: device({ moduleId: 'm9', status: 'disabled' }, '/devices/d1/modules/m9'), status: 400, code: 'ArgumentInvalid' },
  {
    name: 'bulk create: an entry with twin tags',
    request: { method: 'POST', path: '/devices', body: [{ id: 'new1', importMode: 'create', tags: { site: 'a' } }] },
    status: 501, code: 'NotImplemented',
  },
];
