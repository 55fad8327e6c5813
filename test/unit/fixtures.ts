import assert from 'node:assert/strict';
import { HubError, type HubErrorCode } from '../../emulator/errors.js';
import { ManualClock } from '../../emulator/state/clock.js';
import type { KeyGenerator } from '../../emulator/state/keys.js';
import { defaultPolicies, type SharedAccessPolicy } from '../../emulator/state/policies.js';
import { IdentityRegistry } from '../../emulator/state/registry.js';

/** Shared fixtures for the unit tests: deterministic keys and ids, a manual clock, error assertions. */
export const HOST = 'unit-hub.azure-devices.net';
export const START = new Date('2026-01-01T00:00:00Z');
export const START_SECONDS = Math.floor(START.getTime() / 1000);

/** Distinct, valid 32-byte base64 keys: keyN is predictable so tests can name the key they expect. */
export function keyFromSeed(seed: number): string {
  return Buffer.alloc(32, seed % 256).toString('base64');
}

export function sequentialKeys(firstSeed = 1): KeyGenerator {
  let seed = firstSeed;
  return () => keyFromSeed(seed++);
}

/** A key nobody in the fixtures holds. */
export const FOREIGN_KEY = keyFromSeed(250);

export interface RegistryFixture {
  readonly clock: ManualClock;
  readonly registry: IdentityRegistry;
  readonly generatedKeys: string[];
}

export function newRegistry(): RegistryFixture {
  const clock = new ManualClock(START);
  const generatedKeys: string[] = [];
  const next = sequentialKeys(1);
  let generation = 0;
  const registry = new IdentityRegistry({
    clock,
    generateKey: () => {
      const key = next();
      generatedKeys.push(key);
      return key;
    },
    generateGenerationId: () => `gen-${++generation}`,
  });
  return { clock, registry, generatedKeys };
}

/** The default hub policies, keyed from seeds 100+ so that they never collide with identity keys. */
export function newPolicies(): SharedAccessPolicy[] {
  return defaultPolicies(sequentialKeys(100));
}

export function policyNamed(policies: readonly SharedAccessPolicy[], name: string): SharedAccessPolicy {
  const policy = policies.find((candidate) => candidate.name === name);
  assert.ok(policy, `fixture policy ${name} exists`);
  return policy;
}

/** Runs `action`, asserting that it throws a HubError with this status and code; returns the error. */
export function expectHubError(action: () => unknown, status: number, code: HubErrorCode): HubError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof HubError, `expected a HubError ${status} ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `error code (message: ${caught.message})`);
  assert.equal(caught.status, status, `status (message: ${caught.message})`);
  return caught;
}

