/**
 * Runs the features against an emulator outside the test process (docs/targets.md):
 *   tsx scripts/run-features.ts --target process|container [cucumber args...]
 * Starts the emulator, writes a CA bundle, then spawns cucumber with NODE_EXTRA_CA_CERTS set from the
 * start (Node reads it once, at process start: wire notes §1.3) and the target in its environment.
 * Forwards cucumber's exit code and always stops the emulator.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { writeCaBundle } from '../src/target/launchers/ca-bundle.js';
import { launchEmulator, type LaunchedTargetKind } from '../src/target/launchers/index.js';
import type { LaunchedEmulator } from '../src/target/launchers/launched-emulator.js';
import { TSX_NODE_ARGS } from './tsx-node-args.js';

const CUCUMBER = fileURLToPath(new URL('../node_modules/@cucumber/cucumber/bin/cucumber.js', import.meta.url));

function parseTarget(argv: readonly string[]): { kind: LaunchedTargetKind; cucumberArgs: string[] } {
  const args = [...argv];
  const flag = args.indexOf('--target');
  const requested = flag === -1 ? process.env.IOTHUB_TARGET : args.splice(flag, 2)[1];
  if (requested !== 'process' && requested !== 'container') {
    throw new Error(`run-features starts the emulator for --target process or --target container, not '${requested ?? ''}'. The embedded target needs no launcher (npm run test:features); a real hub needs only IOTHUB_CONNECTION_STRING.`);
  }
  return { kind: requested, cucumberArgs: args };
}

async function runCucumber(kind: LaunchedTargetKind, emulator: LaunchedEmulator, cucumberArgs: readonly string[]): Promise<number> {
  const caBundle = await writeCaBundle(emulator.caCertificatePath);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    IOTHUB_TARGET: kind,
    IOTHUB_CONNECTION_STRING: emulator.serviceConnectionString,
    IOTHUB_CA_FILE: emulator.caCertificatePath,
    NODE_EXTRA_CA_CERTS: caBundle,
  };
  if (emulator.controlPlaneUrl !== undefined) env.IOTHUB_CONTROL_URL = emulator.controlPlaneUrl;
  if (emulator.gatewayHostName !== undefined) env.IOTHUB_GATEWAY_HOST_NAME = emulator.gatewayHostName;
  if (emulator.eventHubsConnectionString !== undefined) env.IOTHUB_EVENTHUB_CONNECTION_STRING = emulator.eventHubsConnectionString;
  if (emulator.provisioning !== undefined) {
    env.IOTHUB_DPS_HOST = emulator.provisioning.host;
    env.IOTHUB_DPS_ID_SCOPE = emulator.provisioning.idScope;
    env.IOTHUB_DPS_SERVICE_CONNECTION_STRING = emulator.provisioning.serviceConnectionString;
  }
  const child = spawn(process.execPath, [...TSX_NODE_ARGS, CUCUMBER, ...cucumberArgs], { stdio: 'inherit', env });
  // A signal for the launcher ends cucumber first; the emulator is stopped in main's `finally`.
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  return code ?? (signal === null ? 1 : 130);
}

async function main(): Promise<number> {
  const { kind, cucumberArgs } = parseTarget(process.argv.slice(2));
  process.stderr.write(`[run-features] starting the ${kind} emulator\n`);
  const emulator = await launchEmulator(kind);
  try {
    return await runCucumber(kind, emulator, cucumberArgs);
  } finally {
    await emulator.stop();
    process.stderr.write('[run-features] emulator stopped\n');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[run-features] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
