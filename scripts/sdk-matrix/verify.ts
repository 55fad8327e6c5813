import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildResult } from './run-suite.js';
import { SDK_PACKAGES, type LoadedSdk } from './types.js';

export type Verified = { readonly ok: true; readonly loaded: LoadedSdk } | { readonly ok: false; readonly problem: string };

interface ProbeOutput {
  readonly resolved: Record<string, { readonly path: string; readonly version: string }>;
  readonly deviceClientType: string;
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/**
 * Checks, before the run, that the SDK specifiers resolve inside the set's folder to the versions
 * npm installed there, and reads the DeviceClientType the module client will send.
 */
export function verifyProbe(probe: ChildResult, setDirectory: string, installed: Record<string, string>): Verified {
  if (probe.exitCode !== 0) return { ok: false, problem: `the SDKs could not be loaded: ${lastLine(probe.output)}` };
  const output = JSON.parse(lastLine(probe.output)) as ProbeOutput;
  const inside = join(setDirectory, 'node_modules') + sep;
  for (const pkg of SDK_PACKAGES) {
    const seen = output.resolved[pkg];
    if (seen === undefined || !seen.path.startsWith(inside) || seen.version !== installed[pkg]) {
      return { ok: false, problem: `${pkg} resolved to ${seen?.path ?? 'nothing'} (${seen?.version ?? '?'}), not to the set's ${installed[pkg] ?? '?'}` };
    }
  }
  const versions = Object.fromEntries(SDK_PACKAGES.map((pkg) => [pkg, output.resolved[pkg]?.version ?? '?']));
  return { ok: true, loaded: { versions, deviceClientType: output.deviceClientType } };
}

/** Checks, after the run, that every SDK import the suite made was answered from the set's folder. */
export function verifyResolutionLog(logPath: string, setDirectory: string): string | undefined {
  if (!existsSync(logPath)) return 'the run imported no SDK package through the redirect';
  const inside = join(setDirectory, 'node_modules') + sep;
  const lines = readFileSync(logPath, 'utf8').split('\n').filter((l) => l !== '');
  const stray = lines.map((l) => l.split('\t')).find(([, url]) => url === undefined || !fileURLToPath(url).startsWith(inside));
  return stray === undefined ? undefined : `the run loaded ${stray[0] ?? '?'} from ${stray[1] ?? '?'}, outside the set's folder`;
}
