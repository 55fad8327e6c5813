import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TSX_NODE_ARGS } from '../tsx-node-args.js';
import type { DeviceTransport } from './types.js';

export interface ChildRunOptions {
  readonly projectRoot: string;
  /** The set's install folder: SDK imports of the child resolve there. */
  readonly setDirectory: string;
  /** Where this set's run writes its output, messages and resolution log. */
  readonly runDirectory: string;
  readonly timeoutMs: number;
}

export interface ChildResult {
  readonly exitCode: number | null;
  /** Set when the deadline passed and the child was stopped. */
  readonly timedOut: boolean;
  readonly output: string;
}

export interface SuiteRun extends ChildResult {
  readonly messagesPath: string;
  readonly resolutionLogPath: string;
}

const HOOKS = [...TSX_NODE_ARGS, '--import', './scripts/sdk-matrix/register.ts'];

/** Runs a script of this folder in a child node with the set's SDK redirect; the environment passes through. */
function runWithSet(script: string, options: ChildRunOptions, extraEnv: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [...HOOKS, join('scripts', 'sdk-matrix', script)], {
      cwd: options.projectRoot,
      env: { ...process.env, ...extraEnv, SDK_MATRIX_SET_DIR: options.setDirectory },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => (output += `\ncould not start node: ${error.message}`));
    child.on('close', (exitCode) => {
      clearTimeout(deadline);
      resolvePromise({ exitCode, timedOut, output });
    });
  });
}

export function probeSdk(options: ChildRunOptions): Promise<ChildResult> {
  return runWithSet('probe-sdk.ts', options, {});
}

/**
 * Runs the feature suite once over one device transport (IOTHUB_DEVICE_TRANSPORT, which also picks
 * cucumber.js's `@not-<transport>` filter); cucumber messages and the log of redirected imports go
 * to the run folder.
 */
export async function runSuite(options: ChildRunOptions, transport: DeviceTransport): Promise<SuiteRun> {
  const messagesPath = join(options.runDirectory, 'cucumber-messages.ndjson');
  const resolutionLogPath = join(options.runDirectory, 'sdk-resolution.log');
  rmSync(messagesPath, { force: true });
  rmSync(resolutionLogPath, { force: true });
  const result = await runWithSet('suite-child.ts', options, {
    SDK_MATRIX_MESSAGES: messagesPath,
    SDK_MATRIX_RESOLUTION_LOG: resolutionLogPath,
    IOTHUB_DEVICE_TRANSPORT: transport,
  });
  writeFileSync(join(options.runDirectory, 'output.txt'), result.output);
  return { ...result, messagesPath, resolutionLogPath };
}
