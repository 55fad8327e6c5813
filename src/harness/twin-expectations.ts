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

export function assertPatchCarries(received: ReceivedPatch, name: string, expected: unknown): void {
  assert.deepEqual(received.patch[name], expected, `the patch with $version ${received.version} carries '${name}'`);
}

function withoutMetadata(section: JsonObject): JsonObject {
  const { $metadata: _metadata, ...rest } = section;
  return rest;
}
