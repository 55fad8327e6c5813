import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { IotHubEmulator } from '../emulator/index.js';
import { withDeadline } from '../src/wait-for.js';
import { median } from './stats.js';

export interface StartupFigure {
  readonly target: string;
  readonly runs: number;
  readonly firstMs: number;
  readonly medianMs: number;
  readonly maxMs: number;
  /** CPU time (user + system) of the spawned process when it printed its line: less swayed by the machine's load than wall time. */
  readonly medianCpuMs?: number;
  /** Why there is no figure, when there is none. */
  readonly gap?: string;
}

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

function figure(target: string, samples: readonly number[], cpuSamples: readonly number[] = []): StartupFigure {
  const cpu = cpuSamples.filter((sample) => !Number.isNaN(sample));
  return {
    target, runs: samples.length, firstMs: samples[0] ?? Number.NaN, medianMs: median(samples), maxMs: Math.max(...samples),
    ...(cpu.length === 0 ? {} : { medianCpuMs: median(cpu) }),
  };
}

/** Linux's clock ticks per second for /proc times (CLK_TCK, 100 on every Linux this runs on). */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a running process from /proc/<pid>/stat, in ms; NaN where there is no /proc. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid ?? 0}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

export function gap(target: string, reason: string): StartupFigure {
  return { target, runs: 0, firstMs: Number.NaN, medianMs: Number.NaN, maxMs: Number.NaN, gap: reason };
}

/** `new IotHubEmulator().start()` resolved, in this process (modules already imported); the first run is the cold one. */
export async function measureEmbeddedStart(runs: number): Promise<StartupFigure> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const emulator = await new IotHubEmulator().start();
    samples.push(performance.now() - started);
    await emulator.stop();
  }
  return figure('embedded: start() resolved', samples);
}

/** Spawn -> the first stdout line that parses as JSON with a serviceConnectionString; the process is then stopped. */
async function timeToReadyLine(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ wallMs: number; cpuMs: number }> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<{ wallMs: number; cpuMs: number }>((resolve, reject) => {
    lines.on('line', (line) => {
      if (isReadyLine(line)) resolve({ wallMs: performance.now() - started, cpuMs: cpuMsOf(child.pid) });
    });
    child.once('exit', (code) => reject(new Error(`exited with code ${code ?? 'null'} before its ready line: ${stderr.join('').slice(-500)}`)));
  });
  try {
    return await withDeadline(ready, 30_000, `the ready line of ${command} ${args.join(' ')}`);
  } finally {
    lines.close();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null && child.kill('SIGTERM')) await withDeadline(exited, 10_000, 'the emulator process to exit').catch(() => child.kill('SIGKILL'));
  }
}

function isReadyLine(line: string): boolean {
  try {
    const parsed = JSON.parse(line) as { serviceConnectionString?: unknown };
    return typeof parsed.serviceConnectionString === 'string';
  } catch {
    return false;
  }
}

export const STANDALONE_BIN = 'emulator/bin/iothub-emulator.js';

const STANDALONE_ARGS = [STANDALONE_BIN, '--host', '127.0.0.1', '--https-port', '0', '--mqtt-port', '0', '--amqp-port', '0'];

/** The floor: node started with a script that prints a ready-shaped line at once and waits to be stopped, as the emulator does. */
const FLOOR_SCRIPT = "process.stdout.write(JSON.stringify({ serviceConnectionString: '' }) + '\\n'); setInterval(() => {}, 60_000);";

interface SpawnTarget {
  readonly target: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly samples: number[];
  readonly cpuSamples: number[];
}

/**
 * Spawn -> ready line, interleaved run by run so that the machine's load falls on each alike: the
 * standalone bin with a certificate cache of its own (fresh for this run: the first spawn makes and
 * caches the certificate, the others read it, cli/certificate-cache.ts), the bin with the cache off
 * (a certificate made on every start), and the floor, `node -e` printing a line (docs/benchmarks.md F7).
 */
export async function measureStandaloneStarts(runs: number): Promise<StartupFigure[]> {
  const target = 'standalone: spawn -> ready line';
  if (!existsSync(`${REPO_ROOT}${STANDALONE_BIN}`)) return [gap(target, `${STANDALONE_BIN} does not exist in this tree`)];
  const cacheDirectory = await mkdtemp(join(tmpdir(), 'iothub-emulator-bench-cache-'));
  const targets: SpawnTarget[] = [
    { target, args: STANDALONE_ARGS, env: { ...process.env, IOTHUB_EMULATOR_CERT_CACHE: cacheDirectory }, samples: [], cpuSamples: [] },
    { target: 'standalone, certificate cache off: spawn -> ready line', args: STANDALONE_ARGS, env: { ...process.env, IOTHUB_EMULATOR_CERT_CACHE: 'off' }, samples: [], cpuSamples: [] },
    { target: 'floor: node -e printing a line, spawn -> line', args: ['-e', FLOOR_SCRIPT], env: process.env, samples: [], cpuSamples: [] },
  ];
  try {
    for (let run = 0; run < runs; run++) {
      for (const entry of targets) {
        const { wallMs, cpuMs } = await timeToReadyLine(process.execPath, entry.args, entry.env);
        entry.samples.push(wallMs);
        entry.cpuSamples.push(cpuMs);
      }
    }
  } catch (error) {
    return [gap(target, error instanceof Error ? error.message : String(error))];
  } finally {
    await rm(cacheDirectory, { recursive: true, force: true });
  }
  return targets.map((entry) => figure(entry.target, entry.samples, entry.cpuSamples));
}
