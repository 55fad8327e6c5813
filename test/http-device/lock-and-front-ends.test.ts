import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../emulator/state/clock.js';
import { Message } from '../../src/sdk.js';
import { BackEnd } from '../amqp/c2d-fixture.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';
import { deviceRequest, deviceToken, errorCodeOf, httpDevice, PolledMessages } from './http-device-fixture.js';

/**
 * The hub's fixed one-minute lock ("Troubleshoot 412002 DeviceMessageLockLost": the message goes back
 * to Enqueued and the late settle fails), on the emulator's clock; and the same device API through the
 * optional nock front end, whose bodies must stay bytes both ways.
 */
describe('HTTPS device transport: the C2D lock timeout and the nock front end', { timeout: 60_000 }, () => {
  it('makes a message visible again once its one-minute lock has passed, without counting a delivery; the late settle is 412', async () => {
    const clock = new ManualClock(new Date());
    const hub = await HubFixture.start({ configure: (builder) => builder.withClock(clock) });
    const backEnd = await BackEnd.open(hub.serviceConnectionString);
    try {
      const identity = await hub.createDevice(newId('http-lock-timeout'));
      await backEnd.send(identity.deviceId, 'slow', { messageId: 'lt-1', ack: 'full' });
      const receive = (): ReturnType<typeof deviceRequest> => deviceRequest(hub, { method: 'GET', path: `/devices/${identity.deviceId}/messages/deviceBound`, token: deviceToken(hub, identity) });
      const first = await receive();
      clock.advanceSeconds(59);
      assert.equal((await receive()).status, 204, 'still locked after 59 s');
      clock.advanceSeconds(2);
      const second = await receive();
      assert.deepEqual([second.status, String(second.body), second.headers['iothub-deliverycount']], [200, 'slow', '0'], 'a lock that timed out is not a delivery (C2D doc, delivery count)');
      const late = await deviceRequest(hub, { method: 'DELETE', path: `/devices/${identity.deviceId}/messages/deviceBound/${String(first.headers.etag).slice(1, -1)}`, token: deviceToken(hub, identity) });
      assert.deepEqual([late.status, errorCodeOf(late)], [412, 'DeviceMessageLockLost']);
      assert.equal(backEnd.sender.feedback.length, 0, 'nothing was settled');
    } finally {
      await backEnd.close();
      await hub.stop();
    }
  });

  it('serves telemetry and C2D with bytes that are not UTF-8 through the nock front end as through the listener', async () => {
    const hub = await HubFixture.start({ configure: (builder) => builder.withRestFrontEnd('nock') });
    const backEnd = await BackEnd.open(hub.serviceConnectionString);
    const identity = await hub.createDevice(newId('http-nock'));
    const client = httpDevice(hub, identity);
    try {
      const message = new Message(Buffer.from([0xc3, 0x28, 0xff]));
      message.properties.add('Kind', 'raw');
      await client.sendEvent(message);
      const [kept] = hub.emulator.control.telemetry({ deviceId: identity.deviceId });
      // nock hands over Fetch headers, whose names are lower case: the one difference (FIDELITY.md, "Serving the REST API").
      assert.deepEqual([[...(kept?.body ?? [])], kept?.applicationProperties], [[0xc3, 0x28, 0xff], { kind: 'raw' }]);
      await hub.emulator.control.sendCloudToDeviceMessage(identity.deviceId, { body: Buffer.from([0xfe, 0x00, 0x01]) });
      // Raw, not the SDK: azure-iot-http-base reads every response body as a UTF-8 string, so no SDK could see these bytes.
      const path = `/devices/${identity.deviceId}/messages/deviceBound`;
      const delivered = await deviceRequest(hub, { method: 'GET', path, token: deviceToken(hub, identity) });
      assert.deepEqual([delivered.status, [...delivered.body]], [200, [0xfe, 0x00, 0x01]]);
      const completed = await deviceRequest(hub, { method: 'DELETE', path: `${path}/${String(delivered.headers.etag).slice(1, -1)}`, token: deviceToken(hub, identity) });
      assert.equal(completed.status, 204);
      const received = await PolledMessages.start(client);
      await hub.emulator.control.sendCloudToDeviceMessage(identity.deviceId, { body: 'text' });
      const polled = await received.nth(1);
      await client.complete(polled);
      assert.equal(String(polled.data), 'text');
      assert.equal(Number((await hub.registry.get(identity.deviceId)).responseBody.cloudToDeviceMessageCount), 0);
    } finally {
      await client.close();
      await backEnd.close();
      await hub.stop();
    }
  });
});
