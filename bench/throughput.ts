import type { BarePath } from './bare-path.js';
import type { BenchModule } from './bench-module.js';
import { updateDesired, type Fleet } from './endpoint.js';
import { withDeadline } from '../src/wait-for.js';

export interface ThroughputResult {
  readonly operation: string;
  readonly concurrency: number;
  readonly completed: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** CPU ms per operation of this process (the SDK clients, and for the embedded target the emulator too). */
  readonly clientCpuMsPerOp?: number;
  /** CPU ms per operation of the emulator process, when it runs in one of its own. */
  readonly emulatorCpuMsPerOp?: number;
}

/** Closed loop: `concurrency` workers repeat `operation` until `durationMs` has passed. */
async function closedLoop(name: string, concurrency: number, durationMs: number, operation: (worker: number, iteration: number) => Promise<void>): Promise<ThroughputResult> {
  let completed = 0;
  const started = performance.now();
  const worker = async (workerIndex: number): Promise<void> => {
    for (let iteration = 0; performance.now() - started < durationMs; iteration++) {
      await operation(workerIndex, iteration);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_unused, index) => worker(index)));
  const seconds = (performance.now() - started) / 1000;
  return { operation: name, concurrency, completed, seconds, perSecond: completed / seconds };
}

/**
 * Desired updates through the REST path, each counted only once its patch reached the module
 * (so a lost patch would stall its worker and show as a deadline error, not as throughput).
 */
export async function measureRestUpdates(fleet: Fleet, concurrency: number, durationMs: number): Promise<ThroughputResult> {
  return closedLoop('twin update (REST) + delivery', concurrency, durationMs, async (worker, iteration) => {
    const ref = fleet.ids[(worker + iteration * concurrency) % fleet.ids.length];
    if (ref === undefined) throw new Error('The fleet has no modules.');
    const token = fleet.tracker.token();
    const arrival = fleet.tracker.expect(token);
    await updateDesired(fleet.registry, ref, token);
    await withDeadline(arrival, 10_000, `the desired patch ${token}`);
  });
}

/**
 * The same closed loop with bare clients (bare-path.ts) on one module: what the emulator sustains
 * when the SDKs' own CPU is taken out of the machine's budget.
 */
export async function measureBareUpdates(bare: BarePath, concurrency: number, durationMs: number): Promise<ThroughputResult> {
  return closedLoop('twin update (REST) + delivery, bare clients', concurrency, durationMs, () => bare.updateAndAwaitDelivery());
}

/** One worker per module: a twin GET is answered on the connection that asked. */
export async function measureTwinGets(modules: readonly BenchModule[], durationMs: number): Promise<ThroughputResult> {
  return closedLoop('twin GET (MQTT)', modules.length, durationMs, (worker) => moduleAt(modules, worker).getTwin());
}

export async function measureReportedPatches(modules: readonly BenchModule[], durationMs: number): Promise<ThroughputResult> {
  return closedLoop('reported patch (MQTT)', modules.length, durationMs, (worker, iteration) =>
    moduleAt(modules, worker).report({ benchReported: iteration }),
  );
}

function moduleAt(modules: readonly BenchModule[], index: number): BenchModule {
  const module = modules[index];
  if (module === undefined) throw new Error(`No module at ${index}.`);
  return module;
}
