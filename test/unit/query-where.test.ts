import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRefused, idsWhere } from './query-fixtures.js';

/** WHERE: "Expressions and conditions", one clause of the grammar per case. */
void describe('comparisons', () => {
  void it('compare strings, numbers and booleans with = != <> < > <= >=', () => {
    assert.deepEqual(idsWhere("tags.site = 'north'"), ['north-1', 'north-2']);
    assert.deepEqual(idsWhere("tags.site != 'north'"), ['south-1']);
    assert.deepEqual(idsWhere("tags.site <> 'north'"), ['south-1']);
    assert.deepEqual(idsWhere('properties.desired.interval > 30'), ['north-2']);
    assert.deepEqual(idsWhere('properties.desired.interval >= 30'), ['north-1', 'north-2']);
    assert.deepEqual(idsWhere('properties.reported.temperature < 20'), ['north-2']);
    assert.deepEqual(idsWhere('properties.reported.temperature <= 21.5'), ['north-1', 'north-2']);
    assert.deepEqual(idsWhere("deviceId > 'north-2'"), ['south-1']);
  });

  void it('leave out documents where the property is missing or of another type, even under NOT', () => {
    assert.deepEqual(idsWhere("tags.floor = '1'"), []);
    assert.deepEqual(idsWhere("NOT (properties.reported.firmware = '1.2.0')"), []);
    assert.deepEqual(idsWhere('properties.desired.interval != 30'), ['north-2']);
  });

  void it('compare null only for equality, and never objects or arrays', () => {
    assert.deepEqual(idsWhere('tags.serial = null'), ['south-1']);
    assert.deepEqual(idsWhere('tags.serial != null'), []);
    assert.deepEqual(idsWhere('tags.serial < null'), []);
    assert.deepEqual(idsWhere("properties.reported.modes = ['eco']"), []);
    assert.deepEqual(idsWhere('tags = tags'), []);
  });

  void it('work on the system properties status, connectionState and lastActivityTime', () => {
    assert.deepEqual(idsWhere("status = 'disabled'"), ['north-2']);
    assert.deepEqual(idsWhere("connectionState = 'Connected'"), ['north-1']);
    assert.deepEqual(idsWhere("lastActivityTime > '2026-01-01T09:00:00Z'"), ['north-1']);
    assert.deepEqual(idsWhere("status = 'enabled' AND connectionState = 'Disconnected'"), ['south-1']);
  });

  void it('work on $version and $metadata', () => {
    assert.deepEqual(idsWhere('properties.desired.$version >= 2'), ['north-1', 'north-2']);
    assert.deepEqual(idsWhere('properties.reported.$version = 1'), ['north-1', 'north-2', 'south-1']);
    assert.deepEqual(idsWhere("properties.reported.$metadata.firmware.$lastUpdated > '2026-01-01'"), ['north-1']);
    assert.deepEqual(idsWhere('version = 2'), ['north-2']);
  });

  void it('need one comparison at a time', () => {
    assertRefused('SELECT * FROM devices WHERE tags.floor = 1 = true', /expected the end of the query/);
    assertRefused("SELECT * FROM devices WHERE tags.site == 'north'", /expected a property, a constant or a function/);
  });
});

void describe('AND, OR, NOT and parentheses', () => {
  void it('combine conditions with SQL precedence (NOT, then AND, then OR)', () => {
    assert.deepEqual(idsWhere("tags.site = 'north' AND tags.floor = 2"), ['north-2']);
    assert.deepEqual(idsWhere("tags.site = 'south' OR tags.floor = 2"), ['north-2', 'south-1']);
    assert.deepEqual(idsWhere("tags.site = 'south' OR tags.site = 'north' AND tags.floor = 2"), ['north-2', 'south-1']);
    assert.deepEqual(idsWhere("(tags.site = 'south' OR tags.site = 'north') AND tags.floor = 2"), ['north-2']);
    assert.deepEqual(idsWhere("NOT tags.site = 'north'"), ['south-1']);
    assert.deepEqual(idsWhere("not (tags.site = 'north' and tags.floor = 1)"), ['north-2', 'south-1']);
  });

  void it('are true only for true: a missing side makes AND undefined unless the other is false', () => {
    assert.deepEqual(idsWhere("properties.reported.firmware = '1.2.0' OR tags.floor = 2"), ['north-1', 'north-2']);
    assert.deepEqual(idsWhere("NOT (properties.reported.firmware = '1.2.0' AND tags.floor = 2)"), ['north-1', 'south-1']);
    assert.deepEqual(idsWhere('tags.site'), []);
    assert.deepEqual(idsWhere('true'), ['north-1', 'north-2', 'south-1']);
    assert.deepEqual(idsWhere("'true'"), []);
  });
});

void describe('IN and NIN', () => {
  void it('test membership in an array constant', () => {
    assert.deepEqual(idsWhere("deviceId IN ['north-1', 'south-1']"), ['north-1', 'south-1']);
    assert.deepEqual(idsWhere("deviceId NIN ['north-1', 'south-1']"), ['north-2']);
    assert.deepEqual(idsWhere('tags.floor IN [2, 3]'), ['north-2']);
    assert.deepEqual(idsWhere('tags.serial IN [null]'), ['south-1']);
    assert.deepEqual(idsWhere("deviceId in ['north-2']"), ['north-2']);
  });

  void it('leave out documents without the property, for NIN too', () => {
    assert.deepEqual(idsWhere("properties.reported.firmware NIN ['2.0']"), ['north-1']);
    assert.deepEqual(idsWhere("tags NIN ['x']"), []);
  });

  void it('need a bracketed array of constants', () => {
    assertRefused("SELECT * FROM devices WHERE deviceId IN ('a', 'b')", /IN needs an array constant/);
    assertRefused('SELECT * FROM devices WHERE deviceId IN [tags.site]', /only constants/);
    assertRefused('SELECT * FROM devices WHERE deviceId IN []', /only constants/);
    assertRefused("SELECT * FROM devices WHERE deviceId NIN 'a'", /NIN needs an array constant/);
  });
});

void describe('arithmetic', () => {
  void it('computes with + - * / % and unary minus on numbers, and is undefined otherwise', () => {
    assert.deepEqual(idsWhere('properties.desired.interval / 30 = 2'), ['north-2']);
    assert.deepEqual(idsWhere('tags.floor * 10 + 5 = 25'), ['north-2']);
    assert.deepEqual(idsWhere('tags.floor - 1 = 0'), ['north-1', 'south-1']);
    assert.deepEqual(idsWhere('tags.floor % 2 = 0'), ['north-2']);
    assert.deepEqual(idsWhere('-tags.floor = -2'), ['north-2']);
    assert.deepEqual(idsWhere("tags.site + 'x' = 'northx'"), []);
    assert.deepEqual(idsWhere('tags.floor / 0 = 1'), []);
  });

  void it('reads decimal, exponent and hexadecimal numbers', () => {
    assert.deepEqual(idsWhere('properties.reported.temperature = 2.15e1'), ['north-1']);
    assert.deepEqual(idsWhere('properties.desired.interval = 0x3C'), ['north-2']);
  });
});

void describe('properties', () => {
  void it('escape a keyword as a property name with [[...]] (the docs: group)', () => {
    assert.deepEqual(idsWhere("tags.[[group]] = 'a'"), ['north-1']);
    assertRefused("SELECT * FROM devices WHERE tags.group = 'a'", /'group' is a keyword; write a property of that name as \[\[group\]\]/);
  });

  void it('read a - between names as a minus: a name with one is written [[...]]', () => {
    assert.deepEqual(idsWhere('tags.my-tag = 1'), []);
    assert.deepEqual(idsWhere("tags.[[site]] = 'south'"), ['south-1']);
  });

  void it('are not indexed like arrays (not in the documented grammar)', () => {
    assertRefused("SELECT * FROM devices WHERE properties.reported.modes[0] = 'eco'", /array indexing/);
  });
});

void describe('constants', () => {
  void it('take single or double quotes and the escapes \\\' \\" \\\\ \\uXXXX, nothing else', () => {
    assert.deepEqual(idsWhere('tags.site = "north" AND tags.floor = 2'), ['north-2']);
    assert.deepEqual(idsWhere("tags.site = 'n\\u006frth' AND tags.floor = 2"), ['north-2']);
    assert.deepEqual(idsWhere("'it\\'s' = \"it's\" AND tags.floor = 2"), ['north-2']);
    assertRefused("SELECT * FROM devices WHERE tags.site = 'north\\n'", /the escape '\\n' is not allowed/);
    assertRefused("SELECT * FROM devices WHERE tags.site = 'north", /a string is not terminated/);
  });

  void it('include undefined, which nothing equals', () => {
    assert.deepEqual(idsWhere('tags.nothing = undefined'), []);
  });
});
