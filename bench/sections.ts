import { openFleet, type Fleet, type HubEndpoint } from './endpoint.js';
import { openBarePath } from './bare-path.js';
import type { ProvisioningOptions } from './provisioning.js';
import { openFloor } from './floor.js';
import { samplePropagation, type PropagationSamples } from './latency.js';
import type { PropagationWithFloor } from './results.js';
import { summarize } from './stats.js';
import { measureBareUpdates, measureReportedPatches, measureRestUpdates, measureTwinGets, type ThroughputResult } from './throughput.js';

export interface BenchOptions {
  /** Timed propagation samples per configuration (>= 500 for the figures). */
  readonly samples: number;
  /** Module counts for the fan-out, ascending. */
  readonly fanOutSizes: readonly number[];
  readonly throughputMs: number;
  readonly sections: ReadonlySet<string>;
  /** The provisioning section: devices of one group enrollment, registrations in flight (provisioning.ts). */
  readonly dps?: ProvisioningOptions;
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

/** Takes `count` samples; keeps them in its own store unless they are the warm-up. */
type Sampler = (count: number, keep: boolean) => Promise<void>;

/**
 * Runs the samplers in turn, round after round, so that a load spike from elsewhere hits them all
 * alike; returns the CPU ms this process spent in each.
 */
async function interleaved<K extends string>(samplers: Record<K, Sampler>, samples: number): Promise<Record<K, number>> {
  const rounds = 5;
  const warmup = 20;
  const names = Object.keys(samplers) as K[];
  const cpuMs = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  for (const name of names) await samplers[name](warmup, false);
  for (let round = 0; round < rounds; round++) {
    for (const name of names) cpuMs[name] += await cpuMsOf(() => samplers[name](Math.ceil(samples / rounds), true));
  }
  return cpuMs;
}

function keepInto(list: number[], keep: boolean): (measured: number[]) => void {
  return (measured) => {
    if (keep) list.push(...measured);
  };
}

/** The SDK path, the same path with bare clients, and the two floors, measured side by side. */
async function propagationWithFloor(endpoint: HubEndpoint, fleet: Fleet, samples: number): Promise<PropagationWithFloor> {
  const floor = await openFloor(fleet.ids.length);
  try {
    const bare = await openBarePath(endpoint, fleet.registry, { deviceId: `${fleet.ids[0]?.deviceId ?? 'bare'}-bare`, moduleId: 'bare' });
    try {
      const sdk: PropagationSamples = { patchAtModule: [], restResolved: [] };
      const taken = { mqttFloor: [] as number[], restHopFloor: [] as number[], barePath: [] as number[] };
      const cpu = await interleaved(
        {
          sdk: (count, keep) => samplePropagation(fleet, count, keep ? sdk : { patchAtModule: [], restResolved: [] }),
          barePath: (count, keep) => bare.sample(count).then(keepInto(taken.barePath, keep)),
          restHopFloor: (count, keep) => floor.sampleRestHop(count).then(keepInto(taken.restHopFloor, keep)),
          mqttFloor: (count, keep) => floor.sample(count).then(keepInto(taken.mqttFloor, keep)),
        },
        samples,
      );
      const cpuPerPatchMs = cpu.sdk / sdk.patchAtModule.length;
      return { target: endpoint.label, modules: fleet.ids.length, ...withRatios(sdk, taken), cpuPerPatchMs, floorCpuPerMessageMs: cpu.mqttFloor / taken.mqttFloor.length };
    } finally {
      await bare.close();
    }
  } finally {
    await floor.close();
  }
}

type Ratios = Omit<PropagationWithFloor, 'target' | 'modules' | 'cpuPerPatchMs' | 'floorCpuPerMessageMs'>;

function withRatios(sdk: PropagationSamples, taken: { mqttFloor: number[]; restHopFloor: number[]; barePath: number[] }): Ratios {
  const patchAtModule = summarize(sdk.patchAtModule);
  const floor = summarize(taken.mqttFloor);
  const restHopFloor = summarize(taken.restHopFloor);
  const barePath = summarize(taken.barePath);
  return {
    patchAtModule,
    restResolved: summarize(sdk.restResolved),
    floor,
    ratioP50: patchAtModule.p50 / floor.p50,
    ratioP99: patchAtModule.p99 / floor.p99,
    restHopFloor,
    restHopRatioP50: patchAtModule.p50 / restHopFloor.p50,
    restHopRatioP99: patchAtModule.p99 / restHopFloor.p99,
    barePath,
    barePathRatioP50: barePath.p50 / restHopFloor.p50,
    barePathRatioP99: barePath.p99 / restHopFloor.p99,
  };
}

/** Adds the CPU cost per operation: this process's, and the emulator's when it has a process of its own. */
async function withCpuCost(endpoint: HubEndpoint, measure: () => Promise<ThroughputResult>): Promise<ThroughputResult> {
  const emulatorBefore = await endpoint.emulatorCpuMs?.();
  const before = process.cpuUsage();
  const result = await measure();
  const used = process.cpuUsage(before);
  const emulatorAfter = await endpoint.emulatorCpuMs?.();
  const perOp = (ms: number): number => ms / Math.max(1, result.completed);
  return {
    ...result,
    clientCpuMsPerOp: perOp((used.user + used.system) / 1000),
    ...(emulatorBefore === undefined || emulatorAfter === undefined ? {} : { emulatorCpuMsPerOp: perOp(emulatorAfter - emulatorBefore) }),
  };
}

async function throughputOn(endpoint: HubEndpoint, fleet: Fleet, durationMs: number): Promise<ThroughputResult[]> {
  const bare = await openBarePath(endpoint, fleet.registry, { deviceId: `${fleet.ids[0]?.deviceId ?? 'bare'}-bare-loop`, moduleId: 'bare' });
  try {
    await measureBareUpdates(bare, 32, Math.min(durationMs, 500)); // warm-up
    return [
      await withCpuCost(endpoint, () => measureRestUpdates(fleet, 32, durationMs)),
      await withCpuCost(endpoint, () => measureBareUpdates(bare, 32, durationMs)),
      ...(await mqttThroughput(endpoint, fleet, durationMs)),
    ];
  } finally {
    await bare.close();
  }
}

async function mqttThroughput(endpoint: HubEndpoint, fleet: Fleet, durationMs: number): Promise<ThroughputResult[]> {
  return [
    await withCpuCost(endpoint, () => measureTwinGets(fleet.modules, durationMs)),
    await withCpuCost(endpoint, () => measureReportedPatches(fleet.modules, durationMs)),
  ];
}

/** Sections 1 and 3 on one endpoint: 1 module, then 100 modules (which the throughput runs reuse). */
export async function latencyAndThroughput(endpoint: HubEndpoint, options: BenchOptions): Promise<{ propagation: PropagationWithFloor[]; throughput: ThroughputResult[] }> {
  const propagation: PropagationWithFloor[] = [];
  let throughput: ThroughputResult[] = [];
  const one = await openFleet(endpoint, `${endpoint.label}-one`, 1);
  try {
    if (options.sections.has('propagation')) propagation.push(await propagationWithFloor(endpoint, one, options.samples));
  } finally {
    await one.close();
  }
  const hundred = await openFleet(endpoint, `${endpoint.label}-hundred`, 100);
  try {
    if (options.sections.has('propagation')) propagation.push(await propagationWithFloor(endpoint, hundred, options.samples));
    if (options.sections.has('throughput')) throughput = await throughputOn(endpoint, hundred, options.throughputMs);
  } finally {
    await hundred.close();
  }
  return { propagation, throughput };
}
