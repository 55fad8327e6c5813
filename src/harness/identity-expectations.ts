import assert from 'node:assert/strict';
import { check } from './check.js';
import type { ModuleIdentity } from '../flows/create-module-identity.js';

function last(registrations: readonly ModuleIdentity[], fromEnd = 1): ModuleIdentity {
  const registration = registrations[registrations.length - fromEnd];
  check(registration !== undefined, `expected at least ${fromEnd} registration(s), found ${registrations.length}`);
  return registration;
}

export function assertRegistered(registrations: readonly ModuleIdentity[], expected: { created: boolean }): void {
  const { deviceCreated, moduleCreated } = last(registrations);
  assert.deepEqual({ deviceCreated, moduleCreated }, { deviceCreated: expected.created, moduleCreated: expected.created });
}

/** Hub-generated SAS keys are base64 of 32 random bytes on the hub; any 16-64 bytes is valid. */
export function assertHubGeneratedKeys(registrations: readonly ModuleIdentity[]): void {
  const { primaryKey, secondaryKey } = last(registrations);
  for (const [which, key] of [['primary', primaryKey], ['secondary', secondaryKey]] as const) {
    const bytes = Buffer.from(key, 'base64').length;
    check(bytes >= 16 && bytes <= 64, `the ${which} key should be base64 of 16-64 bytes, got ${bytes} bytes`);
  }
  assert.notEqual(primaryKey, secondaryKey, 'the primary and secondary keys should differ');
}

export function assertSameKeysAsBefore(registrations: readonly ModuleIdentity[]): void {
  const [latest, earlier] = [last(registrations), last(registrations, 2)];
  check(latest.primaryKey === earlier.primaryKey && latest.secondaryKey === earlier.secondaryKey, 'the keys returned the second time differ from the first');
}
