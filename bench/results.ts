import type { FanOutResult } from './fanout.js';
import type { HostileFloodFigures } from './hostile-flood.js';
import type { LaunchedFigures } from './remote.js';
import type { LatencySummary } from './stats.js';
import type { StartupFigure } from './startup.js';
import type { SuiteFigure } from './suite.js';
import type { ThroughputResult } from './throughput.js';
import type { MessagingFigures } from './messaging.js';
import type { EventHubReadFigures } from './event-hub-read.js';
import type { TransportFigures } from './transports.js';
import type { ProvisioningFigures } from './provisioning.js';

/** One propagation measurement with the floor measured in the same run at the same client count. */
export interface PropagationWithFloor {
  readonly target: string;
  readonly modules: number;
  /** updateModuleTwin called -> the patch event fired in the module client. */
  readonly patchAtModule: LatencySummary;
  /** updateModuleTwin called -> its promise resolved (the back end's view). */
  readonly restResolved: LatencySummary;
  readonly floor: LatencySummary;
  /** patch-at-module p50 / floor p50 (and the same for p99). */
  readonly ratioP50: number;
  readonly ratioP99: number;
  /** The same transports as the update path (HTTPS request, then the MQTT hop), no hub logic, no SDK. */
  readonly restHopFloor: LatencySummary;
  readonly restHopRatioP50: number;
  readonly restHopRatioP99: number;
  /** The same path through the emulator with bare clients instead of the SDKs (bare-path.ts). */
  readonly barePath: LatencySummary;
  readonly barePathRatioP50: number;
  readonly barePathRatioP99: number;
  /**
   * CPU ms this process spent per update (back end + module client, and for the embedded target the
   * emulator too) and per floor message (broker + both clients): what an idle machine would pay.
   */
  readonly cpuPerPatchMs: number;
  readonly floorCpuPerMessageMs: number;
}

/** Update -> patch at the module (1 module) on the embedded emulator's `nock` REST front end, beside the routed one. */
export interface NockFrontEndFigure {
  readonly patchAtModule: LatencySummary;
  /** The embedded (routed) 1-module p50 of the same run. */
  readonly routedP50: number;
  /** nock p50 / routed p50. */
  readonly ratioP50: number;
}

export interface BenchResults {
  readonly propagation: PropagationWithFloor[];
  readonly nockFrontEnd?: NockFrontEndFigure;
  readonly throughput: ThroughputResult[];
  readonly fanOut?: FanOutResult;
  readonly fanOutGap?: string;
  readonly startup: StartupFigure[];
  /** Sections 1 and 3 on the standalone process and on the container, when they ran. */
  readonly launched: LaunchedFigures[];
  /** Section 6: cloud-to-device latency beside its AMQP floor, when it ran. */
  readonly messaging?: MessagingFigures;
  /** Device telemetry read back through the built-in Event Hub-compatible endpoint. */
  readonly eventHubRead?: EventHubReadFigures;
  /** Why a launched target has no figures. */
  readonly gaps: string[];
  readonly suite?: SuiteFigure;
  /** Issue 18: the emulator's RSS under hostile clients, beside its idle baseline. */
  readonly hostile?: HostileFloodFigures;
  /** Section 8: the five device transports side by side (twin patch, telemetry), with their floors. */
  readonly transports?: TransportFigures;
  /** Issue 13: device provisioning (register -> assigned) of one group enrollment, beside a bare register floor. */
  readonly dps?: ProvisioningFigures;
}

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}
