import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call, expectErrorResponse, jsonBody, newRestApi, type RestFixture } from './rest-fixtures.js';

const MODULE_TWIN = '/twins/d1/modules/m1';

async function withModule(): Promise<RestFixture> {
  const fixture = newRestApi();
  assert.equal((await call(fixture, 'PUT', '/devices/d1', { body: { deviceId: 'd1' } })).status, 200);
  assert.equal((await call(fixture, 'PUT', '/devices/d1/modules/m1', { body: { deviceId: 'd1', moduleId: 'm1' } })).status, 200);
  return fixture;
}

void describe('REST registry operations', () => {
  void it('creates and gets a device as JSON with generated SAS keys', async () => {
    const fixture = newRestApi();
    const created = await call(fixture, 'PUT', '/devices/d1', { body: { deviceId: 'd1' } });
    assert.equal(created.status, 200);
    assert.match(created.headers['content-type'] ?? '', /^application\/json/);
    const body = jsonBody(created);
    assert.equal(body.deviceId, 'd1');
    assert.equal(body.etag, 'AAAAAAAAAAE=');
    const fetched = await call(fixture, 'GET', '/devices/d1');
    assert.equal(fetched.status, 200);
    assert.deepEqual(jsonBody(fetched), body);
    assert.deepEqual(fixture.registry.getDevice('d1').keys, (body.authentication as { symmetricKey: unknown }).symmetricKey);
  });

  void it('creates a module with the given keys and lists it', async () => {
    const fixture = await withModule();
    const key = Buffer.alloc(32, 9).toString('base64');
    const created = await call(fixture, 'PUT', '/devices/d1/modules/m2', {
      body: { deviceId: 'd1', moduleId: 'm2', authentication: { type: 'sas', symmetricKey: { primaryKey: key, secondaryKey: key } } },
    });
    assert.equal(created.status, 200);
    assert.equal(jsonBody(created).moduleId, 'm2');
    assert.equal(fixture.registry.getModule('d1', 'm2').keys.primaryKey, key);
    const list = await call(fixture, 'GET', '/devices/d1/modules');
    assert.deepEqual((JSON.parse(list.body ?? '[]') as { moduleId: string }[]).map((m) => m.moduleId), ['m1', 'm2']);
  });

  void it('answers 409, 404 and 400 from the registry in the hub envelope', async () => {
    const fixture = await withModule();
    expectErrorResponse(await call(fixture, 'PUT', '/devices/d1', { body: {} }), 409, 'DeviceAlreadyExists');
    expectErrorResponse(await call(fixture, 'PUT', '/devices/d1/modules/m1', { body: {} }), 409, 'ModuleAlreadyExistsOnDevice');
    expectErrorResponse(await call(fixture, 'GET', '/devices/d2'), 404, 'DeviceNotFound');
    expectErrorResponse(await call(fixture, 'GET', '/devices/d1/modules/m9'), 404, 'ModuleNotFound');
    expectErrorResponse(await call(fixture, 'PUT', '/devices/bad%20id', { body: {} }), 400, 'ArgumentInvalid');
  });

  void it('refuses a body whose id differs from the path, or that is not JSON', async () => {
    const fixture = newRestApi();
    expectErrorResponse(await call(fixture, 'PUT', '/devices/d1', { body: { deviceId: 'd2' } }), 400, 'ArgumentInvalid');
    expectErrorResponse(await call(fixture, 'PUT', '/devices/d1', { body: '{"deviceId": "d1"' }), 400, 'ArgumentInvalid');
    expectErrorResponse(await call(fixture, 'PUT', '/devices/d1', { body: '' }), 400, 'ArgumentInvalid');
    expectErrorResponse(await call(fixture, 'PUT', '/devices/d1', { body: [] }), 400, 'ArgumentInvalid');
    assert.equal(fixture.registry.deviceCount(), 0);
  });

  void it('deletes with If-Match, answering 412 for a stale etag and 204 otherwise', async () => {
    const fixture = await withModule();
    expectErrorResponse(await call(fixture, 'DELETE', '/devices/d1/modules/m1', { ifMatch: '"AAAAAAAAAAI="' }), 412, 'PreconditionFailed');
    assert.equal((await call(fixture, 'DELETE', '/devices/d1/modules/m1', { ifMatch: '"AAAAAAAAAAE="' })).status, 204);
    assert.equal((await call(fixture, 'DELETE', '/devices/d1', { ifMatch: '*' })).status, 204);
    expectErrorResponse(await call(fixture, 'GET', '/devices/d1'), 404, 'DeviceNotFound');
  });
});

void describe('REST twin operations', () => {
  void it('gets a module twin with a quoted ETag header matching the body etag', async () => {
    const fixture = await withModule();
    const response = await call(fixture, 'GET', MODULE_TWIN);
    assert.equal(response.status, 200);
    const body = jsonBody(response);
    assert.equal(response.headers.etag, `"${String(body.etag)}"`);
    assert.deepEqual([body.deviceId, body.moduleId, body.version], ['d1', 'm1', 1]);
  });

  void it('patches desired and tags, returns the new twin and ETag, and notifies the device side', async () => {
    const fixture = await withModule();
    const patch = { tags: { site: 'a' }, properties: { desired: { rate: 5 } } };
    const response = await call(fixture, 'PATCH', MODULE_TWIN, { body: patch, ifMatch: '"AAAAAAAAAAE="' });
    assert.equal(response.status, 200);
    const body = jsonBody(response);
    assert.equal(response.headers.etag, '"AAAAAAAAAAI="');
    assert.deepEqual(body.tags, { site: 'a' });
    assert.equal((body.properties as { desired: { rate: number; $version: number } }).desired.rate, 5);
    assert.deepEqual(fixture.desiredNotifications, [{ identity: { deviceId: 'd1', moduleId: 'm1' }, patch: { rate: 5 }, version: 2 }]);
  });

  void it('answers 412 for a stale If-Match and stores nothing', async () => {
    const fixture = await withModule();
    await call(fixture, 'PATCH', MODULE_TWIN, { body: { properties: { desired: { rate: 5 } } } });
    const stale = await call(fixture, 'PATCH', MODULE_TWIN, { body: { properties: { desired: { rate: 6 } } }, ifMatch: '"AAAAAAAAAAE="' });
    expectErrorResponse(stale, 412, 'PreconditionFailed');
    assert.deepEqual(fixture.registry.getTwin({ deviceId: 'd1', moduleId: 'm1' }).desired.values, { rate: 5 });
    assert.equal(fixture.desiredNotifications.length, 1);
  });

  void it('refuses reported properties, unknown fields and invalid desired names with 400', async () => {
    const fixture = await withModule();
    const bodies = [
      { properties: { reported: { temp: 1 } } },
      { properties: { desired: { rate: 1 }, reported: { temp: 1 } } },
      { properties: { other: {} } },
      { surprise: 1 },
      { properties: { desired: { 'a.b': 1 } } },
      { properties: 'desired' },
    ];
    for (const body of bodies) expectErrorResponse(await call(fixture, 'PATCH', MODULE_TWIN, { body }), 400, 'ArgumentInvalid');
    expectErrorResponse(await call(fixture, 'PATCH', MODULE_TWIN, { body: '{not json' }), 400, 'ArgumentInvalid');
    assert.equal(fixture.registry.getTwin({ deviceId: 'd1', moduleId: 'm1' }).version, 1);
    assert.equal(fixture.desiredNotifications.length, 0);
  });

  void it('answers 404 for the twin of an unknown module', async () => {
    expectErrorResponse(await call(await withModule(), 'GET', '/twins/d1/modules/nope'), 404, 'ModuleNotFound');
  });
});

void describe('REST routing and api-version', () => {
  void it('answers 400 for a missing or unsupported api-version', async () => {
    const fixture = await withModule();
    expectErrorResponse(await call(fixture, 'GET', '/devices/d1', { apiVersion: null }), 400, 'InvalidProtocolVersion');
    expectErrorResponse(await call(fixture, 'GET', '/devices/d1', { apiVersion: '2016-11-14' }), 400, 'InvalidProtocolVersion');
    assert.equal((await call(fixture, 'GET', '/devices/d1', { apiVersion: '2020-09-30' })).status, 200);
  });

  void it('answers 400 for a path segment that is not valid percent-encoding', async () => {
    expectErrorResponse(await call(newRestApi(), 'GET', '/devices/%ZZ'), 400, 'ArgumentInvalid');
  });

  void it('authenticates before reading the body', async () => {
    const fixture = newRestApi();
    expectErrorResponse(await call(fixture, 'PUT', '/devices/d1', { authorization: null, body: '{broken' }), 401, 'IotHubUnauthorizedAccess');
    assert.equal(fixture.registry.deviceCount(), 0);
  });

  void it('answers 404 for an unknown path and 405 for a wrong method on a known one', async () => {
    const fixture = await withModule();
    expectErrorResponse(await call(fixture, 'GET', '/nothing/here'), 404, 'NotFound');
    expectErrorResponse(await call(fixture, 'POST', '/devices/d1/modules/m1'), 405, 'MethodNotAllowed');
    expectErrorResponse(await call(fixture, 'PATCH', '/devices/d1'), 405, 'MethodNotAllowed');
  });

  void it('names the route template a path matches, for low-cardinality metrics, and none for other paths', async () => {
    const fixture = await withModule();
    assert.deepEqual([fixture.api.routeTemplate('/devices/d1/modules/m1'), fixture.api.routeTemplate('/twins/d1'), fixture.api.routeTemplate('/nothing/here')], ['/devices/{id}/modules/{mid}', '/twins/{id}', undefined]);
  });

  void it('answers 501 for hub operations that are not emulated', async () => {
    const fixture = await withModule();
    // One path per template of the swagger's operations the emulator leaves out (router.ts, NOT_EMULATED_PATHS).
    const notEmulated: [string, string][] = [
      ['POST', '/devices/d1/applyConfigurationContent'], ['GET', '/configurations'], ['GET', '/configurations/c1'], ['POST', '/configurations/testQueries'],
      ['GET', '/jobs'], ['POST', '/jobs/create'], ['GET', '/jobs/j1'], ['GET', '/jobs/v2/j1'], ['POST', '/jobs/v2/j1/cancel'], ['GET', '/jobs/v2/query'],
      ['GET', '/digitaltwins/dt1'], ['POST', '/digitaltwins/dt1/commands/reboot'], ['POST', '/digitaltwins/dt1/components/c/commands/reboot'],
      ['GET', '/messages/serviceBound/feedback'], ['DELETE', '/messages/serviceBound/feedback/t1'], ['POST', '/messages/serviceBound/feedback/t1/abandon'],
    ];
    for (const [method, path] of notEmulated) {
      assert.match(expectErrorResponse(await call(fixture, method, path, { body: {} }), 501, 'NotImplemented'), /is not emulated/, path);
    }
  });
});
