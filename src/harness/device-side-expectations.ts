import assert from 'node:assert/strict';
import type { DirectMethodResult } from '../flows/invoke-direct-method.js';

interface HttpError {
  readonly name?: string;
  readonly message?: string;
  readonly response?: { readonly statusCode?: number };
  readonly responseBody?: unknown;
}

function describe(error: unknown): string {
  if (error === undefined) return 'no error at all';
  const httpError = error as HttpError;
  return `${httpError.name ?? 'Error'} (${httpError.response?.statusCode ?? 'no status'}): ${httpError.message ?? JSON.stringify(error)}`;
}

export function assertMethodAnswered(result: DirectMethodResult | undefined, error: unknown, status: number, payload: unknown): void {
  assert.ok(result !== undefined, `expected the device's answer, got ${describe(error)}`);
  assert.deepEqual(result, { status, payload });
}

/** 404 with the hub's DeviceNotOnline code (404103); the SDK has no error class for it, only the status. */
export function assertNotOnline(error: unknown): void {
  const httpError = error as HttpError | undefined;
  assert.equal(httpError?.response?.statusCode, 404, `expected 404 DeviceNotOnline, got ${describe(error)}`);
  assert.match(String(httpError.responseBody), /DeviceNotOnline|404103/, 'the error names DeviceNotOnline');
}

export function assertTimedOut(error: unknown): void {
  const httpError = error as HttpError | undefined;
  assert.equal(httpError?.name, 'GatewayTimeoutError', `expected a 504 GatewayTimeoutError, got ${describe(error)}`);
  assert.equal(httpError.response?.statusCode, 504);
}

export function assertAccepted(error: unknown): void {
  assert.equal(error, undefined, `expected the hub to accept it, got ${describe(error)}`);
}

export function assertRefusedAsUnauthorized(error: unknown): void {
  assert.equal((error as HttpError | undefined)?.name, 'UnauthorizedError', `expected the connection to be refused as unauthorized, got ${describe(error)}`);
}

/** Over MQTT the SDK raises a plain Error carrying the hub's message (wire notes §2.1). */
export function assertReportRefused(error: unknown): void {
  assert.ok(error instanceof Error, `expected the report to be refused, got ${describe(error)}`);
  assert.match(error.message, /property name|not valid|too|exceeds|nested/i, 'the refusal says what was wrong');
}
