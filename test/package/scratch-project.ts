/**
 * A consuming project in a temporary folder, outside this repository (so that nothing resolves from
 * its node_modules), with the emulator package installed from the tarball `npm pack` makes: what a
 * team gets from `npm install iothub-emulator`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { withDeadline } from '../../src/wait-for.js';

export const EMULATOR_PACKAGE_DIR = fileURLToPath(new URL('../../emulator/', import.meta.url));
/** The harness's own manifest: the scratch project borrows azure-iothub from here, not from the registry. */
export const HARNESS_MANIFEST = fileURLToPath(new URL('../../package.json', import.meta.url));

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment of a consumer's shell: without this run's npm settings (`npm run` exports the
 * harness's package and prefix) and without node options (the harness's export condition names
 * sources that the tarball does not hold).
 */
export function consumerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('npm_package_') || lower.startsWith('npm_lifecycle_') || lower === 'npm_config_local_prefix') continue;
    if (name === 'NODE_OPTIONS' || name === 'NODE_PATH' || name === 'INIT_CWD') continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** Stops a child started with `detached: true` and everything it started (npx -> sh -> node), by its process group. */
export async function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(-child.pid, 'SIGTERM');
  try {
    await withDeadline(exited, graceMs, `process group ${child.pid} to exit after SIGTERM`);
  } catch {
    process.kill(-child.pid, 'SIGKILL');
    await withDeadline(exited, graceMs, `process group ${child.pid} to exit after SIGKILL`);
  }
}

/** Runs a command to its end, or stops it (and its children) at the deadline and rejects. */
export async function runCommand(command: string, args: readonly string[], init: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<CommandResult> {
  const child = spawn(command, args, { cwd: init.cwd, env: init.env ?? consumerEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  try {
    const [code] = await withDeadline(exited, init.timeoutMs, `${command} ${args.join(' ')} to finish`);
    return { code, stdout, stderr };
  } catch (error) {
    await stopGroup(child);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  }
}

/** Starts a long-running command in its own process group and resolves with its first stdout line. */
export async function startUntilFirstLine(command: string, args: readonly string[], init: { cwd: string; timeoutMs: number }): Promise<{ child: ChildProcess; line: string; stderr: () => string }> {
  const child = spawn(command, args, { cwd: init.cwd, env: consumerEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const firstLine = once(lines, 'line').then(([line]) => line as string);
  const early = once(child, 'exit').then(([code]) => {
    throw new Error(`${command} ${args.join(' ')} exited (code ${String(code)}) before printing a line. stderr:\n${stderr}`);
  });
  try {
    const line = await withDeadline(Promise.race([firstLine, early]), init.timeoutMs, `the first line of ${command} ${args.join(' ')}`);
    return { child, line, stderr: () => stderr };
  } catch (error) {
    await stopGroup(child);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nstderr:\n${stderr}`);
  } finally {
    lines.close();
    early.catch(() => undefined);
  }
}

async function checked(command: string, args: readonly string[], init: { cwd: string; timeoutMs: number }): Promise<CommandResult> {
  const result = await runCommand(command, args, init);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${String(result.code)}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/**
 * `npm pack` in emulator/ (its prepack builds dist/ from clean), then `npm install <tarball>` in a new
 * scratch project: from the npm cache when it has the packages (CI's `npm ci` has just filled it),
 * else from the registry. Install scripts stay off: the only native addons (better-sqlite3,
 * classic-level) serve `--data`, which this check does not use, and a consumer's npm 11 skips them
 * too until the consumer approves them (README, "Use the emulator in your own project").
 */
export async function installPackedEmulator(): Promise<{ scratch: string; tarball: string }> {
  const scratch = await mkdtemp(join(tmpdir(), 'iothub-emulator-consumer-'));
  await checked('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: EMULATOR_PACKAGE_DIR, timeoutMs: 180_000 });
  const tarball = (await readdir(scratch)).find((name) => name.startsWith('iothub-emulator-') && name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no iothub-emulator tarball to ${scratch}`);
  await writeFile(join(scratch, 'package.json'), `${JSON.stringify({ name: 'emulator-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  const install = ['install', '--prefix', scratch, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', `./${tarball}`];
  await checked('npm', install, { cwd: scratch, timeoutMs: 300_000 });
  return { scratch, tarball: join(scratch, tarball) };
}
