import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { writeCaBundle } from '../src/target/launchers/ca-bundle.js';
import { launchEmulator, type LaunchedTargetKind } from '../src/target/launchers/index.js';
import type { LaunchedEmulator } from '../src/target/launchers/launched-emulator.js';
import { RESULT_PREFIX, type RemoteEndpointSpec } from './remote-protocol.js';
import type { PropagationWithFloor } from './results.js';
import { REPO_ROOT } from './startup.js';
import type { ThroughputResult } from './throughput.js';

export interface LaunchedFigures {
  readonly target: LaunchedTargetKind;
  /** launchEmulator() called -> resolved with the ready line (the test launcher's own start-up path). */
  readonly launchMs: number;
  readonly propagation: PropagationWithFloor[];
  readonly throughput: ThroughputResult[];
}


async function runRemoteSections(label: string, emulator: LaunchedEmulator): Promise<Pick<LaunchedFigures, 'propagation' | 'throughput'>> {
  const bundle = await writeCaBundle(emulator.caCertificatePath);
  const remote: RemoteEndpointSpec = {
    label,
    serviceConnectionString: emulator.serviceConnectionString,
    caCertificatePath: emulator.caCertificatePath,
    ...(emulator.gatewayHostName === undefined ? {} : { gatewayHostName: emulator.gatewayHostName }),
    ...(emulator.controlPlaneUrl === undefined ? {} : { controlPlaneUrl: emulator.controlPlaneUrl }),
  };
  const script = fileURLToPath(new URL('./remote-sections.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle, BENCH_REMOTE: JSON.stringify(remote), BENCH_SECTIONS: 'propagation,throughput' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = output.split('\n').find((candidate) => candidate.startsWith(RESULT_PREFIX));
  if (line === undefined) throw new Error(`the ${label} sections exited with code ${code ?? 'null'} and no result: ${output.slice(-500)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as Pick<LaunchedFigures, 'propagation' | 'throughput'>;
}

/** Starts the emulator the way `npm run test:process` / `test:container` do, times it, and runs sections 1 and 3 on it. */
export async function measureLaunched(target: LaunchedTargetKind): Promise<LaunchedFigures> {
  const log = new PassThrough();
  log.resume();
  const started = performance.now();
  const emulator = await launchEmulator(target, log);
  const launchMs = performance.now() - started;
  try {
    return { target, launchMs, ...(await runRemoteSections(target, emulator)) };
  } finally {
    await emulator.stop();
  }
}
