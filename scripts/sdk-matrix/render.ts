import { SDK_PACKAGES, setPassed, type ScenarioResult, type SetOutcome } from './types.js';

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

function setVerdict(outcome: SetOutcome): string {
  const passed = outcome.scenarios.filter((s) => s.status === 'passed').length;
  const counts = `${passed}/${outcome.scenarios.length} scenarios passed`;
  if (outcome.problem !== undefined) return `FAIL: ${outcome.problem}${outcome.scenarios.length > 0 ? ` (${counts})` : ''}`;
  if (outcome.scenarios.length === 0) return 'FAIL: no scenario ran';
  return setPassed(outcome) ? `pass: ${counts}` : `FAIL: ${counts}`;
}

function versionCell(outcome: SetOutcome, pkg: string): string {
  const wanted = outcome.set.versions[pkg as keyof typeof outcome.set.versions];
  const loaded = outcome.loaded?.versions[pkg] ?? outcome.installed?.[pkg];
  return loaded === undefined || loaded === wanted ? wanted : `${wanted} (${loaded})`;
}

function setsTable(outcomes: readonly SetOutcome[]): string[] {
  const header = row(['Version set', 'Supported', ...SDK_PACKAGES, 'Result']);
  const lines = outcomes.map((o) => row([o.set.name, o.set.supported ? 'yes' : 'candidate', ...SDK_PACKAGES.map((p) => versionCell(o, p)), setVerdict(o)]));
  return [header, row(['---', '---', ...SDK_PACKAGES.map(() => '---'), '---']), ...lines];
}

/** Every scenario any set ran, in the order first seen. */
function scenarioRows(outcomes: readonly SetOutcome[]): ScenarioResult[] {
  const byKey = new Map<string, ScenarioResult>();
  for (const outcome of outcomes) for (const s of outcome.scenarios) if (!byKey.has(s.key)) byKey.set(s.key, s);
  return [...byKey.values()];
}

function resultCell(outcome: SetOutcome, key: string): string {
  const result = outcome.scenarios.find((s) => s.key === key);
  if (result === undefined) return outcome.problem === undefined ? 'not run' : 'not run (see set)';
  if (result.status === 'passed') return 'pass';
  if (result.status === 'skipped') return 'skipped';
  return `FAIL at: ${result.failingStep ?? '?'}`;
}

function scenarioTable(outcomes: readonly SetOutcome[]): string[] {
  const header = row(['Feature', 'Scenario', ...outcomes.map((o) => o.set.name)]);
  const lines = scenarioRows(outcomes).map((s) => row([s.feature, s.scenario, ...outcomes.map((o) => resultCell(o, s.key))]));
  return [header, row(['---', '---', ...outcomes.map(() => '---')]), ...lines];
}

function failureList(outcomes: readonly SetOutcome[]): string[] {
  const failures = outcomes.flatMap((o) =>
    o.scenarios.filter((s) => s.status !== 'passed').map((s) => `- **${o.set.name}**, ${s.scenario}: ${s.failingStep ?? s.status}: ${s.reason ?? ''}`),
  );
  return failures.length === 0 ? [] : ['', '## Failures', '', ...failures];
}

function loadedList(outcomes: readonly SetOutcome[]): string[] {
  const loaded = outcomes.filter((o) => o.loaded !== undefined).map((o) => `- **${o.set.name}**: DeviceClientType \`${o.loaded?.deviceClientType ?? ''}\``);
  return loaded.length === 0 ? [] : ['', 'SDK versions verified as loaded by each run (the MQTT username carries this DeviceClientType):', '', ...loaded];
}

export function renderMarkdown(report: MatrixReport): string {
  return [
    '# SDK version matrix',
    '',
    `Target: ${report.target}. Generated ${report.generatedAt}.`,
    '',
    ...setsTable(report.outcomes),
    ...loadedList(report.outcomes),
    '',
    '## Scenarios',
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
