import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, MODULES, rows, run } from './query-fixtures.js';

/** Aggregates and GROUP BY ("SELECT clause", "GROUP BY clause"). */
void describe('aggregates without GROUP BY', () => {
  void it("answer one row (the docs' SELECT COUNT() as totalNumberOfDevices)", () => {
    const answer = run('SELECT COUNT() as totalNumberOfDevices FROM devices');
    assert.deepEqual(answer.items, [{ totalNumberOfDevices: 3 }]);
    assert.equal(answer.itemType, 'Raw');
    assert.deepEqual(rows("SELECT COUNT() AS n FROM devices WHERE tags.site = 'nowhere'"), [{ n: 0 }]);
    assert.deepEqual(rows("SELECT COUNT() AS n FROM devices.modules WHERE deviceId = 'south-1'", MODULES), [{ n: 2 }]);
  });

  void it('SUM and AVG add the numbers, MIN and MAX order the primitives', () => {
    assert.deepEqual(rows('SELECT SUM(tags.floor) AS floors, AVG(properties.reported.temperature) AS mean, MIN(deviceId) AS first, MAX(tags.floor) AS top FROM devices'), [
      { floors: 4, mean: 20.25, first: 'north-1', top: 2 },
    ]);
  });

  void it('skip what is missing or not a number: SUM of nothing is 0, AVG, MIN and MAX of nothing are left out', () => {
    assert.deepEqual(rows('SELECT SUM(tags.site) AS s, AVG(tags.nothing) AS a, MIN(tags.nothing) AS lo, MAX(tags) AS hi FROM devices'), [{ s: 0 }]);
  });

  void it('name an aggregate without AS by its position', () => {
    assert.deepEqual(rows('SELECT COUNT(), MAX(tags.floor) AS top FROM devices'), [{ $1: 3, top: 2 }]);
  });

  void it('cannot be mixed with properties without GROUP BY', () => {
    assertRefused('SELECT deviceId, COUNT() AS n FROM devices', /can only add the GROUP BY property/);
    assertRefused('SELECT COUNT(deviceId) AS n FROM devices', /expected '\)'/);
    assertRefused('SELECT SUM() AS n FROM devices', /expected a property name/);
    assertRefused('SELECT SUM(tags.floor + 1) AS n FROM devices', /expected '\)'/);
  });
});

void describe('GROUP BY', () => {
  void it("makes one row per value, in the order values first appear (the docs' telemetryConfig.status example)", () => {
    const answer = run('SELECT properties.reported.status AS status, COUNT() AS numberOfDevices FROM devices GROUP BY properties.reported.status');
    assert.deepEqual(answer.items, [
      { status: 'Success', numberOfDevices: 2 },
      { status: 'Pending', numberOfDevices: 1 },
    ]);
    assert.equal(answer.itemType, 'Raw');
  });

  void it('puts documents without the property in a group of their own, whose row lacks it', () => {
    assert.deepEqual(rows('SELECT properties.reported.firmware AS firmware, COUNT() AS n FROM devices GROUP BY properties.reported.firmware'), [
      { firmware: '1.2.0', n: 1 },
      { n: 2 },
    ]);
  });

  void it('aggregates within each group, after WHERE, with TOP on the rows', () => {
    assert.deepEqual(rows('SELECT tags.site, MAX(tags.floor) AS highest, AVG(properties.desired.interval) AS interval FROM devices GROUP BY tags.site'), [
      { site: 'north', highest: 2, interval: 45 },
      { site: 'south', highest: 1 },
    ]);
    assert.deepEqual(rows("SELECT tags.site, COUNT() AS n FROM devices WHERE status = 'enabled' GROUP BY tags.site"), [
      { site: 'north', n: 1 },
      { site: 'south', n: 1 },
    ]);
    assert.deepEqual(rows('SELECT TOP 1 tags.site, COUNT() AS n FROM devices GROUP BY tags.site'), [{ site: 'north', n: 2 }]);
    assert.deepEqual(rows('SELECT COUNT() AS n FROM devices GROUP BY tags.site'), [{ n: 2 }, { n: 1 }]);
    assert.deepEqual(rows('SELECT TAGS.SITE FROM devices GROUP BY tags.site'), [{ site: 'north' }, { site: 'south' }]);
  });

  void it('groups module twins too', () => {
    assert.deepEqual(rows('SELECT moduleId, COUNT() AS n FROM devices.modules GROUP BY moduleId', MODULES), [
      { moduleId: 'sensor', n: 2 },
      { moduleId: 'camera', n: 1 },
    ]);
  });

  void it('takes one property, projected only as itself, and never SELECT * or devices.jobs', () => {
    assertRefused('SELECT * FROM devices GROUP BY tags.site', /GROUP BY needs a projection of aggregates/);
    assertRefused('SELECT deviceId, COUNT() AS n FROM devices GROUP BY tags.site', /'deviceId' is neither an aggregate nor the GROUP BY property 'tags.site'/);
    assertRefused('SELECT tags.site, COUNT() AS n FROM devices GROUP BY tags.site, tags.floor', /GROUP BY takes one property/);
    assertRefused('SELECT COUNT() AS n FROM devices GROUP tags.site', /expected BY/);
    assertRefused('SELECT * FROM devices.jobs GROUP BY deviceId', /GROUP BY needs a projection|devices\.jobs/);
    assertRefused('SELECT COUNT() AS n FROM devices GROUP BY tags.site WHERE tags.floor = 1', /expected the end of the query/);
  });
});
