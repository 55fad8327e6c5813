import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { WebSocket } from 'ws';
import { MAX_BYTES_BEFORE_AUTHENTICATION, MAX_UNAUTHENTICATED_CONNECTIONS } from '../../emulator/servers/mqtt-connections.js';
import { MAX_MQTT_PACKET_BYTES } from '../../emulator/servers/mqtt-packet-limits.js';
import { withDeadline } from '../../src/wait-for.js';
import { authenticatedWebSocket, flood, rawWebSocket, type Target } from '../support/hostile-mqtt.js';
import { assertStillServing, startMqttBench, type MqttBench } from './mqtt-fixture.js';

/**
 * The HTTPS listener under hostile clients (issue 18): WebSocket upgrades must ask for a subprotocol
 * the endpoint serves; WebSocket frames and messages are capped at the largest MQTT packet the
 * emulator accepts (RFC 6455 §7.4.1, close code 1009 "message too big"); unauthenticated MQTT
 * WebSockets are capped; stalled TLS handshakes and half-sent HTTP headers are closed.
 */
const DEADLINE_MS = 5_000;
const MESSAGE_TOO_BIG = 1009;

const targetOf = (bench: MqttBench): Target => ({
  hostName: bench.emulator.hostName, mqttPort: bench.emulator.mqttPort, httpsPort: bench.emulator.httpsPort ?? 0, ca: bench.emulator.caCertificate,
});

/** The HTTP status an upgrade is answered with: 101 when the WebSocket opened (and the subprotocol it got). */
async function upgrade(target: Target, protocols: string[], path = '/$iothub/websocket'): Promise<{ status: number; protocol: string }> {
  const socket = new WebSocket(`wss://127.0.0.1:${target.httpsPort}${path}`, protocols, { ca: target.ca });
  const outcome = new Promise<{ status: number; protocol: string }>((resolve, reject) => {
    socket.once('open', () => resolve({ status: 101, protocol: socket.protocol }));
    socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0, protocol: '' }));
    socket.once('error', reject);
  });
  try {
    return await withDeadline(outcome, DEADLINE_MS, `the upgrade of ${path} with [${protocols.join(', ')}]`);
  } finally {
    socket.terminate();
  }
}

/** A TLS connection that completed an upgrade by hand, for frames no WebSocket client would send. */
async function upgradedByHand(target: Target): Promise<TLSSocket> {
  const socket = tlsConnect({ host: '127.0.0.1', port: target.httpsPort, servername: 'localhost', ca: target.ca }).on('error', () => undefined);
  await withDeadline(once(socket, 'secureConnect'), DEADLINE_MS, 'the TLS handshake');
  socket.write('GET /$iothub/websocket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n');
  let response = '';
  await withDeadline(new Promise<void>((resolve) => {
    const onData = (chunk: Buffer): void => {
      response += chunk.toString('latin1');
      if (!response.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
  }), DEADLINE_MS, 'the 101 response');
  assert.match(response, /^HTTP\/1\.1 101 /);
  return socket;
}

/** A masked binary frame header (RFC 6455 §5.2) declaring `length` bytes with the 64-bit length form. */
function frameHeader(length: number, final = true): Buffer {
  const header = Buffer.alloc(14);
  header[0] = (final ? 0x80 : 0) | 0x2;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

void describe('bad inputs on the HTTPS listener: WebSocket upgrades, frames and messages', () => {
  let bench: MqttBench;
  before(async () => {
    bench = await startMqttBench();
  });
  after(async () => {
    await bench.emulator.stop();
  });

  for (const [name, protocols, status] of [
    ['no subprotocol', [], 400],
    ['an unknown subprotocol', ['chat'], 400],
    ['`MQTT` (subprotocols compare exactly)', ['MQTT'], 400],
  ] as const) {
    void it(`refuses an upgrade with ${name}`, async () => {
      assert.deepEqual(await upgrade(targetOf(bench), [...protocols]), { status, protocol: '' });
    });
  }

  void it('refuses an upgrade of another path', async () => {
    assert.equal((await upgrade(targetOf(bench), ['mqtt'], '/$iothub/other')).status, 404);
  });

  void it('accepts `mqtt` among other offered subprotocols, and answers with it', async () => {
    assert.deepEqual(await upgrade(targetOf(bench), ['chat', 'mqtt']), { status: 101, protocol: 'mqtt' });
  });

  void it('closes a single frame declaring 16 MiB (under ws\'s own 100 MiB default) at its header, with 1009', async () => {
    const socket = await upgradedByHand(targetOf(bench));
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const outcome = await flood(socket, { header: frameHeader(16 * 1024 * 1024), bodyBytes: 1024, closeTimeoutMs: DEADLINE_MS });
    assert.ok(outcome.closedByServer, 'the emulator closed the connection');
    // An unmasked close frame (opcode 8) with a 2-byte body: the status code 1009.
    assert.deepEqual([...Buffer.concat(received).subarray(0, 4)], [0x88, 0x02, MESSAGE_TOO_BIG >> 8, MESSAGE_TOO_BIG & 0xff]);
  });

  /** Sends binary fragments (FIN clear) until `total` bytes or the close; resolves with the close code. */
  async function fragmentsUntilClosed(socket: WebSocket, total: number): Promise<number> {
    const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
    const fragment = Buffer.alloc(16 * 1024);
    for (let sent = 0; sent <= total && socket.readyState === WebSocket.OPEN; sent += fragment.length) socket.send(fragment, { binary: true, fin: false });
    return withDeadline(closed, DEADLINE_MS, 'the close');
  }

  void it('closes an authenticated client\'s message fragmented past the largest MQTT packet, with 1009', async () => {
    const { client, socket } = await authenticatedWebSocket(targetOf(bench), { deviceId: 'd1', moduleId: 'm1', primaryKey: bench.m1.key });
    try {
      assert.equal(await fragmentsUntilClosed(socket, MAX_MQTT_PACKET_BYTES + 64 * 1024), MESSAGE_TOO_BIG);
    } finally {
      client.end(true);
    }
    await assertStillServing(bench);
  });

  void it(`closes a client that sends more than ${MAX_BYTES_BEFORE_AUTHENTICATION} bytes before authenticating`, async () => {
    const socket = new WebSocket(`wss://127.0.0.1:${targetOf(bench).httpsPort}/$iothub/websocket`, 'mqtt', { ca: bench.emulator.caCertificate });
    socket.on('error', () => undefined);
    await withDeadline(once(socket, 'open'), DEADLINE_MS, 'the upgrade');
    // Twice the allowance, still well under the largest MQTT packet (so ws's own message limit is not what closes it).
    await fragmentsUntilClosed(socket, 2 * MAX_BYTES_BEFORE_AUTHENTICATION);
    assert.equal(socket.readyState, WebSocket.CLOSED);
  });

  void it(`caps unauthenticated MQTT WebSockets at ${MAX_UNAUTHENTICATED_CONNECTIONS}; the next upgrade gets 503`, async () => {
    const idle: Duplex[] = await Promise.all(Array.from({ length: MAX_UNAUTHENTICATED_CONNECTIONS }, () => rawWebSocket(targetOf(bench))));
    try {
      assert.equal((await upgrade(targetOf(bench), ['mqtt'])).status, 503);
    } finally {
      await Promise.all(idle.map((stream) => new Promise((resolve) => stream.destroy().once('close', resolve))));
    }
    await assertStillServing(bench);
  });
});

void describe('bad inputs on the HTTPS listener: clients that stall (timeouts)', () => {
  let bench: MqttBench;
  before(async () => {
    bench = await startMqttBench();
  });
  after(async () => {
    await bench.emulator.stop();
  });

  void it('answers half-sent headers with 408 after 10 s, and closes a TCP connection that never starts TLS after 10 s', { timeout: 30_000 }, async () => {
    const { httpsPort = 0 } = bench.emulator;
    const began = performance.now();
    const silent = netConnect(httpsPort, '127.0.0.1').on('error', () => undefined);
    const halfSent = tlsConnect({ host: '127.0.0.1', port: httpsPort, servername: 'localhost', ca: bench.emulator.caCertificate }).on('error', () => undefined);
    await withDeadline(once(halfSent, 'secureConnect'), DEADLINE_MS, 'the TLS handshake');
    halfSent.write(`GET /devices?api-version=2021-04-12 HTTP/1.1\r\nHost: ${bench.emulator.hostName}\r\n`);
    let answer = '';
    halfSent.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const closedAt = (stream: Duplex): Promise<number> => new Promise((resolve) => stream.once('close', () => resolve(performance.now() - began)));
    const [handshakeMs, headersMs] = await withDeadline(Promise.all([closedAt(silent), closedAt(halfSent)]), 20_000, 'both stalled connections to be closed');
    assert.match(answer, /^HTTP\/1\.1 408 /, 'half-sent headers are answered 408 Request Timeout');
    assert.ok(handshakeMs > 9_000 && handshakeMs < 15_000, `the silent TCP connection was closed after ${handshakeMs.toFixed(0)} ms`);
    assert.ok(headersMs > 9_000 && headersMs < 15_000, `the half-sent request was closed after ${headersMs.toFixed(0)} ms`);
  });
});
