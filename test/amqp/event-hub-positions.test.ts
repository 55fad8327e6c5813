import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { earliestEventPosition, type EventPosition } from '@azure/event-hubs';
import type { DeviceSideClient } from '../../src/flows/device-client-factory.js';
import { Message } from '../../src/sdk.js';
import { withDeadline } from '../../src/wait-for.js';
import { ManualClock } from '../../emulator/state/clock.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';
import { consumerFor, EventReader, eventHubsToken, parseEventHubsConnectionString, TIMEOUT_MS, type ReadEvent } from './event-hub-fixture.js';

const bodies = (events: readonly ReadEvent[]): string[] => events.map((event) => String(event.body));

/**
 * Where a reader starts (the selector filters the SDK sends, wire notes §5.3), how long the
 * endpoint keeps events (retention: a count and an age, on the emulator's clock), and who may read
 * (Event Hubs SAS tokens signed with a ServiceConnect policy's key).
 */
describe('Event Hub-compatible endpoint: start positions, retention and access', { timeout: 60_000 }, () => {
  const clock = new ManualClock(new Date());
  let hub: HubFixture;
  let connectionString: string;
  let device: DeviceSideClient;
  let deviceId: string;
  before(async () => {
    hub = await HubFixture.start({ configure: (builder) => builder.withClock(clock).withEventHub({ partitionCount: 2, retention: { maxEvents: 4, retentionMs: 10 * 60_000 } }) });
    connectionString = hub.emulator.getEventHubsConnectionString();
    const identity = await hub.createDevice(newId('positions'));
    deviceId = identity.deviceId;
    device = await hub.client(identity);
    await device.open();
  });
  after(async () => {
    await withDeadline(device.close(), TIMEOUT_MS, 'the device client to close');
    await hub.stop();
  });

  const fromDevice = (event: ReadEvent): boolean => event.systemProperties?.['iothub-connection-device-id'] === deviceId;
  /** Reads from `position` until `last` arrives (events come in order: nothing before it can come later). */
  const readFrom = async (position: EventPosition, partitionId: string, last: string): Promise<string[]> => {
    const reader = new EventReader(connectionString, { partitionId, startPosition: position });
    try {
      await reader.eventsWhere((event) => fromDevice(event) && String(event.body) === last, 1, `'${last}' from ${JSON.stringify(position)}`);
      return bodies(reader.events.filter(fromDevice));
    } finally {
      await reader.close();
    }
  };

  it('starts after or at an offset, a sequence number or an enqueued time, as the filter says', async () => {
    for (const body of ['e0', 'e1', 'e2']) {
      await device.sendEvent(new Message(body));
      clock.advanceSeconds(1);
    }
    const all = new EventReader(connectionString, { startPosition: earliestEventPosition });
    const events = await all.eventsWhere(fromDevice, 3, 'e0, e1, e2').finally(() => all.close());
    const [e0, e1] = events;
    assert.ok(e0 !== undefined && e1 !== undefined);
    assert.deepEqual(bodies(events), ['e0', 'e1', 'e2']);
    const { partitionId } = e1;
    assert.deepEqual(await readFrom({ sequenceNumber: e1.sequenceNumber }, partitionId, 'e2'), ['e2']);
    assert.deepEqual(await readFrom({ sequenceNumber: e1.sequenceNumber, isInclusive: true }, partitionId, 'e2'), ['e1', 'e2']);
    assert.deepEqual(await readFrom({ offset: e1.offset }, partitionId, 'e2'), ['e2']);
    assert.deepEqual(await readFrom({ offset: e1.offset, isInclusive: true }, partitionId, 'e2'), ['e1', 'e2']);
    assert.deepEqual(await readFrom({ enqueuedOn: e1.enqueuedTimeUtc }, partitionId, 'e2'), ['e2']);
    assert.deepEqual(await readFrom({ enqueuedOn: e0.enqueuedTimeUtc.getTime() - 1 }, partitionId, 'e2'), ['e0', 'e1', 'e2']);
    assert.ok(BigInt(e1.offset) > BigInt(e0.offset), 'offsets grow along the partition');
  });

  it('keeps at most the configured number of events per partition, and none older than the retention period', async () => {
    const consumer = consumerFor(connectionString);
    try {
      assert.deepEqual((await consumer.getEventHubProperties()).partitionIds, ['0', '1'], 'the configured partition count');
      for (const body of ['r0', 'r1', 'r2', 'r3', 'r4']) await device.sendEvent(new Message(body));
      const partitionId = (await consumer.getPartitionProperties('0')).lastEnqueuedSequenceNumber >= 0 ? '0' : '1';
      const kept = await readFrom(earliestEventPosition, partitionId, 'r4');
      assert.deepEqual(kept, ['r1', 'r2', 'r3', 'r4'], 'the oldest events were evicted first');
      const partition = await consumer.getPartitionProperties(partitionId);
      assert.equal(partition.lastEnqueuedSequenceNumber - partition.beginningSequenceNumber + 1, 4);
      clock.advanceSeconds(10 * 60 + 1);
      const expired = await consumer.getPartitionProperties(partitionId);
      assert.equal(expired.isEmpty, true, 'everything older than the retention period is gone');
      assert.equal(expired.lastEnqueuedSequenceNumber, partition.lastEnqueuedSequenceNumber, 'numbering is kept');
      await device.sendEvent(new Message('fresh'));
      assert.deepEqual(await readFrom(earliestEventPosition, partitionId, 'fresh'), ['fresh'], 'only the new event is read from the earliest position');
    } finally {
      await consumer.close();
    }
  });

  it('refuses a wrong key, a policy without ServiceConnect, an expired token and an unknown entity, promptly', async () => {
    const { endpoint, keyName, key, entityPath } = parseEventHubsConnectionString(connectionString);
    const registryRead = hub.emulator.getEventHubsConnectionString('registryRead');
    const expiredToken = eventHubsToken(`${endpoint}${entityPath}`, keyName, key, Math.floor(clock.now().getTime() / 1000) - 10);
    const parentToken = eventHubsToken(`${endpoint}${entityPath}`, keyName, key, Math.floor(clock.now().getTime() / 1000) + 600);
    const cases: Array<[string, string, string]> = [
      ['a wrong key', connectionString.replace(`SharedAccessKey=${key}`, `SharedAccessKey=${Buffer.alloc(32, 7).toString('base64')}`), 'UnauthorizedError'],
      ['a policy without ServiceConnect', registryRead, 'UnauthorizedError'],
      ['an expired token', `Endpoint=${endpoint};SharedAccessSignature=${expiredToken};EntityPath=${entityPath}`, 'UnauthorizedError'],
      ['an unknown entity', connectionString.replace(`EntityPath=${entityPath}`, 'EntityPath=another-hub'), 'MessagingEntityNotFoundError'],
    ];
    for (const [what, refused, code] of cases) {
      const consumer = consumerFor(refused);
      const started = Date.now();
      try {
        await assert.rejects(consumer.getEventHubProperties(), { code }, what);
        assert.ok(Date.now() - started < TIMEOUT_MS, `${what} is refused at once, not after a timeout`);
      } finally {
        await consumer.close();
      }
    }
    const scoped = consumerFor(`Endpoint=${endpoint};SharedAccessSignature=${parentToken};EntityPath=${entityPath}`);
    try {
      assert.equal((await scoped.getEventHubProperties()).name, entityPath, 'a token for the hub\'s entity covers the entities under it');
    } finally {
      await scoped.close();
    }
  });
});
