import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessageProperties } from '../../emulator/mqtt/message-properties.js';
import type { JsonObject } from '../../emulator/state/json.js';
import { diffAsMergePatch, mergePatch } from '../../emulator/state/merge-patch.js';
import { updateMetadata } from '../../emulator/state/metadata.js';
import { applyReportedPatch, applyServicePatch, applyServiceReplace, newTwin } from '../../emulator/state/twin.js';
import { START } from './fixtures.js';

/**
 * Keys are data (issue 18): `__proto__`, `constructor` and `prototype` are legal twin property names,
 * stored and returned exactly, and no write ever reaches an object's prototype. Documents come from
 * JSON.parse, as every request body does (an object literal's `__proto__` would set the prototype).
 */
const RESERVED = '{"__proto__":{"polluted":true},"constructor":{"name":"c"},"prototype":3}';
const reserved = (): JsonObject => JSON.parse(RESERVED) as JsonObject;

function assertPlain(value: JsonObject): void {
  assert.equal(Object.getPrototypeOf(value), Object.prototype, 'a plain object, its prototype untouched');
  assert.equal(({} as { polluted?: unknown }).polluted, undefined, 'Object.prototype is not polluted');
}

void describe('reserved-word keys in the state', () => {
  void it('mergePatch stores them as keys, nested or not, and returns them exactly', () => {
    const merged = mergePatch({ a: 1 }, { nested: reserved(), ...reserved() });
    assert.equal(JSON.stringify(merged), `{"a":1,"nested":${RESERVED},"__proto__":{"polluted":true},"constructor":{"name":"c"},"prototype":3}`);
    assertPlain(merged);
    assertPlain(merged.nested as JsonObject);
  });

  void it('mergePatch merges into and deletes them like any key', () => {
    const merged = mergePatch(reserved(), JSON.parse('{"__proto__":{"more":1},"constructor":null}') as JsonObject);
    assert.equal(JSON.stringify(merged), '{"__proto__":{"polluted":true,"more":1},"prototype":3}');
  });

  void it('mergePatch does not read inherited members as stored values', () => {
    assert.equal(JSON.stringify(mergePatch({}, JSON.parse('{"constructor":{"a":1},"toString":{"b":2}}') as JsonObject)), '{"constructor":{"a":1},"toString":{"b":2}}');
  });

  void it('diffAsMergePatch sees them added, changed and removed', () => {
    assert.equal(JSON.stringify(diffAsMergePatch(reserved(), {})), '{"__proto__":null,"constructor":null,"prototype":null}');
    assert.equal(JSON.stringify(diffAsMergePatch({}, reserved())), RESERVED);
    assert.equal(JSON.stringify(diffAsMergePatch({ x: 1 }, { x: 1 })), '{}', 'inherited names are not taken for removed keys');
  });

  void it('$metadata stamps them', () => {
    const metadata = updateMetadata({ $lastUpdated: 't0' }, reserved(), { lastUpdated: 't1' });
    assert.deepEqual(Object.keys(metadata), ['$lastUpdated', '__proto__', 'constructor', 'prototype']);
    assertPlain(metadata);
  });

  void it('service PATCH and PUT, and device reported patches, keep them in values and in the desired patch', () => {
    const patched = applyServicePatch(newTwin(START), { tags: reserved(), desired: reserved() }, undefined, START);
    assert.equal(JSON.stringify(patched.twin.tags), RESERVED);
    assert.equal(JSON.stringify(patched.twin.desired.values), RESERVED);
    assert.equal(JSON.stringify(patched.desiredPatch), RESERVED);
    const replaced = applyServiceReplace(patched.twin, { desired: JSON.parse('{"prototype":4}') }, undefined, START);
    assert.equal(JSON.stringify(replaced.desiredPatch), '{"__proto__":null,"constructor":null,"prototype":4}');
    assert.equal(JSON.stringify(applyReportedPatch(newTwin(START), reserved(), START).reported.values), RESERVED);
  });

  void it('telemetry properties named __proto__ are kept as properties', () => {
    const properties = parseMessageProperties('__proto__=a&constructor=b&%24.__proto__=c');
    assert.equal(JSON.stringify(properties.application), '{"__proto__":"a","constructor":"b"}');
    assert.equal(JSON.stringify(properties.system), '{"__proto__":"c"}');
  });
});
