/**
 * Per-scenario results from a cucumber messages stream (https://github.com/cucumber/messages):
 * pickles name the scenarios, test cases map steps to pickle steps or hooks, and testStepFinished
 * carries each step's status. Only the fields used here are typed.
 */
import type { ScenarioResult, ScenarioStatus } from './types.js';

interface GherkinStep { readonly id: string; readonly keyword: string; readonly text: string }
interface GherkinScenario { readonly id: string; readonly name: string; readonly location: { readonly line: number }; readonly steps: readonly GherkinStep[] }
interface GherkinChild {
  readonly scenario?: GherkinScenario;
  readonly background?: { readonly steps: readonly GherkinStep[] };
  readonly rule?: { readonly children: readonly GherkinChild[] };
}
interface Envelope {
  readonly gherkinDocument?: { readonly uri: string; readonly feature?: { readonly name: string; readonly children: readonly GherkinChild[] } };
  readonly pickle?: { readonly id: string; readonly uri: string; readonly name: string; readonly astNodeIds: readonly string[]; readonly steps: readonly { readonly id: string; readonly astNodeIds: readonly string[] }[] };
  readonly hook?: { readonly id: string; readonly name?: string };
  readonly testCase?: { readonly id: string; readonly pickleId: string; readonly testSteps: readonly { readonly id: string; readonly pickleStepId?: string; readonly hookId?: string }[] };
  readonly testCaseStarted?: { readonly id: string; readonly testCaseId: string };
  readonly testStepFinished?: { readonly testCaseStartedId: string; readonly testStepId: string; readonly testStepResult: { readonly status: string; readonly message?: string } };
}

interface StepFailure { readonly testStepId: string; readonly status: string; readonly message?: string | undefined }

class MessageIndex {
  readonly featureByUri = new Map<string, string>();
  readonly scenarios = new Map<string, GherkinScenario>();
  readonly steps = new Map<string, GherkinStep>();
  readonly hooks = new Map<string, string>();
  readonly pickles = new Map<string, NonNullable<Envelope['pickle']>>();
  readonly testCases = new Map<string, NonNullable<Envelope['testCase']>>();
  readonly startedCase = new Map<string, string>();
  readonly stepStatuses = new Map<string, StepFailure[]>();

  add(envelope: Envelope): void {
    const doc = envelope.gherkinDocument;
    if (doc?.feature !== undefined) {
      this.featureByUri.set(doc.uri, doc.feature.name);
      this.indexChildren(doc.feature.children);
    }
    if (envelope.pickle) this.pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.hook) this.hooks.set(envelope.hook.id, envelope.hook.name ?? 'hook');
    if (envelope.testCase) this.testCases.set(envelope.testCase.id, envelope.testCase);
    if (envelope.testCaseStarted) this.startedCase.set(envelope.testCaseStarted.id, envelope.testCaseStarted.testCaseId);
    const finished = envelope.testStepFinished;
    if (finished) {
      const list = this.stepStatuses.get(finished.testCaseStartedId) ?? [];
      list.push({ testStepId: finished.testStepId, status: finished.testStepResult.status, message: finished.testStepResult.message });
      this.stepStatuses.set(finished.testCaseStartedId, list);
    }
  }

  private indexChildren(children: readonly GherkinChild[]): void {
    for (const child of children) {
      if (child.scenario) this.scenarios.set(child.scenario.id, child.scenario);
      for (const step of [...(child.scenario?.steps ?? []), ...(child.background?.steps ?? [])]) this.steps.set(step.id, step);
      if (child.rule) this.indexChildren(child.rule.children);
    }
  }
}

/** A test step as the reader wrote it ("When the module connects again"), or the hook's name. */
function describeStep(index: MessageIndex, testCaseId: string, testStepId: string): string {
  const testStep = index.testCases.get(testCaseId)?.testSteps.find((s) => s.id === testStepId);
  if (testStep?.hookId !== undefined) return `hook ${index.hooks.get(testStep.hookId) ?? testStep.hookId}`;
  const pickle = index.pickles.get(index.testCases.get(testCaseId)?.pickleId ?? '');
  const pickleStep = pickle?.steps.find((s) => s.id === testStep?.pickleStepId);
  const step = index.steps.get(pickleStep?.astNodeIds[0] ?? '');
  return step === undefined ? `step ${testStepId}` : `${step.keyword.trim()} ${step.text}`;
}

function firstLine(message: string | undefined): string | undefined {
  return message?.split('\n').map((l) => l.trim()).find((l) => l !== '');
}

function resultOf(index: MessageIndex, testCaseStartedId: string, testCaseId: string): ScenarioResult {
  const pickle = index.pickles.get(index.testCases.get(testCaseId)?.pickleId ?? '');
  const scenario = index.scenarios.get(pickle?.astNodeIds[0] ?? '');
  const uri = pickle?.uri ?? '?';
  const base = {
    key: `${uri}:${scenario?.location.line ?? 0}`,
    feature: index.featureByUri.get(uri) ?? uri,
    scenario: pickle?.name ?? '?',
  };
  const statuses = index.stepStatuses.get(testCaseStartedId) ?? [];
  const failure = statuses.find((s) => s.status !== 'PASSED' && s.status !== 'SKIPPED');
  if (failure !== undefined) {
    const reason = firstLine(failure.message) ?? `the step is ${failure.status.toLowerCase()}`;
    return { ...base, status: 'failed', failingStep: describeStep(index, testCaseId, failure.testStepId), reason };
  }
  const status: ScenarioStatus = statuses.length > 0 && statuses.every((s) => s.status === 'PASSED') ? 'passed' : 'skipped';
  return { ...base, status };
}

export function collectScenarioResults(ndjson: string): ScenarioResult[] {
  const index = new MessageIndex();
  for (const line of ndjson.split('\n')) {
    if (line.trim() !== '') index.add(JSON.parse(line) as Envelope);
  }
  // A retried scenario is started more than once; its last attempt is its result.
  const byKey = new Map<string, ScenarioResult>();
  for (const [startedId, testCaseId] of index.startedCase) {
    const result = resultOf(index, startedId, testCaseId);
    byKey.set(result.key, result);
  }
  return [...byKey.values()];
}
