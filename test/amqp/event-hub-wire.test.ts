import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { Message as DeviceMessage } from '../../src/sdk.js';
import { waitFor, withDeadline } from '../../src/wait-for.js';
import type { DeviceSideClient } from '../../src/flows/device-client-factory.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';
import { BareClient, closedWith, selector } from './event-hub-bare-client.js';
import { consumerFor, eventHubsToken, parseEventHubsConnectionString, TIMEOUT_MS } from './event-hub-fixture.js';

describe('Event Hub-compatible endpoint on the wire: credit, refusals and expiry', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let device: DeviceSideClient;
  let audienceOf: (entity: string) => string;
  let tokenFor: (audience: string, lifetimeSeconds?: number) => string;
  let hubName: string;
  let partition: string;
  before(async () => {
    hub = await HubFixture.start();
    const { endpoint, keyName, key, entityPath } = parseEventHubsConnectionString(hub.emulator.getEventHubsConnectionString());
    hubName = entityPath;
    audienceOf = (entity) => `${endpoint}${entityPath}${entity}`;
    tokenFor = (audience, lifetimeSeconds = 600) => eventHubsToken(audience, keyName, key, Math.floor(Date.now() / 1000) + lifetimeSeconds);
    const identity = await hub.createDevice(newId('wire'));
    device = await hub.client(identity);
    await device.open();
    for (let n = 0; n < 5; n++) await device.sendEvent(new DeviceMessage(`m${n}`));
    const consumer = consumerFor(hub.emulator.getEventHubsConnectionString());
    const partitions = await Promise.all(['0', '1', '2', '3'].map(async (id) => ((await consumer.getPartitionProperties(id)).isEmpty ? undefined : id)));
    await consumer.close();
    partition = partitions.find((id) => id !== undefined) ?? '0';
  });
  after(async () => {
    await withDeadline(device.close(), TIMEOUT_MS, 'the device client to close');
    await hub.stop();
  });

  it('never delivers beyond the credit the client granted', async () => {
    const bare = await BareClient.open(hub);
    try {
      const address = `${hubName}/ConsumerGroups/$Default/Partitions/${partition}`;
      assert.equal(await bare.putToken(audienceOf(`/ConsumerGroups/$Default/Partitions/${partition}`), tokenFor(audienceOf(`/ConsumerGroups/$Default/Partitions/${partition}`))), 200);
      const { receiver, messages } = bare.attach(address);
      await withDeadline(once(receiver, 'receiver_open'), TIMEOUT_MS, 'the receiver to attach');
      // A round trip on the same connection: anything sent without credit would have arrived before its answer.
      await bare.putToken(audienceOf(''), tokenFor(audienceOf('')));
      assert.equal(messages.length, 0, 'nothing without credit');
      receiver.add_credit(2);
      await waitFor(() => (messages.length >= 2 ? true : undefined), { description: 'two events for two credits', timeoutMs: TIMEOUT_MS, changes: bare.changes });
      await bare.putToken(audienceOf(''), tokenFor(audienceOf('')));
      assert.deepEqual(messages.map((message) => String((message.body as { content: Buffer }).content)), ['m0', 'm1'], 'two credits, two events');
      receiver.add_credit(1);
      await waitFor(() => (messages.length >= 3 ? true : undefined), { description: 'a third event for a third credit', timeoutMs: TIMEOUT_MS, changes: bare.changes });
      await bare.putToken(audienceOf(''), tokenFor(audienceOf('')));
      assert.equal(messages.length, 3);
      assert.deepEqual(messages.map((message): unknown => message.message_annotations?.['x-opt-sequence-number']), [0, 1, 2]);
    } finally {
      bare.close();
    }
  });

  it('refuses links without a token, to unknown addresses, with a filter it cannot read, or to a partition it does not have', async () => {
    const bare = await BareClient.open(hub);
    try {
      assert.equal(await closedWith(bare.attach(`${hubName}/ConsumerGroups/$Default/Partitions/0`).receiver), 'amqp:unauthorized-access', 'no token yet');
      assert.equal(await bare.putToken(audienceOf(''), 'SharedAccessSignature sr=x&sig=y&se=1&skn=iothubowner'), 401, 'a forged token');
      assert.equal(await bare.putToken(audienceOf(''), tokenFor(audienceOf(''))), 200);
      assert.equal(await closedWith(bare.attach(`${hubName}/ConsumerGroups/$Default/Nowhere/0`).receiver), 'amqp:not-found');
      assert.equal(await closedWith(bare.attach(`${hubName}/ConsumerGroups/$Default/Partitions/9`).receiver), 'com.microsoft:argument-out-of-range');
      assert.equal(await closedWith(bare.attach(`${hubName}/ConsumerGroups/$Default/Partitions/0`, selector('x-opt-offset = 3')).receiver), 'com.microsoft:argument-error');
      const { receiver, messages } = bare.attach(`${hubName}/ConsumerGroups/$Default/Partitions/${partition}`);
      receiver.add_credit(10);
      await waitFor(() => (messages.length >= 5 ? true : undefined), { description: 'the partition still served on the same connection', timeoutMs: TIMEOUT_MS, changes: bare.changes });
    } finally {
      bare.close();
    }
  });

  it('closes a reader with amqp:unauthorized-access when its token runs out', async () => {
    const bare = await BareClient.open(hub);
    try {
      const audience = audienceOf(`/ConsumerGroups/$Default/Partitions/${partition}`);
      assert.equal(await bare.putToken(audience, tokenFor(audience, 2)), 200);
      const { receiver } = bare.attach(`${hubName}/ConsumerGroups/$Default/Partitions/${partition}`);
      await withDeadline(once(receiver, 'receiver_open'), TIMEOUT_MS, 'the receiver to attach');
      assert.equal(await closedWith(receiver), 'amqp:unauthorized-access');
    } finally {
      bare.close();
    }
  });
});
