import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDeviceToCloudSize, MAX_DEVICE_TO_CLOUD_BYTES, recordDeviceToCloud, type DeviceToCloudMessage } from '../../emulator/state/device-to-cloud.js';
import { deviceTwinDocument, parseReportedPatch } from '../../emulator/state/device-twin-requests.js';
import { TelemetryBuffer, type TelemetryChange, type TelemetryMessage } from '../../emulator/state/telemetry.js';
import { expectHubError, newRegistry } from './fixtures.js';

/**
 * What every device transport hands the pure state (state/device-to-cloud.ts, telemetry.ts,
 * device-twin-requests.ts): the size rule, what is kept of a message, the bounded buffer, and the
 * twin document a device reads.
 */
function sent(overrides: Partial<DeviceToCloudMessage> = {}): DeviceToCloudMessage {
  return {
    identity: { deviceId: 'd1' },
    body: Buffer.from('{"t":21}'),
    systemProperties: { mid: 'm-1', ct: 'application/json' },
    applicationProperties: { alarm: 'no' },
    enqueuedTime: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function kept(deviceId: string, moduleId?: string): TelemetryMessage {
  return { deviceId, ...(moduleId === undefined ? {} : { moduleId }), body: Buffer.from(deviceId), systemProperties: {}, applicationProperties: {}, enqueuedTime: '2026-01-01T00:00:00.000Z' };
}

describe('device-to-cloud intake', () => {
  it('takes a message of exactly 256 KB and refuses one byte more, naming both sizes', () => {
    assert.deepEqual(checkDeviceToCloudSize(MAX_DEVICE_TO_CLOUD_BYTES), { ok: true });
    assert.equal(MAX_DEVICE_TO_CLOUD_BYTES, 262_144);
    assert.deepEqual(checkDeviceToCloudSize(MAX_DEVICE_TO_CLOUD_BYTES + 1), { ok: false, reason: 'the message is 262145 bytes; the limit is 262144' });
  });

  it('keeps a device message with its properties, and a copy of the body the adapter may reuse', () => {
    const buffer = new TelemetryBuffer();
    const message = sent();
    assert.deepEqual(recordDeviceToCloud(message, buffer), { ok: true });
    message.body.fill(0);
    assert.deepEqual(buffer.list(), [{
      deviceId: 'd1', body: Buffer.from('{"t":21}'), systemProperties: { mid: 'm-1', ct: 'application/json' }, applicationProperties: { alarm: 'no' }, enqueuedTime: '2026-01-01T00:00:00.000Z',
    }]);
  });

  it('keeps a module output under its module and output name, with `on` taken out of the system properties', () => {
    const buffer = new TelemetryBuffer();
    recordDeviceToCloud(sent({ identity: { deviceId: 'd1', moduleId: 'm1' }, systemProperties: { on: 'alerts', mid: 'x' } }), buffer);
    const [message] = buffer.list();
    assert.deepEqual([message?.moduleId, message?.outputName, message?.systemProperties], ['m1', 'alerts', { mid: 'x' }]);
  });

  it('keeps nothing of a refused message', () => {
    const buffer = new TelemetryBuffer();
    const verdict = recordDeviceToCloud(sent({ body: Buffer.alloc(MAX_DEVICE_TO_CLOUD_BYTES + 1) }), buffer);
    assert.equal(verdict.ok, false);
    assert.equal(buffer.size, 0);
  });
});

describe('the telemetry buffer', () => {
  it('refuses a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) assert.throws(() => new TelemetryBuffer({ capacity }), RangeError, `capacity ${capacity}`);
    assert.equal(new TelemetryBuffer({ capacity: 1 }).size, 0);
  });

  it('drops the oldest when full and counts what it dropped, until cleared', () => {
    const buffer = new TelemetryBuffer({ capacity: 2 });
    for (const deviceId of ['a', 'b']) buffer.record(kept(deviceId));
    assert.equal(buffer.droppedCount, 0, 'a full buffer drops nothing yet');
    buffer.record(kept('c'));
    assert.deepEqual([buffer.list().map((message) => message.deviceId), buffer.droppedCount, buffer.size], [['b', 'c'], 1, 2]);
    buffer.clear();
    assert.deepEqual([buffer.list(), buffer.droppedCount, buffer.size], [[], 0, 0]);
  });

  it('lists one identity\'s own messages: a device\'s are not its modules\'', () => {
    const buffer = new TelemetryBuffer();
    for (const message of [kept('d1'), kept('d1', 'm1'), kept('d2'), kept('d1')]) buffer.record(message);
    assert.equal(buffer.list({ deviceId: 'd1' }).length, 2);
    assert.deepEqual(buffer.list({ deviceId: 'd1', moduleId: 'm1' }).map((message) => message.moduleId), ['m1']);
    const all = buffer.list();
    all.pop();
    assert.equal(buffer.size, 4, 'the list is a copy');
  });

  it('announces each message taken in and each clearing', () => {
    const buffer = new TelemetryBuffer();
    const changes: TelemetryChange[] = [];
    buffer.changes.subscribe((change) => changes.push(change));
    const message = kept('d1');
    buffer.record(message);
    buffer.clear();
    assert.deepEqual(changes, [{ type: 'telemetry-enqueued', message }, { type: 'telemetry-cleared' }]);
  });
});

describe('the twin as a device reads it', () => {
  it('has desired and reported with their own $version, and no tags or $metadata', () => {
    const { registry } = newRegistry();
    registry.createDevice('d1', undefined);
    registry.patchTwin({ deviceId: 'd1' }, { tags: { site: 'x' }, desired: { a: 1 } }, undefined);
    registry.patchTwin({ deviceId: 'd1' }, { desired: { b: 2 } }, undefined);
    registry.patchReported({ deviceId: 'd1' }, { r: true });
    assert.deepEqual(deviceTwinDocument(registry, { deviceId: 'd1' }), { desired: { a: 1, b: 2, $version: 3 }, reported: { r: true, $version: 2 } });
  });

  it('parses a reported patch, and refuses bytes that are not UTF-8 or not JSON with ArgumentInvalid', () => {
    assert.deepEqual(parseReportedPatch(Buffer.from('{"temp":{"v":1}}')), { temp: { v: 1 } });
    const notUtf8 = expectHubError(() => parseReportedPatch(Buffer.from([0x7b, 0xff, 0x7d])), 400, 'ArgumentInvalid');
    assert.match(notUtf8.message, /not valid UTF-8/);
    const notJson = expectHubError(() => parseReportedPatch(Buffer.from('{temp')), 400, 'ArgumentInvalid');
    assert.match(notJson.message, /not valid JSON/);
  });
});
