/**
 * Sections 1 and 3 against an emulator outside this process (the standalone process or the
 * container), run in a child of `npm run bench` because the service SDK trusts the emulator's CA
 * only through NODE_EXTRA_CA_CERTS, which Node reads at start-up. Input: BENCH_REMOTE (JSON) and the
 * BENCH_* knobs; output: one stdout line `BENCH_RESULT <json>`.
 */
import { readFileSync } from 'node:fs';
import { HttpControl } from '../src/control/http-control.js';
import { hostNameOf } from '../src/target/hub-target.js';
import type { HubEndpoint } from './endpoint.js';
import { RESULT_PREFIX, type RemoteEndpointSpec } from './remote-protocol.js';
import { latencyAndThroughput } from './sections.js';

const spec = JSON.parse(process.env.BENCH_REMOTE ?? '{}') as RemoteEndpointSpec;
const hostName = hostNameOf(spec.serviceConnectionString);
const ca = readFileSync(spec.caCertificatePath, 'utf8');
const control = spec.controlPlaneUrl === undefined ? undefined : new HttpControl({ baseUrl: spec.controlPlaneUrl, ca });
const endpoint: HubEndpoint = {
  label: spec.label,
  serviceConnectionString: spec.serviceConnectionString,
  hostName,
  gatewayHostName: spec.gatewayHostName ?? `${hostName}:8883`,
  ca,
  ...(control === undefined ? {} : { emulatorCpuMs: async () => (await control.processUsage()).cpuMs }),
  stop: () => Promise.resolve(),
};
const result = await latencyAndThroughput(endpoint, {
  samples: Number(process.env.BENCH_SAMPLES ?? 500),
  fanOutSizes: [],
  throughputMs: Number(process.env.BENCH_SECONDS ?? 3) * 1000,
  sections: new Set((process.env.BENCH_SECTIONS ?? 'propagation,throughput').split(',')),
});
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
process.exit(0);
