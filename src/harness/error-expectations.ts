import assert from 'node:assert/strict';
import { check } from './check.js';

interface SdkError {
  name?: string;
  message?: string;
  response?: { statusCode?: number };
}

function describe(error: unknown): string {
  if (error === undefined) return 'no error at all';
  const sdkError = error as SdkError;
  return `${sdkError.name ?? 'Error'} (${sdkError.response?.statusCode ?? 'no status'}): ${sdkError.message ?? JSON.stringify(error)}`;
}

/**
 * The SDKs' error classes and HTTP statuses are asserted, not message texts: the hub has two error
 * envelopes and the Node SDK renders one of them poorly (wire notes §3, "Errors").
 */
export function assertEtagRefused(error: unknown): void {
  const sdkError = error as SdkError | undefined;
  check(sdkError?.name === 'InvalidEtagError' && sdkError.response?.statusCode === 412, `expected a 412 InvalidEtagError, got ${describe(error)}`);
}

export function assertUnauthorized(error: unknown): void {
  assert.equal((error as SdkError | undefined)?.name, 'UnauthorizedError', `expected the connection to be refused as unauthorized, got ${describe(error)}`);
}
