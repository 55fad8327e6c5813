import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectScenarioResults } from './collect.js';
import { installSet } from './install.js';
import { probeSdk, runSuite, type SuiteRun } from './run-suite.js';
import type { SdkSet, ScenarioResult, SetOutcome } from './types.js';
import { verifyProbe, verifyResolutionLog } from './verify.js';

export interface EvaluateOptions {
  readonly projectRoot: string;
  readonly installRoot: string;
  readonly runsRoot: string;
  readonly reinstall: boolean;
  readonly runTimeoutMs: number;
}

const INSTALL_TIMEOUT_MS = 300_000;

/**
 * The error a crashed run printed, with its innermost cause: "Error: a BeforeAll hook errored ...:
 * IOTHUB_DEVICE_TRANSPORT must be 'mqtt' or 'mqtt-ws', not 'bogus'."
 */
export function crashReason(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const error = lines.find((l) => /^(\w*Error|Error)\b/.test(l));
  const cause = lines.filter((l) => l.startsWith('[cause]: ')).at(-1)?.replace(/^\[cause\]: (\w*Error: )?/, '');
  if (error === undefined) return lines.at(-1) ?? 'no output';
  return cause === undefined ? error : `${error}: ${cause}`;
}

function runProblem(run: SuiteRun, scenarios: readonly ScenarioResult[], timeoutMs: number): string | undefined {
  if (run.timedOut) return `the feature run passed its ${timeoutMs / 1000} s deadline and was stopped`;
  if (scenarios.length === 0 && run.exitCode !== 0) {
    return `the feature run ended (exit code ${run.exitCode ?? '?'}) before any scenario ran: ${crashReason(run.output)}`;
  }
  return undefined;
}

/** Installs, verifies and runs one set; whatever goes wrong becomes the set's `problem`, never a throw. */
export async function evaluateSet(set: SdkSet, options: EvaluateOptions): Promise<SetOutcome> {
  try {
    const install = await installSet(set, { root: options.installRoot, reinstall: options.reinstall, timeoutMs: INSTALL_TIMEOUT_MS });
    if (!install.ok) return { set, problem: install.problem, scenarios: [] };
    const runDirectory = join(options.runsRoot, set.name);
    mkdirSync(runDirectory, { recursive: true });
    const child = { projectRoot: options.projectRoot, setDirectory: install.directory, runDirectory, timeoutMs: options.runTimeoutMs };
    const verified = verifyProbe(await probeSdk(child), install.directory, install.installed);
    if (!verified.ok) return { set, installed: install.installed, problem: verified.problem, scenarios: [], runDirectory };
    const run = await runSuite(child);
    const scenarios = existsSync(run.messagesPath) ? collectScenarioResults(readFileSync(run.messagesPath, 'utf8')) : [];
    const problem = runProblem(run, scenarios, options.runTimeoutMs) ?? verifyResolutionLog(run.resolutionLogPath, install.directory);
    return { set, installed: install.installed, loaded: verified.loaded, scenarios, runDirectory, ...(problem === undefined ? {} : { problem }) };
  } catch (error) {
    return { set, problem: `the matrix could not evaluate this set: ${error instanceof Error ? error.message : String(error)}`, scenarios: [] };
  }
}
