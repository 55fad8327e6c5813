import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { earliestEventPosition } from '@azure/event-hubs';
import type { Client as DeviceClientType } from 'azure-iot-device';
import { Message, ModuleClient } from '../../src/sdk.js';
import { EventReader, type ReadEvent } from '../amqp/event-hub-fixture.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { deviceRequest, deviceToken, errorCodeOf, Http, httpDevice, ownerPolicyToken } from './http-device-fixture.js';

/**
 * Device-to-cloud messages over HTTPS (REST "Send Device Event"; azure-iot-device-http `Http`): the
 * unmodified device `Client` sends, the back end reads them on the Event Hub-compatible endpoint as it
 * reads MQTT telemetry, and what the hub refuses is kept nowhere.
 */
describe('telemetry over the HTTPS device transport', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let connectionString: string;
  const clients: DeviceClientType[] = [];
  before(async () => {
    hub = await HubFixture.start();
    connectionString = hub.emulator.getEventHubsConnectionString();
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await hub.stop();
  });

  const device = (identity: IdentityKeys, key?: string): DeviceClientType => {
    const client = httpDevice(hub, identity, key);
    clients.push(client);
    return client;
  };
  const fromDevice = (deviceId: string) => (event: ReadEvent): boolean => event.systemProperties?.['iothub-connection-device-id'] === deviceId;
  const kept = (deviceId: string): number => hub.emulator.control.telemetry({ deviceId }).length;

  it('delivers a message to the back end with its body, ids, content type, properties and the hub\'s annotations', async () => {
    const identity = await hub.createDevice(newId('meter'));
    const reader = new EventReader(connectionString, { startPosition: earliestEventPosition });
    try {
      const message = new Message('{"kwh":3.5}');
      Object.assign(message, { messageId: 'h-1', correlationId: 'c-1', contentType: 'application/json', contentEncoding: 'utf-8' });
      message.properties.add('Tariff', 'night');
      const result = await device(identity).sendEvent(message);
      assert.equal(result.constructor.name, 'MessageEnqueued');
      const [event] = await reader.eventsWhere(fromDevice(identity.deviceId), 1, `telemetry from ${identity.deviceId}`);
      assert.ok(event !== undefined);
      assert.deepEqual(event.body, { kwh: 3.5 });
      assert.deepEqual(event.properties, { Tariff: 'night' }, 'the iothub-app- prefix is stripped and the name keeps its case');
      assert.deepEqual([event.messageId, event.correlationId, event.contentType, event.systemProperties?.contentEncoding], ['h-1', 'c-1', 'application/json', 'utf-8']);
      const record = (await hub.registry.get(identity.deviceId)).responseBody;
      assert.equal(event.systemProperties?.['iothub-connection-auth-generation-id'], record.generationId);
      assert.equal(event.systemProperties?.['iothub-message-source'], 'Telemetry');
      assert.equal(record.connectionState, 'Disconnected', 'HTTPS requests are not a connection: the hub shows only persistent ones');
      assert.deepEqual(reader.errors, []);
    } finally {
      await reader.close();
    }
  });

  it('keeps a message exactly as the same message sent over MQTT: body bytes, system and application properties', async () => {
    const identity = await hub.createDevice(newId('twin-transport'));
    const build = (): InstanceType<typeof Message> => {
      const message = new Message(Buffer.from([0xff, 0x00, 0x80, 0x41]));
      Object.assign(message, { messageId: 'same', correlationId: 'corr', userId: 'user-1', contentType: 'application/octet-stream', contentEncoding: 'binary', expiryTimeUtc: '2030-01-01T00:00:00.000Z', interfaceId: 'dtmi:x;1' });
      message.properties.add('Mixed-Case', 'v 1');
      message.properties.add('dt-subject', 'thermostat1');
      return message;
    };
    const overMqtt = await hub.client(identity);
    clients.push(overMqtt as DeviceClientType);
    await overMqtt.open();
    await overMqtt.sendEvent(build());
    await device(identity).sendEvent(build());
    const [mqtt, https] = hub.emulator.control.telemetry({ deviceId: identity.deviceId }).map(({ enqueuedTime: _time, ...rest }) => rest);
    assert.ok(mqtt !== undefined && https !== undefined);
    assert.deepEqual(https, mqtt);
    assert.deepEqual([...https.body], [0xff, 0x00, 0x80, 0x41], 'bytes that are not UTF-8 arrive unchanged');
  });

  it('sends a batch: every message its own event, in order, each with its properties', async () => {
    const identity = await hub.createDevice(newId('batch'));
    const reader = new EventReader(connectionString, { startPosition: earliestEventPosition });
    try {
      const messages = ['{"n":1}', '{"n":2}', '{"n":3}'].map((body, index) => {
        const message = new Message(body);
        message.properties.add('index', String(index));
        return message;
      });
      await device(identity).sendEventBatch(messages);
      const events = await reader.eventsWhere(fromDevice(identity.deviceId), 3, `the batch from ${identity.deviceId}`);
      assert.deepEqual(events.map((event): unknown[] => [event.body, event.properties]), [[{ n: 1 }, { index: '0' }], [{ n: 2 }, { index: '1' }], [{ n: 3 }, { index: '2' }]]);
    } finally {
      await reader.close();
    }
  });

  it('takes a policy token with DeviceConnect for the device, as the hub does', async () => {
    const identity = await hub.createDevice(newId('policy'));
    const reply = await deviceRequest(hub, { method: 'POST', path: `/devices/${identity.deviceId}/messages/events`, token: ownerPolicyToken(hub), body: 'by policy' });
    assert.equal(reply.status, 204);
    assert.deepEqual(hub.emulator.control.telemetry({ deviceId: identity.deviceId }).map((message) => String(message.body)), ['by policy']);
  });

  it('refuses a wrong key, a disabled device, another device\'s token, an unknown device and no token with 401, keeping nothing', async () => {
    const [victim, other] = [await hub.createDevice(newId('victim')), await hub.createDevice(newId('other'))];
    await assert.rejects(device(victim, Buffer.alloc(32, 7).toString('base64')).sendEvent(new Message('forged')), { name: 'UnauthorizedError' });
    const events = `/devices/${victim.deviceId}/messages/events`;
    for (const [token, what] of [[deviceToken(hub, other), 'another device\'s token'], [undefined, 'no token']] as const) {
      const reply = await deviceRequest(hub, { method: 'POST', path: events, token, body: 'spoofed' });
      assert.deepEqual([reply.status, errorCodeOf(reply)], [401, 'IotHubUnauthorizedAccess'], what);
    }
    const unknown = await deviceRequest(hub, { method: 'POST', path: '/devices/nobody-here/messages/events', token: ownerPolicyToken(hub), body: 'x' });
    assert.deepEqual([unknown.status, errorCodeOf(unknown)], [401, 'IotHubUnauthorizedAccess'], 'an unknown device');
    const record = (await hub.registry.get(victim.deviceId)).responseBody;
    await hub.registry.update(Object.assign(record, { status: 'disabled' }));
    await assert.rejects(device(victim).sendEvent(new Message('while disabled')), { name: 'UnauthorizedError' });
    assert.deepEqual([kept(victim.deviceId), kept(other.deviceId), kept('nobody-here')], [0, 0, 0]);
  });

  it('refuses a message over 256 KB with 413 and keeps it nowhere; 256 KB exactly is taken', async () => {
    const identity = await hub.createDevice(newId('large'));
    const client = device(identity);
    await assert.rejects(client.sendEvent(new Message(Buffer.alloc(256 * 1024 + 1, 1))), { name: 'MessageTooLargeError' });
    assert.equal(kept(identity.deviceId), 0);
    await client.sendEvent(new Message(Buffer.alloc(256 * 1024, 2)));
    assert.deepEqual(hub.emulator.control.telemetry({ deviceId: identity.deviceId }).map((message) => message.body.length), [256 * 1024]);
  });

  it('refuses a batch over 256 KB in all, and a message over 256 KB that the listener let through, with 413 MessageTooLarge', async () => {
    const roomy = await HubFixture.start({ configure: (builder) => builder.withMaxRequestBodyBytes(1024 * 1024) });
    const client = httpDevice(roomy, await roomy.createDevice(newId('roomy')));
    try {
      const half = (): InstanceType<typeof Message> => new Message(Buffer.alloc(150 * 1024, 3));
      for (const send of [() => client.sendEventBatch([half(), half()]), () => client.sendEvent(new Message(Buffer.alloc(256 * 1024 + 1)))]) {
        const refusal: unknown = await send().then(() => undefined, (error: unknown) => error);
        const response = (refusal as { response?: { statusCode?: number; headers?: Record<string, string> } } | undefined)?.response;
        assert.equal((refusal as Error | undefined)?.name, 'MessageTooLargeError');
        assert.deepEqual([response?.statusCode, response?.headers?.['iothub-errorcode']], [413, 'MessageTooLarge']);
      }
      assert.equal(roomy.emulator.control.telemetry().length, 0, 'no message of the batch was kept');
    } finally {
      await client.close();
      await roomy.stop();
    }
  });

  it('refuses a malformed batch with 400 ArgumentInvalid and keeps none of its messages', async () => {
    const identity = await hub.createDevice(newId('bad-batch'));
    const body = JSON.stringify([{ body: Buffer.from('fine').toString('base64') }, { body: 'not base64!' }]);
    const reply = await deviceRequest(hub, {
      method: 'POST', path: `/devices/${identity.deviceId}/messages/events`, token: deviceToken(hub, identity), headers: { 'content-type': 'application/vnd.microsoft.iothub.json' }, body,
    });
    assert.deepEqual([reply.status, errorCodeOf(reply)], [400, 'ArgumentInvalid']);
    assert.equal(kept(identity.deviceId), 0, 'the valid first message was not kept either');
  });

  it('refuses a module client: its token does not cover the device\'s endpoint, which is the only one the SDK posts to', async () => {
    const [parent, module] = await hub.createDeviceAndModule('http-module');
    const client = ModuleClient.fromConnectionString(hub.connectionString(module), Http);
    await assert.rejects(client.sendEvent(new Message('from a module')), { name: 'UnauthorizedError' });
    assert.deepEqual([kept(parent.deviceId), hub.emulator.control.telemetry({ deviceId: parent.deviceId, moduleId: module.moduleId ?? '' }).length], [0, 0]);
    await client.close();
  });
});
