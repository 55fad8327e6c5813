import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { EventContext, Message, Receiver, Sender } from '../../emulator/amqp/rhea.js';
import { dataBody } from '../../emulator/amqp/message-fields.js';
import { makeDeviceToken } from '../../src/flows/device-client-factory.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { waitFor, withDeadline } from '../../src/wait-for.js';
import { BareClient } from '../amqp/event-hub-bare-client.js';
import { TIMEOUT_MS } from '../amqp/event-hub-fixture.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';

/** Resolves with the condition the emulator closed a sender with. */
async function senderClosedWith(sender: Sender): Promise<string | undefined> {
  sender.on('sender_error', () => undefined);
  await withDeadline(once(sender, 'sender_close'), TIMEOUT_MS, 'the emulator to close the sender');
  return (sender.error as { condition?: string } | undefined)?.condition;
}

async function receiverClosedWith(receiver: Receiver): Promise<string | undefined> {
  receiver.on('receiver_error', () => undefined);
  await withDeadline(once(receiver, 'receiver_close'), TIMEOUT_MS, 'the emulator to close the receiver');
  return (receiver.error as { condition?: string } | undefined)?.condition;
}

/** Sends one transfer and resolves with how the emulator settled it: 'accepted', or the rejection's condition. */
async function settlementOf(sender: Sender, message: Message): Promise<string> {
  if (!sender.sendable()) await withDeadline(once(sender, 'sendable'), TIMEOUT_MS, 'credit to send');
  const delivery = sender.send(message);
  return withDeadline(new Promise<string>((resolve) => {
    sender.on('accepted', (context: EventContext) => context.delivery === delivery && resolve('accepted'));
    sender.on('rejected', (context: EventContext) => context.delivery === delivery && resolve(String((context.delivery.remote_state as { error?: { condition?: string } } | undefined)?.error?.condition)));
  }), TIMEOUT_MS, 'the transfer to be settled');
}

/**
 * Bad input to the hub's device-side AMQP links (issue 14, "Bad input per transport"), from a bare
 * rhea client holding device A's claim: wrong addresses and roles, another identity's links, bodies
 * the hub does not carry, oversized messages and malformed twin requests. Each gets the hub's
 * condition or status, nothing is kept, and a bystander device on the SDK keeps working.
 */
describe('bad inputs to the device side of the AMQP endpoint', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let device: IdentityKeys;
  let other: IdentityKeys;
  let bare: BareClient;
  let bystander: DeviceTwinSession;
  let bystanderId: string;
  let deviceToken: string;
  before(async () => {
    hub = await HubFixture.start();
    [device, other] = await Promise.all([hub.createDevice(newId('bad')), hub.createDevice(newId('other'))]);
    bare = await BareClient.open(hub);
    const resource = `${hub.emulator.hostName}/devices/${device.deviceId}`;
    deviceToken = makeDeviceToken({ hostName: hub.emulator.hostName, deviceId: device.deviceId }, device.primaryKey, Math.floor(Date.now() / 1000) + 600);
    assert.equal(await bare.putToken(encodeURIComponent(resource), deviceToken), 200);
    const bystanderKeys = await hub.createDevice(newId('bystander'));
    bystanderId = bystanderKeys.deviceId;
    bystander = await DeviceTwinSession.open(await hub.client(bystanderKeys, 'amqp'));
  });
  after(async () => {
    bare.close();
    await bystander.close();
    await hub.stop();
  });

  const own = (suffix: string): string => `/devices/${device.deviceId}/${suffix}`;

  it('refuses wrong addresses and roles with amqp:not-found, and another identity\'s links with amqp:unauthorized-access', async () => {
    const refusals = {
      'an unknown node under the device': await senderClosedWith(bare.connection.open_sender(own('nowhere'))),
      'C2D attached as a sender': await senderClosedWith(bare.connection.open_sender(own('messages/devicebound'))),
      'methods/devicebound of a module for C2D': await receiverClosedWith(bare.connection.open_receiver(`/devices/${device.deviceId}/modules/m1/messages/devicebound`)),
      "another device's telemetry link": await senderClosedWith(bare.connection.open_sender(`/devices/${other.deviceId}/messages/events`)),
      "another device's twin": await receiverClosedWith(bare.connection.open_receiver(`/devices/${other.deviceId}/twin`)),
      "a module's link with its device's claim": await senderClosedWith(bare.connection.open_sender(`/devices/${device.deviceId}/modules/m1/messages/events`)),
    };
    assert.deepEqual(refusals, {
      'an unknown node under the device': 'amqp:not-found',
      'C2D attached as a sender': 'amqp:not-found',
      'methods/devicebound of a module for C2D': 'amqp:not-found',
      "another device's telemetry link": 'amqp:unauthorized-access',
      "another device's twin": 'amqp:unauthorized-access',
      "a module's link with its device's claim": 'amqp:unauthorized-access',
    });
  });

  it('rejects an oversized message and a body that is not a data section, and keeps neither', async () => {
    const events = bare.connection.open_sender(own('messages/events'));
    assert.equal(await settlementOf(events, { body: dataBody(Buffer.alloc(256 * 1024 + 1, 1)) }), 'amqp:link:message-size-exceeded');
    assert.equal(await settlementOf(events, { body: { map: 'not a data section' } }), 'com.microsoft:argument-error');
    assert.equal(hub.emulator.control.telemetry({ deviceId: device.deviceId }).length, 0, 'nothing was kept');
    assert.equal(await settlementOf(events, { body: dataBody(Buffer.from('fine')) }), 'accepted', 'the link still serves');
    assert.equal(hub.emulator.control.telemetry({ deviceId: device.deviceId }).length, 1);
  });

  it('answers malformed twin requests with status 400 and leaves the twin as it was', async () => {
    const replies: Message[] = [];
    const receiver = bare.connection.open_receiver({ source: { address: own('twin') }, target: { address: 'twin-replies' } });
    receiver.on('message', (context: EventContext) => context.message !== undefined && replies.push(context.message) && bare.changes.emit('change'));
    const requests = bare.connection.open_sender({ target: { address: own('twin') }, snd_settle_mode: 1 });
    await withDeadline(Promise.all([once(receiver, 'receiver_open'), once(requests, 'sendable')]), TIMEOUT_MS, 'the twin links to open');
    const ask = async (id: string, annotations: Record<string, unknown>, body: string): Promise<unknown> => {
      requests.send({ correlation_id: id, message_annotations: annotations, body: dataBody(Buffer.from(body)) });
      const reply = await waitFor(() => replies.find((candidate) => candidate.correlation_id === id), { description: `the twin reply to ${id}`, timeoutMs: TIMEOUT_MS, changes: bare.changes });
      return reply.message_annotations?.status;
    };
    const before = (await hub.registry.getTwin(device.deviceId)).responseBody.properties.reported.$version as number;
    assert.deepEqual([
      await ask('r1', { operation: 'FOO' }, ' '),
      await ask('r2', { operation: 'PATCH', resource: '/properties/reported' }, '{not json'),
      await ask('r3', { operation: 'PATCH', resource: '/properties/desired' }, '{"a":1}'),
      await ask('r4', { operation: 'PUT', resource: '/notifications/elsewhere' }, ' '),
    ], [400, 400, 400, 400]);
    assert.equal((await hub.registry.getTwin(device.deviceId)).responseBody.properties.reported.$version, before, 'the reported properties did not change');
  });

  it('takes a modified disposition (delivery failed, undeliverable here) as an abandon: the command comes back, nothing is lost', async () => {
    const received: EventContext[] = [];
    const receiver = bare.connection.open_receiver({ source: { address: own('messages/devicebound') }, target: { address: 'c2d' }, autoaccept: false });
    receiver.on('message', (context: EventContext) => received.push(context) && bare.changes.emit('change'));
    await withDeadline(once(receiver, 'receiver_open'), TIMEOUT_MS, 'the C2D receiver to open');
    await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'reboot' });
    const first = await waitFor(() => received[0], { description: 'the command', timeoutMs: TIMEOUT_MS, changes: bare.changes });
    first.delivery?.modified({ delivery_failed: true, undeliverable_here: true });
    const again = await waitFor(() => received[1], { description: 'the command delivered again', timeoutMs: TIMEOUT_MS, changes: bare.changes });
    assert.equal(String((again.message?.body as { content?: Buffer } | undefined)?.content), 'reboot');
    assert.equal(again.message?.message_annotations?.['iothub-deliverycount'], 1, 'its delivery count went up');
    again.delivery?.accept();
    // A put-token after the disposition, on the same connection: its answer means the disposition was read.
    assert.equal(await bare.putToken(encodeURIComponent(`${hub.emulator.hostName}/devices/${device.deviceId}`), deviceToken), 200);
    assert.equal(Number((await hub.registry.get(device.deviceId)).responseBody.cloudToDeviceMessageCount), 0, 'the accepted command left the queue');
  });

  it('keeps serving the bystander device on its own connection', async () => {
    await bystander.reportProperties({ still: 'served' });
    const twin = (await hub.registry.getTwin(bystanderId)).responseBody;
    assert.equal(twin.properties.reported.still, 'served');
    assert.equal(bystander.disconnects, 0, 'the bystander was never disconnected');
  });
});
