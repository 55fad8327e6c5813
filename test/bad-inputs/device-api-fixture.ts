import assert from 'node:assert/strict';
import type { HubErrorCode } from '../../emulator/errors.js';
import { takesBinaryBody } from '../../emulator/rest/device-telemetry.js';
import type { RestResponse } from '../../emulator/rest/http-types.js';
import { RestApi } from '../../emulator/rest/router.js';
import { CloudToDeviceQueues } from '../../emulator/state/cloud-to-device.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { defaultPolicies, type SharedAccessPolicy } from '../../emulator/state/policies.js';
import { IdentityRegistry } from '../../emulator/state/registry.js';
import type { RegistryChange } from '../../emulator/state/registry-changes.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { TelemetryBuffer } from '../../emulator/state/telemetry.js';

export const HOST = 'device-api.azure-devices.net';
const START = new Date('2026-01-01T00:00:00Z');
export const NOW_SECONDS = Math.floor(START.getTime() / 1000);

/**
 * A RestApi with the device API's state: devices d1 (with module m1), d2 and a disabled d-off, a
 * telemetry buffer, and d1's queue holding one message, locked with `lockToken` as a receive left it.
 */
export interface DeviceApiBench {
  readonly api: RestApi;
  readonly registry: IdentityRegistry;
  readonly policies: readonly SharedAccessPolicy[];
  readonly telemetry: TelemetryBuffer;
  readonly queues: CloudToDeviceQueues;
  readonly lockToken: string;
  readonly notified: RegistryChange[];
}

export function newDeviceApiBench(): DeviceApiBench {
  let seed = 1;
  const key = (): string => Buffer.alloc(32, seed++).toString('base64');
  const clock = new ManualClock(START);
  const registry = new IdentityRegistry({ clock, generateKey: key, generateGenerationId: () => `gen-${seed}` });
  const policies = defaultPolicies(key);
  const telemetry = new TelemetryBuffer();
  let locks = 0;
  const queues = new CloudToDeviceQueues({ clock, registry, generateLockToken: () => `lock-${++locks}` });
  for (const deviceId of ['d1', 'd2', 'd-off']) registry.createDevice(deviceId, undefined);
  registry.createModule('d1', 'm1', undefined);
  registry.updateDevice({ deviceId: 'd-off', status: 'disabled' }, '*');
  queues.enqueue({
    deviceId: 'd1', messageId: 'c2d-1', correlationId: undefined, userId: undefined, contentType: undefined, contentEncoding: undefined,
    ack: 'full', expiresAt: START.getTime() + 3_600_000, enqueuedTime: START.toISOString(), body: Buffer.from('held'), applicationProperties: {},
  });
  const lockToken = queues.lockNext('d1')?.lockToken ?? '';
  const api = new RestApi({ hostName: HOST, registry, policies, clock, cloudToDevice: queues, telemetry });
  const notified: RegistryChange[] = [];
  registry.changes.subscribe((change) => notified.push(change));
  return { api, registry, policies, telemetry, queues, lockToken, notified };
}

export interface TokenInit {
  readonly deviceId?: string;
  readonly moduleId?: string;
  readonly key?: string;
  readonly expiry?: number;
  readonly resourceUri?: string;
}

/** An identity's own token (d1 unless told), signed with its primary key unless `key` is given. */
export function identityToken(bench: DeviceApiBench, init: TokenInit = {}): string {
  const deviceId = init.deviceId ?? 'd1';
  const identity = init.moduleId === undefined ? { deviceId } : { deviceId, moduleId: init.moduleId };
  const record = bench.registry.findIdentity(identity);
  const resource = `${HOST}/devices/${deviceId}${init.moduleId === undefined ? '' : `/modules/${init.moduleId}`}`;
  return createSasToken({ resourceUri: init.resourceUri ?? resource, base64Key: init.key ?? record?.keys.primaryKey ?? '', expiry: init.expiry ?? NOW_SECONDS + 3600 });
}

/** A policy's token for the whole hub. */
export function policyToken(bench: DeviceApiBench, policyName: string): string {
  const policy = bench.policies.find((candidate) => candidate.name === policyName);
  assert.ok(policy, `policy ${policyName} exists`);
  return createSasToken({ resourceUri: HOST, base64Key: policy.primaryKey, keyName: policy.name, expiry: NOW_SECONDS + 3600 });
}

export interface DeviceApiCall {
  readonly method: string;
  readonly path: string;
  /** undefined: d1's own token; null: no header; a function: built from the bench. */
  readonly authorization?: null | ((bench: DeviceApiBench) => string);
  readonly contentType?: string;
  readonly body?: string | Buffer;
  /** undefined: `api-version=2021-04-12`; a string: the whole query. */
  readonly query?: string;
}

export interface DeviceApiCase {
  readonly name: string;
  readonly request: DeviceApiCall;
  readonly status: number;
  readonly code: HubErrorCode;
}

/** As the front ends hand a request over: the telemetry route gets bytes, the others text. */
export async function sendToDeviceApi(bench: DeviceApiBench, call: DeviceApiCall): Promise<RestResponse> {
  const authorization = call.authorization === null ? undefined : (call.authorization ?? ((b: DeviceApiBench) => identityToken(b)))(bench);
  const bytes = typeof call.body === 'string' ? Buffer.from(call.body, 'utf8') : (call.body ?? Buffer.alloc(0));
  const headers = { authorization, 'content-type': call.contentType };
  const body = takesBinaryBody(call.method, call.path) ? { body: '', bytes } : { body: bytes.toString('utf8') };
  return bench.api.handle({ method: call.method, path: call.path, query: new URLSearchParams(call.query ?? 'api-version=2021-04-12'), headers, ...body });
}

/** Nothing kept, d1's message still locked and unsettled, no feedback, no registry change. */
export function assertNothingChanged(bench: DeviceApiBench): void {
  assert.equal(bench.telemetry.size, 0, 'no device-to-cloud message was kept');
  assert.equal(bench.queues.pendingCount('d1'), 1, 'd1\'s message is still queued');
  assert.equal(bench.queues.isLocked('d1', bench.lockToken), true, 'd1\'s message is still locked by its receive');
  assert.equal(bench.queues.feedbackCount, 0, 'no feedback was made');
  assert.deepEqual(bench.notified, [], 'the registry announced no change');
}

export function assertDeviceApiError(response: RestResponse, status: number, code: HubErrorCode): void {
  const detail = `body: ${response.body ?? ''}`;
  assert.equal(response.status, status, `status (${detail})`);
  assert.equal(response.headers['iothub-errorcode'], code, `iothub-errorcode (${detail})`);
  assert.match(String((JSON.parse(response.body ?? '{}') as { Message?: unknown }).Message), new RegExp(`^ErrorCode:${code};`), detail);
}
