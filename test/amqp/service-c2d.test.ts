import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { httpsText } from '../support/https-text.js';
import { serviceTokenFor } from '../support/service-token.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';
import { ServiceClient, ServiceMessage } from '../../src/sdk.js';
import { BackEnd, ListeningDevice } from './c2d-fixture.js';

/**
 * Cloud-to-device messages through the official service `Client` over AMQP (C2D doc; AMQP wire notes
 * §3) to official device clients over MQTT: queued per device, delivered when the device listens,
 * completed on PUBACK, with feedback as the `ack` asks, and the hub's limits.
 */
describe('cloud-to-device messages from the service SDK over AMQP', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let backEnd: BackEnd;
  before(async () => {
    hub = await HubFixture.start();
    backEnd = await BackEnd.open(hub.serviceConnectionString);
  });
  after(async () => {
    await backEnd.close();
    await hub.stop();
  });

  const pendingCount = async (deviceId: string): Promise<number> => Number((await hub.registry.get(deviceId)).responseBody.cloudToDeviceMessageCount);

  it('delivers a message with its id and properties, and reports Success feedback once the device completed it', async () => {
    const device = await hub.createDevice(newId('c2d'));
    const listening = await ListeningDevice.connect(hub, device);
    try {
      await backEnd.send(device.deviceId, 'reboot', { messageId: 'm-reboot', ack: 'positive', properties: { reason: 'update' } });
      const message = await listening.nextMessage();
      assert.deepEqual([String(message.data), message.messageId, message.properties.getValue('reason')], ['reboot', 'm-reboot', 'update']);
      const record = await backEnd.feedbackFor('m-reboot');
      assert.deepEqual([record.statusCode, record.description, record.deviceId], ['Success', 'Success', device.deviceId]);
      assert.match(record.enqueuedTimeUtc, /^\d{4}-\d\d-\d\dT/);
      assert.equal(backEnd.feedbackContentTypes.at(-1), 'application/vnd.microsoft.iothub.feedback.json');
      assert.equal(await pendingCount(device.deviceId), 0, 'the completed message left the queue');
    } finally {
      await listening.close();
    }
  });

  it('does the same over AMQP over WebSockets (AmqpWs, subprotocol AMQPWSB10 on the HTTPS port)', async () => {
    const device = await hub.createDevice(newId('ws'));
    const overWebSockets = await BackEnd.open(hub.serviceConnectionString, 'amqp-ws');
    const listening = await ListeningDevice.connect(hub, device);
    try {
      await overWebSockets.send(device.deviceId, 'over ws', { messageId: 'm-ws', ack: 'full' });
      assert.equal(String((await listening.nextMessage()).data), 'over ws');
      // The hub has one feedback queue: whichever feedback receiver is attached may get the record.
      const record = await Promise.any([overWebSockets.feedbackFor('m-ws'), backEnd.feedbackFor('m-ws')]);
      assert.equal(record.statusCode, 'Success');
    } finally {
      await Promise.all([listening.close(), overWebSockets.close()]);
    }
  });

  it('queues messages while the device is offline and delivers them in order when it connects', async () => {
    const device = await hub.createDevice(newId('offline'));
    await backEnd.send(device.deviceId, 'first');
    await backEnd.send(device.deviceId, 'second');
    assert.equal(await pendingCount(device.deviceId), 2);
    const listening = await ListeningDevice.connect(hub, device);
    try {
      assert.equal(String((await listening.nextMessage(1)).data), 'first');
      assert.equal(String((await listening.nextMessage(2)).data), 'second');
    } finally {
      await listening.close();
    }
  });

  it('reports an expired message as Expired and never delivers it', async () => {
    const device = await hub.createDevice(newId('expiry'));
    await backEnd.send(device.deviceId, 'too late', { messageId: 'm-expired', ack: 'negative', expiryTimeUtc: Date.now() + 300 });
    assert.equal((await backEnd.feedbackFor('m-expired')).statusCode, 'Expired');
    await backEnd.send(device.deviceId, 'sentinel');
    const listening = await ListeningDevice.connect(hub, device);
    try {
      assert.equal(String((await listening.nextMessage(1)).data), 'sentinel', 'the first message delivered is the one sent after the expired one');
    } finally {
      await listening.close();
    }
  });

  it('refuses a 51st pending message, a message over 64 KB and an unknown device with the SDK\'s errors', async () => {
    const device = await hub.createDevice(newId('full'));
    for (let n = 0; n < 50; n++) await backEnd.send(device.deviceId, `m${n}`);
    await assert.rejects(backEnd.send(device.deviceId, 'one too many'), { name: 'DeviceMaximumQueueDepthExceededError' });
    assert.equal(await pendingCount(device.deviceId), 50);
    const other = await hub.createDevice(newId('large'));
    await assert.rejects(backEnd.send(other.deviceId, 'x'.repeat(64 * 1024 + 1)), { name: 'MessageTooLargeError' });
    await assert.rejects(backEnd.send(newId('ghost'), 'hello'), { name: 'DeviceNotFoundError' });
    assert.equal(await pendingCount(other.deviceId), 0);
  });

  it('purges a device\'s queue over REST, and says how many messages went', async () => {
    const device = await hub.createDevice(newId('purge'));
    await backEnd.send(device.deviceId, 'a');
    await backEnd.send(device.deviceId, 'b');
    const reply = await httpsText({
      host: hub.emulator.hostName, method: 'DELETE', path: `/devices/${device.deviceId}/commands?api-version=2021-04-12`,
      headers: { authorization: serviceTokenFor(hub.serviceConnectionString) },
    });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(JSON.parse(reply.text), { totalMessagesPurged: 2, deviceId: device.deviceId });
    assert.equal(await pendingCount(device.deviceId), 0);
  });

  it('refuses a back end whose key is wrong, and one whose policy lacks ServiceConnect', async () => {
    const wrongKey = hub.serviceConnectionString.replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${Buffer.alloc(32, 9).toString('base64')}`);
    await assert.rejects(BackEnd.open(wrongKey), (error: Error & { amqpError?: Error }) => /Could not connect/.test(error.message) && error.amqpError?.name === 'UnauthorizedError');
    const device = await hub.createDevice(newId('denied'));
    const registryOnly = ServiceClient.fromConnectionString(hub.emulator.getServiceConnectionString('registryRead'));
    try {
      await assert.rejects(registryOnly.send(device.deviceId, new ServiceMessage('not allowed')), { name: 'UnauthorizedError' });
    } finally {
      await registryOnly.close();
    }
    assert.equal(await pendingCount(device.deviceId), 0, 'nothing was queued');
  });
});
