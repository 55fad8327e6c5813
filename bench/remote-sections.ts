/**
 * Sections 1 and 3 against an emulator outside this process (the standalone process or the
 * container), run in a child of `npm run bench` because the service SDK trusts the emulator's CA
 * only through NODE_EXTRA_CA_CERTS, which Node reads at start-up. Input: BENCH_REMOTE (JSON) and the
 * BENCH_* knobs; output: one stdout line `BENCH_RESULT <json>`.
 */
import { readFileSync } from 'node:fs';
import { hostNameOf } from '../src/target/hub-target.js';
import type { HubEndpoint } from './endpoint.js';
import { latencyAndThroughput } from './sections.js';

export interface RemoteEndpointSpec {
  readonly label: string;
  readonly serviceConnectionString: string;
  readonly caCertificatePath: string;
  readonly gatewayHostName?: string;
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

const spec = JSON.parse(process.env.BENCH_REMOTE ?? '{}') as RemoteEndpointSpec;
const hostName = hostNameOf(spec.serviceConnectionString);
const endpoint: HubEndpoint = {
  label: spec.label,
  serviceConnectionString: spec.serviceConnectionString,
  hostName,
  gatewayHostName: spec.gatewayHostName ?? `${hostName}:8883`,
  ca: readFileSync(spec.caCertificatePath, 'utf8'),
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
