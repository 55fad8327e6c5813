import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RestResponse } from '../../emulator/rest/http-types.js';
import { HOST, newPolicies, policyNamed } from './fixtures.js';
import { expectErrorResponse, newRestApi, serviceToken, type RestFixture } from './rest-fixtures.js';

/**
 * `POST /devices/query` (rest/query.ts; swagger QueryIotHub): the body, the page size
 * (`x-ms-max-item-count`), and continuation tokens (`x-ms-continuation`). The query language: emulator/query.
 */
function hubWith(devices: number): RestFixture {
  const fixture = newRestApi();
  for (let n = 0; n < devices; n += 1) fixture.registry.createDevice(`d${String(n).padStart(3, '0')}`, undefined);
  return fixture;
}

async function query(fixture: RestFixture, body: unknown, headers: Record<string, string> = {}): Promise<RestResponse> {
  const authorization = serviceToken(policyNamed(fixture.policies, 'iothubowner'));
  return await fixture.api.handle({
    method: 'POST', path: '/devices/query', query: new URLSearchParams({ 'api-version': '2021-04-12' }), headers: { authorization, ...headers }, body: JSON.stringify(body),
  });
}

const ids = (response: RestResponse): string[] => (JSON.parse(response.body ?? '[]') as { deviceId: string; moduleId?: string }[]).map((twin) => twin.moduleId ?? twin.deviceId);
const ALL = { query: 'SELECT * FROM devices' };

/** A token the hub issued, with its offset changed: what a client could forge. */
function withOffset(token: string, offset: unknown): string {
  const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...decoded, o: offset })).toString('base64url');
}

void describe('query paging', () => {
  void it('pages by x-ms-max-item-count, handing a continuation token until the last page', async () => {
    const fixture = hubWith(5);
    const first = await query(fixture, ALL, { 'x-ms-max-item-count': '2' });
    assert.deepEqual([ids(first), first.headers['x-ms-item-type']], [['d000', 'd001'], 'Twin']);
    const token = first.headers['x-ms-continuation'] ?? assert.fail('a continuation token');
    const second = await query(fixture, ALL, { 'x-ms-max-item-count': '2', 'x-ms-continuation': token });
    const third = await query(fixture, ALL, { 'x-ms-max-item-count': '2', 'x-ms-continuation': second.headers['x-ms-continuation'] ?? '' });
    assert.deepEqual([ids(second), ids(third), third.headers['x-ms-continuation']], [['d002', 'd003'], ['d004'], undefined]);
  });

  void it('hands no token when the last page is exactly full, and starts over for an empty one', async () => {
    const fixture = hubWith(4);
    const first = await query(fixture, ALL, { 'x-ms-max-item-count': '2' });
    const second = await query(fixture, ALL, { 'x-ms-max-item-count': '2', 'x-ms-continuation': first.headers['x-ms-continuation'] ?? '' });
    assert.equal(second.headers['x-ms-continuation'], undefined);
    assert.deepEqual(ids(await query(fixture, ALL, { 'x-ms-max-item-count': '2', 'x-ms-continuation': '' })), ['d000', 'd001']);
  });

  void it('answers 100 at most per page, and 100 when no size or an empty one is asked for', async () => {
    const fixture = hubWith(101);
    const sizes: Record<string, string>[] = [{ 'x-ms-max-item-count': '1000' }, {}, { 'x-ms-max-item-count': '' }];
    for (const headers of sizes) {
      const page = await query(fixture, ALL, headers);
      assert.deepEqual([ids(page).length, page.headers['x-ms-continuation'] !== undefined], [100, true]);
    }
  });

  void it('refuses a page size that is not a positive integer', async () => {
    const fixture = hubWith(1);
    for (const size of ['0', '-1', '2a', 'a2', '1.5']) {
      assert.equal(expectErrorResponse(await query(fixture, ALL, { 'x-ms-max-item-count': size }), 400, 'ArgumentInvalid'),
        `ErrorCode:ArgumentInvalid;x-ms-max-item-count must be a positive integer, not '${size}'.`);
    }
  });

  void it('refuses a continuation token it did not issue for this query, or whose offset was changed to no offset', async () => {
    const fixture = hubWith(3);
    const token = (await query(fixture, ALL, { 'x-ms-max-item-count': '1' })).headers['x-ms-continuation'] ?? assert.fail('a token');
    const refused = [token.slice(1), 'garbage', withOffset(token, -1), withOffset(token, 0.5), withOffset(token, '1')];
    for (const continuation of refused) {
      assert.match(expectErrorResponse(await query(fixture, ALL, { 'x-ms-continuation': continuation }), 400, 'ArgumentInvalid'), /The x-ms-continuation token is not valid for this query\.$/);
    }
    assert.match(expectErrorResponse(await query(fixture, { query: 'SELECT deviceId FROM devices' }, { 'x-ms-continuation': token }), 400, 'ArgumentInvalid'), /not valid for this query/);
    assert.deepEqual(ids(await query(fixture, ALL, { 'x-ms-continuation': withOffset(token, 0) })), ['d000', 'd001', 'd002']);
  });
});

void describe('query bodies and collections', () => {
  void it('needs a query string: none is ArgumentNull, anything else ArgumentInvalid', async () => {
    const fixture = hubWith(1);
    for (const body of [{}, { query: null }, { query: '' }, []]) {
      assert.match(expectErrorResponse(await query(fixture, body), 400, 'ArgumentNull'), /The query request must be \{"query": "<query>"\}; no query was given\.$/);
    }
    assert.match(expectErrorResponse(await query(fixture, { query: 5 }), 400, 'ArgumentInvalid'), /The query must be a string\.$/);
  });

  void it('queries module twins, and finds no jobs', async () => {
    const fixture = hubWith(1);
    fixture.registry.createModule('d000', 'm1', undefined);
    assert.deepEqual(ids(await query(fixture, { query: 'SELECT * FROM devices.modules' })), ['m1']);
    assert.deepEqual(ids(await query(fixture, { query: 'SELECT * FROM devices.jobs' })), []);
  });

  void it('needs ServiceConnect: a registryRead token is refused', async () => {
    const fixture = hubWith(1);
    const authorization = serviceToken(policyNamed(newPolicies(), 'registryRead'), { resourceUri: HOST, key: policyNamed(fixture.policies, 'registryRead').primaryKey });
    const response = await fixture.api.handle({ method: 'POST', path: '/devices/query', query: new URLSearchParams({ 'api-version': '2021-04-12' }), headers: { authorization }, body: JSON.stringify(ALL) });
    expectErrorResponse(response, 401, 'IotHubUnauthorizedAccess');
  });
});
