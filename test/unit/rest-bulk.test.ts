import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HubErrorCode } from '../../emulator/errors.js';
import { MAX_BULK_DEVICES } from '../../emulator/rest/bulk.js';
import { call, expectErrorResponse, jsonBody, newRestApi, type RestFixture } from './rest-fixtures.js';

/**
 * `POST /devices` (swagger BulkRegistry_UpdateRegistry; `Registry.addDevices`, `updateDevices`,
 * `removeDevices`): a request the hub refuses changes nothing; a valid one is applied entry by entry
 * and answers which entries failed, and why.
 */
const bulk = (fixture: RestFixture, body: unknown) => call(fixture, 'POST', '/devices', { body });
const entry = (id: string, importMode: string, extra: Record<string, unknown> = {}) => ({ id, importMode, ...extra });
const deviceIds = (fixture: RestFixture): string[] => fixture.registry.listDevices().map((device) => device.deviceId);

function withDevices(...ids: string[]): RestFixture {
  const fixture = newRestApi();
  for (const id of ids) fixture.registry.createDevice(id, undefined);
  return fixture;
}

describe('bulk registry operations', () => {
  it('creates, updates and deletes devices, importMode in any case, and says all succeeded', async () => {
    const fixture = withDevices('old', 'gone');
    const response = await bulk(fixture, [entry('new', 'Create'), entry('old', 'update', { status: 'disabled' }), entry('gone', 'DELETE')]);
    assert.deepEqual([response.status, jsonBody(response)], [200, { isSuccessful: true, errors: [], warnings: [] }]);
    assert.deepEqual(deviceIds(fixture).sort(), ['new', 'old']);
    assert.equal(fixture.registry.getDevice('old').status, 'disabled');
  });

  it('applies what it can and answers 400 naming each entry that failed, with its code', async () => {
    const fixture = withDevices('taken');
    const response = await bulk(fixture, [entry('taken', 'create'), entry('fresh', 'create'), entry('ghost', 'delete')]);
    const body = jsonBody(response);
    assert.deepEqual([response.status, body.isSuccessful, body.warnings], [400, false, []]);
    assert.deepEqual((body.errors as { deviceId: string; errorCode: string; errorStatus: string }[]).map(({ deviceId, errorCode }) => [deviceId, errorCode]), [['taken', 'DeviceAlreadyExists'], ['ghost', 'DeviceNotFound']]);
    assert.match(String((body.errors as { errorStatus: string }[])[0]?.errorStatus), /taken/);
    assert.deepEqual(deviceIds(fixture).sort(), ['fresh', 'taken']);
  });

  it('updates and deletes "IfMatchETag" only with the device\'s current etag, read from eTag or etag', async () => {
    const fixture = withDevices('a', 'b', 'c');
    const etagOf = async (id: string): Promise<string> => `"${String(jsonBody(await call(fixture, 'GET', `/devices/${id}`)).etag)}"`;
    const response = await bulk(fixture, [
      entry('a', 'updateIfMatchETag', { status: 'disabled', eTag: await etagOf('a') }),
      entry('b', 'deleteIfMatchETag', { etag: await etagOf('b') }),
      entry('c', 'updateIfMatchETag', { eTag: '"stale"' }),
    ]);
    const failed = (jsonBody(response).errors as { deviceId: string; errorCode: string }[]).map(({ deviceId, errorCode }) => [deviceId, errorCode]);
    assert.deepEqual(failed, [['c', 'PreconditionFailed']]);
    assert.deepEqual([fixture.registry.getDevice('a').status, deviceIds(fixture).sort()], ['disabled', ['a', 'c']]);
  });

  it('refuses an "IfMatchETag" entry without an etag, or with an empty one', async () => {
    const fixture = withDevices('a', 'b');
    const response = await bulk(fixture, [entry('a', 'updateIfMatchETag'), entry('b', 'deleteIfMatchETag', { eTag: '' })]);
    const failed = jsonBody(response).errors as { deviceId: string; errorCode: string; errorStatus: string }[];
    assert.deepEqual(failed.map(({ deviceId, errorCode }) => [deviceId, errorCode]), [['a', 'ArgumentInvalid'], ['b', 'ArgumentInvalid']]);
    assert.match(failed[0]?.errorStatus ?? '', /importMode updateifmatchetag needs the device's eTag/);
    assert.deepEqual(deviceIds(fixture).sort(), ['a', 'b']);
  });

  it('takes an etag that is not a string as none', async () => {
    const fixture = withDevices('a');
    const failed = jsonBody(await bulk(fixture, [entry('a', 'updateIfMatchETag', { status: 'disabled', eTag: 5 })])).errors as { deviceId: string; errorCode: string }[];
    assert.deepEqual(failed.map(({ deviceId, errorCode }) => [deviceId, errorCode]), [['a', 'ArgumentInvalid']]);
    assert.equal(fixture.registry.getDevice('a').status, 'enabled');
  });

  it('takes up to 100 entries', async () => {
    const fixture = newRestApi();
    const response = await bulk(fixture, Array.from({ length: MAX_BULK_DEVICES }, (_, index) => entry(`d${index}`, 'create')));
    assert.deepEqual([response.status, fixture.registry.deviceCount()], [200, 100]);
  });
});

describe('bulk requests the hub refuses whole, changing nothing', () => {
  const refusals: [string, unknown, number, HubErrorCode, RegExp][] = [
    ['not an array', { id: 'x', importMode: 'create' }, 400, 'ArgumentInvalid', /must be a JSON array/],
    ['an empty array', [], 400, 'ArgumentInvalid', /1 to 100 devices, not 0/],
    ['101 entries', Array.from({ length: MAX_BULK_DEVICES + 1 }, (_, index) => entry(`d${index}`, 'create')), 400, 'ArgumentInvalid', /not 101/],
    ['an entry that is not an object', [entry('x', 'create'), 'y'], 400, 'ArgumentInvalid', /must be a JSON object/],
    ['an entry without an id', [{ importMode: 'create' }], 400, 'ArgumentInvalid', /needs an id/],
    ['an entry with an empty id', [entry('', 'create')], 400, 'ArgumentInvalid', /needs an id/],
    ['an unknown importMode', [entry('x', 'upsert')], 400, 'ArgumentInvalid', /Unknown importMode "upsert" for device 'x'/],
    ['no importMode', [{ id: 'x' }], 400, 'ArgumentInvalid', /Unknown importMode undefined/],
    ['a device twice', [entry('x', 'create'), entry('x', 'delete')], 400, 'DeviceDefinedMultipleTimes', /'x'/],
    ['a module entry', [entry('x', 'create', { moduleId: 'm' })], 501, 'NotImplemented', /Bulk operations on modules/],
    ['a twin importMode', [entry('x', 'UpdateTwin')], 501, 'NotImplemented', /'updatetwin'/],
    ['twin tags', [entry('x', 'create', { tags: { a: 1 } })], 501, 'NotImplemented', /twin tags and properties/],
    ['twin properties', [entry('x', 'create', { properties: { desired: {} } })], 501, 'NotImplemented', /twin tags and properties/],
    // A 501 met while applying an entry is the request's answer, not one entry's failure.
    ['an entry the emulator cannot apply', [entry('x', 'create', { authentication: { type: 'none' } })], 501, 'NotImplemented', /Authentication type 'none'/],
  ];
  for (const [what, body, status, code, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const fixture = newRestApi();
      assert.match(expectErrorResponse(await bulk(fixture, body), status, code), message);
      assert.equal(fixture.registry.deviceCount(), 0);
    });
  }

  it('takes null module ids and twin parts as absent, as the SDKs send them', async () => {
    const fixture = newRestApi();
    const response = await bulk(fixture, [entry('x', 'create', { moduleId: null, tags: null, properties: null, twinETag: null })]);
    assert.deepEqual([response.status, deviceIds(fixture)], [200, ['x']]);
  });
});
