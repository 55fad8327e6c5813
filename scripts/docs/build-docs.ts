/**
 * `npm run docs`: runs every feature against the embedded emulator (no hub needed) and leaves the
 * living documentation in reports/: the self-contained HTML report, JUnit XML and cucumber messages
 * (all three formats come from cucumber.js). See docs/living-documentation.md.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { collectScenarioResults } from '../sdk-matrix/collect.js';
import { externalReferences } from './self-contained.js';
import { TSX_NODE_ARGS } from '../tsx-node-args.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reportPath = join(projectRoot, 'reports', 'cucumber-report.html');
// This run's own copies of the report and messages (formats add up), so that what is checked and
// left in reports/ comes from this run even when another run writes reports/ at the same time.
const runDirectory = mkdtempSync(join(tmpdir(), 'docs-run-'));
const runMessagesPath = join(runDirectory, 'cucumber-messages.ndjson');
const runReportPath = join(runDirectory, 'cucumber-report.html');

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

// The documentation describes the emulator-backed suite in full, @emulator-only scenarios included.
const env = { ...process.env };
const TARGET_VARIABLES = ['IOTHUB_TARGET', 'IOTHUB_CONNECTION_STRING', 'IOTHUB_DEVICE_TRANSPORT'];
const ignored = TARGET_VARIABLES.filter((name) => env[name]?.trim());
if (ignored.length > 0) say(`docs: ignoring ${ignored.join(', ')}; the report is built against the embedded emulator.`);
for (const name of TARGET_VARIABLES) delete env[name];

/** Counts from this run's messages. */
function summary(): string {
  try {
    const scenarios = collectScenarioResults(readFileSync(runMessagesPath, 'utf8'));
    const passed = scenarios.filter((s) => s.status === 'passed').length;
    return `${new Set(scenarios.map((s) => s.feature)).size} features, ${passed}/${scenarios.length} scenarios passed.`;
  } catch (error) {
    return `could not read ${runMessagesPath} (${error instanceof Error ? error.message : String(error)}); see the output above.`;
  }
}

const cucumber = spawnSync(process.execPath, [...TSX_NODE_ARGS, join('node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js'), '--format', `message:${runMessagesPath}`, '--format', `html:${runReportPath}`], {
  cwd: projectRoot,
  env,
  stdio: 'inherit',
});

if (!existsSync(runReportPath)) {
  process.stderr.write(`docs: cucumber did not write the HTML report\n`);
  process.exit(1);
}
const external = externalReferences(readFileSync(runReportPath, 'utf8'));
if (external.length > 0) {
  process.stderr.write(`docs: the report is not self-contained; it loads ${external.join(', ')}\n`);
  process.exit(1);
}
copyFileSync(runReportPath, reportPath);
say(`\nLiving documentation: ${summary()}`);
say(`  HTML report (open in a browser): ${pathToFileURL(reportPath).href}`);
say('  For CI: reports/cucumber-junit.xml, reports/cucumber-messages.ndjson');
if (cucumber.status !== 0) say(`  The run did not pass (cucumber exit code ${cucumber.status ?? 'none'}); the report shows where.`);
rmSync(runDirectory, { recursive: true, force: true });
process.exit(cucumber.status ?? 1);
