import assert from 'node:assert/strict';
import type { DirectMethodResult } from '../flows/invoke-direct-method.js';
import { describeError, type SdkError } from './error-expectations.js';

/** `attempt` is the scenario's last attempt: the method's result, or the error the back end got instead. */
export function assertMethodAnswered(attempt: { readonly result: unknown; readonly error: unknown }, status: number, payload: unknown): void {
  assert.ok(attempt.result !== undefined, `expected the device's answer, got ${describeError(attempt.error)}`);
  assert.deepEqual(attempt.result, { status, payload } satisfies DirectMethodResult);
}

/** 404 with the hub's DeviceNotOnline code (404103); the SDK has no error class for it, only the status. */
export function assertNotOnline(error: unknown): void {
  const sdkError = error as SdkError | undefined;
  assert.equal(sdkError?.response?.statusCode, 404, `expected 404 DeviceNotOnline, got ${describeError(error)}`);
  assert.match(String(sdkError.responseBody), /DeviceNotOnline|404103/, 'the error names DeviceNotOnline');
}

export function assertTimedOut(error: unknown): void {
  const sdkError = error as SdkError | undefined;
  assert.equal(sdkError?.name, 'GatewayTimeoutError', `expected a 504 GatewayTimeoutError, got ${describeError(error)}`);
  assert.equal(sdkError.response?.statusCode, 504);
}

export function assertAccepted(error: unknown): void {
  assert.equal(error, undefined, `expected the hub to accept it, got ${describeError(error)}`);
}

/** Over MQTT the SDK raises a plain Error carrying the hub's message (wire notes §2.1). */
export function assertReportRefused(error: unknown): void {
  assert.ok(error instanceof Error, `expected the report to be refused, got ${describeError(error)}`);
  assert.match(error.message, /property name|not valid|too|exceeds|nested/i, 'the refusal says what was wrong');
}
