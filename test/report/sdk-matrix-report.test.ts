import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMatrixArgs } from '../../scripts/sdk-matrix/args.js';
import { collectScenarioResults } from '../../scripts/sdk-matrix/collect.js';
import { crashReason } from '../../scripts/sdk-matrix/evaluate-set.js';
import { readableNpmError } from '../../scripts/sdk-matrix/install.js';
import { renderMarkdown } from '../../scripts/sdk-matrix/render.js';
import { SUPPORTED_SETS } from '../../scripts/sdk-matrix/sdk-sets.js';
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
  const ran: SetOutcome = { set: current, scenarios: collectScenarioResults(messages({ status: 'FAILED', message: 'boom' })) };
  const notInstalled: SetOutcome = {
    set: { ...current, name: 'candidate', supported: false, versions: { ...current.versions, 'azure-iot-device': '9.9.9' } },
    problem: 'npm install failed: No matching version found for azure-iot-device@9.9.9.',
    scenarios: [],
  };
  const markdown = renderMarkdown({ generatedAt: 'now', target: 'embedded target', outcomes: [ran, notInstalled] });

  void test('a set that could not be installed is a failing row with its reason', () => {
    assert.match(markdown, /\| candidate \| candidate \| 9\.9\.9 \| 1\.16\.4 \| 1\.16\.6 \| FAIL: npm install failed: No matching version found for azure-iot-device@9\.9\.9\. \|/);
  });

  void test('each scenario is a row with each set\'s result', () => {
    assert.match(markdown, /\| Feature A \| First \| pass \| not run \(see set\) \|/);
    assert.match(markdown, /\| Feature A \| Second \| FAIL at: When it connects again \| not run \(see set\) \|/);
    assert.match(markdown, /\| current \| yes \| .* \| FAIL: 1\/2 scenarios passed \|/);
  });
});

void describe('parseMatrixArgs', () => {
  void test('a candidate keeps the current set\'s versions for the packages it does not name', () => {
    const { sets } = parseMatrixArgs(['--sets', 'none', '--candidate', 'azure-iothub@1.16.7']);
    assert.deepEqual(sets.map((s) => [s.name, s.supported, s.versions['azure-iothub'], s.versions['azure-iot-device']]), [['candidate', false, '1.16.7', '1.18.4']]);
  });

  void test('runs the supported sets by default and refuses an unknown package', () => {
    assert.deepEqual(parseMatrixArgs([]).sets.map((s) => s.name), ['current', 'previous']);
    assert.throws(() => parseMatrixArgs(['--candidate', 'azure-iot-foo@1.0.0']), /not one of/);
  });
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
