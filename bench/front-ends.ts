import { onEmbedded } from './embedded.js';
import { openFleet } from './endpoint.js';
import { samplePropagation, type PropagationSamples } from './latency.js';
import type { NockFrontEndFigure, PropagationWithFloor } from './results.js';
import { summarize } from './stats.js';

/**
 * The embedded emulator on its optional `nock` REST front end: the propagation section's 1-module
 * update -> patch path, measured in the same process just after the routed front end, and set beside
 * it as a ratio of p50s: why `routed` is the default (docs/benchmarks.md, F1). Not interleaved with
 * the routed samples: while a nock front end runs, every HTTPS request of the process goes through nock.
 */
export async function nockBesideRouted(routed: PropagationWithFloor, samples: number): Promise<NockFrontEndFigure> {
  const patchAtModule = await onEmbedded(async (endpoint) => {
    const fleet = await openFleet(endpoint, `${endpoint.label}-one`, 1);
    try {
      await samplePropagation(fleet, 20, { patchAtModule: [], restResolved: [] });
      const taken: PropagationSamples = { patchAtModule: [], restResolved: [] };
      await samplePropagation(fleet, samples, taken);
      return summarize(taken.patchAtModule);
    } finally {
      await fleet.close();
    }
  }, 'nock');
  return { patchAtModule, routedP50: routed.patchAtModule.p50, ratioP50: patchAtModule.p50 / routed.patchAtModule.p50 };
}
