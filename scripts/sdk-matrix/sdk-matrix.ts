/**
 * `npm run sdk-matrix`: runs the feature suite against each SDK version set, one after the other,
 * each installed in its own folder, over each of the set's device transports, and reports a version
 * set x transport x scenario table. See docs/sdk-matrix.md.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMatrixArgs, USAGE, type MatrixOptions } from './args.js';
import { evaluateSet } from './evaluate-set.js';
import { renderJson, renderMarkdown } from './render.js';
import { runPassed, setPassed, type SetOutcome } from './types.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reportsDir = join(projectRoot, 'reports');
const runsRoot = join(reportsDir, 'sdk-matrix');
// Under node_modules/.cache: ignored by git and by the project's own installs.
const installRoot = process.env.SDK_MATRIX_INSTALL_DIR ?? join(projectRoot, 'node_modules', '.cache', 'sdk-matrix');

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Where the runs go (docs/targets.md), without ever printing the connection string's key. */
function describeTarget(): string {
  const connectionString = process.env.IOTHUB_CONNECTION_STRING?.trim();
  const kind = process.env.IOTHUB_TARGET?.trim() || (connectionString ? 'hub' : 'embedded');
  if (!connectionString) return `${kind} target`;
  return `${kind} target (${/HostName=([^;]+)/i.exec(connectionString)?.[1] ?? 'host name not found'})`;
}

function options(): MatrixOptions {
  try {
    return parseMatrixArgs(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.help) return say(USAGE);
  const target = describeTarget();
  say(`SDK matrix on the ${target}, sets: ${opts.sets.map((s) => s.name).join(', ')}`);
  rmSync(runsRoot, { recursive: true, force: true });
  const outcomes: SetOutcome[] = [];
  for (const set of opts.sets) {
    say(`- ${set.name}: installing (or reusing) ${Object.entries(set.versions).map(([p, v]) => `${p}@${v}`).join(' ')}; over ${set.transports.join(', ')}`);
    const started = Date.now();
    const outcome = await evaluateSet(set, { projectRoot, installRoot, runsRoot, reinstall: opts.reinstall, runTimeoutMs: opts.runTimeoutMs }, (run) => {
      const problem = run.problem === undefined ? '' : `: ${run.problem}`;
      say(`  ${run.transport}: ${runPassed(run) ? 'passed' : 'FAILED'}${problem} (${relative(projectRoot, run.runDirectory ?? '')}/output.txt)`);
    });
    const loaded = outcome.loaded === undefined ? '' : ` (loaded ${outcome.loaded.deviceClientType})`;
    const problem = outcome.problem === undefined ? '' : `: ${outcome.problem}`;
    say(`  ${set.name}: ${setPassed(outcome) ? 'passed' : 'FAILED'}${loaded}${problem} in ${Math.round((Date.now() - started) / 1000)} s`);
    outcomes.push(outcome);
  }
  const report = { generatedAt: new Date().toISOString(), target, outcomes };
  mkdirSync(reportsDir, { recursive: true });
  const markdown = renderMarkdown(report);
  writeFileSync(join(reportsDir, 'sdk-matrix.md'), markdown);
  writeFileSync(join(reportsDir, 'sdk-matrix.json'), renderJson(report));
  say(`\n${markdown}\nWritten: reports/sdk-matrix.md, reports/sdk-matrix.json`);
  const failedSupported = outcomes.filter((o) => o.set.supported && !setPassed(o)).map((o) => o.set.name);
  if (failedSupported.length > 0) {
    say(`Supported set(s) failing: ${failedSupported.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
