import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { DeviceSideClient } from '../../src/flows/device-client-factory.js';
import { Message } from '../../src/sdk.js';
import { waitFor, withDeadline } from '../../src/wait-for.js';
import { BareClient, closedWith, selector } from '../amqp/event-hub-bare-client.js';
import { eventHubsToken, parseEventHubsConnectionString, TIMEOUT_MS } from '../amqp/event-hub-fixture.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';

interface BadInput {
  readonly name: string;
  /** What the emulator answered: a link's detach condition, a put-token's or a management request's status. */
  readonly answer: (bare: BareClient) => Promise<unknown>;
  readonly expected: unknown;
}

/**
 * Bad inputs to the Event Hub-compatible endpoint (issue 12, "Bad input"): each gets Event Hubs' AMQP
 * error condition or status, on a connection that keeps serving, while a reader on another
 * connection keeps reading: nothing else is disturbed.
 */
describe('bad inputs to the Event Hub-compatible endpoint', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let device: DeviceSideClient;
  let hubName: string;
  let audienceOf: (entity: string) => string;
  let tokenFor: (audience: string, expiryOffsetSeconds?: number, key?: string) => string;
  before(async () => {
    hub = await HubFixture.start();
    const { endpoint, keyName, key, entityPath } = parseEventHubsConnectionString(hub.emulator.getEventHubsConnectionString());
    hubName = entityPath;
    audienceOf = (entity) => `${endpoint}${entityPath}${entity}`;
    tokenFor = (audience, expiryOffsetSeconds = 600, signingKey = key) => eventHubsToken(audience, keyName, signingKey, Math.floor(Date.now() / 1000) + expiryOffsetSeconds);
    device = await hub.client(await hub.createDevice(newId('bystander')));
    await device.open();
  });
  after(async () => {
    await withDeadline(device.close(), TIMEOUT_MS, 'the device client to close');
    await hub.stop();
  });

  const partition = (group: string, id: string): string => `${hubName}/ConsumerGroups/${group}/Partitions/${id}`;
  const attach = (address: string, filter?: Record<string, unknown>) => async (bare: BareClient): Promise<unknown> => closedWith(bare.attach(address, filter).receiver);
  const putToken = (audience: () => string, token: () => string) => (bare: BareClient): Promise<unknown> => bare.putToken(audience(), token());
  const manage = (properties: Record<string, unknown>) => async (bare: BareClient): Promise<unknown> => bare.manage(properties);
  const read = { operation: 'READ', type: 'com.microsoft:partition' };

  const cases = (): BadInput[] => [
    { name: 'an unknown node under the hub', answer: attach(`${hubName}/ConsumerGroups/$Default/Nowhere/0`), expected: 'amqp:not-found' },
    { name: 'an unknown consumer group', answer: attach(partition('nobody', '0')), expected: 'amqp:not-found' },
    { name: 'partition 4 of 4', answer: attach(partition('$Default', '4')), expected: 'com.microsoft:argument-out-of-range' },
    { name: 'partition -1', answer: attach(partition('$Default', '-1')), expected: 'com.microsoft:argument-out-of-range' },
    { name: 'a comparison the selector does not have', answer: attach(partition('$Default', '0'), selector("amqp.annotation.x-opt-offset < '3'")), expected: 'com.microsoft:argument-error' },
    { name: 'an offset that is not a number', answer: attach(partition('$Default', '0'), selector("amqp.annotation.x-opt-offset > 'abc'")), expected: 'com.microsoft:argument-error' },
    { name: 'an enqueued time past 2^53', answer: attach(partition('$Default', '0'), selector("amqp.annotation.x-opt-enqueued-time > '9007199254740993'")), expected: 'com.microsoft:argument-error' },
    { name: 'a filter other than the selector', answer: attach(partition('$Default', '0'), { 'apache.org:jms-selector': 'x' }), expected: 'com.microsoft:argument-error' },
    { name: 'a forged token', answer: putToken(() => audienceOf(''), () => 'SharedAccessSignature sr=x&sig=y&se=1&skn=iothubowner'), expected: 401 },
    { name: 'an expired token', answer: putToken(() => audienceOf(''), () => tokenFor(audienceOf(''), -10)), expected: 401 },
    { name: 'a token signed with the base64-decoded key (the IoT SDKs\' way)', answer: putToken(() => audienceOf(''), () => tokenFor(audienceOf(''), 600, Buffer.from(parseEventHubsConnectionString(hub.emulator.getEventHubsConnectionString()).key, 'base64').toString('latin1'))), expected: 401 },
    { name: 'a token for another entity than the audience', answer: putToken(() => audienceOf('/ConsumerGroups/$Default/Partitions/0'), () => tokenFor(audienceOf('/$management'))), expected: 401 },
    { name: 'an audience outside the hub', answer: putToken(() => audienceOf('-other'), () => tokenFor(audienceOf('-other'))), expected: 404 },
    { name: 'a management operation other than READ', answer: manage({ ...read, operation: 'WRITE', name: hubName, partition: '0' }), expected: { status: 501, condition: 'amqp:not-implemented' } },
    { name: 'a management READ of another hub', answer: manage({ ...read, name: 'another-hub', partition: '0' }), expected: { status: 404, condition: 'amqp:not-found' } },
    { name: 'a management READ of an unknown type', answer: manage({ ...read, type: 'com.microsoft:queue', name: hubName }), expected: { status: 400, condition: 'com.microsoft:argument-error' } },
    { name: 'a management READ of partition 99', answer: manage({ ...read, name: hubName, partition: '99' }), expected: { status: 400, condition: 'com.microsoft:argument-out-of-range' } },
  ];

  it('answers each with Event Hubs\' condition and keeps serving everyone', async () => {
    const bystander = await BareClient.open(hub);
    const refused = await BareClient.open(hub);
    try {
      assert.equal(await bystander.putToken(audienceOf(''), tokenFor(audienceOf(''))), 200);
      const readers = ['0', '1', '2', '3'].map((id) => bystander.attach(partition('$Default', id), selector("amqp.annotation.x-opt-offset > '@latest'")));
      await withDeadline(Promise.all(readers.map(({ receiver }) => once(receiver, 'receiver_open'))), TIMEOUT_MS, 'the bystander\'s readers to attach');
      readers.forEach(({ receiver }) => receiver.add_credit(10));
      assert.equal(await closedWith(refused.attach(partition('$Default', '0')).receiver), 'amqp:unauthorized-access', 'a link before any put-token');
      assert.equal(await refused.putToken(audienceOf(''), tokenFor(audienceOf(''))), 200);
      for (const bad of cases()) assert.deepEqual(await bad.answer(refused), bad.expected, bad.name);
      // The bystander reads partition 2 already: four more make five, the fifth more is one too many.
      const more = Array.from({ length: 5 }, () => refused.attach(partition('$Default', '2'), selector("amqp.annotation.x-opt-offset > '@latest'")).receiver);
      const sixth = more.pop();
      assert.ok(sixth !== undefined);
      assert.equal(await closedWith(sixth), 'amqp:resource-limit-exceeded', 'a sixth reader without an owner level');
      assert.deepEqual(more.map((receiver) => receiver.is_open()), [true, true, true, true], 'the five before it stay');
      await device.sendEvent(new Message('still served'));
      const delivered = (): number => readers.reduce((count, { messages }) => count + messages.length, 0);
      await waitFor(() => (delivered() === 1 ? true : undefined), { description: 'the bystander to read the event sent after the bad inputs', timeoutMs: TIMEOUT_MS, changes: bystander.changes });
      assert.deepEqual(await refused.manage({ ...read, name: hubName, partition: '0' }).then(({ status }) => status), 200, 'the connection that sent them still serves');
    } finally {
      refused.close();
      bystander.close();
    }
  });
});
