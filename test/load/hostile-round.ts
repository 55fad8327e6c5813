import type { Duplex } from 'node:stream';
import { authenticated, fixedHeader, flood, MAX_REMAINING_LENGTH, MQTT_TYPE, rawTls, rawWebSocket, type Attacker, type Target } from '../support/hostile-mqtt.js';

/**
 * Issue 18 in the load test: while a round of desired patches is under way, `clients` hostile
 * connections at once each declare a 268,435,455-byte packet and try to stream `bytesPerClient`;
 * the four kinds in turn (unauthenticated CONNECT over TLS and WebSockets, authenticated PUBLISH over
 * TLS and WebSockets, the latter with identities of their own). Resolves with how many the emulator
 * closed itself.
 */
const KINDS: readonly ((target: Target, attacker: Attacker) => Promise<{ stream: Duplex; type: number }>)[] = [
  async (target) => ({ stream: await rawTls(target), type: MQTT_TYPE.CONNECT }),
  async (target) => ({ stream: await rawWebSocket(target), type: MQTT_TYPE.CONNECT }),
  async (target, attacker) => ({ stream: (await authenticated(target, attacker, 'tls')).stream, type: MQTT_TYPE.PUBLISH }),
  async (target, attacker) => ({ stream: (await authenticated(target, attacker, 'ws')).stream, type: MQTT_TYPE.PUBLISH }),
];

export async function hostileFlood(target: Target, attackers: readonly Attacker[], bytesPerClient: number): Promise<{ clients: number; closedByServer: number }> {
  const outcomes = await Promise.all(
    attackers.map(async (attacker, index) => {
      const kind = KINDS[index % KINDS.length] ?? KINDS[0];
      if (kind === undefined) throw new Error('no hostile client kinds');
      const { stream, type } = await kind(target, attacker);
      return flood(stream, { header: fixedHeader(type, MAX_REMAINING_LENGTH), bodyBytes: bytesPerClient, closeTimeoutMs: 3_000 });
    }),
  );
  return { clients: outcomes.length, closedByServer: outcomes.filter((outcome) => outcome.closedByServer).length };
}
