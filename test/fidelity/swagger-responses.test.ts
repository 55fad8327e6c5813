import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RestFixture, type CallOptions, type Parsed } from './rest-fixture.js';
import { SwaggerContract, undocumentedFields } from './swagger-contract.js';

/**
 * Every registry, twin and query response body the emulator sends, checked against the response
 * schema the hub's swagger (2021-04-12) declares for that operation and status, and for fields the
 * swagger does not know.
 */
const contract = new SwaggerContract();
const THUMBPRINT_A = 'A'.repeat(40);
const THUMBPRINT_B = 'b'.repeat(64);

async function conforming(fixture: RestFixture, method: string, pathAndQuery: string, options: CallOptions = {}): Promise<Parsed> {
  const parsed = await fixture.call(method, pathAndQuery, options);
  const path = pathAndQuery.split('?')[0] ?? pathAndQuery;
  const template = contract.templateOf(path);
  const schema = contract.responseSchema(method, template, parsed.status);
  const where = `${method} ${path} -> ${parsed.status}`;
  if (schema === null) {
    assert.equal(parsed.body, undefined, `${where} has no body in the swagger`);
    return parsed;
  }
  const validate = contract.validator(schema);
  assert.ok(validate(parsed.body), `${where} does not match the swagger: ${JSON.stringify(validate.errors)}\n${JSON.stringify(parsed.body)}`);
  assert.deepEqual(undocumentedFields(contract, schema, parsed.body), [], `${where} sends fields the swagger does not declare`);
  return parsed;
}

function etagOf(parsed: Parsed): string {
  const etag = (parsed.body as { etag?: string }).etag;
  assert.ok(etag, 'the response carries an etag');
  return `"${etag}"`;
}

void describe('registry responses match the swagger', () => {
  const hub = new RestFixture();

  void it('device create, get, update, list and delete', async () => {
    const created = await conforming(hub, 'PUT', '/devices/plain', { body: { deviceId: 'plain', authentication: { type: 'sas', symmetricKey: { primaryKey: '', secondaryKey: '' } } } });
    await conforming(hub, 'GET', '/devices/plain');
    await conforming(hub, 'PUT', '/devices/plain', { body: { deviceId: 'plain', status: 'disabled', statusReason: 'maintenance' }, headers: { 'if-match': etagOf(created) } });
    await conforming(hub, 'GET', '/devices');
    await conforming(hub, 'GET', '/devices?top=1');
    await conforming(hub, 'DELETE', '/devices/plain', { headers: { 'if-match': '"*"' } });
  });

  void it('X.509 and IoT Edge devices', async () => {
    await conforming(hub, 'PUT', '/devices/self', { body: { deviceId: 'self', authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: THUMBPRINT_A, secondaryThumbprint: THUMBPRINT_B } } } });
    await conforming(hub, 'PUT', '/devices/ca', { body: { deviceId: 'ca', authentication: { type: 'certificateAuthority' } } });
    const edge = await conforming(hub, 'PUT', '/devices/edge', { body: { deviceId: 'edge', capabilities: { iotEdge: true } } });
    const scope = (edge.body as { deviceScope?: string }).deviceScope;
    await conforming(hub, 'PUT', '/devices/leaf', { body: { deviceId: 'leaf', deviceScope: scope } });
    await conforming(hub, 'GET', '/twins/leaf');
    await conforming(hub, 'GET', '/twins/self');
  });

  void it('bulk create, update and delete, successful and not', async () => {
    await conforming(hub, 'POST', '/devices', { body: [{ id: 'bulk1', importMode: 'create' }, { id: 'bulk2', importMode: 'create', status: 'disabled' }] });
    await conforming(hub, 'POST', '/devices', { body: [{ id: 'bulk1', importMode: 'Update', status: 'disabled' }] });
    const failed = await conforming(hub, 'POST', '/devices', { body: [{ id: 'bulk1', importMode: 'create' }, { id: 'missing', importMode: 'DeleteIfMatchETag', eTag: 'x' }] });
    assert.equal(failed.status, 400);
    await conforming(hub, 'POST', '/devices', { body: [{ id: 'bulk1', importMode: 'Delete' }, { id: 'bulk2', importMode: 'Delete' }] });
  });

  void it('module create, update, get, list and delete', async () => {
    await conforming(hub, 'PUT', '/devices/host', { body: { deviceId: 'host' } });
    const module = await conforming(hub, 'PUT', '/devices/host/modules/m1', { body: { deviceId: 'host', moduleId: 'm1' } });
    await conforming(hub, 'PUT', '/devices/host/modules/m1', { body: { deviceId: 'host', moduleId: 'm1', managedBy: 'IotEdge' }, headers: { 'if-match': etagOf(module) } });
    await conforming(hub, 'GET', '/devices/host/modules/m1');
    await conforming(hub, 'GET', '/devices/host/modules');
    await conforming(hub, 'DELETE', '/devices/host/modules/m1', { headers: { 'if-match': '"*"' } });
  });

  void it('registry and service statistics', async () => {
    await conforming(hub, 'PUT', '/devices/counted', { body: { deviceId: 'counted' } });
    await conforming(hub, 'GET', '/statistics/devices');
    await conforming(hub, 'GET', '/statistics/service');
  });
});

void describe('twin and query responses match the swagger', () => {
  const hub = new RestFixture();

  before(async () => {
    await hub.call('PUT', '/devices/t1', { body: { deviceId: 't1' } });
    await hub.call('PUT', '/devices/t1/modules/m1', { body: { deviceId: 't1', moduleId: 'm1' } });
    await hub.call('PUT', '/devices/t2', { body: { deviceId: 't2' } });
    hub.registry.patchReported({ deviceId: 't1' }, { firmware: '1.0', nested: { a: [1, 2] } });
  });

  for (const twin of ['/twins/t1', '/twins/t1/modules/m1']) {
    void it(`${twin}: get, patch, clear and replace`, async () => {
      await conforming(hub, 'GET', twin);
      const patch = { tags: { site: 'north', floor: 3 }, properties: { desired: { interval: 30, config: { mode: 'eco', list: ['a', true] } } } };
      await conforming(hub, 'PATCH', twin, { body: patch, headers: { 'if-match': '"*"' } });
      await conforming(hub, 'PATCH', twin, { body: { properties: { desired: null } }, headers: { 'if-match': '"*"' } });
      await conforming(hub, 'PUT', twin, { body: { tags: { site: 'south' }, properties: { desired: { interval: 60 } } }, headers: { 'if-match': '"*"' } });
    });
  }

  void it('queries over devices and modules, paged', async () => {
    const page = await conforming(hub, 'POST', '/devices/query', { body: { query: 'SELECT * FROM devices' }, headers: { 'x-ms-max-item-count': '1' } });
    const continuation = page.headers['x-ms-continuation'];
    assert.ok(continuation, 'a first page of one device out of two has a continuation');
    await conforming(hub, 'POST', '/devices/query', { body: { query: 'SELECT * FROM devices' }, headers: { 'x-ms-continuation': continuation } });
    await conforming(hub, 'POST', '/devices/query', { body: { query: "SELECT * FROM devices.modules WHERE moduleId = 'm1'" } });
  });
});

void describe('the contract check itself', () => {
  void it('refuses a body that breaks the swagger, and fields it does not declare', () => {
    const device = { $ref: '#/definitions/Device' };
    const validate = contract.validator(device);
    assert.equal(validate({ deviceId: 'd', status: 'paused' }), false);
    assert.equal(validate({ deviceId: 'd', cloudToDeviceMessageCount: 'many' }), false);
    assert.equal(validate({ deviceId: 'd', statusUpdatedTime: 'yesterday' }), false);
    assert.deepEqual(undocumentedFields(contract, device, { deviceId: 'd', invented: 1 }), ['.invented']);
  });
});
