import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { waitFor } from '../src/wait-for.js';
import { withDeadline } from '../src/wait-for.js';
import { REPO_ROOT } from './startup.js';

const SUITE_DEADLINE_MS = 10 * 60_000;
const EXIT_GRACE_MS = 20_000;
/** Cucumber's last summary line, e.g. "0m17.143s (executing steps: 0m13.508s)". */
const SUMMARY_END = /\d+m[\d.]+s \(executing steps/;

export interface SuiteFigure {
  readonly command: string;
  /** Spawn -> cucumber printed its summary (the run is over; the process may still be exiting). */
  readonly wallMs: number;
  /** Spawn -> the process exited; undefined when it had not exited EXIT_GRACE_MS after the summary. */
  readonly exitMs?: number;
  readonly exitCode: number | null;
  /** Cucumber's own summary line, e.g. "12 scenarios (12 passed)". */
  readonly summary: string;
}

/** Wall time of `npm run test:features` on the embedded target, from spawn to exit. */
export async function measureSuite(): Promise<SuiteFigure> {
  const command = 'npm run test:features';
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, IOTHUB_TARGET: 'embedded' };
  delete env.IOTHUB_CONNECTION_STRING;
  const child = spawn('npm', ['run', 'test:features'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  let summaryAt: number | undefined;
  const changes = new EventEmitter();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    if (summaryAt === undefined && SUMMARY_END.test(output)) summaryAt = performance.now();
    changes.emit('change');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exitedAt: number | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    exitedAt = performance.now();
    resolve(code);
    changes.emit('change');
  }));
  // A suite that hangs, or that does not exit after its summary, is reported as such, not waited on forever.
  await waitFor(() => summaryAt ?? exitedAt, { description: 'the feature suite summary', timeoutMs: SUITE_DEADLINE_MS, changes }).catch(() => undefined);
  const exitCode = await withDeadline(exited, EXIT_GRACE_MS, 'the feature suite to exit').catch(() => {
    child.kill('SIGTERM');
    return null;
  });
  const summary = /\d+ scenarios? \([^)]*\)/.exec(output)?.[0] ?? 'no cucumber summary';
  const hung = exitedAt === undefined ? `; did not exit within ${EXIT_GRACE_MS / 1000} s of its summary (killed)` : '';
  return {
    command,
    wallMs: (summaryAt ?? exitedAt ?? performance.now()) - started,
    ...(exitedAt === undefined ? {} : { exitMs: exitedAt - started }),
    exitCode,
    summary: `${summary}${hung}`,
  };
}
