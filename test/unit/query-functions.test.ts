import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, idsWhere } from './query-fixtures.js';

/** The functions of "Expressions and conditions": type checks, strings, math; case-insensitive names. */
void describe('type-checking functions', () => {
  void it('IS_DEFINED is true for any value, null included', () => {
    assert.deepEqual(idsWhere('IS_DEFINED(properties.reported.firmware)'), ['north-1']);
    assert.deepEqual(idsWhere('is_defined(tags.serial)'), ['south-1']);
    assert.deepEqual(idsWhere('NOT IS_DEFINED(properties.reported.firmware)'), ['north-2', 'south-1']);
  });

  void it('IS_NULL, IS_BOOL, IS_NUMBER, IS_STRING, IS_OBJECT, IS_ARRAY and IS_PRIMITIVE test the type', () => {
    assert.deepEqual(idsWhere('IS_NULL(tags.serial)'), ['south-1']);
    assert.deepEqual(idsWhere('IS_NULL(tags.nothing)'), []);
    assert.deepEqual(idsWhere('IS_BOOL(tags.floor = 1)'), ['north-1', 'north-2', 'south-1']);
    assert.deepEqual(idsWhere('IS_BOOL(tags.floor)'), []);
    assert.deepEqual(idsWhere('IS_NUMBER(properties.reported.temperature)'), ['north-1', 'north-2']);
    assert.deepEqual(idsWhere('IS_STRING(properties.reported.firmware)'), ['north-1']);
    assert.deepEqual(idsWhere('IS_OBJECT(properties.reported.$metadata)'), ['north-1', 'north-2', 'south-1']);
    assert.deepEqual(idsWhere('IS_OBJECT(properties.reported.modes)'), []);
    assert.deepEqual(idsWhere('IS_ARRAY(properties.reported.modes)'), ['south-1']);
    assert.deepEqual(idsWhere('IS_PRIMITIVE(tags.serial) AND IS_PRIMITIVE(tags.site)'), ['south-1']);
    assert.deepEqual(idsWhere('IS_PRIMITIVE(tags)'), []);
  });

  void it('AS_NUMBER reads a number from a string', () => {
    assert.deepEqual(idsWhere("AS_NUMBER(properties.reported.firmware) = 1.2 OR AS_NUMBER('42') = 42 AND tags.floor = 2"), ['north-2']);
    assert.deepEqual(idsWhere('AS_NUMBER(tags.site) = 0'), []);
  });
});

void describe('string functions', () => {
  void it('STARTSWITH, ENDSWITH and CONTAINS test strings', () => {
    assert.deepEqual(idsWhere("STARTSWITH(deviceId, 'north')"), ['north-1', 'north-2']);
    assert.deepEqual(idsWhere("startswith(devices.deviceId, 'south')"), ['south-1']);
    assert.deepEqual(idsWhere("ENDSWITH(deviceId, '-1')"), ['north-1', 'south-1']);
    assert.deepEqual(idsWhere("CONTAINS(deviceId, 'th-2')"), ['north-2']);
    assert.deepEqual(idsWhere("STARTSWITH(tags.floor, '1')"), []);
    assert.deepEqual(idsWhere("STARTSWITH(deviceId, '-1') OR ENDSWITH(deviceId, 'north') OR CONTAINS(deviceId, 'x')"), []);
  });

  void it('LOWER, UPPER, LENGTH, CONCAT, SUBSTRING and INDEX_OF compute strings', () => {
    assert.deepEqual(idsWhere("UPPER(tags.site) = 'SOUTH'"), ['south-1']);
    assert.deepEqual(idsWhere("LOWER('NORTH') = tags.site AND tags.floor = 2"), ['north-2']);
    assert.deepEqual(idsWhere('LENGTH(properties.reported.firmware) = 5'), ['north-1']);
    assert.deepEqual(idsWhere("CONCAT(tags.site, '-', 'x') = 'south-x'"), ['south-1']);
    assert.deepEqual(idsWhere("SUBSTRING(deviceId, 0, 5) = 'south'"), ['south-1']);
    assert.deepEqual(idsWhere("SUBSTRING(deviceId, 6) = '2'"), ['north-2']);
    assert.deepEqual(idsWhere("INDEX_OF(deviceId, '-2') = 5"), ['north-2']);
    assert.deepEqual(idsWhere("INDEX_OF(deviceId, 'z') = -1"), ['north-1', 'north-2', 'south-1']);
  });
});

void describe('math functions', () => {
  void it('ABS, CEILING, FLOOR, SIGN, SQUARE, SQRT, POWER and EXP compute numbers', () => {
    assert.deepEqual(idsWhere('ABS(-tags.floor) = 2'), ['north-2']);
    assert.deepEqual(idsWhere('CEILING(properties.reported.temperature) = 22'), ['north-1']);
    assert.deepEqual(idsWhere('FLOOR(properties.reported.temperature) = 21'), ['north-1']);
    assert.deepEqual(idsWhere('SIGN(tags.floor - 2) = -1'), ['north-1', 'south-1']);
    assert.deepEqual(idsWhere('SQUARE(tags.floor) = 4'), ['north-2']);
    assert.deepEqual(idsWhere('SQRT(properties.desired.interval * 120) = 60'), ['north-1']);
    assert.deepEqual(idsWhere('POWER(tags.floor, 3) = 8'), ['north-2']);
    assert.deepEqual(idsWhere('EXP(0) = tags.floor AND tags.site = \'south\''), ['south-1']);
    assert.deepEqual(idsWhere('SQRT(-1) = 0 OR SQRT(-1) != 0'), []);
  });
});

void describe('function calls the language does not have', () => {
  void it('are refused: unknown names, wrong argument counts, aggregates outside SELECT', () => {
    assertRefused("SELECT * FROM devices WHERE STARTS_WITH(deviceId, 'n')", /the function STARTS_WITH is not part of the query language/);
    assertRefused("SELECT * FROM devices WHERE REGEXMATCH(deviceId, 'n')", /REGEXMATCH/);
    assertRefused('SELECT * FROM devices WHERE IS_DEFINED()', /IS_DEFINED takes 1 argument, not 0/);
    assertRefused("SELECT * FROM devices WHERE STARTSWITH(deviceId)", /STARTSWITH takes 2 arguments, not 1/);
    assertRefused("SELECT * FROM devices WHERE CONCAT('a')", /CONCAT takes at least 2 arguments/);
    assertRefused("SELECT * FROM devices WHERE SUBSTRING('a', 1, 2, 3) = 'a'", /SUBSTRING takes 2 to 3 arguments/);
    assertRefused('SELECT * FROM devices WHERE COUNT() > 1', /the aggregate COUNT may only be used in SELECT/);
  });
});
