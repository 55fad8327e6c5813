import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJsonObject, type JsonObject, type JsonValue } from '../../emulator/state/json.js';
import { emptyMetadata, updateMetadata } from '../../emulator/state/metadata.js';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:05:00.000Z';

function child(node: JsonObject, ...path: string[]): JsonObject {
  let current: JsonValue = node;
  for (const key of path) {
    assert.ok(isJsonObject(current), `metadata at ${path.join('.')} is an object`);
    current = current[key] ?? null;
  }
  assert.ok(isJsonObject(current), `metadata node ${path.join('.')} exists`);
  return current;
}

void describe('twin $metadata', () => {
  void it('starts with a stamped root', () => {
    assert.deepEqual(emptyMetadata({ lastUpdated: T0 }), { $lastUpdated: T0 });
    assert.deepEqual(emptyMetadata({ lastUpdated: T0, lastUpdatedVersion: 1 }), { $lastUpdated: T0, $lastUpdatedVersion: 1 });
  });

  void it('stamps $lastUpdated on the root, every object and every leaf the patch touches', () => {
    const metadata = updateMetadata(emptyMetadata({ lastUpdated: T0 }), { a: 1, b: { c: 'x', d: { e: true } }, list: [1] }, { lastUpdated: T1 });
    assert.equal(metadata.$lastUpdated, T1);
    for (const path of [['a'], ['b'], ['b', 'c'], ['b', 'd'], ['b', 'd', 'e'], ['list']]) {
      assert.equal(child(metadata, ...path).$lastUpdated, T1, `$lastUpdated at ${path.join('.')}`);
    }
    assert.equal(child(metadata, 'list').$lastUpdatedVersion, undefined, 'reported metadata carries no version');
  });

  void it('adds $lastUpdatedVersion at each level for desired properties', () => {
    const metadata = updateMetadata(emptyMetadata({ lastUpdated: T0, lastUpdatedVersion: 1 }), { a: { b: 1 } }, {
      lastUpdated: T1,
      lastUpdatedVersion: 2,
    });
    assert.equal(metadata.$lastUpdatedVersion, 2);
    assert.equal(child(metadata, 'a').$lastUpdatedVersion, 2);
    assert.equal(child(metadata, 'a', 'b').$lastUpdatedVersion, 2);
  });

  void it('keeps the stamps of untouched siblings', () => {
    const first = updateMetadata(emptyMetadata({ lastUpdated: T0 }), { a: { x: 1, y: 2 } }, { lastUpdated: T0 });
    const second = updateMetadata(first, { a: { y: 3 } }, { lastUpdated: T1 });
    assert.equal(child(second, 'a', 'x').$lastUpdated, T0);
    assert.equal(child(second, 'a', 'y').$lastUpdated, T1);
    assert.equal(child(second, 'a').$lastUpdated, T1);
  });

  void it('removes the metadata of deleted keys and stamps their parent', () => {
    const first = updateMetadata(emptyMetadata({ lastUpdated: T0 }), { a: { x: 1, y: 2 }, b: 1 }, { lastUpdated: T0 });
    const second = updateMetadata(first, { a: { x: null }, b: null }, { lastUpdated: T1 });
    assert.equal('b' in second, false);
    assert.equal('x' in child(second, 'a'), false);
    assert.equal(child(second, 'a').$lastUpdated, T1);
    assert.equal(child(second, 'a', 'y').$lastUpdated, T0);
  });

  void it('replaces the children of an object that becomes a leaf', () => {
    const first = updateMetadata(emptyMetadata({ lastUpdated: T0 }), { a: { x: 1 } }, { lastUpdated: T0 });
    assert.deepEqual(child(updateMetadata(first, { a: 5 }, { lastUpdated: T1 }), 'a'), { $lastUpdated: T1 });
  });

  void it('does not mutate the metadata it is given', () => {
    const first = updateMetadata(emptyMetadata({ lastUpdated: T0 }), { a: { x: 1 } }, { lastUpdated: T0 });
    const before = structuredClone(first);
    updateMetadata(first, { a: { x: null, z: 1 } }, { lastUpdated: T1 });
    assert.deepEqual(first, before);
  });
});
