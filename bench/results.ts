import type { FanOutResult } from './fanout.js';
import type { LaunchedFigures } from './remote.js';
import type { LatencySummary } from './stats.js';
import type { StartupFigure } from './startup.js';
import type { SuiteFigure } from './suite.js';
import type { ThroughputResult } from './throughput.js';

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

export interface BenchResults {
  readonly propagation: PropagationWithFloor[];
  readonly throughput: ThroughputResult[];
  readonly fanOut?: FanOutResult;
  readonly fanOutGap?: string;
  readonly startup: StartupFigure[];
  /** Sections 1 and 3 on the standalone process and on the container, when they ran. */
  readonly launched: LaunchedFigures[];
  /** Why a launched target has no figures. */
  readonly gaps: string[];
  readonly suite?: SuiteFigure;
}

export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}
