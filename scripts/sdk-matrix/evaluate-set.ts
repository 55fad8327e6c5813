import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectScenarioResults } from './collect.js';
import { installSet } from './install.js';
import { probeSdk, runSuite, type ChildRunOptions, type SuiteRun } from './run-suite.js';
import type { DeviceTransport, SdkSet, ScenarioResult, SetOutcome, TransportRun } from './types.js';
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

/** One feature run of the set over one transport, in its own folder `<runsRoot>/<set>/<transport>`. */
async function runOverTransport(transport: DeviceTransport, child: SetChild, options: EvaluateOptions): Promise<TransportRun> {
  const runDirectory = join(child.runDirectory, transport);
  mkdirSync(runDirectory, { recursive: true });
  const run = await runSuite({ ...child, runDirectory }, transport);
  const scenarios = existsSync(run.messagesPath) ? collectScenarioResults(readFileSync(run.messagesPath, 'utf8')) : [];
  const problem = runProblem(run, scenarios, options.runTimeoutMs) ?? verifyResolutionLog(run.resolutionLogPath, child.setDirectory);
  return { transport, scenarios, runDirectory, ...(problem === undefined ? {} : { problem }) };
}

type SetChild = Omit<ChildRunOptions, 'runDirectory'> & { readonly runDirectory: string };

/**
 * Installs and verifies one set once, then runs the suite over each of its transports, one after
 * the other; whatever goes wrong becomes the set's or the run's `problem`, never a throw.
 */
export async function evaluateSet(set: SdkSet, options: EvaluateOptions, onRun?: (run: TransportRun) => void): Promise<SetOutcome> {
  try {
    const install = await installSet(set, { root: options.installRoot, reinstall: options.reinstall, timeoutMs: INSTALL_TIMEOUT_MS });
    if (!install.ok) return { set, problem: install.problem, runs: [] };
    const runDirectory = join(options.runsRoot, set.name);
    mkdirSync(runDirectory, { recursive: true });
    const child: SetChild = { projectRoot: options.projectRoot, setDirectory: install.directory, runDirectory, timeoutMs: options.runTimeoutMs };
    const verified = verifyProbe(await probeSdk(child), install.directory, install.installed);
    if (!verified.ok) return { set, installed: install.installed, problem: verified.problem, runs: [] };
    const runs: TransportRun[] = [];
    for (const transport of set.transports) {
      const run = await runOverTransport(transport, child, options);
      onRun?.(run);
      runs.push(run);
    }
    return { set, installed: install.installed, loaded: verified.loaded, runs };
  } catch (error) {
    return { set, problem: `the matrix could not evaluate this set: ${error instanceof Error ? error.message : String(error)}`, runs: [] };
  }
}
