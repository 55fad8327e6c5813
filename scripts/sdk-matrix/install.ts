import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installFolderName } from './sdk-sets.js';
import { SDK_PACKAGES, TRANSPORT_PACKAGES, type SdkSet } from './types.js';

export type InstallResult =
  | { readonly ok: true; readonly directory: string; readonly installed: Record<string, string> }
  | { readonly ok: false; readonly directory: string; readonly problem: string };

export interface InstallOptions {
  /** Parent of the per-set folders. */
  readonly root: string;
  readonly reinstall: boolean;
  readonly timeoutMs: number;
}

const MARKER = '.sdk-matrix-installed.json';

/**
 * Installs one set in a folder of its own (its own package.json and node_modules), so sets never
 * share a dependency tree. A folder that already holds exactly these specs is reused.
 */
export async function installSet(set: SdkSet, options: InstallOptions): Promise<InstallResult> {
  const directory = join(options.root, installFolderName(set));
  const specs = JSON.stringify(set.versions);
  const markerPath = join(directory, MARKER);
  if (options.reinstall || !existsSync(markerPath) || readFileSync(markerPath, 'utf8') !== specs) {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    const manifest = { name: `sdk-matrix-${set.name}`, private: true, dependencies: set.versions };
    writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const npm = await runNpmInstall(directory, options.timeoutMs);
    if (npm !== undefined) return { ok: false, directory, problem: `npm install failed: ${npm}` };
    writeFileSync(markerPath, specs);
  }
  const installed = installedVersions(directory);
  const mismatch = matchedSetProblem(installed, directory);
  return mismatch === undefined ? { ok: true, directory, installed } : { ok: false, directory, problem: mismatch };
}

export function installedVersions(directory: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const pkg of [...SDK_PACKAGES, 'azure-iot-common']) {
    const manifest = readManifest(join(directory, 'node_modules', pkg, 'package.json'));
    if (manifest?.version !== undefined) versions[pkg] = manifest.version;
  }
  return versions;
}

/**
 * Each transport package (azure-iot-device-mqtt, -amqp, -http) depends on one exact azure-iot-device
 * release; if the set names another, npm nests a second copy and that transport's client would not
 * run the device SDK the set claims.
 */
function matchedSetProblem(installed: Record<string, string>, directory: string): string | undefined {
  const device = installed['azure-iot-device'];
  for (const pkg of TRANSPORT_PACKAGES) {
    const manifest = readManifest(join(directory, 'node_modules', pkg, 'package.json'));
    const pinned = manifest?.dependencies?.['azure-iot-device'];
    if (pinned === undefined || device === undefined || pinned === device) continue;
    return `not a matched set: ${pkg}@${manifest?.version ?? '?'} pins azure-iot-device ${pinned}, but the set installs ${device}`;
  }
  return undefined;
}

interface Manifest {
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
}

function readManifest(path: string): Manifest | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** Runs npm install; resolves to undefined on success, else to npm's own error lines. */
function runNpmInstall(directory: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    const child = spawn('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: directory,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolvePromise(`could not start npm (${error.message})`));
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise(undefined);
      else if (signal !== null) resolvePromise(`stopped by ${signal} after the ${timeoutMs / 1000} s deadline`);
      else resolvePromise(readableNpmError(output) || `exit code ${code ?? '?'}`);
    });
  });
}

/** npm's error summary without codes and log pointers, e.g. "No matching version found for azure-iot-device@9.9.9." */
export function readableNpmError(output: string): string {
  return output
    .split('\n')
    .map((line) => line.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((line) => line !== '' && !/^code E|complete log|In most cases/i.test(line))
    .map((line) => line.replace(/^[a-z]+ (?=[A-Z])/, ''))
    .slice(0, 3)
    .join(' ');
}
