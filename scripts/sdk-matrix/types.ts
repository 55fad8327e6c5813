/** The three SDK packages a version set names; they move together (see docs/sdk-matrix.md). */
export const SDK_PACKAGES = ['azure-iot-device', 'azure-iot-device-mqtt', 'azure-iothub'] as const;
export type SdkPackage = (typeof SDK_PACKAGES)[number];

/** A named set of SDK versions (npm version specs) the feature suite is run against. */
export interface SdkSet {
  readonly name: string;
  /** A supported set that fails makes the matrix exit non-zero; a candidate only reports. */
  readonly supported: boolean;
  readonly versions: Readonly<Record<SdkPackage, string>>;
}

export type ScenarioStatus = 'passed' | 'failed' | 'skipped';

export interface ScenarioResult {
  /** Stable across runs: feature file and the scenario's line. */
  readonly key: string;
  readonly feature: string;
  readonly scenario: string;
  readonly status: ScenarioStatus;
  /** Keyword and text of the first step (or hook) that did not pass. */
  readonly failingStep?: string;
  /** First line of that step's error. */
  readonly reason?: string;
}

/** Which package versions a run really loaded, and the DeviceClientType the MQTT username carries. */
export interface LoadedSdk {
  readonly versions: Readonly<Record<string, string>>;
  readonly deviceClientType: string;
}

export interface SetOutcome {
  readonly set: SdkSet;
  /** Versions npm installed for the set (a range resolves to one version). */
  readonly installed?: Readonly<Record<string, string>>;
  readonly loaded?: LoadedSdk;
  /** Why the set could not be run, or what went wrong around the run: a readable sentence. */
  readonly problem?: string;
  readonly scenarios: readonly ScenarioResult[];
  /** Where the run's output and cucumber messages were written. */
  readonly runDirectory?: string;
}

export function setPassed(outcome: SetOutcome): boolean {
  return outcome.problem === undefined && outcome.scenarios.length > 0 && outcome.scenarios.every((s) => s.status === 'passed');
}
