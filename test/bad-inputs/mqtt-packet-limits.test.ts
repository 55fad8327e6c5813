import assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { MAX_CONNECT_BYTES, MAX_PUBLISH_BYTES } from '../../emulator/servers/mqtt-packet-limits.js';
import { authenticated, fixedHeader, flood, MAX_REMAINING_LENGTH, MQTT_TYPE, rawTls, rawWebSocket } from '../support/hostile-mqtt.js';
import { HostileTarget } from '../support/hostile-target.js';

/**
 * Issue 18's three attacks, against an emulator in a process of its own so that its RSS is measured
 * alone: a client declares a 268,435,455-byte packet and streams bytes. Before the packet limits the
 * emulator read such a packet to its end (about +150 MB RSS for 150 MB sent, 900 MB peaks). Each case
 * shows that the connection is closed with no more than the first KB beyond the limit sent (the
 * client stops there and the emulator must close by itself; the CONNECT deadline is 10 s and
 * authenticated connections have none, so a close within 3 s is the guard's), and that streaming
 * 64 MiB leaves the emulator's RSS within a few MB of where it started.
 */
const CLOSE_TIMEOUT_MS = 3_000;
const STREAMED_BYTES = 64 * 1024 * 1024;
const RSS_BOUND = 8 * 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

interface Attack {
  readonly name: string;
  readonly type: number;
  readonly limit: number;
  open(host: HostileTarget): Promise<Duplex>;
}

const attacks: Attack[] = [
  { name: 'an unauthenticated CONNECT over TLS', type: MQTT_TYPE.CONNECT, limit: MAX_CONNECT_BYTES, open: (host) => rawTls(host.target) },
  {
    name: 'an authenticated PUBLISH over TLS', type: MQTT_TYPE.PUBLISH, limit: MAX_PUBLISH_BYTES,
    open: async (host) => (await authenticated(host.target, host.attacker, 'tls')).stream,
  },
  { name: 'an unauthenticated CONNECT over WebSockets', type: MQTT_TYPE.CONNECT, limit: MAX_CONNECT_BYTES, open: (host) => rawWebSocket(host.target) },
  {
    name: 'an authenticated PUBLISH over WebSockets', type: MQTT_TYPE.PUBLISH, limit: MAX_PUBLISH_BYTES,
    open: async (host) => (await authenticated(host.target, host.attacker, 'ws')).stream,
  },
];

void describe('bad MQTT inputs: packets declared larger than the hub accepts', () => {
  let host: HostileTarget;
  before(async () => {
    host = await HostileTarget.start();
  });
  after(async () => {
    await host.stop();
  });

  for (const attack of attacks) {
    void it(`closes ${attack.name} declaring ${MAX_REMAINING_LENGTH} bytes, within the first KB beyond the limit, and RSS stays flat`, async (t) => {
      const header = fixedHeader(attack.type, MAX_REMAINING_LENGTH);
      const start = await host.memory();
      const first = await flood(await attack.open(host), { header, bodyBytes: attack.limit + 1024, closeTimeoutMs: CLOSE_TIMEOUT_MS });
      assert.ok(first.closedByServer, `the emulator closed the connection after the limit (${attack.limit}) + 1 KB had been sent`);
      const streamed = await flood(await attack.open(host), { header, bodyBytes: STREAMED_BYTES, closeTimeoutMs: CLOSE_TIMEOUT_MS });
      assert.ok(streamed.closedByServer, 'the emulator closed the streaming connection');
      const end = await host.memory();
      t.diagnostic(`written before the close: ${first.written} B then ${mib(streamed.written)}; emulator RSS ${mib(start.rss)}, peak ${mib(end.peakRss)}, after ${mib(end.rss)}`);
      assert.ok(end.peakRss - start.rss < RSS_BOUND, `the emulator's RSS peaked ${mib(end.peakRss - start.rss)} above its start (bound ${mib(RSS_BOUND)})`);
      assert.ok(streamed.written < STREAMED_BYTES, 'the client could not send all it meant to');
    });
  }

  void it('still serves a well-behaved client afterwards', async () => {
    const { client } = await authenticated(host.target, host.attacker, 'tls');
    try {
      assert.ok(client.connected);
    } finally {
      client.end(true);
    }
  });
});
