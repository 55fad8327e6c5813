import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseReadyLine, type ReadyLine } from './launched-emulator.js';

/** The emulator package's `bin`, compiled JavaScript (`npm run build`): what `npx iothub-emulator` runs. */
export const EMULATOR_BIN = join(dirname(createRequire(import.meta.url).resolve('iothub-emulator/package.json')), 'bin', 'iothub-emulator.js');

export interface SpawnedEmulatorCli {
  readonly ready: ReadyLine;
  readonly child: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within the grace period; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts `iothub-emulator <args>` and resolves with its ready line; rejects with its stderr when it
 * exits (or stays silent past the deadline) instead. Its stderr is forwarded to `logTo`.
 */
export async function spawnEmulatorCli(args: readonly string[], init: { timeoutMs?: number; logTo?: NodeJS.WritableStream; env?: NodeJS.ProcessEnv } = {}): Promise<SpawnedEmulatorCli> {
  const child = spawn(process.execPath, [EMULATOR_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: init.env ?? process.env });
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk);
    init.logTo?.write(chunk);
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const ready = await readFirstLine(child, exited, init.timeoutMs ?? 30_000, () => stderr.join('')).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { ready: parseReadyLine(ready), child, stop: (graceMs = 10_000) => stopChild(child, exited, graceMs) };
}

async function readFirstLine(child: ChildProcess, exited: Promise<[number | null, NodeJS.Signals | null]>, timeoutMs: number, stderr: () => string): Promise<string> {
  if (child.stdout === null) throw new Error('The emulator child has no stdout.');
  const lines = createInterface({ input: child.stdout });
  const firstLine = once(lines, 'line').then(([line]) => line as string);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The emulator printed no ready line within ${timeoutMs} ms. Its stderr:\n${stderr()}`)), timeoutMs);
  });
  const early = exited.then(([code, signal]) => {
    throw new Error(`The emulator exited (code ${code ?? 'none'}, signal ${signal ?? 'none'}) before it was ready. Its stderr:\n${stderr()}`);
  });
  try {
    return await Promise.race([firstLine, deadline, early]);
  } finally {
    clearTimeout(timer);
    lines.close();
    early.catch(() => undefined);
  }
}

async function stopChild(child: ChildProcess, exited: Promise<[number | null, NodeJS.Signals | null]>, graceMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    const [code] = await exited;
    return code;
  } finally {
    clearTimeout(timer);
  }
}
