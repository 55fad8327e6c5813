import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../emulator/state/json.js';
import { mergePatch } from '../../emulator/state/merge-patch.js';

void describe('mergePatch (RFC 7396 as twins apply it)', () => {
  void it('adds and replaces top-level values', () => {
    assert.deepEqual(mergePatch({ a: 1, b: 'x' }, { b: 'y', c: true }), { a: 1, b: 'y', c: true });
  });

  void it('deletes a key patched with null, and ignores null for a key that is absent', () => {
    assert.deepEqual(mergePatch({ a: 1, b: 2 }, { a: null, z: null }), { b: 2 });
  });

  void it('merges nested objects key by key', () => {
    const target: JsonObject = { config: { rate: 5, mode: 'fast', limits: { max: 10, min: 1 } }, other: 1 };
    const patch: JsonObject = { config: { rate: 7, limits: { min: null, step: 2 } } };
    assert.deepEqual(mergePatch(target, patch), { config: { rate: 7, mode: 'fast', limits: { max: 10, step: 2 } }, other: 1 });
  });

  void it('replaces a scalar with an object, dropping nulls inside the new object', () => {
    assert.deepEqual(mergePatch({ a: 3 }, { a: { b: 1, c: null } }), { a: { b: 1 } });
  });

  void it('replaces an object with a scalar', () => {
    assert.deepEqual(mergePatch({ a: { b: 1 } }, { a: 'flat' }), { a: 'flat' });
  });

  void it('replaces arrays wholesale instead of merging them', () => {
    assert.deepEqual(mergePatch({ list: [1, 2, 3], objs: [{ a: 1 }] }, { list: [9], objs: [{ b: 2 }] }), { list: [9], objs: [{ b: 2 }] });
  });

  void it('returns the target unchanged (as a copy) for an empty patch', () => {
    const target: JsonObject = { a: { b: 1 } };
    const result = mergePatch(target, {});
    assert.deepEqual(result, target);
    assert.notEqual(result, target);
  });

  void it('never mutates the target or the patch', () => {
    const target: JsonObject = { a: { b: 1, c: [1, 2] }, d: 'keep', gone: 1 };
    const patch: JsonObject = { a: { b: null, c: [3], e: { f: 1 } }, gone: null };
    const targetBefore = structuredClone(target);
    const patchBefore = structuredClone(patch);
    mergePatch(target, patch);
    assert.deepEqual(target, targetBefore);
    assert.deepEqual(patch, patchBefore);
  });

  void it('copies patch values, so later changes to the patch do not leak into the result', () => {
    const patch = { list: [1, 2], nested: { x: 1 } };
    const result = mergePatch({}, patch);
    patch.list.push(3);
    patch.nested.x = 99;
    assert.deepEqual(result, { list: [1, 2], nested: { x: 1 } });
  });
});
