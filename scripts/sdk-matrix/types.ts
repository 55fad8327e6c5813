import type { DeviceTransport } from '../../src/flows/device-twin-session.js';

/**
 * The SDK packages a version set names. They move together (see docs/sdk-matrix.md): each transport
 * package pins one exact azure-iot-device release.
 */
export const SDK_PACKAGES = ['azure-iot-device', 'azure-iot-device-mqtt', 'azure-iot-device-amqp', 'azure-iot-device-http', 'azure-iothub'] as const;
export type SdkPackage = (typeof SDK_PACKAGES)[number];

/** The transport packages: each must pin the set's azure-iot-device, or npm nests a second copy. */
export const TRANSPORT_PACKAGES = ['azure-iot-device-mqtt', 'azure-iot-device-amqp', 'azure-iot-device-http'] as const satisfies readonly SdkPackage[];

export type { DeviceTransport };

/**
 * The device transports a run can use (IOTHUB_DEVICE_TRANSPORT). Written out here rather than
 * imported: src/flows/device-twin-session.ts loads the SDKs, which the matrix process must not.
 */
export const MATRIX_TRANSPORTS: readonly DeviceTransport[] = ['mqtt', 'mqtt-ws', 'amqp', 'amqp-ws', 'http'];

/** A named set of SDK versions (npm version specs) the feature suite is run against. */
export interface SdkSet {
  readonly name: string;
  /** A supported set that fails makes the matrix exit non-zero; a candidate only reports. */
  readonly supported: boolean;
  readonly versions: Readonly<Record<SdkPackage, string>>;
  /** The device transports the suite is run over for this set, one run each. */
  readonly transports: readonly DeviceTransport[];
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

/** Which package versions a run really loaded, and the DeviceClientType the transports send. */
export interface LoadedSdk {
  readonly versions: Readonly<Record<string, string>>;
  readonly deviceClientType: string;
}

/** One feature run of a set over one device transport. */
export interface TransportRun {
  readonly transport: DeviceTransport;
  /** What went wrong around this run (crash, deadline, a stray SDK import): a readable sentence. */
  readonly problem?: string;
  readonly scenarios: readonly ScenarioResult[];
  /** Where the run's output and cucumber messages were written. */
  readonly runDirectory?: string;
}

export interface SetOutcome {
  readonly set: SdkSet;
  /** Versions npm installed for the set (a range resolves to one version). */
  readonly installed?: Readonly<Record<string, string>>;
  readonly loaded?: LoadedSdk;
  /** Why the set could not be run at all (install, load): a readable sentence. */
  readonly problem?: string;
  /** One run per transport; empty when the set could not be run. */
  readonly runs: readonly TransportRun[];
}

export function runPassed(run: TransportRun): boolean {
  return run.problem === undefined && run.scenarios.length > 0 && run.scenarios.every((s) => s.status === 'passed');
}

export function setPassed(outcome: SetOutcome): boolean {
  return outcome.problem === undefined && outcome.runs.length > 0 && outcome.runs.every(runPassed);
}
