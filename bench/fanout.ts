import { fileURLToPath } from 'node:url';
import { IpcChild } from '../test/support/ipc-child.js';
import type { BenchModule } from './bench-module.js';
import { fleetIds, openModules, type ModuleRef } from './endpoint.js';
import type { HostMemory, HostRequest, HostStarted, HostUpdated } from './host-protocol.js';
import { withDeadline } from '../src/wait-for.js';
import { PatchTracker } from './patch-tracker.js';
import { mapLimit, summarize, type LatencySummary } from './stats.js';

const REQUEST_TIMEOUT_MS = 120_000;

/** The emulator in a child process (bench/emulator-host.ts); `profileDir`: write a V8 CPU profile of it there. */
function spawnEmulatorHost(profileDir?: string): IpcChild<HostRequest> {
  const script = fileURLToPath(new URL('./emulator-host.ts', import.meta.url));
  const execArgv = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  return IpcChild.fork<HostRequest>({ script, name: 'the emulator host', execArgv });
}

export interface FanOutStage {
  readonly modules: number;
  /** updates issued -> every module has its patch (ms). */
  readonly allDeliveredMs: number;
  /** updates issued -> the back end has all REST answers (ms). */
  readonly backEndDoneMs: number;
  readonly lost: number;
  readonly restFailures: number;
  /** The first failed update's error, so that a failure is explained in the report. */
  readonly restFirstError?: string;
  /** Per-client open + getTwin + desired subscription of the clients added at this stage (ms). */
  readonly connect: LatencySummary;
  readonly connectWallMs: number;
  /**
   * Emulator process after GC: growth while the clients of this stage connected, per added client
   * (RSS includes OpenSSL's native TLS state; heap + external is what V8 accounts for).
   */
  readonly rssPerClientKiB: number;
  readonly heapPerClientKiB: number;
  /** (RSS with all `modules` connected - RSS with the identities registered and none connected) / modules: less noisy than the marginal RSS. */
  readonly rssOverallPerClientKiB: number;
  readonly emulatorRssMiB: number;
  /** Emulator-side CPU spent accepting the clients added at this stage, per client (ms). */
  readonly emulatorCpuPerConnectMs: number;
}

export interface FanOutResult {
  readonly hostStartMs: number;
  readonly emptyEmulator: HostMemory;
  readonly withIdentities: HostMemory;
  readonly identityKiB: number;
  readonly stages: readonly FanOutStage[];
}

const KIB = 1024;

type Delivery = Pick<FanOutStage, 'allDeliveredMs' | 'backEndDoneMs' | 'lost' | 'restFailures' | 'restFirstError'>;

async function deliverToAll(host: IpcChild<HostRequest>, tracker: PatchTracker, refs: readonly ModuleRef[]): Promise<Delivery> {
  const targets = refs.map((ref) => ({ ref, token: tracker.token() }));
  const arrivals = targets.map(({ token }) => tracker.expect(token));
  const started = performance.now();
  const updated = await host.request<HostUpdated>({ op: 'update', targets, concurrency: 64 }, REQUEST_TIMEOUT_MS);
  const backEnd = { backEndDoneMs: performance.now() - started, restFailures: updated.failures, ...(updated.firstError === undefined ? {} : { restFirstError: updated.firstError }) };
  try {
    const arrivedAt = await withDeadline(Promise.all(arrivals), 30_000, `the fan-out patches at ${refs.length} modules`);
    return { allDeliveredMs: Math.max(...arrivedAt) - started, lost: 0, ...backEnd };
  } catch {
    return { allDeliveredMs: Number.NaN, lost: tracker.abandon(), ...backEnd };
  }
}

/**
 * N = sizes (ascending) module clients in this process, the emulator (and the back end issuing one
 * desired update per module) in a child process whose memory is sampled after GC.
 */
export async function measureFanOut(sizes: readonly number[], profileDir?: string): Promise<FanOutResult> {
  const host = spawnEmulatorHost(profileDir);
  const modules: BenchModule[] = [];
  try {
    const started = await host.request<HostStarted>({ op: 'start' }, REQUEST_TIMEOUT_MS);
    const emptyEmulator = await host.request<HostMemory>({ op: 'memory' }, REQUEST_TIMEOUT_MS);
    const ids = fleetIds('fan', Math.max(...sizes));
    const connectionStrings = await host.request<string[]>({ op: 'register', ids }, 600_000);
    const withIdentities = await host.request<HostMemory>({ op: 'memory' }, REQUEST_TIMEOUT_MS);
    const tracker = new PatchTracker();
    const stages: FanOutStage[] = [];
    for (const size of sizes) {
      const before = await host.request<HostMemory>({ op: 'memory' }, REQUEST_TIMEOUT_MS);
      const connectStarted = performance.now();
      const opened = await openModules(connectionStrings.slice(modules.length, size), started.ca, tracker, 50);
      const connectWallMs = performance.now() - connectStarted;
      const added = Math.max(1, opened.modules.length);
      modules.push(...opened.modules);
      const connected = await host.request<HostMemory>({ op: 'memory' }, REQUEST_TIMEOUT_MS);
      const delivery = await deliverToAll(host, tracker, ids.slice(0, size));
      stages.push({
        modules: size,
        ...delivery,
        connect: summarize(opened.connectMs),
        connectWallMs,
        rssPerClientKiB: (connected.rss - before.rss) / added / KIB,
        heapPerClientKiB: (connected.heapUsed + connected.external - before.heapUsed - before.external) / added / KIB,
        rssOverallPerClientKiB: (connected.rss - withIdentities.rss) / size / KIB,
        emulatorRssMiB: connected.rss / KIB / KIB,
        emulatorCpuPerConnectMs: (connected.cpuMs - before.cpuMs) / added,
      });
    }
    const identityKiB = (withIdentities.rss - emptyEmulator.rss) / ids.length / KIB;
    return { hostStartMs: started.startMs, emptyEmulator, withIdentities, identityKiB, stages };
  } finally {
    await mapLimit(modules, 100, (module) => module.close());
    await host.stop({ op: 'stop' }, 15_000);
  }
}
