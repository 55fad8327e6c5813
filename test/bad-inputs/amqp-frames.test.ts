import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { withDeadline } from '../../src/wait-for.js';
import { CommandSender } from '../../src/flows/cloud-to-device.js';
import { HubFixture, newId } from '../mqtt/hub-fixture.js';

const TIMEOUT_MS = 5_000;
/** The AMQP 1.0 protocol header (AMQP 1.0 §2.2: "AMQP", protocol id 0, version 1.0.0). */
const AMQP_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x00, 0x01, 0x00, 0x00]);

interface HostileCase {
  readonly name: string;
  readonly bytes: Buffer;
}

/**
 * What a hostile or broken AMQP client sends before, or instead of, a valid open. Each must cost
 * that connection only: it is closed, and the endpoint still serves the official service client.
 */
const CASES: readonly HostileCase[] = [
  { name: 'a protocol header for another protocol', bytes: Buffer.from('GET / HTTP/1.1\r\n\r\n') },
  { name: 'a frame shorter than its own header', bytes: Buffer.concat([AMQP_HEADER, Buffer.from([0x00, 0x00, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00])]) },
  { name: 'a frame whose body is not a performative', bytes: Buffer.concat([AMQP_HEADER, Buffer.from([0x00, 0x00, 0x00, 0x0c, 0x02, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff])]) },
  { name: 'random bytes after the header', bytes: Buffer.concat([AMQP_HEADER, Buffer.from(Array.from({ length: 64 }, (_value, index) => (index * 37 + 11) % 256))]) },
];

describe('bad AMQP input: malformed frames close that connection only', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => {
    await hub.stop();
  });

  async function rawConnection(): Promise<TLSSocket> {
    const socket = tlsConnect({ host: '127.0.0.1', port: hub.emulator.amqpPort, ca: hub.emulator.caCertificate, servername: hub.emulator.hostName });
    await withDeadline(once(socket, 'secureConnect'), TIMEOUT_MS, 'the TLS handshake with the AMQP listener');
    return socket;
  }

  it('closes a connection that declares a frame over 64 KiB within the first chunk past the limit', async () => {
    const socket = await rawConnection();
    socket.on('error', () => undefined);
    const state = { closed: false };
    socket.once('close', () => (state.closed = true));
    // A 2 GiB frame declared after the protocol header, then its "body" streamed in 64 KiB chunks.
    socket.write(Buffer.concat([AMQP_HEADER, Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00])]));
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let sent = 0;
    for (let n = 0; n < 256 && !state.closed; n++) {
      if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), once(socket, 'close')]).catch(() => undefined);
      sent += chunk.length;
    }
    await withDeadline(state.closed ? Promise.resolve() : once(socket, 'close').then(() => undefined), TIMEOUT_MS, 'the emulator to close the connection');
    assert.ok(sent < 4 * 1024 * 1024, `the connection was closed after ${sent} bytes of a 16 MiB stream`);
  });

  for (const hostile of CASES) {
    it(`closes the connection on ${hostile.name}, and keeps serving the SDK`, async () => {
      const socket = await rawConnection();
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      socket.write(hostile.bytes);
      await withDeadline(once(socket, 'close'), TIMEOUT_MS, 'the emulator to close the hostile connection');
      const device = await hub.createDevice(newId('after'));
      const sender = await CommandSender.open(hub.serviceConnectionString);
      try {
        await sender.send(device.deviceId, 'still served');
      } finally {
        await sender.close();
      }
      assert.equal(Number((await hub.registry.get(device.deviceId)).responseBody.cloudToDeviceMessageCount), 1);
    });
  }
});
