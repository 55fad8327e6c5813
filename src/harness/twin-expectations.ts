import assert from 'node:assert/strict';
import { check } from './check.js';
import type { ReceivedPatch } from '../flows/module-twin-session.js';
import type { JsonObject, TwinSnapshot } from '../flows/twin-snapshot.js';

export function assertHasProperty(section: JsonObject, name: string, expected: unknown, where: string): void {
  check(name in section, `${where} has no property '${name}': ${JSON.stringify(withoutMetadata(section))}`);
  assert.deepEqual(section[name], expected, `${where} '${name}'`);
}

export function assertLacksProperty(section: JsonObject, name: string, where: string): void {
  check(!(name in section), `${where} still has '${name}': ${JSON.stringify(withoutMetadata(section))}`);
}

export function assertVersionIncreased(before: TwinSnapshot, after: TwinSnapshot, section: 'desired' | 'reported'): void {
  const was = before[section].$version as number;
  const now = after[section].$version as number;
  check(now > was, `the ${section} $version should have gone up from ${was}, but is ${now}`);
  check((after.version ?? 0) > (before.version ?? 0), `the twin version should have gone up from ${before.version}, but is ${after.version}`);
  assert.notEqual(after.etag, before.etag, 'the twin etag should have changed');
}

/** The whole patch, compared: what changed, and the `$version` it was awaited by; nothing else (wire notes §2.1). */
export function assertPatchIsExactly(received: ReceivedPatch, changed: JsonObject): void {
  assert.deepEqual(received.patch, { ...changed, $version: received.version }, `the patch with $version ${received.version} carries only what changed`);
}

/** `received` ends with the awaited patch; no other patch came since the app connected (none it missed while offline). */
export function assertOnlyPatch(received: readonly ReceivedPatch[], changed: JsonObject): void {
  const last = received.at(-1);
  check(last !== undefined, 'the app received no desired patch');
  assert.deepEqual(received.map((patch) => patch.patch), [{ ...changed, $version: last.version }], 'the only desired patch since the app connected');
}

function withoutMetadata(section: JsonObject): JsonObject {
  const { $metadata: _metadata, ...rest } = section;
  return rest;
}
