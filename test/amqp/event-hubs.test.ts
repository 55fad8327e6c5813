import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModuleClient as ModuleClientType } from 'azure-iot-device';
import { earliestEventPosition, latestEventPosition, type EventHubConsumerClient } from '@azure/event-hubs';
import type { DeviceSideClient } from '../../src/flows/device-client-factory.js';
import { Message } from '../../src/sdk.js';
import { withDeadline } from '../../src/wait-for.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { consumerFor, EventReader, TIMEOUT_MS, type ReadEvent } from './event-hub-fixture.js';

/**
 * The hub's built-in Event Hub-compatible endpoint read with the official `EventHubConsumerClient`
 * over AMQPS ("Read device-to-cloud messages from the built-in endpoint"; wire notes §5): official
 * device and module clients send over MQTT, the back end reads what they sent, once, with the hub's
 * annotations, from the partition the device maps to.
 */
describe('the Event Hub-compatible endpoint read with @azure/event-hubs', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let consumer: EventHubConsumerClient;
  let connectionString: string;
  const clients: DeviceSideClient[] = [];
  before(async () => {
    hub = await HubFixture.start({ configure: (builder) => builder.withEventHub({ consumerGroups: ['analytics'] }) });
    connectionString = hub.emulator.getEventHubsConnectionString();
    consumer = consumerFor(connectionString);
  });
  after(async () => {
    await Promise.all(clients.map((client) => withDeadline(client.close(), TIMEOUT_MS, 'a device client to close')));
    await consumer.close();
    await hub.stop();
  });

  const connect = async (identity: IdentityKeys): Promise<DeviceSideClient> => {
    const client = await hub.client(identity);
    clients.push(client);
    await client.open();
    return client;
  };
  const fromDevice = (deviceId: string) => (event: ReadEvent): boolean => event.systemProperties?.['iothub-connection-device-id'] === deviceId;
  /** Sends a probe and reads it back: the event says which partition the device maps to. */
  const partitionOf = async (deviceId: string, device: DeviceSideClient): Promise<ReadEvent> => {
    await device.sendEvent(new Message('probe'));
    const reader = new EventReader(connectionString, { startPosition: earliestEventPosition });
    try {
      const [probe] = await reader.eventsWhere(fromDevice(deviceId), 1, `a probe from ${deviceId}`);
      assert.ok(probe !== undefined);
      return probe;
    } finally {
      await reader.close();
    }
  };

  it('delivers a device\'s telemetry once, with its body, properties and the hub\'s annotations', async () => {
    const identity = await hub.createDevice(newId('thermostat'));
    const device = await connect(identity);
    const reader = new EventReader(connectionString, { startPosition: earliestEventPosition });
    try {
      const message = new Message('{"temperature":21.5}');
      Object.assign(message, { messageId: 'm-21', correlationId: 'c-21', contentType: 'application/json', contentEncoding: 'utf-8' });
      message.properties.add('alert', 'none');
      await device.sendEvent(message);
      await device.sendEvent(new Message('sentinel'));
      const [event, sentinel] = await reader.eventsWhere(fromDevice(identity.deviceId), 2, `telemetry from ${identity.deviceId}`);
      assert.ok(event !== undefined && sentinel !== undefined);
      assert.deepEqual(event.body, { temperature: 21.5 }, 'a JSON body comes back parsed, as the SDK does');
      assert.deepEqual(event.properties, { alert: 'none' });
      assert.deepEqual([event.messageId, event.correlationId, event.contentType], ['m-21', 'c-21', 'application/json']);
      const system = event.systemProperties ?? {};
      const record = (await hub.registry.get(identity.deviceId)).responseBody;
      assert.equal(system.contentEncoding, 'utf-8');
      assert.equal(system['iothub-connection-module-id'], undefined, 'a device message names no module');
      assert.equal(system['iothub-connection-auth-generation-id'], record.generationId);
      assert.deepEqual(JSON.parse(String(system['iothub-connection-auth-method'])), { scope: 'device', type: 'sas', issuer: 'iothub', acceptingIpFilterRule: null });
      assert.equal(system['iothub-message-source'], 'Telemetry');
      assert.equal(typeof system['iothub-enqueuedtime'], 'number', 'a timestamp, which the SDK turns into epoch ms');
      assert.equal(typeof event.sequenceNumber, 'number');
      assert.equal(typeof event.offset, 'string');
      assert.ok(Math.abs(event.enqueuedTimeUtc.getTime() - Date.now()) < 60_000, 'x-opt-enqueued-time is the enqueue time');
      assert.equal(sentinel.partitionId, event.partitionId, 'a device\'s messages stay in one partition');
      assert.equal(sentinel.sequenceNumber, event.sequenceNumber + 1, 'in the order sent');
      assert.equal(reader.events.filter(fromDevice(identity.deviceId)).length, 2, 'nothing was delivered twice');
      assert.deepEqual(reader.errors, []);
    } finally {
      await reader.close();
    }
  });

  it('delivers a module\'s output with the module\'s id, in its device\'s partition', async () => {
    const device = await hub.createDevice(newId('edge'));
    const module = await hub.createModule(device.deviceId, 'filter');
    const reader = new EventReader(connectionString, { startPosition: earliestEventPosition });
    try {
      await (await connect(device)).sendEvent(new Message('from the device'));
      await ((await connect(module)) as ModuleClientType).sendOutputEvent('alerts', new Message('{"level":"high"}'));
      const events = await reader.eventsWhere(fromDevice(device.deviceId), 2, `messages from ${device.deviceId} and its module`);
      const output = events.find((event) => event.systemProperties?.['iothub-connection-module-id'] === 'filter');
      assert.ok(output !== undefined, 'the module\'s output arrived, tagged with the module id');
      assert.deepEqual(output.body, { level: 'high' });
      assert.equal((JSON.parse(String(output.systemProperties?.['iothub-connection-auth-method'])) as { scope: string }).scope, 'module');
      assert.equal(new Set(events.map((event) => event.partitionId)).size, 1, 'a module\'s messages go to its device\'s partition');
    } finally {
      await reader.close();
    }
  });

  it('answers the hub\'s and each partition\'s runtime information on $management', async () => {
    const properties = await consumer.getEventHubProperties();
    assert.equal(properties.name, hub.emulator.getEventHubsConnectionString().split('EntityPath=')[1]);
    assert.deepEqual(properties.partitionIds, ['0', '1', '2', '3'], 'a new hub has 4 partitions');
    const identity = await hub.createDevice(newId('meter'));
    const reader = new EventReader(connectionString, { startPosition: earliestEventPosition });
    try {
      await (await connect(identity)).sendEvent(new Message('reading'));
      const [event] = await reader.eventsWhere(fromDevice(identity.deviceId), 1, `the reading from ${identity.deviceId}`);
      assert.ok(event !== undefined);
      const partition = await consumer.getPartitionProperties(event.partitionId);
      assert.equal(partition.partitionId, event.partitionId);
      assert.equal(partition.isEmpty, false);
      assert.ok(partition.lastEnqueuedSequenceNumber >= event.sequenceNumber);
      assert.equal(partition.beginningSequenceNumber, 0);
      await assert.rejects(consumer.getPartitionProperties('4'), { code: 'ArgumentOutOfRangeError' });
    } finally {
      await reader.close();
    }
  });

  it('serves each consumer group its own readers, and refuses an unknown group or partition', async () => {
    const identity = await hub.createDevice(newId('shared'));
    const readers = [new EventReader(connectionString, { startPosition: earliestEventPosition }), new EventReader(connectionString, { consumerGroup: 'ANALYTICS',  startPosition: earliestEventPosition })];
    const refused = new EventReader(connectionString, { consumerGroup: 'nobody',  partitionId: '0', startPosition: earliestEventPosition });
    const outOfRange = new EventReader(connectionString, { partitionId: '7', startPosition: earliestEventPosition });
    try {
      await (await connect(identity)).sendEvent(new Message('for everyone'));
      for (const reader of readers) assert.equal((await reader.eventsWhere(fromDevice(identity.deviceId), 1, 'the shared event')).length, 1);
      assert.equal((await refused.firstError('the unknown consumer group refused')).code, 'MessagingEntityNotFoundError');
      assert.equal((await outOfRange.firstError('partition 7 refused')).code, 'ArgumentOutOfRangeError');
      assert.deepEqual([refused.events.length, outOfRange.events.length], [0, 0], 'a refused reader reads nothing');
    } finally {
      await Promise.all([...readers, refused, outOfRange].map((reader) => reader.close()));
    }
  });

  it('starts a reader at "latest" after what was already there, and stamps the last enqueued event when asked', async () => {
    const identity = await hub.createDevice(newId('late'));
    const device = await connect(identity);
    const before = await partitionOf(identity.deviceId, device);
    const reader = new EventReader(connectionString, { partitionId: before.partitionId, startPosition: latestEventPosition, trackLastEnqueuedEventProperties: true });
    try {
      await reader.attached([before.partitionId]);
      await device.sendEvent(new Message('after'));
      const [after] = await reader.eventsWhere(fromDevice(identity.deviceId), 1, 'the message sent after the reader attached');
      assert.equal(String(after?.body), 'after');
      assert.equal(reader.events.filter(fromDevice(identity.deviceId)).length, 1, 'the earlier message was not read');
      assert.equal(reader.lastEnqueued.get(before.partitionId)?.sequenceNumber, after?.sequenceNumber);
    } finally {
      await reader.close();
    }
  });

  it('lets a reader with a higher owner level take a partition over, and refuses readers below it', async () => {
    const identity = await hub.createDevice(newId('owned'));
    const device = await connect(identity);
    const { partitionId } = await partitionOf(identity.deviceId, device);
    const owner = new EventReader(connectionString, { partitionId, startPosition: latestEventPosition, ownerLevel: 1 });
    await owner.attached([partitionId]);
    const successor = new EventReader(connectionString, { partitionId, startPosition: latestEventPosition, ownerLevel: 2 });
    const withoutLevel = new EventReader(connectionString, { partitionId, startPosition: latestEventPosition });
    try {
      assert.equal((await owner.firstError('the first owner disconnected')).code, 'ReceiverDisconnectedError');
      await successor.attached([partitionId]);
      assert.equal((await withoutLevel.firstError('a reader without owner level refused')).code, 'ReceiverDisconnectedError');
      await device.sendEvent(new Message('after the takeover'));
      await successor.eventsWhere(fromDevice(identity.deviceId), 1, 'the message sent after the takeover');
      assert.deepEqual(successor.errors, [], 'the new owner keeps the partition');
      assert.deepEqual([owner.events.length, withoutLevel.events.length], [0, 0], 'the displaced and the refused reader read nothing');
    } finally {
      await Promise.all([owner.close(), successor.close(), withoutLevel.close()]);
    }
  });
});
