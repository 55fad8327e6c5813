import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudToDeviceQueues } from '../../emulator/state/cloud-to-device.js';
import { call, expectErrorResponse, newRestApi, serviceToken, type RestFixture } from './rest-fixtures.js';
import { policyNamed } from './fixtures.js';

async function listDevices(fixture: RestFixture, top: string | undefined) {
  const query = new URLSearchParams({ 'api-version': '2021-04-12', ...(top === undefined ? {} : { top }) });
  return await fixture.api.handle({ method: 'GET', path: '/devices', query, headers: { authorization: serviceToken(policyNamed(fixture.policies, 'iothubowner')) }, body: '' });
}

const listed = (body: string | undefined) => JSON.parse(body ?? '[]') as { deviceId: string; cloudToDeviceMessageCount: number }[];

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

void describe('device list options', () => {
  void it('takes top as an integer, and refuses anything else', async () => {
    const fixture = newRestApi();
    for (const deviceId of ['a', 'b', 'c']) fixture.registry.createDevice(deviceId, undefined);
    assert.deepEqual(listed((await listDevices(fixture, '2')).body).map((device) => device.deviceId), ['a', 'b']);
    assert.equal(listed((await listDevices(fixture, '12')).body).length, 3);
    for (const top of ['two', '2a', 'a2', '']) {
      assert.match(expectErrorResponse(await listDevices(fixture, top), 400, 'ArgumentInvalid'), new RegExp(`top must be an integer, not '${top}'\\.$`));
    }
  });

  void it('counts each device\'s waiting cloud-to-device messages, and none without a messaging endpoint', async () => {
    let queues: CloudToDeviceQueues | undefined;
    const fixture = newRestApi(({ clock, registry }) => {
      queues = new CloudToDeviceQueues({ clock, registry, generateLockToken: () => 'lock' });
      return { cloudToDevice: queues };
    });
    fixture.registry.createDevice('a', undefined);
    const message = { deviceId: 'a', messageId: undefined, correlationId: undefined, userId: undefined, contentType: undefined, contentEncoding: undefined, ack: 'none' as const,
      expiresAt: fixture.clock.now().getTime() + 60_000, enqueuedTime: fixture.clock.now().toISOString(), body: Buffer.from('x'), applicationProperties: {} };
    queues?.enqueue(message);
    queues?.enqueue(message);
    assert.deepEqual(listed((await listDevices(fixture, undefined)).body).map((device) => device.cloudToDeviceMessageCount), [2]);
    const without = newRestApi();
    without.registry.createDevice('a', undefined);
    assert.deepEqual(listed((await listDevices(without, undefined)).body).map((device) => device.cloudToDeviceMessageCount), [0]);
  });
});

void describe('request bodies', () => {
  void it('tells an empty body from one that is not JSON, quoting neither', async () => {
    const fixture = newRestApi();
    assert.match(expectErrorResponse(await call(fixture, 'PUT', '/devices/d1', { body: '   ' }), 400, 'ArgumentInvalid'), /The request body is empty; a JSON document is required\.$/);
    assert.match(expectErrorResponse(await call(fixture, 'PUT', '/devices/d1', { body: '{"deviceId": "d1"' }), 400, 'ArgumentInvalid'), /The request body is not valid JSON\.$/);
    assert.equal(fixture.registry.deviceCount(), 0);
  });
});
