import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseMatrixArgs } from '../../scripts/sdk-matrix/args.js';
import { collectScenarioResults } from '../../scripts/sdk-matrix/collect.js';
import { crashReason } from '../../scripts/sdk-matrix/evaluate-set.js';
import { installSet, readableNpmError } from '../../scripts/sdk-matrix/install.js';
import { renderMarkdown } from '../../scripts/sdk-matrix/render.js';
import { installFolderName, SUPPORTED_SETS } from '../../scripts/sdk-matrix/sdk-sets.js';
import type { SetOutcome } from '../../scripts/sdk-matrix/types.js';

/** A cucumber messages stream with one feature and two scenarios: the first passes, the second fails at its When. */
function messages(secondStepStatus: { status: string; message?: string }, hookFails = false): string {
  const step = (id: string, keyword: string, text: string) => ({ id, keyword, text });
  const envelopes = [
    { gherkinDocument: { uri: 'features/a.feature', feature: { name: 'Feature A', children: [
      { scenario: { id: 's1', name: 'First', location: { line: 3 }, steps: [step('g1', 'Given ', 'a module')] } },
      { rule: { children: [{ scenario: { id: 's2', name: 'Second', location: { line: 7 }, steps: [step('g2', 'Given ', 'a module'), step('w2', 'When ', 'it connects again')] } }] } },
    ] } } },
    { hook: { id: 'h1', name: 'cleanUpScenario' } },
    { pickle: { id: 'p1', uri: 'features/a.feature', name: 'First', astNodeIds: ['s1'], steps: [{ id: 'ps1', astNodeIds: ['g1'] }] } },
    { pickle: { id: 'p2', uri: 'features/a.feature', name: 'Second', astNodeIds: ['s2'], steps: [{ id: 'ps2', astNodeIds: ['g2'] }, { id: 'ps3', astNodeIds: ['w2'] }] } },
    { testCase: { id: 't1', pickleId: 'p1', testSteps: [{ id: 'ts1', pickleStepId: 'ps1' }] } },
    { testCase: { id: 't2', pickleId: 'p2', testSteps: [{ id: 'ts2', pickleStepId: 'ps2' }, { id: 'ts3', pickleStepId: 'ps3' }, { id: 'ts4', hookId: 'h1' }] } },
    { testCaseStarted: { id: 'c1', testCaseId: 't1' } },
    { testStepFinished: { testCaseStartedId: 'c1', testStepId: 'ts1', testStepResult: { status: 'PASSED' } } },
    { testCaseStarted: { id: 'c2', testCaseId: 't2' } },
    { testStepFinished: { testCaseStartedId: 'c2', testStepId: 'ts2', testStepResult: { status: 'PASSED' } } },
    { testStepFinished: { testCaseStartedId: 'c2', testStepId: 'ts3', testStepResult: secondStepStatus } },
    { testStepFinished: { testCaseStartedId: 'c2', testStepId: 'ts4', testStepResult: hookFails ? { status: 'FAILED', message: 'Error: cleanup failed' } : { status: 'PASSED' } } },
  ];
  return envelopes.map((e) => JSON.stringify(e)).join('\n');
}

void describe('collectScenarioResults', () => {
  void test('names the first failing step as the reader wrote it, with the first line of its error', () => {
    const [first, second] = collectScenarioResults(messages({ status: 'FAILED', message: 'Error: Timed out waiting\n    at stack' }));
    assert.deepEqual(first, { key: 'features/a.feature:3', feature: 'Feature A', scenario: 'First', status: 'passed' });
    assert.equal(second?.status, 'failed');
    assert.equal(second.failingStep, 'When it connects again');
    assert.equal(second.reason, 'Error: Timed out waiting');
  });

  void test('an undefined step fails the scenario and says so', () => {
    const second = collectScenarioResults(messages({ status: 'UNDEFINED' }))[1];
    assert.equal(second?.status, 'failed');
    assert.equal(second.reason, 'the step is undefined');
  });

  void test('a failing hook is named when every step passed', () => {
    const second = collectScenarioResults(messages({ status: 'PASSED' }, true))[1];
    assert.equal(second?.failingStep, 'hook cleanUpScenario');
  });
});

void describe('renderMarkdown', () => {
  const current = SUPPORTED_SETS[0];
  assert.ok(current !== undefined);
  const twoTransports = { ...current, transports: ['mqtt', 'http'] as const };
  // Over http the second scenario is left out by the tag filter (@not-http): only the first ran.
  const [firstOnly] = collectScenarioResults(messages({ status: 'PASSED' }));
  assert.ok(firstOnly !== undefined);
  const ran: SetOutcome = {
    set: twoTransports,
    runs: [
      { transport: 'mqtt', scenarios: collectScenarioResults(messages({ status: 'FAILED', message: 'boom' })) },
      { transport: 'http', scenarios: [firstOnly] },
    ],
  };
  const notInstalled: SetOutcome = {
    set: { ...current, name: 'candidate', supported: false, versions: { ...current.versions, 'azure-iot-device': '9.9.9' }, transports: ['amqp'] },
    problem: 'npm install failed: No matching version found for azure-iot-device@9.9.9.',
    runs: [],
  };
  const markdown = renderMarkdown({ generatedAt: 'now', target: 'embedded target', outcomes: [ran, notInstalled] });

  void test('a set that could not be installed is a failing row with its versions, transports and reason', () => {
    assert.match(markdown, /\| candidate \| candidate \| 9\.9\.9 \| 1\.16\.4 \| 1\.14\.4 \| 1\.14\.4 \| 1\.16\.6 \| amqp \| FAIL: npm install failed: No matching version found for azure-iot-device@9\.9\.9\. \|/);
  });

  void test('each run of a set over a transport is a row with its own verdict', () => {
    assert.match(markdown, /\| current \| yes \| 1\.18\.4 \| 1\.16\.4 \| 1\.14\.4 \| 1\.14\.4 \| 1\.16\.6 \| mqtt \| FAIL: 1\/2 scenarios passed \|/);
    assert.match(markdown, /\| current \| yes \| .* \| http \| pass: 1\/1 scenarios passed \|/);
  });

  void test('the summary is version set x transport, with - where a set does not run a transport', () => {
    assert.match(markdown, /\| Version set \| mqtt \| amqp \| http \|\n\| --- \| --- \| --- \| --- \|/);
    assert.match(markdown, /\| current \| FAIL 1\/2 \| - \| pass 1\/1 \|/);
    assert.match(markdown, /\| candidate \| - \| FAIL \(see set\) \| - \|/);
  });

  void test('each scenario is a row with a column per set and transport; one a transport left out is n/a', () => {
    assert.match(markdown, /\| Feature \| Scenario \| current \/ mqtt \| current \/ http \| candidate \/ amqp \|/);
    assert.match(markdown, /\| Feature A \| First \| pass \| pass \| not run \(see set\) \|/);
    assert.match(markdown, /\| Feature A \| Second \| FAIL at: When it connects again \| n\/a \| not run \(see set\) \|/);
    assert.match(markdown, /- \*\*current \/ mqtt\*\*, Second: When it connects again: boom/);
  });

  void test('a run that crashed says so instead of n/a', () => {
    const crashed: SetOutcome = { set: twoTransports, runs: [{ transport: 'mqtt', scenarios: [firstOnly], problem: 'the feature run passed its 300 s deadline and was stopped' }] };
    const text = renderMarkdown({ generatedAt: 'now', target: 'embedded target', outcomes: [crashed] });
    assert.match(text, /\| Feature A \| First \| pass \| not run \(see set\) \|/);
    assert.match(text, /\| mqtt \| FAIL: the feature run passed its 300 s deadline and was stopped \(1\/1 scenarios passed\) \|/);
  });
});

void describe('parseMatrixArgs', () => {
  void test('a candidate keeps the current set\'s versions and transports for what it does not name', () => {
    const { sets } = parseMatrixArgs(['--sets', 'none', '--candidate', 'azure-iothub@1.16.7']);
    assert.deepEqual(sets.map((s) => [s.name, s.supported, s.versions['azure-iothub'], s.versions['azure-iot-device'], s.versions['azure-iot-device-amqp']]), [
      ['candidate', false, '1.16.7', '1.18.4', '1.14.4'],
    ]);
    assert.deepEqual(sets[0]?.transports, ['mqtt', 'mqtt-ws', 'amqp', 'amqp-ws', 'http']);
  });

  void test('runs the supported sets by default, each over its own transports, and refuses an unknown package', () => {
    assert.deepEqual(parseMatrixArgs([]).sets.map((s) => [s.name, s.transports.join(',')]), [
      ['current', 'mqtt,mqtt-ws,amqp,amqp-ws,http'],
      ['previous', 'mqtt,mqtt-ws,amqp,amqp-ws,http'],
    ]);
    assert.throws(() => parseMatrixArgs(['--candidate', 'azure-iot-foo@1.0.0']), /not one of/);
  });

  void test('--transports, else IOTHUB_DEVICE_TRANSPORT, runs every set over the transports it names', () => {
    const named = parseMatrixArgs(['--transports', 'amqp-ws, http'], { IOTHUB_DEVICE_TRANSPORT: 'mqtt' });
    assert.deepEqual(named.sets.map((s) => s.transports.join(',')), ['amqp-ws,http', 'amqp-ws,http']);
    const fromEnv = parseMatrixArgs([], { IOTHUB_DEVICE_TRANSPORT: 'mqtt-ws' });
    assert.deepEqual(fromEnv.sets.map((s) => s.transports.join(',')), ['mqtt-ws', 'mqtt-ws']);
    assert.throws(() => parseMatrixArgs(['--transports', 'amqp,coap']), /names 'coap'; the transports are mqtt, mqtt-ws, amqp, amqp-ws, http/);
  });
});

void test('a transport package that pins another azure-iot-device than the set names is not a matched set', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sdk-matrix-test-'));
  try {
    const previous = SUPPORTED_SETS[1];
    assert.ok(previous !== undefined);
    // A folder already installed for these specs is reused without npm: lay one out by hand.
    const directory = join(root, installFolderName(previous));
    for (const [pkg, version] of Object.entries(previous.versions)) {
      const pins = pkg === 'azure-iot-device-amqp' ? { 'azure-iot-device': '1.18.4' } : { 'azure-iot-device': previous.versions['azure-iot-device'] };
      mkdirSync(join(directory, 'node_modules', pkg), { recursive: true });
      writeFileSync(join(directory, 'node_modules', pkg, 'package.json'), JSON.stringify({ name: pkg, version, dependencies: pins }));
    }
    writeFileSync(join(directory, '.sdk-matrix-installed.json'), JSON.stringify(previous.versions));
    const result = await installSet(previous, { root, reinstall: false, timeoutMs: 1000 });
    assert.deepEqual(result.ok ? 'ok' : result.problem, 'not a matched set: azure-iot-device-amqp@1.13.8 pins azure-iot-device 1.18.4, but the set installs 1.17.8');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

void test('readableNpmError keeps npm\'s reason and drops codes and log pointers', () => {
  const output = [
    'npm error code ETARGET',
    'npm error notarget No matching version found for azure-iot-device@9.9.9.',
    "npm error notarget In most cases you or one of your dependencies are requesting a package version that doesn't exist.",
    'npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log',
  ].join('\n');
  assert.equal(readableNpmError(output), 'No matching version found for azure-iot-device@9.9.9.');
});

void test('crashReason gives a crashed run\'s error with its innermost cause', () => {
  const output = [
    '/work/main/node_modules/@cucumber/cucumber/src/runtime/worker.ts:124',
    'Error: a BeforeAll hook errored, process exiting: steps/support/hooks.ts:9',
    '    at Worker.wrapTestRunHookError (worker.ts:124:12) {',
    "  [cause]: Error: IOTHUB_DEVICE_TRANSPORT must be 'mqtt' or 'mqtt-ws', not 'bogus'.",
    '      at transportFrom (start-target.ts:40:9)',
  ].join('\n');
  assert.equal(crashReason(output), "Error: a BeforeAll hook errored, process exiting: steps/support/hooks.ts:9: IOTHUB_DEVICE_TRANSPORT must be 'mqtt' or 'mqtt-ws', not 'bogus'.");
  assert.equal(crashReason("SyntaxError: The requested module './twin.js' does not provide an export named 'x'\n    at ModuleJob"), "SyntaxError: The requested module './twin.js' does not provide an export named 'x'");
});
