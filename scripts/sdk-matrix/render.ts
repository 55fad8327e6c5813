import {
  MATRIX_TRANSPORTS,
  runPassed,
  SDK_PACKAGES,
  setPassed,
  type DeviceTransport,
  type ScenarioResult,
  type SdkPackage,
  type SetOutcome,
  type TransportRun,
} from './types.js';

export interface MatrixReport {
  readonly generatedAt: string;
  /** "embedded emulator" or the hub's host name; never a key. */
  readonly target: string;
  readonly outcomes: readonly SetOutcome[];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function countsOf(scenarios: readonly ScenarioResult[]): string {
  return `${scenarios.filter((s) => s.status === 'passed').length}/${scenarios.length} scenarios passed`;
}

function runVerdict(run: TransportRun): string {
  const counts = countsOf(run.scenarios);
  if (run.problem !== undefined) return `FAIL: ${run.problem}${run.scenarios.length > 0 ? ` (${counts})` : ''}`;
  if (run.scenarios.length === 0) return 'FAIL: no scenario ran';
  return runPassed(run) ? `pass: ${counts}` : `FAIL: ${counts}`;
}

function versionCell(outcome: SetOutcome, pkg: SdkPackage): string {
  const wanted = outcome.set.versions[pkg];
  const loaded = outcome.loaded?.versions[pkg] ?? outcome.installed?.[pkg];
  return loaded === undefined || loaded === wanted ? wanted : `${wanted} (${loaded})`;
}

/** One row per run (set x transport); a set that never ran is one row naming its transports. */
function setsTable(outcomes: readonly SetOutcome[]): string[] {
  const header = row(['Version set', 'Supported', ...SDK_PACKAGES, 'Transport', 'Result']);
  const lines = outcomes.flatMap((o) => {
    const lead = [o.set.name, o.set.supported ? 'yes' : 'candidate', ...SDK_PACKAGES.map((p) => versionCell(o, p))];
    if (o.problem !== undefined || o.runs.length === 0) return [row([...lead, o.set.transports.join(', '), `FAIL: ${o.problem ?? 'no run'}`])];
    return o.runs.map((run) => row([...lead, run.transport, runVerdict(run)]));
  });
  return [header, row(['---', '---', ...SDK_PACKAGES.map(() => '---'), '---', '---']), ...lines];
}

/** Version set x transport at a glance: passed/ran per cell, '-' where the set does not run that transport. */
function summaryTable(outcomes: readonly SetOutcome[]): string[] {
  const transports = MATRIX_TRANSPORTS.filter((t) => outcomes.some((o) => o.set.transports.includes(t)));
  const cellFor = (o: SetOutcome, transport: DeviceTransport): string => {
    if (!o.set.transports.includes(transport)) return '-';
    const run = o.runs.find((r) => r.transport === transport);
    if (run === undefined) return 'FAIL (see set)';
    const passed = run.scenarios.filter((s) => s.status === 'passed').length;
    return `${runPassed(run) ? 'pass' : 'FAIL'} ${passed}/${run.scenarios.length}`;
  };
  const lines = outcomes.map((o) => row([o.set.name, ...transports.map((t) => cellFor(o, t))]));
  return [row(['Version set', ...transports]), row(['---', ...transports.map(() => '---')]), ...lines];
}

interface Column {
  readonly outcome: SetOutcome;
  readonly transport: DeviceTransport;
  readonly run?: TransportRun;
}

/** The scenario table's columns: each set over each of its transports, in run order. */
function columnsOf(outcomes: readonly SetOutcome[]): Column[] {
  return outcomes.flatMap((outcome) =>
    outcome.set.transports.map((transport) => {
      const run = outcome.runs.find((r) => r.transport === transport);
      return run === undefined ? { outcome, transport } : { outcome, transport, run };
    }),
  );
}

/** Every scenario any run ran, in the order first seen. */
function scenarioRows(outcomes: readonly SetOutcome[]): ScenarioResult[] {
  const byKey = new Map<string, ScenarioResult>();
  for (const run of outcomes.flatMap((o) => o.runs)) for (const s of run.scenarios) if (!byKey.has(s.key)) byKey.set(s.key, s);
  return [...byKey.values()];
}

function resultCell(column: Column, key: string): string {
  if (column.run === undefined) return 'not run (see set)';
  const result = column.run.scenarios.find((s) => s.key === key);
  // A run that went through without this scenario left it out by the tag filter (@not-<transport>).
  if (result === undefined) return column.run.problem === undefined ? 'n/a' : 'not run (see run)';
  if (result.status === 'passed') return 'pass';
  if (result.status === 'skipped') return 'skipped';
  return `FAIL at: ${result.failingStep ?? '?'}`;
}

function scenarioTable(outcomes: readonly SetOutcome[]): string[] {
  const columns = columnsOf(outcomes);
  const header = row(['Feature', 'Scenario', ...columns.map((c) => `${c.outcome.set.name} / ${c.transport}`)]);
  const lines = scenarioRows(outcomes).map((s) => row([s.feature, s.scenario, ...columns.map((c) => resultCell(c, s.key))]));
  return [header, row(['---', '---', ...columns.map(() => '---')]), ...lines];
}

function failureList(outcomes: readonly SetOutcome[]): string[] {
  const failures = outcomes.flatMap((o) =>
    o.runs.flatMap((run) =>
      run.scenarios
        .filter((s) => s.status !== 'passed')
        .map((s) => `- **${o.set.name} / ${run.transport}**, ${s.scenario}: ${s.failingStep ?? s.status}: ${s.reason ?? ''}`),
    ),
  );
  return failures.length === 0 ? [] : ['', '## Failures', '', ...failures];
}

function loadedList(outcomes: readonly SetOutcome[]): string[] {
  const loaded = outcomes.filter((o) => o.loaded !== undefined).map((o) => `- **${o.set.name}**: DeviceClientType \`${o.loaded?.deviceClientType ?? ''}\``);
  return loaded.length === 0 ? [] : ['', 'SDK versions verified as loaded before the runs (the MQTT username and the AMQP and HTTP user agents carry this DeviceClientType):', '', ...loaded];
}

export function renderMarkdown(report: MatrixReport): string {
  return [
    '# SDK version matrix',
    '',
    `Target: ${report.target}. Generated ${report.generatedAt}.`,
    '',
    ...summaryTable(report.outcomes),
    '',
    '## Runs',
    '',
    ...setsTable(report.outcomes),
    ...loadedList(report.outcomes),
    '',
    '## Scenarios',
    '',
    '`n/a`: the scenario is left out for that transport by the tag filter (`@not-<transport>`, cucumber.js).',
    '',
    ...scenarioTable(report.outcomes),
    ...failureList(report.outcomes),
    '',
  ].join('\n');
}

export function renderJson(report: MatrixReport): string {
  const sets = report.outcomes.map((o) => ({ ...o, passed: setPassed(o) }));
  return `${JSON.stringify({ generatedAt: report.generatedAt, target: report.target, sets }, null, 2)}\n`;
}
