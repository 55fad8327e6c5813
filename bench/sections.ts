import { openFleet, type Fleet, type HubEndpoint } from './endpoint.js';
import { openFloor } from './floor.js';
import { samplePropagation, type PropagationSamples } from './latency.js';
import type { PropagationWithFloor } from './results.js';
import { summarize } from './stats.js';
import { measureReportedPatches, measureRestUpdates, measureTwinGets, type ThroughputResult } from './throughput.js';

export interface BenchOptions {
  /** Timed propagation samples per configuration (>= 500 for the figures). */
  readonly samples: number;
  /** Module counts for the fan-out, ascending. */
  readonly fanOutSizes: readonly number[];
  readonly throughputMs: number;
  readonly sections: ReadonlySet<string>;
  /** When set, the fan-out's emulator process writes a V8 CPU profile here. */
  readonly profileDir?: string;
}

/** CPU time (user + system) this process spent while `work` ran, in ms: robust to other processes' load, unlike wall time. */
async function cpuMsOf(work: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Propagation interleaved with the floor in rounds, so a load spike from elsewhere hits both alike. */
async function propagationWithFloor(target: string, fleet: Fleet, samples: number): Promise<PropagationWithFloor> {
  const rounds = 5;
  const warmup = 20;
  const floor = await openFloor(fleet.ids.length);
  try {
    await floor.sample(warmup);
    await samplePropagation(fleet, warmup, { patchAtModule: [], restResolved: [] });
    const emulator: PropagationSamples = { patchAtModule: [], restResolved: [] };
    const floorSamples: number[] = [];
    const cpu = { emulator: 0, floor: 0 };
    for (let round = 0; round < rounds; round++) {
      const count = Math.ceil(samples / rounds);
      cpu.emulator += await cpuMsOf(() => samplePropagation(fleet, count, emulator));
      cpu.floor += await cpuMsOf(async () => void floorSamples.push(...(await floor.sample(count))));
    }
    const patchAtModule = summarize(emulator.patchAtModule);
    const floorSummary = summarize(floorSamples);
    return {
      target,
      modules: fleet.ids.length,
      patchAtModule,
      restResolved: summarize(emulator.restResolved),
      floor: floorSummary,
      ratioP50: patchAtModule.p50 / floorSummary.p50,
      ratioP99: patchAtModule.p99 / floorSummary.p99,
      cpuPerPatchMs: cpu.emulator / emulator.patchAtModule.length,
      floorCpuPerMessageMs: cpu.floor / floorSamples.length,
    };
  } finally {
    await floor.close();
  }
}

async function throughputOn(fleet: Fleet, durationMs: number): Promise<ThroughputResult[]> {
  return [
    await measureRestUpdates(fleet, 32, durationMs),
    await measureTwinGets(fleet.modules, durationMs),
    await measureReportedPatches(fleet.modules, durationMs),
  ];
}

/** Sections 1 and 3 on one endpoint: 1 module, then 100 modules (which the throughput runs reuse). */
export async function latencyAndThroughput(endpoint: HubEndpoint, options: BenchOptions): Promise<{ propagation: PropagationWithFloor[]; throughput: ThroughputResult[] }> {
  const propagation: PropagationWithFloor[] = [];
  let throughput: ThroughputResult[] = [];
  const one = await openFleet(endpoint, `${endpoint.label}-one`, 1);
  try {
    if (options.sections.has('propagation')) propagation.push(await propagationWithFloor(endpoint.label, one, options.samples));
  } finally {
    await one.close();
  }
  const hundred = await openFleet(endpoint, `${endpoint.label}-hundred`, 100);
  try {
    if (options.sections.has('propagation')) propagation.push(await propagationWithFloor(endpoint.label, hundred, options.samples));
    if (options.sections.has('throughput')) throughput = await throughputOn(hundred, options.throughputMs);
  } finally {
    await hundred.close();
  }
  return { propagation, throughput };
}
