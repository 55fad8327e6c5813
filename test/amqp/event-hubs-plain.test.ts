import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { earliestEventPosition } from '@azure/event-hubs';
import { IotHubEmulator } from '../../emulator/index.js';
import { listenAmqpPlainOnLoopback } from '../../emulator/servers/amqp-tls-server.js';
import { Message } from '../../src/sdk.js';
import { withDeadline } from '../../src/wait-for.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';
import { EventReader, TIMEOUT_MS } from './event-hub-fixture.js';

/**
 * `UseDevelopmentEmulator=true` (core-amqp: plain TCP instead of TLS, on the Endpoint's port): the
 * opt-in plain AMQP listener on loopback, as the Event Hubs emulator serves it, read with the
 * official consumer; the same connections as over TLS (frame guard), never beyond loopback.
 */
describe('the plain loopback AMQP listener for UseDevelopmentEmulator=true', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start({ configure: (builder) => builder.withAmqpPlainPort(0) });
  });
  after(() => hub.stop());

  it('serves the Event Hub-compatible endpoint to EventHubConsumerClient over plain TCP', async () => {
    const connectionString = hub.emulator.getEventHubsConnectionString({ developmentEmulator: true });
    assert.equal(connectionString.includes(`Endpoint=sb://127.0.0.1:${hub.emulator.amqpPlainPort}/;`), true, connectionString);
    assert.match(connectionString, /;UseDevelopmentEmulator=true$/);
    const identity = await hub.createDevice(newId('plain'));
    const device = await hub.client(identity);
    await device.open();
    await device.sendEvent(new Message('over plain amqp'));
    await withDeadline(device.close(), TIMEOUT_MS, 'the device client to close');
    const reader = new EventReader(connectionString, { startPosition: earliestEventPosition });
    try {
      const [event] = await reader.eventsWhere((candidate) => candidate.systemProperties?.['iothub-connection-device-id'] === identity.deviceId, 1, 'the device\'s event over the plain port');
      assert.equal(String(event?.body), 'over plain amqp');
      assert.deepEqual(reader.errors, []);
    } finally {
      await reader.close();
    }
  });

  it('speaks AMQP without TLS, and closes a connection declaring an oversized frame (the same guard as over TLS)', async () => {
    const socket = await openTcp(hub.emulator.amqpPlainPort ?? assert.fail('no plain port'));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const answer = once(socket, 'data') as Promise<[Buffer]>;
    socket.write(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 1, 0, 0]));
    const [header] = await withDeadline(answer, TIMEOUT_MS, 'the AMQP protocol header back in clear');
    assert.equal(header.toString('latin1', 0, 4), 'AMQP', `not an AMQP header: ${header.toString('hex')}`);
    // A frame header declaring 1 GiB: the guard closes the connection before rhea buffers it.
    socket.write(Buffer.from([0x40, 0, 0, 0, 2, 0, 0, 0]));
    await withDeadline(closed, TIMEOUT_MS, 'the connection to be closed for an oversized frame');
  });

  it('is never bound beyond loopback, and is off unless asked for', async () => {
    const wildcard = await new IotHubEmulator().withHubName(newId('wild')).withBindAddress('0.0.0.0').withAmqpPlainPort(0).start();
    try {
      assert.match(wildcard.getEventHubsConnectionString({ developmentEmulator: true }), /^Endpoint=sb:\/\/127\.0\.0\.1:\d+\//);
      await assert.rejects(openTcp(wildcard.amqpPlainPort ?? 0, '::1'), 'the plain port answers on 127.0.0.1 only');
    } finally {
      await wildcard.stop();
    }
    const anywhere = { container: undefined as never, hasOpened: () => false, host: '0.0.0.0', port: 0, connectionOptions: {} };
    await assert.rejects(listenAmqpPlainOnLoopback(anywhere), /Refusing to serve plain \(non-TLS\) AMQP on 0\.0\.0\.0/);
    const plainless = await new IotHubEmulator().withHubName(newId('tls-only')).start();
    try {
      assert.equal(plainless.amqpPlainPort, undefined);
      assert.throws(() => plainless.getEventHubsConnectionString({ developmentEmulator: true }), /serves no plain AMQP listener/);
    } finally {
      await plainless.stop();
    }
  });
});

function openTcp(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host, port }, () => resolve(socket));
    socket.once('error', reject);
  });
}
