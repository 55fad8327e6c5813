import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVICE_FIELDS, MODULE_FIELDS } from '../../emulator/rest/identity-fields.js';
import { call, newRestApi } from './rest-fixtures.js';

/**
 * The identity fields the emulator accepts are the swagger's (issue 18): everything it answers can
 * be written back unchanged (the SDKs' read-change-write), while an unknown field is refused (the
 * refusals are in test/bad-inputs/rest-identity-field-cases.ts).
 */
void describe('identity bodies: the fields the hub defines', () => {
  void it('accepts a device and a module written back exactly as they were read', async () => {
    const fixture = newRestApi();
    assert.equal((await call(fixture, 'PUT', '/devices/d1', { body: { deviceId: 'd1' } })).status, 200);
    assert.equal((await call(fixture, 'PUT', '/devices/d1/modules/m1', { body: { deviceId: 'd1', moduleId: 'm1' } })).status, 200);
    const device = JSON.parse((await call(fixture, 'GET', '/devices/d1')).body ?? '') as Record<string, unknown>;
    const module = JSON.parse((await call(fixture, 'GET', '/devices/d1/modules/m1')).body ?? '') as Record<string, unknown>;
    assert.deepEqual(Object.keys(device).filter((field) => !DEVICE_FIELDS.has(field)), [], 'every field a device is answered with is one the hub defines');
    assert.deepEqual(Object.keys(module).filter((field) => !MODULE_FIELDS.has(field)), [], 'likewise for a module');
    assert.equal((await call(fixture, 'PUT', '/devices/d1', { body: { ...device, status: 'disabled' }, ifMatch: '*' })).status, 200);
    assert.equal((await call(fixture, 'PUT', '/devices/d1/modules/m1', { body: { ...module, managedBy: 'me' }, ifMatch: '*' })).status, 200);
    const bulk = await call(fixture, 'POST', '/devices', { body: [{ ...device, id: 'd1', deviceId: undefined, importMode: 'update', status: 'enabled' }] });
    assert.equal(bulk.status, 200, bulk.body);
  });

  void it('accepts the body of the SDK\'s deprecated Device class (every Device field, defaults included)', async () => {
    const fixture = newRestApi();
    const sdkDevice = {
      deviceId: 'd2', generationId: null, etag: null, connectionState: 'disconnected', status: 'enabled', statusReason: null,
      connectionStateUpdatedTime: null, statusUpdatedTime: null, lastActivityTime: null, cloudToDeviceMessageCount: '0', capabilities: {},
      authentication: { symmetricKey: { primaryKey: null, secondaryKey: null }, x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null } },
    };
    const response = await call(fixture, 'PUT', '/devices/d2', { body: sdkDevice });
    assert.equal(response.status, 200, response.body);
  });

  void it('reads field names without regard to case: azure-iothub 1.15 sends a `SymmetricKey` copy with every Device it read', async () => {
    const fixture = newRestApi();
    assert.equal((await call(fixture, 'PUT', '/devices/d3', { body: { deviceId: 'd3' } })).status, 200);
    const device = JSON.parse((await call(fixture, 'GET', '/devices/d3')).body ?? '') as { authentication: { symmetricKey: unknown } };
    const oldSdkBody = { ...device, status: 'disabled', authentication: { ...device.authentication, SymmetricKey: device.authentication.symmetricKey } };
    const response = await call(fixture, 'PUT', '/devices/d3', { body: oldSdkBody, ifMatch: '*' });
    assert.equal(response.status, 200, response.body);
    assert.equal((await call(fixture, 'PUT', '/devices/d3', { body: { deviceId: 'd3', Bogus: 1 }, ifMatch: '*' })).status, 400, 'an unknown field is still refused');
  });
});
