import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BenchModule } from './bench-module.js';
import { fleetIds, openModules, type ModuleRef } from './endpoint.js';
import type { HostMemory, HostReply, HostRequest, HostStarted, HostUpdated } from './host-protocol.js';
import { PatchTracker, withDeadline } from './patch-tracker.js';
import { mapLimit, summarize, type LatencySummary } from './stats.js';

type RequestBody = HostRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The emulator in a child process (bench/emulator-host.ts), driven over IPC. */
export class EmulatorHost {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: HostReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.value);
      else waiter?.reject(new Error(`emulator host: ${reply.error}`));
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`The emulator host exited with code ${code ?? 'null'}.`));
      this.pending.clear();
    });
  }

  /** `profileDir`: write a V8 CPU profile of the emulator process there (node --cpu-prof). */
  static spawn(profileDir?: string): EmulatorHost {
    const script = fileURLToPath(new URL('./emulator-host.ts', import.meta.url));
    const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    return new EmulatorHost(fork(script, { execArgv: ['--import', 'tsx', '--expose-gc', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  request<T>(body: RequestBody, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (value) => resolve(value as T), reject });
    });
    this.child.send({ ...body, id });
    return withDeadline(reply, timeoutMs, `the emulator host to answer '${body.op}'`);
  }

  /** Lets the host exit by itself once its IPC channel closes (so that a CPU profile gets written); kills it after a deadline. */
  async stop(): Promise<void> {
    const exited: Promise<unknown> = this.child.exitCode === null ? once(this.child, 'exit') : Promise.resolve();
    await this.request({ op: 'stop' }).catch(() => undefined);
    await withDeadline<unknown>(exited, 15_000, 'the emulator host to exit').catch(() => this.child.kill());
  }
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

async function deliverToAll(host: EmulatorHost, tracker: PatchTracker, refs: readonly ModuleRef[]): Promise<Delivery> {
  const targets = refs.map((ref) => ({ ref, token: tracker.token() }));
  const arrivals = targets.map(({ token }) => tracker.expect(token));
  const started = performance.now();
  const updated = await host.request<HostUpdated>({ op: 'update', targets, concurrency: 64 });
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
  const host = EmulatorHost.spawn(profileDir);
  const modules: BenchModule[] = [];
  try {
    const started = await host.request<HostStarted>({ op: 'start' });
    const emptyEmulator = await host.request<HostMemory>({ op: 'memory' });
    const ids = fleetIds('fan', Math.max(...sizes));
    const connectionStrings = await host.request<string[]>({ op: 'register', ids }, 600_000);
    const withIdentities = await host.request<HostMemory>({ op: 'memory' });
    const tracker = new PatchTracker();
    const stages: FanOutStage[] = [];
    for (const size of sizes) {
      const before = await host.request<HostMemory>({ op: 'memory' });
      const connectStarted = performance.now();
      const opened = await openModules(connectionStrings.slice(modules.length, size), started.ca, tracker, 50);
      const connectWallMs = performance.now() - connectStarted;
      const added = Math.max(1, opened.modules.length);
      modules.push(...opened.modules);
      const connected = await host.request<HostMemory>({ op: 'memory' });
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
    await host.stop();
  }
}
