import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../src/wait-for.js';
import { checkDelivery, emptyTally } from './delivery-check.js';
import { IpcChild } from '../support/ipc-child.js';
import type { HostMemory, HostRequest, HostStarted, ModuleRef, SentPatch } from './load-protocol.js';
import { LoadModule } from './load-module.js';
import { mapLimit } from '../../src/map-limit.js';
import type { Attacker, Target } from '../support/hostile-mqtt.js';
import { hostileFlood } from './hostile-round.js';
import { dropPlan } from './drop-plan.js';

/**
 * Issue 7, "Load": 1,000 module clients (official SDK over MQTT/TLS), 20 desired patches each, a
 * random 10% of the connections dropped by the emulator during the run. Counts are bounded and
 * configurable (LOAD_MODULES, LOAD_PATCHES, LOAD_SEED); figures are printed, never asserted as times.
 */
const MODULES = Number(process.env.LOAD_MODULES ?? 1000);
const PATCHES = Number(process.env.LOAD_PATCHES ?? 20);
const SEED = Number(process.env.LOAD_SEED ?? 7);
const DROP_FRACTION = 0.1;
const MODULES_PER_DEVICE = 50;
const CONNECT_CONCURRENCY = 25;
/** Legitimate growth (1,000 sessions, counters, small twins) is a few MB; a leaked connection costs far more. */
const HEAP_GROWTH_BOUND = 16 * 1024 * 1024;
/**
 * Issue 18: during the middle round, LOAD_HOSTILE hostile clients (default 40) each declare a
 * 268,435,455-byte packet and try to stream 8 MiB. Before the packet limits the emulator buffered it
 * all (40 x 8 MiB); now each costs a socket read, so the round's peak RSS stays within the bound.
 */
const HOSTILE_CLIENTS = Number(process.env.LOAD_HOSTILE ?? 40);
const HOSTILE_BYTES = 8 * 1024 * 1024;
const HOSTILE_ROUND = Math.ceil(PATCHES / 2);
const HOSTILE_RSS_BOUND = 48 * 1024 * 1024;

/**
 * A few clients connect and leave before the baseline is taken, so that code compiled and caches
 * filled on first use (TLS, MQTT parsing) do not count as growth.
 */
const WARM_UP_MODULES = 20;

type EmulatorHost = IpcChild<HostRequest>;

async function warmUp(host: EmulatorHost, connectionStrings: readonly string[], ca: string): Promise<void> {
  const warm = await mapLimit(connectionStrings, CONNECT_CONCURRENCY, (connectionString) => LoadModule.open(connectionString, ca, () => undefined));
  await Promise.all(warm.map((module) => module.close()));
  await host.request({ op: 'waitConnected', count: 0, timeoutMs: 30_000 }, 35_000);
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Identities of their own for the hostile clients that authenticate before they attack. */
async function registerAttackers(host: EmulatorHost, count: number): Promise<Attacker[]> {
  const refs: ModuleRef[] = Array.from({ length: count }, (_, index) => ({ deviceId: 'hostile', moduleId: `h${index}` }));
  const connectionStrings = await host.request<string[]>({ op: 'register', ids: refs }, 60_000);
  return refs.map((ref, index) => ({ ...ref, primaryKey: /SharedAccessKey=([^;]+)/.exec(connectionStrings[index] ?? '')?.[1] ?? '' }));
}

test(`load: ${MODULES} modules x ${PATCHES} desired patches with ${DROP_FRACTION * 100}% of connections dropped`, { timeout: 170_000 }, async (t) => {
  const host: EmulatorHost = IpcChild.fork({ script: fileURLToPath(new URL('./emulator-host.ts', import.meta.url)), name: 'the emulator host' });
  const modules: LoadModule[] = [];
  try {
    const started = await host.request<HostStarted>({ op: 'start' }, 30_000);
    const ids: ModuleRef[] = Array.from({ length: MODULES }, (_, index) => ({ deviceId: `load-${Math.floor(index / MODULES_PER_DEVICE)}`, moduleId: `m${index}` }));
    const connectionStrings = await host.request<string[]>({ op: 'register', ids }, 120_000);
    await warmUp(host, connectionStrings.slice(0, WARM_UP_MODULES), started.ca);
    const attackers = await registerAttackers(host, HOSTILE_CLIENTS);
    const target: Target = { hostName: started.hostName, mqttPort: started.mqttPort, httpsPort: started.httpsPort, ca: started.ca };
    const baseline = await host.request<HostMemory>({ op: 'memory' }, 10_000);

    const patches = new EventEmitter();
    const began = performance.now();
    modules.push(...(await mapLimit(connectionStrings, CONNECT_CONCURRENCY, (connectionString) => LoadModule.open(connectionString, started.ca, () => patches.emit('change')))));
    await host.request({ op: 'waitConnected', count: MODULES, timeoutMs: 30_000 }, 35_000);
    const connectedAfterMs = performance.now() - began;

    const sent: SentPatch[][] = ids.map(() => []);
    const plan = dropPlan({ count: MODULES, rounds: PATCHES, fraction: DROP_FRACTION, seed: SEED });
    let dropped = 0;
    for (let round = 1; round <= PATCHES; round++) {
      const toDrop = (plan.get(round) ?? []).map((index) => ids[index] as ModuleRef);
      if (toDrop.length > 0) dropped += await host.request<number>({ op: 'drop', refs: toDrop }, 20_000);
      const hostileRound = round === HOSTILE_ROUND && HOSTILE_CLIENTS > 0;
      const beforeRound = hostileRound ? await host.request<HostMemory>({ op: 'memory' }, 10_000) : undefined;
      const [results, hostile] = await Promise.all([
        host.request<SentPatch[]>({ op: 'patch', refs: ids, round }, 60_000),
        hostileRound ? hostileFlood(target, attackers, HOSTILE_BYTES) : undefined,
      ]);
      if (beforeRound !== undefined && hostile !== undefined) {
        const peak = (await host.request<HostMemory>({ op: 'memory' }, 10_000)).peakRss - beforeRound.rss;
        t.diagnostic(`round ${round}: ${hostile.clients} hostile clients, ${hostile.closedByServer} closed by the emulator; emulator RSS peak +${mb(peak)} (bound ${mb(HOSTILE_RSS_BOUND)})`);
        assert.equal(hostile.closedByServer, hostile.clients, 'the emulator closed every hostile connection itself');
        assert.ok(peak < HOSTILE_RSS_BOUND, `the emulator's RSS peaked ${mb(peak)} above the round's start under the hostile flood`);
      }
      results.forEach((result, index) => sent[index]?.push(result));
      // Every patch sent over a live connection must arrive before the next round's drops.
      await waitFor(() => (results.every((result, index) => result.delivery !== 'connected' || modules[index]?.received.includes(result.version)) ? true : undefined), {
        description: `round ${round}'s patches to reach their connected modules`, timeoutMs: 30_000, changes: patches,
        seen: () => `${results.filter((result, index) => result.delivery === 'connected' && !modules[index]?.received.includes(result.version)).length} missing`,
      });
    }
    const patchedAfterMs = performance.now() - began;
    await host.request({ op: 'waitConnected', count: MODULES, timeoutMs: 60_000 }, 65_000);

    const tally = emptyTally();
    ids.forEach((ref, index) => checkDelivery(`${ref.deviceId}/${ref.moduleId}`, sent[index] ?? [], modules[index]?.received ?? [], tally));
    assert.deepEqual(tally.problems.slice(0, 10), [], `${tally.problems.length} delivery problems`);
    assert.equal(dropped, Math.round(MODULES * DROP_FRACTION), 'every planned drop hit a live connection');

    const serviceTwins = await host.request<unknown[]>({ op: 'twins', refs: ids }, 60_000);
    const moduleTwins = await mapLimit(modules, CONNECT_CONCURRENCY, (module) => module.desired());
    const mismatched = ids.filter((_, index) => JSON.stringify(moduleTwins[index]) !== JSON.stringify(serviceTwins[index]));
    assert.deepEqual(mismatched.slice(0, 5), [], `${mismatched.length} modules whose getTwin() differs from the service-side twin`);

    await mapLimit(modules.splice(0), CONNECT_CONCURRENCY, (module) => module.close());
    await host.request({ op: 'waitConnected', count: 0, timeoutMs: 30_000 }, 35_000);
    const after = await host.request<HostMemory>({ op: 'memory' }, 10_000);
    const growth = after.heapUsed - baseline.heapUsed;
    t.diagnostic(`modules ${MODULES}, patches sent ${tally.sent}, must arrive ${tally.mustArrive}, received ${tally.received}, offline ${tally.offline}, changing ${tally.changing}, dropped ${dropped}`);
    t.diagnostic(`connected all after ${(connectedAfterMs / 1000).toFixed(1)} s, all rounds done after ${(patchedAfterMs / 1000).toFixed(1)} s`);
    t.diagnostic(`emulator heap after gc: ${mb(baseline.heapUsed)} before clients, ${mb(after.heapUsed)} after they left (growth ${mb(growth)}; bound ${mb(HEAP_GROWTH_BOUND)}); rss ${mb(after.rss)}`);
    assert.ok(growth < HEAP_GROWTH_BOUND, `the emulator's heap grew by ${mb(growth)} after the clients left (bound ${mb(HEAP_GROWTH_BOUND)})`);
  } finally {
    await Promise.allSettled(modules.map((module) => module.close()));
    await host.stop({ op: 'stop' }, 15_000);
  }
});
