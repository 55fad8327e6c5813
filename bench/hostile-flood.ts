import type { Duplex } from 'node:stream';
import { authenticated, fixedHeader, flood, MAX_REMAINING_LENGTH, MQTT_TYPE, rawTls, rawWebSocket, type Attacker } from '../test/support/hostile-mqtt.js';
import { HostileTarget } from '../test/support/hostile-target.js';
import { printTable } from './table.js';

/**
 * Issue 18: the emulator's RSS under a flood of hostile clients, beside its idle baseline. The
 * emulator runs in a process of its own (test/load/emulator-host.ts) and samples its RSS every
 * 10 ms; for each attack, `clients` connections at once declare a 268,435,455-byte packet and each
 * tries to stream `bytesPerClient`. Knobs: BENCH_HOSTILE_CLIENTS (50), BENCH_HOSTILE_MIB (16).
 */
export interface HostileFloodRow {
  readonly attack: string;
  readonly clients: number;
  /** Connections the emulator closed itself (within 3 s of the client's last write). */
  readonly closedByServer: number;
  /** What the clients' sockets accepted in all, in MiB. */
  readonly sentMiB: number;
  readonly peakRssMiB: number;
  /** After the flood and a GC. */
  readonly afterRssMiB: number;
  readonly afterHeapMiB: number;
  readonly seconds: number;
}

export interface HostileFloodFigures {
  readonly idleRssMiB: number;
  readonly idleHeapMiB: number;
  readonly rows: HostileFloodRow[];
}

type Open = (host: HostileTarget, attacker: Attacker) => Promise<Duplex>;

const ATTACKS: readonly { readonly name: string; readonly type: number; readonly open: Open }[] = [
  { name: 'unauthenticated CONNECT, TLS', type: MQTT_TYPE.CONNECT, open: (host) => rawTls(host.target) },
  { name: 'authenticated PUBLISH, TLS', type: MQTT_TYPE.PUBLISH, open: async (host, attacker) => (await authenticated(host.target, attacker, 'tls')).stream },
  { name: 'unauthenticated CONNECT, WebSocket', type: MQTT_TYPE.CONNECT, open: (host) => rawWebSocket(host.target) },
  { name: 'authenticated PUBLISH, WebSocket', type: MQTT_TYPE.PUBLISH, open: async (host, attacker) => (await authenticated(host.target, attacker, 'ws')).stream },
];

const MIB = 1024 * 1024;

/** How many clients per attack, and how much each tries to send. */
export const HOSTILE_FLOOD = {
  clients: Number(process.env.BENCH_HOSTILE_CLIENTS ?? 50),
  bytesPerClient: Number(process.env.BENCH_HOSTILE_MIB ?? 16) * MIB,
} as const;

async function floodWith(host: HostileTarget, attack: (typeof ATTACKS)[number], bytesPerClient: number): Promise<HostileFloodRow> {
  const began = performance.now();
  const header = fixedHeader(attack.type, MAX_REMAINING_LENGTH);
  const outcomes = await Promise.all(
    host.attackers.map(async (attacker) => flood(await attack.open(host, attacker), { header, bodyBytes: bytesPerClient, closeTimeoutMs: 3_000 })),
  );
  const memory = await host.memory();
  return {
    attack: attack.name,
    clients: outcomes.length,
    closedByServer: outcomes.filter((outcome) => outcome.closedByServer).length,
    sentMiB: outcomes.reduce((sum, outcome) => sum + outcome.written, 0) / MIB,
    peakRssMiB: memory.peakRss / MIB,
    afterRssMiB: memory.rss / MIB,
    afterHeapMiB: memory.heapUsed / MIB,
    seconds: (performance.now() - began) / 1000,
  };
}

export async function measureHostileFlood(clients: number, bytesPerClient: number): Promise<HostileFloodFigures> {
  const host = await HostileTarget.start(clients);
  try {
    const idle = await host.memory();
    const rows: HostileFloodRow[] = [];
    for (const attack of ATTACKS) rows.push(await floodWith(host, attack, bytesPerClient));
    return { idleRssMiB: idle.rss / MIB, idleHeapMiB: idle.heapUsed / MIB, rows };
  } finally {
    await host.stop();
  }
}

export function printHostileFlood(figures: HostileFloodFigures, bytesPerClient: number): void {
  printTable(
    `7. Emulator RSS under a hostile flood (each client declares a ${MAX_REMAINING_LENGTH}-byte packet and streams up to ${bytesPerClient / MIB} MiB)`,
    ['flood', 'clients', 'closed by emulator', 'sent MiB', 'peak RSS MiB', 'RSS after MiB', 'heap after MiB', 'seconds'],
    [
      ['idle (after GC, before the flood)', 0, '', '', figures.idleRssMiB, figures.idleRssMiB, figures.idleHeapMiB, ''],
      ...figures.rows.map((row) => [row.attack, row.clients, row.closedByServer, row.sentMiB, row.peakRssMiB, row.afterRssMiB, row.afterHeapMiB, row.seconds]),
    ],
  );
}

/** The section as `npm run bench` runs it (BENCH_SECTIONS includes `hostile`): measured, then printed. */
export async function hostileFloodSection(progress: (step: string) => void): Promise<HostileFloodFigures> {
  progress(`hostile flood: ${HOSTILE_FLOOD.clients} clients per attack`);
  const figures = await measureHostileFlood(HOSTILE_FLOOD.clients, HOSTILE_FLOOD.bytesPerClient);
  printHostileFlood(figures, HOSTILE_FLOOD.bytesPerClient);
  return figures;
}
