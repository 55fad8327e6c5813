import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { MAX_UNAUTHENTICATED_CONNECTIONS } from '../../emulator/servers/mqtt-connections.js';
import { MAX_PUBLISH_BYTES, MAX_SUBSCRIBE_BYTES } from '../../emulator/servers/mqtt-packet-limits.js';
import { withDeadline } from '../../src/wait-for.js';
import { authenticated, fixedHeader, flood, MQTT_TYPE, rawTls, type Attacker, type Target } from '../support/hostile-mqtt.js';
import { assertStillServing, startMqttBench, twinSnapshot, validCredentials, type MqttBench } from './mqtt-fixture.js';

/**
 * Protocol strictness the hub has (issue 18): MQTT 3.1.1 only, packet ordering and sizes refused at
 * the fixed header, and a cap on connections that have not authenticated. A close within 3 s of the
 * last byte is the emulator's own: the CONNECT deadline is 10 s, and authenticated connections have
 * none.
 */
const CLOSE_TIMEOUT_MS = 3_000;
const UNACCEPTABLE_PROTOCOL_VERSION = 1;

const targetOf = (bench: MqttBench): Target => ({
  hostName: bench.emulator.hostName, mqttPort: bench.emulator.mqttPort, httpsPort: bench.emulator.httpsPort ?? 0, ca: bench.emulator.caCertificate,
});
const attackerOf = (bench: MqttBench): Attacker => ({ deviceId: 'd1', moduleId: 'm1', primaryKey: bench.m1.key });

async function closedAfter(stream: Duplex, header: Buffer, bodyBytes = 1024): Promise<boolean> {
  return (await flood(stream, { header, bodyBytes, closeTimeoutMs: CLOSE_TIMEOUT_MS })).closedByServer;
}

void describe('bad MQTT inputs: protocol level, packet order and sizes', () => {
  let bench: MqttBench;
  before(async () => {
    bench = await startMqttBench();
  });
  after(async () => {
    await bench.emulator.stop();
  });

  for (const [name, protocolId, protocolVersion] of [['MQTT 3.1 (MQIsdp)', 'MQIsdp', 3], ['protocol level 3 named MQTT', 'MQTT', 3]] as const) {
    void it(`refuses ${name} with CONNACK 0x01 (the hub speaks MQTT 3.1.1 only)`, async () => {
      const twins = twinSnapshot(bench);
      const client = mqtt.connect(`mqtts://127.0.0.1:${bench.emulator.mqttPort}`, {
        ...validCredentials(bench, bench.m1), protocolId, protocolVersion, ca: bench.emulator.caCertificate, reconnectPeriod: 0, clean: false,
      });
      try {
        const returnCode = await withDeadline(
          new Promise<number>((resolve) => {
            client.once('connect', () => resolve(0));
            client.once('error', (error: Error & { code?: unknown }) => resolve(typeof error.code === 'number' ? error.code : -1));
          }),
          CLOSE_TIMEOUT_MS, 'the CONNACK',
        );
        assert.equal(returnCode, UNACCEPTABLE_PROTOCOL_VERSION);
        assert.deepEqual(bench.emulator.control.connectedClientIds(), [], 'nothing was admitted');
        assert.equal(twinSnapshot(bench), twins);
      } finally {
        client.end(true);
      }
    });
  }

  void it('closes a connection whose first packet is not CONNECT, at its header', async () => {
    assert.ok(await closedAfter(await rawTls(targetOf(bench)), fixedHeader(MQTT_TYPE.PUBLISH, MAX_PUBLISH_BYTES - 1)));
  });

  void it('closes a connection that sends a second CONNECT, at its header', async () => {
    const { client, stream } = await authenticated(targetOf(bench), attackerOf(bench), 'tls');
    assert.ok(await closedAfter(stream, fixedHeader(MQTT_TYPE.CONNECT, 8 * 1024)));
    client.end(true);
  });

  void it('closes a SUBSCRIBE one byte over its limit, at its header', async () => {
    const { client, stream } = await authenticated(targetOf(bench), attackerOf(bench), 'tls');
    assert.ok(await closedAfter(stream, fixedHeader(MQTT_TYPE.SUBSCRIBE, MAX_SUBSCRIBE_BYTES + 1, 2)));
    client.end(true);
  });

  void it('closes a packet type only a server sends (CONNACK from a client)', async () => {
    const { client, stream } = await authenticated(targetOf(bench), attackerOf(bench), 'tls');
    assert.ok(await closedAfter(stream, fixedHeader(2, 2), 0));
    client.end(true);
  });

  void it('closes a Remaining Length of five bytes (MQTT 3.1.1 §2.2.3 allows four)', async () => {
    const { client, stream } = await authenticated(targetOf(bench), attackerOf(bench), 'tls');
    assert.ok(await closedAfter(stream, Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 0));
    client.end(true);
    await assertStillServing(bench);
  });

  void it(`caps connections that have not authenticated at ${MAX_UNAUTHENTICATED_CONNECTIONS}; the next is closed before its handshake`, async () => {
    const idle = await Promise.all(Array.from({ length: MAX_UNAUTHENTICATED_CONNECTIONS }, () => rawTls(targetOf(bench))));
    try {
      await assert.rejects(rawTls(targetOf(bench)), 'the connection beyond the cap is closed');
    } finally {
      await Promise.all(idle.map((socket) => new Promise((resolve) => socket.destroy().once('close', resolve))));
    }
    // The emulator sees those closes a moment later: a bounded number of attempts, each with its own deadline.
    let admitted = false;
    for (let attempt = 0; attempt < 50 && !admitted; attempt++) {
      admitted = await rawTls(targetOf(bench)).then((socket) => {
        socket.destroy();
        return true;
      }, () => false);
    }
    assert.ok(admitted, 'a connection is admitted again once the idle ones have gone');
    await assertStillServing(bench);
  });
});

void describe('bad MQTT inputs: clients that stall (timeouts)', () => {
  let bench: MqttBench;
  before(async () => {
    bench = await startMqttBench();
  });
  after(async () => {
    await bench.emulator.stop();
  });

  void it('closes a TCP connection that never starts TLS, and a TLS connection that never sends CONNECT, after 10 s each', { timeout: 30_000 }, async () => {
    const began = performance.now();
    const silent = netConnect(bench.emulator.mqttPort, '127.0.0.1').on('error', () => undefined);
    const noConnect = await rawTls(targetOf(bench));
    const closedAt = (stream: Duplex): Promise<number> => new Promise((resolve) => stream.once('close', () => resolve(performance.now() - began)));
    const [handshakeMs, connectMs] = await withDeadline(Promise.all([closedAt(silent), closedAt(noConnect)]), 20_000, 'both stalled connections to be closed');
    assert.ok(handshakeMs > 9_000 && handshakeMs < 15_000, `the silent TCP connection was closed after ${handshakeMs.toFixed(0)} ms`);
    assert.ok(connectMs > 9_000 && connectMs < 15_000, `the TLS connection without CONNECT was closed after ${connectMs.toFixed(0)} ms`);
  });
});
