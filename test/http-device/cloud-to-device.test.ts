import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client as DeviceClientType } from 'azure-iot-device';
import { Message, ServiceClient, ServiceMessage } from '../../src/sdk.js';
import { BackEnd } from '../amqp/c2d-fixture.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { deviceRequest, deviceToken, errorCodeOf, httpDevice, PolledMessages, type DeviceReply } from './http-device-fixture.js';

/**
 * Cloud-to-device messages to devices that poll over HTTPS (REST device API "Receive / Complete /
 * Abandon Device Bound Notification"; C2D doc, message life cycle): the unmodified device `Client`
 * receives, completes, rejects and abandons; the back end's feedback receiver (AMQP) sees the outcome.
 */
describe('cloud-to-device messages over the HTTPS device transport', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let backEnd: BackEnd;
  const clients: DeviceClientType[] = [];
  before(async () => {
    hub = await HubFixture.start();
    backEnd = await BackEnd.open(hub.serviceConnectionString);
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await backEnd.close();
    await hub.stop();
  });

  const polling = async (identity: IdentityKeys): Promise<{ client: DeviceClientType; received: PolledMessages }> => {
    const client = httpDevice(hub, identity);
    clients.push(client);
    return { client, received: await PolledMessages.start(client) };
  };
  const pendingCount = async (deviceId: string): Promise<number> => Number((await hub.registry.get(deviceId)).responseBody.cloudToDeviceMessageCount);
  const receive = (identity: IdentityKeys, token = deviceToken(hub, identity)): Promise<DeviceReply> =>
    deviceRequest(hub, { method: 'GET', path: `/devices/${identity.deviceId}/messages/deviceBound`, token });
  const settle = (identity: IdentityKeys, etag: string, how: 'complete' | 'reject' | 'abandon'): Promise<DeviceReply> => {
    const path = `/devices/${identity.deviceId}/messages/deviceBound/${etag}`;
    if (how === 'abandon') return deviceRequest(hub, { method: 'POST', path: `${path}/abandon`, token: deviceToken(hub, identity) });
    return deviceRequest(hub, { method: 'DELETE', path, query: how === 'reject' ? 'reject' : undefined, token: deviceToken(hub, identity) });
  };
  const lockTokenOf = (reply: DeviceReply): string => String(reply.headers.etag).replace(/^"|"$/g, '');

  it('delivers a message with its body, ids and properties; completing it sends Success feedback and empties the queue', async () => {
    const identity = await hub.createDevice(newId('http-c2d'));
    await backEnd.send(identity.deviceId, 'reboot', { messageId: 'hm-1', ack: 'full', properties: { reason: 'update' } });
    const { client, received } = await polling(identity);
    const message = await received.nth(1);
    // azure-iot-http-base toMessage keeps the whole header name as the property key.
    assert.deepEqual([String(message.data), message.messageId, message.properties.getValue('iothub-app-reason')], ['reboot', 'hm-1', 'update']);
    assert.match(message.lockToken, /^[0-9a-f-]{36}$/);
    await client.complete(message);
    const record = await backEnd.feedbackFor('hm-1');
    assert.deepEqual([record.statusCode, record.deviceId], ['Success', identity.deviceId]);
    assert.equal(await pendingCount(identity.deviceId), 0);
    assert.equal(received.messages.length, 1, 'a completed message is not delivered again');
  });

  it('rejecting dead-letters the message with Rejected feedback: it is never delivered again', async () => {
    const identity = await hub.createDevice(newId('http-reject'));
    await backEnd.send(identity.deviceId, 'doomed', { messageId: 'hm-rej', ack: 'negative' });
    const { client, received } = await polling(identity);
    await client.reject(await received.nth(1));
    assert.equal((await backEnd.feedbackFor('hm-rej')).statusCode, 'Rejected');
    await backEnd.send(identity.deviceId, 'sentinel');
    const next = await received.nth(2);
    assert.equal(String(next.data), 'sentinel', 'the next delivery is the sentinel, not the rejected message');
    await client.complete(next);
    assert.equal(await pendingCount(identity.deviceId), 0);
  });

  it('abandoning puts the message back: delivered again with a new lock token and its delivery count up by one', async () => {
    const identity = await hub.createDevice(newId('http-abandon'));
    await backEnd.send(identity.deviceId, 'again', { messageId: 'hm-ab', ack: 'full' });
    const first = await receive(identity);
    assert.deepEqual([first.status, first.headers['iothub-messageid'], first.headers['iothub-deliverycount']], [200, 'hm-ab', '0']);
    assert.equal((await receive(identity)).status, 204, 'a locked message is invisible to the next receive');
    assert.equal((await settle(identity, lockTokenOf(first), 'abandon')).status, 204);
    const second = await receive(identity);
    assert.deepEqual([second.status, String(second.body), second.headers['iothub-deliverycount']], [200, 'again', '1']);
    assert.notEqual(lockTokenOf(second), lockTokenOf(first));
    const stale = await settle(identity, lockTokenOf(first), 'complete');
    assert.deepEqual([stale.status, errorCodeOf(stale)], [412, 'DeviceMessageLockLost'], 'the first lock token is spent');
    assert.equal((await settle(identity, lockTokenOf(second), 'complete')).status, 204);
    assert.equal((await backEnd.feedbackFor('hm-ab')).statusCode, 'Success');
  });

  it('answers 204 with no body when nothing is waiting', async () => {
    const identity = await hub.createDevice(newId('http-empty'));
    const reply = await receive(identity);
    assert.deepEqual([reply.status, reply.body.length, reply.headers.etag], [204, 0, undefined]);
  });

  it('answers a message with the hub\'s headers: quoted lock token, ids, to, ack, expiry, enqueued time, content type and iothub-app-*', async () => {
    const identity = await hub.createDevice(newId('http-headers'));
    const service = ServiceClient.fromConnectionString(hub.serviceConnectionString);
    try {
      const message = new ServiceMessage(Buffer.from([0x00, 0xfe, 0x41]));
      Object.assign(message, { messageId: 'hm-h', correlationId: 'corr-h', ack: 'positive', contentType: 'application/octet-stream', contentEncoding: 'binary' });
      message.properties.add('Zone', 'north');
      await service.send(identity.deviceId, message);
    } finally {
      await service.close();
    }
    const reply = await receive(identity);
    assert.equal(reply.status, 200);
    assert.deepEqual([...reply.body], [0x00, 0xfe, 0x41], 'the body\'s bytes, unchanged');
    assert.match(String(reply.headers.etag), /^"[0-9a-f-]{36}"$/);
    const { headers } = reply;
    assert.deepEqual(
      [headers['iothub-messageid'], headers['iothub-correlationid'], headers['iothub-userid'], headers['iothub-to'], headers['iothub-ack'], headers.contenttype, headers.contentencoding, headers['iothub-app-zone']],
      ['hm-h', 'corr-h', '', `/devices/${identity.deviceId}/messages/deviceBound`, 'positive', 'application/octet-stream', 'binary', 'north'],
    );
    for (const name of ['iothub-expiry', 'iothub-enqueuedtime']) assert.match(String(headers[name]), /^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d\d:\d\d [AP]M$/, name);
  });

  it('answers an unknown lock token with 412 DeviceMessageLockLost and leaves the locked message alone', async () => {
    const identity = await hub.createDevice(newId('http-lock'));
    await backEnd.send(identity.deviceId, 'locked', { messageId: 'hm-lock', ack: 'full' });
    const { client, received } = await polling(identity);
    const message = await received.nth(1);
    for (const how of ['complete', 'reject', 'abandon'] as const) {
      const reply = await settle(identity, '00000000-0000-0000-0000-000000000000', how);
      assert.deepEqual([reply.status, errorCodeOf(reply)], [412, 'DeviceMessageLockLost'], how);
    }
    const bySdk: unknown = await client.complete(Object.assign(new Message('forged'), { lockToken: 'not-a-lock' })).then(() => undefined, (error: unknown) => error);
    assert.equal((bySdk as { response?: { statusCode?: number } } | undefined)?.response?.statusCode, 412);
    assert.equal(backEnd.sender.feedback.some((record) => record.originalMessageId === 'hm-lock'), false, 'no feedback was made');
    await client.complete(message);
    assert.equal((await backEnd.feedbackFor('hm-lock')).statusCode, 'Success', 'the real lock still completes the message');
  });

  it('refuses another device\'s token on a device\'s queue with 401, and the message stays for its device', async () => {
    const [owner, intruder] = [await hub.createDevice(newId('http-own')), await hub.createDevice(newId('http-intruder'))];
    await backEnd.send(owner.deviceId, 'private', { messageId: 'hm-own' });
    const stolen = await receive(owner, deviceToken(hub, intruder));
    assert.deepEqual([stolen.status, errorCodeOf(stolen)], [401, 'IotHubUnauthorizedAccess']);
    const mine = await receive(owner);
    assert.deepEqual([mine.status, String(mine.body), mine.headers['iothub-deliverycount']], [200, 'private', '0'], 'the refused receive locked nothing');
    const foreignSettle = await deviceRequest(hub, { method: 'DELETE', path: `/devices/${owner.deviceId}/messages/deviceBound/${lockTokenOf(mine)}`, token: deviceToken(hub, intruder) });
    assert.equal(foreignSettle.status, 401);
    assert.equal((await settle(owner, lockTokenOf(mine), 'complete')).status, 204, 'the lock survived the refused settle');
  });
});
