import assert from 'node:assert/strict';
import type { BulkResult, DeviceDocument } from '../flows/device-registry.js';
import type { QueriedTwin } from '../flows/query-twins.js';
import type { JsonObject } from '../flows/twin-snapshot.js';
import type { ReceivedPatch } from '../flows/module-twin-session.js';
import { describeError, type SdkError } from './error-expectations.js';

/** A guarded device change is refused per device: the swagger's codes for it are PreconditionFailed and EtagDoesNotMatch. */
export function assertDeviceChangeRefused(error: unknown, deviceId: string): void {
  const errors = (error as SdkError | undefined)?.result?.errors ?? [];
  const refusal = errors.find((entry) => entry.deviceId === deviceId);
  assert.ok(refusal !== undefined && ['PreconditionFailed', 'EtagDoesNotMatch'].includes(refusal.errorCode), `expected the hub to refuse the change of '${deviceId}' for its etag, got ${describeError(error)}`);
}

export function assertDeviceStatus(device: DeviceDocument, status: string, reason?: string): void {
  assert.equal(device.status, status, `device '${device.deviceId}' status`);
  if (reason !== undefined) assert.equal(device.statusReason, reason, `device '${device.deviceId}' status reason`);
}

export function assertDeviceConnectionState(device: DeviceDocument, state: 'Connected' | 'Disconnected'): void {
  assert.equal(device.connectionState, state, `device '${device.deviceId}' connection state`);
}

export function assertBulkSucceeded(result: BulkResult | undefined): void {
  assert.ok(result?.isSuccessful === true, `expected the bulk registration to succeed, got ${JSON.stringify(result)}`);
  assert.deepEqual(result.errors, []);
}

export function assertBulkReportsExisting(result: BulkResult | undefined, deviceId: string): void {
  assert.equal(result?.isSuccessful, false, 'the bulk registration should report a failure');
  const codes = result.errors.filter((error) => error.deviceId === deviceId).map((error) => error.errorCode);
  assert.deepEqual(codes, ['DeviceAlreadyExists'], `errors reported for '${deviceId}': ${JSON.stringify(result.errors)}`);
}

export function assertFoundExactly(pages: readonly QueriedTwin[][] | undefined, deviceIds: readonly string[]): void {
  assert.ok(pages !== undefined, 'the scenario has not queried yet');
  const found = pages.flat().map((twin) => twin.deviceId).sort();
  assert.deepEqual(found, [...deviceIds].sort(), 'the devices the query found');
}

export function assertPageCount(pages: readonly QueriedTwin[][] | undefined, count: number): void {
  assert.equal(pages?.length, count, `the query results came in ${pages?.length ?? 0} pages: ${JSON.stringify(pages?.map((page) => page.length))}`);
}

export function assertNoDesiredProperties(desired: JsonObject): void {
  const keys = Object.keys(desired).filter((key) => !key.startsWith('$'));
  assert.deepEqual(keys, [], `the desired properties still hold ${JSON.stringify(keys)}`);
}

export function assertPatchRemoves(received: ReceivedPatch, names: readonly string[]): void {
  for (const name of names) assert.equal(received.patch[name], null, `the patch with $version ${received.version} removes '${name}': ${JSON.stringify(received.patch)}`);
}

export function assertRefusedAsInvalid(error: unknown): void {
  const sdkError = error as SdkError | undefined;
  assert.ok(sdkError?.name === 'ArgumentError' && sdkError.response?.statusCode === 400, `expected a 400 ArgumentError, got ${describeError(error)}`);
}

export function assertModuleGone(error: unknown): void {
  assert.equal((error as SdkError | undefined)?.response?.statusCode, 404, `expected the module to be gone (404), got ${describeError(error)}`);
}

/** Names in a step: `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
export function quotedNames(text: string): string[] {
  return [...text.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
}
