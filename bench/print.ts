import type { FanOutResult } from './fanout.js';
import type { Goal, NockFrontEndFigure, PropagationWithFloor } from './results.js';
import type { LatencySummary } from './stats.js';
import type { StartupFigure } from './startup.js';
import type { SuiteFigure } from './suite.js';
import { printTable, type Cell } from './table.js';
import type { ThroughputResult } from './throughput.js';

const LATENCY_HEADERS = ['path', 'modules', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];

function latencyRow(path: string, modules: number, summary: LatencySummary): Cell[] {
  return [path, modules, summary.count, summary.p50, summary.p90, summary.p99, summary.max];
}

export function printPropagation(entries: readonly PropagationWithFloor[], nock?: NockFrontEndFigure): void {
  const nockRow = (entry: PropagationWithFloor): Cell[][] =>
    nock !== undefined && entry.target === 'embedded' && entry.modules === 1
      ? [latencyRow(`embedded, nock REST front end: updateModuleTwin -> patch at module (p50 ${nock.ratioP50.toFixed(1)}x routed)`, 1, nock.patchAtModule)]
      : [];
  const rows = entries.flatMap((entry) => [
    latencyRow(`${entry.target}: updateModuleTwin -> patch at module`, entry.modules, entry.patchAtModule),
    ...nockRow(entry),
    latencyRow(`${entry.target}: updateModuleTwin promise resolved`, entry.modules, entry.restResolved),
    latencyRow('floor: bare MQTT publish -> deliver (aedes, TLS)', entry.modules, entry.floor),
    [`ratio to floor (p50 / p99)`, entry.modules, '', `${entry.ratioP50.toFixed(1)}x`, '', `${entry.ratioP99.toFixed(1)}x`, ''],
    latencyRow('same-transport floor: bare HTTPS request -> publish -> deliver', entry.modules, entry.restHopFloor),
    [`SDK path: ratio to the same-transport floor (p50 / p99)`, entry.modules, '', `${entry.restHopRatioP50.toFixed(1)}x`, '', `${entry.restHopRatioP99.toFixed(1)}x`, ''],
    latencyRow(`${entry.target} with bare clients: HTTPS PATCH -> patch at mqtt.js module`, entry.modules, entry.barePath),
    [`bare clients: ratio to the same-transport floor (p50 / p99)`, entry.modules, '', `${entry.barePathRatioP50.toFixed(1)}x`, '', `${entry.barePathRatioP99.toFixed(1)}x`, ''],
    [`CPU ms per update / per floor message (this process)`, entry.modules, '', entry.cpuPerPatchMs, entry.floorCpuPerMessageMs, '', ''],
  ]);
  printTable('1. Propagation latency (sequential updates, round-robin over the connected modules)', LATENCY_HEADERS, rows);
}

export function printThroughput(entries: readonly ThroughputResult[]): void {
  const cpu = (value: number | undefined): Cell => (value === undefined ? 'same process' : value);
  printTable(
    '3. Throughput (closed loop, 100 connected modules)',
    ['operation', 'in flight', 'completed', 'seconds', 'per second', 'client CPU ms/op', 'emulator CPU ms/op'],
    entries.map((entry) => [entry.operation, entry.concurrency, entry.completed, entry.seconds, Math.round(entry.perSecond), entry.clientCpuMsPerOp ?? '', cpu(entry.emulatorCpuMsPerOp)]),
  );
}

export function printFanOut(result: FanOutResult): void {
  printTable(
    '2. Fan-out (emulator + back end in a child process; module clients in this one)',
    ['modules', 'all patches ms', 'back end done ms', 'lost', 'REST failures', 'connect p50 ms', 'connect p99 ms', 'connect wall ms', 'emulator CPU/connect ms', 'RSS KiB/client (marginal)', 'RSS KiB/client (overall)', 'heap KiB/client', 'emulator RSS MiB'],
    result.stages.map((stage) => [
      stage.modules, stage.allDeliveredMs, stage.backEndDoneMs, stage.lost, stage.restFailures, stage.connect.p50, stage.connect.p99,
      stage.connectWallMs, stage.emulatorCpuPerConnectMs, stage.rssPerClientKiB, stage.rssOverallPerClientKiB, stage.heapPerClientKiB, stage.emulatorRssMiB,
    ]),
  );
  for (const stage of result.stages) {
    if (stage.restFirstError !== undefined) process.stdout.write(`${stage.modules} modules: ${stage.restFailures} updates failed, the first with: ${stage.restFirstError}\n`);
  }
  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  process.stdout.write(
    `emulator process: empty ${mib(result.emptyEmulator.rss)} RSS / ${mib(result.emptyEmulator.heapUsed)} heap; ` +
      `with ${result.stages.at(-1)?.modules ?? 0} identities ${mib(result.withIdentities.rss)} RSS / ${mib(result.withIdentities.heapUsed)} heap\n`,
  );
}

export function printStartup(entries: readonly StartupFigure[]): void {
  printTable(
    '4. Start-up',
    ['target', 'runs', 'first ms', 'median ms', 'max ms', 'median CPU ms', 'gap'],
    entries.map((entry) => [entry.target, entry.runs, entry.firstMs, entry.medianMs, entry.maxMs, entry.medianCpuMs ?? '', entry.gap ?? '']),
  );
}

export function printSuite(suite: SuiteFigure): void {
  printTable('5. Feature suite (embedded target)', ['command', 'wall s', 'exit code', 'cucumber'], [[suite.command, suite.wallMs / 1000, String(suite.exitCode), suite.summary]]);
}

export function printGoals(goals: readonly Goal[]): void {
  const verdict = (met: boolean | undefined): string => (met === undefined ? 'GAP' : met ? 'met' : 'MISSED');
  printTable('Goals (issue 6, 2-core machine)', ['goal', 'measured', 'verdict'], goals.map((goal) => [goal.goal, goal.measured, verdict(goal.met)]));
}
