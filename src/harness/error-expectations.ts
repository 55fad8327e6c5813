import assert from 'node:assert/strict';
import type { BulkResult } from '../flows/device-registry.js';
import { check } from './check.js';

/** What the SDKs' errors carry: the class name, the HTTP status and body, and a bulk answer's per-device errors. */
export interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly response?: { readonly statusCode?: number };
  readonly responseBody?: unknown;
  readonly result?: BulkResult;
}

/** An error as an assertion message names it: class, status and message. */
export function describeError(error: unknown): string {
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
  check(sdkError?.name === 'InvalidEtagError' && sdkError.response?.statusCode === 412, `expected a 412 InvalidEtagError, got ${describeError(error)}`);
}

export function assertUnauthorized(error: unknown): void {
  assert.equal((error as SdkError | undefined)?.name, 'UnauthorizedError', `expected the connection to be refused as unauthorized, got ${describeError(error)}`);
}
