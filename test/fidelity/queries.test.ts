import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { errorCodeOf, RestFixture } from './rest-fixture.js';

/**
 * The query language through `POST /devices/query`, as Registry.createQuery sends it: filters, result
 * shapes, item types, paging and the hub's 400s. The official SDK's side is registry-sdk.test.ts.
 */
const hub = new RestFixture();

async function ids(query: string, field: 'deviceId' | 'moduleId' = 'deviceId'): Promise<string[]> {
  const result = await hub.call('POST', '/devices/query', { body: { query } });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return (result.body as Record<string, string>[]).map((twin) => twin[field] ?? '');
}

before(async () => {
  const twins: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['north-1', { site: 'north', floor: 1 }, { interval: 30 }],
    ['north-2', { site: 'north', floor: 2 }, { interval: 60 }],
    ['south-1', { site: 'south', floor: 1 }, {}],
    ['untagged', {}, {}],
  ];
  for (const [id, tags, desired] of twins) {
    await hub.call('PUT', `/devices/${id}`, { body: {} });
    await hub.call('PATCH', `/twins/${id}`, { body: { tags, properties: { desired } }, headers: { 'if-match': '*' } });
  }
  hub.registry.patchReported({ deviceId: 'north-1' }, { firmware: '1.2.0' });
  await hub.call('PUT', '/devices/north-1/modules/sensor', { body: {} });
  await hub.call('PUT', '/devices/south-1/modules/sensor', { body: {} });
  await hub.call('PUT', '/devices/south-1/modules/camera', { body: {} });
});

void describe('device queries', () => {
  void it('filter on ids, tags, desired and reported properties', async () => {
    assert.deepEqual(await ids('SELECT * FROM devices'), ['north-1', 'north-2', 'south-1', 'untagged']);
    assert.deepEqual(await ids("SELECT * FROM devices WHERE deviceId = 'south-1'"), ['south-1']);
    assert.deepEqual(await ids("select * from devices where tags.site = 'north'"), ['north-1', 'north-2']);
    assert.deepEqual(await ids("SELECT * FROM devices WHERE tags.site != 'north'"), ['south-1']);
    assert.deepEqual(await ids('SELECT * FROM devices WHERE properties.desired.interval > 30'), ['north-2']);
    assert.deepEqual(await ids('SELECT * FROM devices WHERE tags.floor < 2 AND tags.site = "south"'), ['south-1']);
    assert.deepEqual(await ids("SELECT * FROM devices WHERE properties.reported.firmware = '1.2.0' OR tags.floor = 2"), ['north-1', 'north-2']);
    assert.deepEqual(await ids('SELECT * FROM devices WHERE IS_DEFINED(tags.site) AND NOT (tags.floor = 1)'), ['north-2']);
    assert.deepEqual(await ids('SELECT * FROM devices WHERE NOT IS_DEFINED(tags.site)'), ['untagged']);
  });

  void it('leave out documents where the property is missing or of another type, even under NOT', async () => {
    assert.deepEqual(await ids("SELECT * FROM devices WHERE NOT (tags.site = 'north')"), ['south-1']);
    assert.deepEqual(await ids("SELECT * FROM devices WHERE tags.floor = '1'"), []);
  });
});

void describe('module queries', () => {
  void it('filter on device and module ids', async () => {
    assert.deepEqual(await ids("SELECT * FROM devices.modules WHERE moduleId = 'sensor'", 'moduleId'), ['sensor', 'sensor']);
    assert.deepEqual(await ids("SELECT * FROM devices.modules WHERE deviceId = 'south-1'", 'moduleId'), ['sensor', 'camera']);
  });
});

void describe('paging', () => {
  void it('returns pages of x-ms-max-item-count with a continuation, and none on the last page', async () => {
    const seen: string[] = [];
    let continuation: string | undefined;
    let pages = 0;
    do {
      const headers: Record<string, string> = { 'x-ms-max-item-count': '3', ...(continuation === undefined ? {} : { 'x-ms-continuation': continuation }) };
      const page = await hub.call('POST', '/devices/query', { body: { query: 'SELECT * FROM devices' }, headers });
      seen.push(...(page.body as { deviceId: string }[]).map((twin) => twin.deviceId));
      continuation = page.headers['x-ms-continuation'];
      pages++;
    } while (continuation !== undefined && pages < 10);
    assert.equal(pages, 2);
    assert.deepEqual(seen, ['north-1', 'north-2', 'south-1', 'untagged']);
  });

  void it('refuses a continuation token from another query', async () => {
    const first = await hub.call('POST', '/devices/query', { body: { query: 'SELECT * FROM devices' }, headers: { 'x-ms-max-item-count': '1' } });
    const token = first.headers['x-ms-continuation'] ?? '';
    const other = await hub.call('POST', '/devices/query', { body: { query: "SELECT * FROM devices WHERE tags.site = 'north'" }, headers: { 'x-ms-continuation': token } });
    assert.equal(other.status, 400);
  });
});

void describe('projections and aggregates', () => {
  async function query(text: string, headers: Record<string, string> = {}): Promise<{ rows: unknown[]; itemType: string | undefined; continuation: string | undefined }> {
    const result = await hub.call('POST', '/devices/query', { body: { query: text }, headers });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    return { rows: result.body as unknown[], itemType: result.headers['x-ms-item-type'], continuation: result.headers['x-ms-continuation'] };
  }

  void it('answer projected objects and aggregate rows, typed Raw; whole twins are typed Twin', async () => {
    assert.deepEqual(await query("SELECT deviceId, tags.floor AS floor FROM devices WHERE tags.site = 'north'"), {
      rows: [{ deviceId: 'north-1', floor: 1 }, { deviceId: 'north-2', floor: 2 }], itemType: 'Raw', continuation: undefined,
    });
    assert.deepEqual((await query('SELECT COUNT() AS n FROM devices')).rows, [{ n: 4 }]);
    assert.deepEqual((await query('SELECT tags.site AS site, COUNT() AS n FROM devices GROUP BY tags.site')).rows, [{ site: 'north', n: 2 }, { site: 'south', n: 1 }, { n: 1 }]);
    assert.equal((await query('SELECT * FROM devices')).itemType, 'Twin');
  });

  void it('read the twin as GET /twins returns it: $version, $metadata, status, connectionState', async () => {
    const rows = (await query("SELECT properties.desired.$version AS v, properties.reported.$metadata.firmware.$lastUpdated AS at, status, connectionState FROM devices WHERE deviceId = 'north-1'")).rows;
    assert.deepEqual(rows, [{ v: 2, at: '2026-01-01T00:00:00.000Z', status: 'enabled', connectionState: 'Disconnected' }]);
  });

  void it('page projections and TOP like twins', async () => {
    const first = await query('SELECT TOP 3 deviceId FROM devices', { 'x-ms-max-item-count': '2' });
    assert.deepEqual(first.rows, [{ deviceId: 'north-1' }, { deviceId: 'north-2' }]);
    assert.ok(first.continuation !== undefined);
    const second = await query('SELECT TOP 3 deviceId FROM devices', { 'x-ms-max-item-count': '2', 'x-ms-continuation': first.continuation });
    assert.deepEqual(second, { rows: [{ deviceId: 'south-1' }], itemType: 'Raw', continuation: undefined });
  });

  void it('answer devices.jobs with no jobs (the emulator runs none)', async () => {
    assert.deepEqual(await query("SELECT * FROM devices.jobs WHERE devices.jobs.deviceId = 'north-1'"), { rows: [], itemType: 'DeviceJob', continuation: undefined });
  });

  void it('count every device, past the 1000 a registry listing stops at', async () => {
    const many = new RestFixture();
    for (let index = 0; index < 1005; index++) many.registry.createDevice(`d${index}`, undefined);
    const result = await many.call('POST', '/devices/query', { body: { query: 'SELECT COUNT() AS n FROM devices' } });
    assert.deepEqual(result.body, [{ n: 1005 }]);
  });
});

void describe('queries the hub refuses', () => {
  for (const query of [
    'SELECT deviceId, COUNT() AS n FROM devices',
    'SELECT * FROM devices GROUP BY tags.site',
    'SELECT deviceId FROM devices.jobs',
    "SELECT * FROM devices WHERE tags.site IN ('north')",
    "SELECT * FROM devices WHERE NO_SUCH_FUNCTION(deviceId, 'n')",
    "SELECT * FROM devices WHERE tags.group = 'a'",
    "SELECT * FROM devices WHERE tags.site = 'north",
    `SELECT * FROM devices WHERE tags.site = '${'x'.repeat(8192)}'`,
    'SELECT * FROM devices ORDER BY deviceId',
  ]) {
    void it(`with 400 ArgumentInvalid: ${query.slice(0, 80)}`, async () => {
      const result = await hub.call('POST', '/devices/query', { body: { query } });
      assert.equal(result.status, 400);
      assert.equal(errorCodeOf(result), 'ArgumentInvalid');
      assert.equal(result.headers['iothub-errorcode'], 'ArgumentInvalid');
    });
  }

  void it('a request without a query with 400 ArgumentNull, and a query that is not a string with ArgumentInvalid', async () => {
    for (const body of [{}, { query: '' }, { query: null }, { sql: 'SELECT * FROM devices' }]) {
      const result = await hub.call('POST', '/devices/query', { body });
      assert.equal(result.status, 400, JSON.stringify(body));
      assert.equal(errorCodeOf(result), 'ArgumentNull', JSON.stringify(body));
    }
    assert.equal(errorCodeOf(await hub.call('POST', '/devices/query', { body: { query: 42 } })), 'ArgumentInvalid');
  });
});
