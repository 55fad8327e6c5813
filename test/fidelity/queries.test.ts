import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { errorCodeOf, RestFixture } from './rest-fixture.js';

/** `SELECT * FROM devices[.modules] WHERE ...` through `POST /devices/query`, as Registry.createQuery sends it. */
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

void describe('queries the emulator cannot evaluate', () => {
  for (const query of [
    'SELECT deviceId FROM devices',
    'SELECT TOP 1 * FROM devices',
    'SELECT COUNT() AS n FROM devices',
    'SELECT * FROM devices.jobs',
    "SELECT * FROM devices WHERE tags.site IN ['north']",
    "SELECT * FROM devices WHERE STARTSWITH(deviceId, 'n')",
    'SELECT * FROM devices GROUP BY tags.site',
    "SELECT * FROM devices WHERE tags.site = 'north",
  ]) {
    void it(`are refused with 400, never answered: ${query}`, async () => {
      const result = await hub.call('POST', '/devices/query', { body: { query } });
      assert.equal(result.status, 400);
      assert.equal(errorCodeOf(result), 'ArgumentInvalid');
    });
  }
});
