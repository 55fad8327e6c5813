import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HubError } from '../../emulator/errors.js';
import { PendingMethodCalls } from '../../emulator/methods/pending-calls.js';
import { encodeMessageProperties, parseMessageProperties } from '../../emulator/mqtt/message-properties.js';
import { classifyPublish } from '../../emulator/mqtt/topics.js';
import { parseInvocation } from '../../emulator/rest/methods.js';
import { TelemetryBuffer } from '../../emulator/state/telemetry.js';

const message = (deviceId: string, body: string, moduleId?: string) => ({
  deviceId, ...(moduleId === undefined ? {} : { moduleId }), body: Buffer.from(body), systemProperties: {}, applicationProperties: {}, enqueuedTime: '2026-01-01T00:00:00Z',
});

describe('telemetry buffer', () => {
  it('keeps at most its capacity, dropping the oldest, and filters by identity', () => {
    const buffer = new TelemetryBuffer({ capacity: 2 });
    buffer.record(message('d', '1'));
    buffer.record(message('d', '2', 'm'));
    buffer.record(message('d', '3'));
    assert.deepEqual(buffer.list().map((m) => m.body.toString()), ['2', '3']);
    assert.deepEqual(buffer.list({ deviceId: 'd' }).map((m) => m.body.toString()), ['3']);
    assert.deepEqual(buffer.list({ deviceId: 'd', moduleId: 'm' }).map((m) => m.body.toString()), ['2']);
    assert.equal(buffer.droppedCount, 1);
    buffer.clear();
    assert.equal(buffer.size, 0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new TelemetryBuffer({ capacity: 0 }), RangeError);
  });
});

describe('pending method calls', () => {
  it('settles a call only for the client it was sent to, once', () => {
    const calls = new PendingMethodCalls();
    const results: number[] = [];
    const requestId = calls.start('dev/mod', (result) => results.push(result.status));
    assert.equal(calls.respond('other', requestId, { status: 200, payload: Buffer.from('') }), false);
    assert.equal(calls.respond('dev/mod', requestId, { status: 201, payload: Buffer.from('') }), true);
    assert.equal(calls.respond('dev/mod', requestId, { status: 202, payload: Buffer.from('') }), false);
    assert.deepEqual(results, [201]);
    assert.equal(calls.cancel(requestId), false);
  });
});

describe('message properties in topics', () => {
  it('splits system ($.) and application properties and round-trips them', () => {
    const parsed = parseMessageProperties('%24.mid=m-1&%24.on=out1&k=v%20w/');
    assert.deepEqual(parsed, { system: { mid: 'm-1', on: 'out1' }, application: { k: 'v w' } });
    assert.deepEqual(parseMessageProperties(encodeMessageProperties(parsed)), parsed);
  });
});

describe('publish classification', () => {
  const device = { deviceId: 'd' };
  it('recognises method responses with their status and request id', () => {
    assert.deepEqual(classifyPublish(device, '$iothub/methods/res/200/?$rid=a1'), { kind: 'method-response', status: 200, requestId: 'a1' });
    assert.equal(classifyPublish(device, '$iothub/methods/res/200/?x=1').kind, 'refused');
  });
  it("accepts telemetry on the identity's own events topic only", () => {
    assert.deepEqual(classifyPublish(device, 'devices/d/messages/events/k=v'), { kind: 'telemetry', encodedProperties: 'k=v' });
    assert.equal(classifyPublish(device, 'devices/e/messages/events/').kind, 'refused');
    assert.equal(classifyPublish({ deviceId: 'd', moduleId: 'm' }, 'devices/d/messages/events/').kind, 'refused');
  });
});

describe('direct method request validation', () => {
  it('applies the documented defaults', () => {
    assert.deepEqual(parseInvocation({ methodName: 'reboot' }), { methodName: 'reboot', payload: 'null', responseTimeoutInSeconds: 30, connectTimeoutInSeconds: 0 });
  });
  for (const body of [null, [], { methodName: '' }, { methodName: 'a/b' }, { methodName: 'x', responseTimeoutInSeconds: 4 }, { methodName: 'x', connectTimeoutInSeconds: 1.5 }, { methodName: 'x', payload: 'y'.repeat(128 * 1024) }]) {
    it(`refuses ${JSON.stringify(body).slice(0, 60)}`, () => {
      assert.throws(() => parseInvocation(body), (error: unknown) => error instanceof HubError && error.status >= 400 && error.status < 500);
    });
  }
});
