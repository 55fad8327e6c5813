import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, DEVICES, MODULES, rows, run } from './query-fixtures.js';

/** SELECT and FROM: what each row of the answer is ("SELECT clause", "FROM clause"). */
void describe('SELECT *', () => {
  void it('answers the whole documents, in the collection order, as twins', () => {
    const answer = run('SELECT * FROM devices');
    assert.deepEqual(answer.items, DEVICES);
    assert.equal(answer.itemType, 'Twin');
  });

  void it('takes keywords in any case', () => {
    assert.deepEqual(rows('select * from DEVICES'), DEVICES);
  });
});

void describe('projections', () => {
  void it('make one object per document with the selected properties, named by their last name', () => {
    const answer = run("SELECT deviceId, properties.reported.temperature FROM devices WHERE tags.site = 'north'");
    assert.deepEqual(answer.items, [
      { deviceId: 'north-1', temperature: 21.5 },
      { deviceId: 'north-2', temperature: 19 },
    ]);
    assert.equal(answer.itemType, 'Raw');
  });

  void it('name a property with AS', () => {
    assert.deepEqual(rows("SELECT deviceId AS id, tags.site AS where FROM devices WHERE tags.floor = 2"), [{ id: 'north-2', where: 'north' }]);
  });

  void it('leave out what a document lacks, down to an empty object', () => {
    assert.deepEqual(rows('SELECT properties.reported.firmware FROM devices'), [{ firmware: '1.2.0' }, {}, {}]);
  });

  void it('select objects, arrays and null as they are', () => {
    assert.deepEqual(rows("SELECT tags, properties.reported.modes, tags.serial FROM devices WHERE deviceId = 'south-1'"), [
      { tags: { site: 'south', floor: 1, serial: null }, modes: ['eco'], serial: null },
    ]);
  });

  void it("match names in any case and answer the document's spelling (the docs' SELECT DeviceId, LastActivityTime)", () => {
    assert.deepEqual(rows("SELECT DeviceId, LastActivityTime FROM devices WHERE status = 'enabled' AND connectionState = 'Disconnected'"), [
      { deviceId: 'south-1', lastActivityTime: '0001-01-01T00:00:00Z' },
    ]);
  });

  void it('select $version and $metadata like any other property', () => {
    assert.deepEqual(rows("SELECT properties.desired.$version AS v, properties.reported.$metadata.firmware.$lastUpdated AS at FROM devices WHERE deviceId = 'north-1'"), [
      { v: 3, at: '2026-01-02T00:00:00Z' },
    ]);
  });

  void it('accept properties qualified with the collection name', () => {
    assert.deepEqual(rows("SELECT devices.deviceId FROM devices WHERE devices.tags.floor = 2"), [{ deviceId: 'north-2' }]);
    assert.deepEqual(rows("SELECT devices.modules.moduleId FROM devices.modules WHERE devices.modules.deviceId = 'south-1'", MODULES), [
      { moduleId: 'sensor' },
      { moduleId: 'camera' },
    ]);
  });

  void it('refuse a name given twice, anything but properties and aggregates, and a bare alias', () => {
    assertRefused('SELECT tags.site, properties.reported.site FROM devices', /names 'site' twice/);
    assertRefused('SELECT deviceId AS a, tags.site AS A FROM devices', /twice/);
    assertRefused('SELECT UPPER(deviceId) AS id FROM devices', /only properties and the aggregates/);
    assertRefused("SELECT 'text' AS t FROM devices", /expected a property name/);
    assertRefused('SELECT deviceId id FROM devices', /expected FROM/);
    assertRefused('SELECT *, deviceId FROM devices', /expected FROM/);
    assertRefused('SELECT deviceId AS FROM devices', /AS needs a name|expected FROM/);
  });
});

void describe('TOP', () => {
  void it('keeps the first rows', () => {
    assert.deepEqual(rows('SELECT TOP 2 deviceId FROM devices'), [{ deviceId: 'north-1' }, { deviceId: 'north-2' }]);
    assert.deepEqual(rows('SELECT TOP 1 * FROM devices WHERE tags.floor = 1'), [DEVICES[0]]);
    assert.deepEqual(rows('SELECT TOP 10 deviceId FROM devices').length, 3);
    assert.deepEqual(rows('SELECT TOP 0 * FROM devices'), []);
  });

  void it('needs a whole number', () => {
    assertRefused('SELECT TOP 1.5 * FROM devices', /TOP needs a whole number/);
    assertRefused('SELECT TOP -1 * FROM devices', /TOP needs a whole number/);
    assertRefused('SELECT TOP * FROM devices', /TOP needs a whole number/);
  });
});

void describe('FROM', () => {
  void it('queries devices.modules as module twins', () => {
    const answer = run("SELECT * FROM devices.modules WHERE moduleId = 'sensor'", MODULES);
    assert.deepEqual(answer.items.map((row) => (row as { deviceId: string }).deviceId), ['north-1', 'south-1']);
    assert.equal(answer.itemType, 'Twin');
  });

  void it('queries devices.jobs with SELECT * only', () => {
    assert.deepEqual(run("SELECT * FROM devices.jobs WHERE devices.jobs.deviceId = 'north-1'", []), { items: [], itemType: 'DeviceJob' });
    assertRefused('SELECT jobId FROM devices.jobs', /devices\.jobs only support SELECT \*/);
    assertRefused('SELECT COUNT() AS n FROM devices.jobs', /devices\.jobs only support SELECT \*/);
  });

  void it('knows only those three collections', () => {
    assertRefused('SELECT * FROM modules', /FROM must name devices, devices.modules or devices.jobs/);
    assertRefused('SELECT * FROM devices.twins', /not 'devices.twins'/);
    assertRefused('SELECT * FROM c', /FROM must name/);
    assertRefused('SELECT *', /expected FROM/);
  });
});
