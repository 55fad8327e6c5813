import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { Message, ServiceClient, ServiceMessage } from '../../src/sdk.js';
import { withDeadline } from '../../src/wait-for.js';
import { ReceivedCommands } from '../../src/flows/cloud-to-device.js';
import { BackEnd, ListeningDevice } from '../amqp/c2d-fixture.js';
import { TIMEOUT_MS } from '../amqp/event-hub-fixture.js';
import { newId } from '../mqtt/hub-fixture.js';
import { dataDirectory, PersistentHub } from './messaging-fixture.js';

/**
 * Issue 12, retention "in `--data` when given": a restarted emulator with the same data directory
 * serves the events its Event Hub-compatible endpoint kept (same partitions, sequence numbers,
 * offsets, enqueued times) and the cloud-to-device queues and feedback it held, once each.
 */
describe('persistence of messaging: restart with the same data directory', { timeout: 90_000 }, () => {
  const directories: string[] = [];
  after(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));
  const fresh = (): string => {
    const directory = dataDirectory('emulator-messaging-');
    directories.push(directory);
    return directory;
  };

  it('serves the kept events to the official consumer with the same positions, and numbering carries on', async () => {
    const directory = fresh();
    const hubName = newId('persist-events');
    const first = await PersistentHub.start(directory, hubName);
    const devices = [await first.createDevice('sensor-a'), await first.createDevice('sensor-b'), await first.createDevice('sensor-c')];
    for (const identity of devices) {
      const client = await first.client(identity);
      await client.open();
      for (let n = 0; n < 3; n++) await client.sendEvent(new Message(`${identity.deviceId} #${n}`));
      await withDeadline(client.close(), TIMEOUT_MS, 'a device client to close');
    }
    const before = await first.readAll(9);
    await first.stop();

    const second = await PersistentHub.start(directory, hubName);
    try {
      const afterRestart = await second.readAll(9);
      assert.deepEqual(afterRestart, before, 'the same events, at the same partitions, sequence numbers, offsets and enqueued times, none twice');
      const client = await second.client(devices[0] ?? assert.fail('no device'));
      await client.open();
      await client.sendEvent(new Message('after the restart'));
      await withDeadline(client.close(), TIMEOUT_MS, 'a device client to close');
      const all = await second.readAll(10);
      const fresh = all.find((event) => event.body === 'after the restart') ?? assert.fail('the new event was not read');
      const previous = before.filter((event) => event.partitionId === fresh.partitionId);
      assert.equal(fresh.sequenceNumber, Math.max(...previous.map((event) => event.sequenceNumber)) + 1, 'the partition numbers on from where it was, reusing nothing');
      assert.ok(previous.every((event) => Number(event.offset) < Number(fresh.offset)), 'offsets keep increasing');
      assert.equal(all.length, 10, 'nothing else appeared');
    } finally {
      await second.stop();
    }
  });

  it('delivers after a restart the commands queued before it, once, in order, with the feedback kept too', async () => {
    const directory = fresh();
    const hubName = newId('persist-c2d');
    const first = await PersistentHub.start(directory, hubName);
    const identity = await first.createDevice('valve');
    const online = await ListeningDevice.connect(first, identity);
    // A plain service client, with no feedback receiver: the Success feedback of 'before' stays queued.
    const service = ServiceClient.fromConnectionString(first.emulator.getServiceConnectionString());
    await service.open();
    const send = async (body: string): Promise<void> => {
      const message = new ServiceMessage(body);
      message.messageId = body;
      message.ack = 'full';
      await service.send(identity.deviceId, message);
    };
    await send('before');
    assert.equal(String((await online.nextMessage()).data), 'before');
    await online.close();
    await send('queued-1');
    await send('queued-2');
    await service.close();
    await waitForPending(first, identity.deviceId, 2);
    await first.stop();

    const second = await PersistentHub.start(directory, hubName);
    const backEnd = await BackEnd.open(second.emulator.getServiceConnectionString());
    try {
      assert.equal(await pendingCount(second, identity.deviceId), 2, 'both queued commands survived');
      // The listener before open: the device's MQTT session (clean=false) was kept too, so the hub
      // delivers as soon as it connects, before a listener added after open() would be there.
      const client = await second.client(identity);
      const commands = new ReceivedCommands(client);
      await client.open();
      const nth = (count: number): Promise<string> => commands.nth(count, TIMEOUT_MS).then((message) => String(message.data));
      try {
        assert.equal(await nth(1), 'queued-1');
        assert.equal(await nth(2), 'queued-2');
        const feedback = await Promise.all(['before', 'queued-1', 'queued-2'].map((id) => backEnd.feedbackFor(id)));
        assert.deepEqual(feedback.map((record) => record.statusCode), ['Success', 'Success', 'Success']);
        await waitForPending(second, identity.deviceId, 0);
        // A sentinel sent last: once it arrives, anything delivered twice would have arrived before it.
        await backEnd.send(identity.deviceId, 'sentinel');
        assert.equal(await nth(3), 'sentinel', 'no command was delivered twice, and "before" not again');
      } finally {
        await withDeadline(client.close(), TIMEOUT_MS, 'the device client to close');
      }
      assert.equal(backEnd.sender.feedback.filter((record) => record.originalMessageId === 'before').length, 1, 'the kept feedback came once');
    } finally {
      await backEnd.close();
      await second.stop();
    }
  });
});

async function pendingCount(hub: PersistentHub, deviceId: string): Promise<number> {
  return Number((await hub.registry.get(deviceId)).responseBody.cloudToDeviceMessageCount);
}

/** The device's queue holds `count` messages (the completion of a PUBACK is asynchronous to the device). */
async function waitForPending(hub: PersistentHub, deviceId: string, count: number): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  let seen = await pendingCount(hub, deviceId);
  while (seen !== count) {
    if (Date.now() > deadline) assert.fail(`waited ${TIMEOUT_MS} ms for ${count} pending message(s) for ${deviceId}; saw ${seen}`);
    await new Promise((resolve) => setImmediate(resolve));
    seen = await pendingCount(hub, deviceId);
  }
}
