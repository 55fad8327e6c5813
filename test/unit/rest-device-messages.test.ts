import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deviceBoundHeaders } from '../../emulator/rest/device-bound-headers.js';
import type { RestResponse } from '../../emulator/rest/http-types.js';
import { ActivityFeed, type ActivityEvent } from '../../emulator/state/activity.js';
import type { CloudToDeviceMessage } from '../../emulator/state/c2d-message.js';
import { CloudToDeviceQueues } from '../../emulator/state/cloud-to-device.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { TelemetryBuffer } from '../../emulator/state/telemetry.js';
import { HOST, START_SECONDS } from './fixtures.js';
import { expectErrorResponse, newRestApi, type RestFixture } from './rest-fixtures.js';

/** The HTTPS device API's handlers (rest/device-telemetry.ts, rest/device-bound.ts) on a RestApi, without sockets. */
function deviceApi(parts: { queues?: boolean } = { queues: true }) {
  const telemetry = new TelemetryBuffer();
  const activity = new ActivityFeed();
  const announced: ActivityEvent[] = [];
  activity.subscribe((event) => announced.push(event));
  let queues: CloudToDeviceQueues | undefined;
  const fixture = newRestApi(({ clock, registry }) => {
    queues = parts.queues === true ? new CloudToDeviceQueues({ clock, registry, generateLockToken: () => 'lock-1' }) : undefined;
    return { telemetry, activity, ...(queues === undefined ? {} : { cloudToDevice: queues }) };
  });
  const device = fixture.registry.createDevice('d1', undefined);
  const token = createSasToken({ resourceUri: `${HOST}/devices/d1`, base64Key: device.keys.primaryKey, expiry: START_SECONDS + 600 });
  return { fixture, telemetry, announced, queues, token };
}

type DeviceApi = ReturnType<typeof deviceApi>;

async function send(api: DeviceApi, method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<RestResponse> {
  const headers = { authorization: api.token, ...init.headers };
  const request = { method, path, query: new URLSearchParams({ 'api-version': '2021-04-12' }), headers: lowerCased(headers), headerNames: Object.keys(headers), body: '', bytes: Buffer.from(init.body ?? '') };
  return await api.fixture.api.handle(request);
}

const lowerCased = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

const c2dMessage = (fixture: RestFixture, init: Partial<CloudToDeviceMessage> = {}): CloudToDeviceMessage => ({
  deviceId: 'd1', messageId: 'm-1', correlationId: undefined, userId: undefined, contentType: undefined, contentEncoding: undefined, ack: 'none',
  expiresAt: fixture.clock.now().getTime() + 60_000, enqueuedTime: fixture.clock.now().toISOString(), body: Buffer.from('hi'), applicationProperties: {}, ...init,
});

void describe('HTTPS telemetry (device-telemetry.ts)', () => {
  void it('announces each message it takes in, with its system properties as $.name and its application properties', async () => {
    const api = deviceApi();
    const response = await send(api, 'POST', '/devices/d1/messages/events', { headers: { 'iothub-messageid': 'm-7', 'iothub-app-Colour': 'red' }, body: 'abc' });
    assert.equal(response.status, 204);
    assert.equal(api.announced.length, 1);
    const [event] = api.announced;
    assert.ok(event?.type === 'telemetry');
    assert.deepEqual({ ...event, at: undefined }, { type: 'telemetry', at: undefined, transport: 'https', deviceId: 'd1', properties: { '$.mid': 'm-7', Colour: 'red' }, bodyBytes: 3 });
  });

  void it('reads a batch whatever the case and parameters of its media type', async () => {
    const api = deviceApi();
    const batch = JSON.stringify([{ body: Buffer.from('one').toString('base64') }, { body: 'two', base64Encoded: false }]);
    const response = await send(api, 'POST', '/devices/d1/messages/events', { headers: { 'Content-Type': ' Application/VND.Microsoft.IoTHub.JSON ; charset=utf-8' }, body: batch });
    assert.equal(response.status, 204);
    assert.deepEqual(api.telemetry.list().map((message) => message.body.toString()), ['one', 'two']);
  });

  void it('takes telemetry on a path spelled in any case, and answers 501 without a telemetry buffer', async () => {
    const api = deviceApi();
    assert.equal((await send(api, 'POST', '/devices/d1/MESSAGES/Events', { body: 'x' })).status, 204);
    assert.equal(api.telemetry.size, 1);
    const bare = { ...api, fixture: newRestApi() };
    const device = bare.fixture.registry.createDevice('d1', undefined);
    bare.token = createSasToken({ resourceUri: `${HOST}/devices/d1`, base64Key: device.keys.primaryKey, expiry: START_SECONDS + 600 });
    assert.match(expectErrorResponse(await send(bare, 'POST', '/devices/d1/messages/events', { body: 'x' }), 501, 'NotImplemented'), /Device-to-cloud messages without a telemetry buffer/);
  });

  void it('names the size of the message that is too large, not the batch\'s', async () => {
    const api = deviceApi();
    const batch = JSON.stringify([{ body: 'x'.repeat(300 * 1024), base64Encoded: false }, { body: 'small', base64Encoded: false }]);
    const response = await send(api, 'POST', '/devices/d1/messages/events', { headers: { 'content-type': 'application/vnd.microsoft.iothub.json' }, body: batch });
    assert.match(expectErrorResponse(response, 413, 'MessageTooLarge'), new RegExp(`The message body is ${300 * 1024} bytes`));
    assert.equal(api.telemetry.size, 0, 'nothing of the batch is kept');
  });
});

void describe('HTTPS cloud-to-device (device-bound.ts)', () => {
  void it('abandons through a path spelled in any case, as the other device-bound routes', async () => {
    const api = deviceApi();
    api.queues?.enqueue(c2dMessage(api.fixture));
    assert.equal((await send(api, 'GET', '/devices/d1/messages/deviceBound')).status, 200);
    assert.equal((await send(api, 'POST', '/devices/d1/messages/DEVICEBOUND/lock-1/ABANDON')).status, 204);
    assert.equal(api.queues?.lockNext('d1')?.deliveryCount, 1);
  });

  void it('answers 501 without cloud-to-device queues, for every device-bound route', async () => {
    const api = deviceApi({ queues: false });
    for (const [method, path] of [['GET', '/devices/d1/messages/deviceBound'], ['DELETE', '/devices/d1/messages/deviceBound/lock-1'], ['POST', '/devices/d1/messages/deviceBound/lock-1/abandon']] as const) {
      assert.match(expectErrorResponse(await send(api, method, path), 501, 'NotImplemented'), /Cloud-to-device queues without a messaging endpoint/);
    }
  });

  void it('sends an empty user id when the message has none, and percent-encodes names and values HTTP cannot carry', () => {
    const fixture = newRestApi();
    const message = c2dMessage(fixture, { applicationProperties: { 'a|b': 'ok', ' lead': 'v', 'trail ': 'v', plain: '\u0001start', other: 'end\u0001' } });
    const headers = deviceBoundHeaders({ message, lockToken: 'lock-1', deliveryCount: 0 });
    assert.equal(headers['iothub-userid'], '');
    const app = Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('iothub-app-')));
    assert.deepEqual(app, { 'iothub-app-a|b': 'ok', 'iothub-app-%20lead': 'v', 'iothub-app-trail%20': 'v', 'iothub-app-plain': '%01start', 'iothub-app-other': 'end%01' });
  });
});
