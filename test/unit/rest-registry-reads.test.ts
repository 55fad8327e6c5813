import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, expectErrorResponse, newRestApi, serviceToken } from './rest-fixtures.js';
import { policyNamed } from './fixtures.js';

/** The device list with and without the trailing slash, and the two statistics, over the REST adapter. */
void describe('device list', () => {
  void it('answers GET /devices and GET /devices/ (what Registry.list sends) alike', async () => {
    const fixture = newRestApi();
    for (const deviceId of ['a', 'b']) await call(fixture, 'PUT', `/devices/${deviceId}`, { body: { deviceId } });
    const plain = await call(fixture, 'GET', '/devices');
    const slashed = await call(fixture, 'GET', '/devices/');
    assert.equal(slashed.status, 200);
    assert.equal(slashed.body, plain.body);
    assert.deepEqual((JSON.parse(slashed.body ?? '[]') as { deviceId: string }[]).map((device) => device.deviceId), ['a', 'b']);
  });

  void it('refuses GET /devices/ with 401 for a wrong key, an unknown policy or a policy without RegistryRead', async () => {
    const fixture = newRestApi();
    const owner = policyNamed(fixture.policies, 'iothubowner');
    const wrongKey = serviceToken(owner, { key: Buffer.alloc(32, 99).toString('base64') });
    const unknownPolicy = serviceToken({ ...owner, name: 'nobody' });
    const serviceOnly = serviceToken(policyNamed(fixture.policies, 'service'));
    for (const authorization of [wrongKey, unknownPolicy, serviceOnly, null]) {
      expectErrorResponse(await call(fixture, 'GET', '/devices/', { authorization }), 401, 'IotHubUnauthorizedAccess');
    }
  });
});

void describe('statistics', () => {
  void it('count devices by status, and connected devices; modules are not counted', async () => {
    const fixture = newRestApi();
    for (const deviceId of ['a', 'b', 'c']) await call(fixture, 'PUT', `/devices/${deviceId}`, { body: { deviceId } });
    await call(fixture, 'PUT', '/devices/a/modules/m', { body: { deviceId: 'a', moduleId: 'm' } });
    await call(fixture, 'PUT', '/devices/c', { body: { deviceId: 'c', status: 'disabled' }, ifMatch: '*' });
    fixture.registry.setConnectionState({ deviceId: 'b' }, true);
    fixture.registry.setConnectionState({ deviceId: 'a', moduleId: 'm' }, true);
    const devices = await call(fixture, 'GET', '/statistics/devices');
    assert.deepEqual(JSON.parse(devices.body ?? ''), { totalDeviceCount: 3, enabledDeviceCount: 2, disabledDeviceCount: 1 });
    const service = await call(fixture, 'GET', '/statistics/service');
    assert.deepEqual(JSON.parse(service.body ?? ''), { connectedDeviceCount: 1 });
  });

  void it('need RegistryRead (device counts) and ServiceConnect (connected count)', async () => {
    const fixture = newRestApi();
    const token = (name: string): string => serviceToken(policyNamed(fixture.policies, name));
    assert.equal((await call(fixture, 'GET', '/statistics/devices', { authorization: token('registryRead') })).status, 200);
    expectErrorResponse(await call(fixture, 'GET', '/statistics/devices', { authorization: token('service') }), 401, 'IotHubUnauthorizedAccess');
    assert.equal((await call(fixture, 'GET', '/statistics/service', { authorization: token('service') })).status, 200);
    expectErrorResponse(await call(fixture, 'GET', '/statistics/service', { authorization: token('registryRead') }), 401, 'IotHubUnauthorizedAccess');
  });
});
