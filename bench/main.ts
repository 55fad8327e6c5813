/**
 * `npm run bench`: issue 6's benchmarks with the official SDKs as clients. Prints one table per
 * section and writes reports/bench.json. Knobs (environment): BENCH_SAMPLES (500), BENCH_FANOUT
 * ("100,1000,2000"), BENCH_SECONDS (3), BENCH_SECTIONS (all of: propagation, throughput, fanout,
 * startup, process, container, messaging, event-hub, transports, dps, suite, hostile;
 * e.g. BENCH_SECTIONS=transports runs only the device transports side by side), BENCH_PROFILE_DIR (CPU profile of the fan-out's emulator
 * process), BENCH_HOSTILE_CLIENTS / BENCH_HOSTILE_MIB (hostile-flood.ts),
 * BENCH_DPS_DEVICES (1000) / BENCH_DPS_CONCURRENCY (32) (provisioning.ts).
 */
import { evaluateGoals } from './goals.js';
import { measureFanOut } from './fanout.js';
import { hostileFloodSection } from './hostile-flood.js';
import { printFanOut, printGoals, printPropagation, printStartup, printSuite, printThroughput } from './print.js';
import { machineInfo, writeReport } from './report.js';
import type { BenchResults } from './results.js';
import { onEmbedded } from './embedded.js';
import { nockBesideRouted } from './front-ends.js';
import { latencyAndThroughput, type BenchOptions } from './sections.js';
import { gap, measureEmbeddedStart, measureStandaloneStarts, type StartupFigure } from './startup.js';
import { measureLaunched, type LaunchedFigures } from './remote.js';
import { measureSuite, type SuiteFigure } from './suite.js';
import { note } from './table.js';
import { measureMessaging, printMessaging } from './messaging.js';
import { eventHubReadSection } from './event-hub-read.js';
import { transportsSection } from './transport-print.js';
import { provisioningSection } from './provisioning.js';

const ALL_SECTIONS = ['propagation', 'throughput', 'fanout', 'startup', 'process', 'container', 'messaging', 'event-hub', 'transports', 'dps', 'suite', 'hostile'];

/** Issue 13: 1,000 devices of one group enrollment; 32 registrations in flight, as the fan-out's REST load has. */
const DPS_DEFAULTS = { devices: 1000, concurrency: 32 };

/** Progress goes to stderr, so that stdout holds only the tables. */
function progress(step: string): void {
  process.stderr.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${step}\n`);
}

function readOptions(env: NodeJS.ProcessEnv): BenchOptions {
  const list = (value: string | undefined, fallback: string): string[] => (value ?? fallback).split(',').map((item) => item.trim()).filter(Boolean);
  return {
    samples: Number(env.BENCH_SAMPLES ?? 500),
    fanOutSizes: list(env.BENCH_FANOUT, '100,1000,2000').map(Number).sort((a, b) => a - b),
    throughputMs: Number(env.BENCH_SECONDS ?? 3) * 1000,
    sections: new Set(list(env.BENCH_SECTIONS, ALL_SECTIONS.join(','))),
    dps: { devices: Number(env.BENCH_DPS_DEVICES ?? DPS_DEFAULTS.devices), concurrency: Number(env.BENCH_DPS_CONCURRENCY ?? DPS_DEFAULTS.concurrency) },
    ...(env.BENCH_PROFILE_DIR === undefined ? {} : { profileDir: env.BENCH_PROFILE_DIR }),
  };
}

/** The standalone process and the container, started as the test launchers start them; a failure is a reported gap. */
async function launchedTargets(options: BenchOptions): Promise<{ launched: LaunchedFigures[]; gaps: string[]; startup: StartupFigure[] }> {
  const launched: LaunchedFigures[] = [];
  const gaps: string[] = [];
  const startup: StartupFigure[] = [];
  for (const target of ['process', 'container'] as const) {
    if (!options.sections.has(target)) continue;
    progress(`the ${target} target`);
    try {
      const figures = await measureLaunched(target);
      launched.push(figures);
      startup.push({ target: `${target}: launcher -> ready (test launcher path)`, runs: 1, firstMs: figures.launchMs, medianMs: figures.launchMs, maxMs: figures.launchMs });
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
      // The report keeps where it failed, for whoever re-runs it.
      const where = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 4).map((line) => line.trim()).join(' < ') : '';
      gaps.push(`${target}: ${reason}${where === '' ? '' : ` (at ${where})`}`);
      startup.push(gap(`${target}: launcher -> ready (test launcher path)`, reason));
    }
  }
  return { launched, gaps, startup };
}

async function suiteSection(): Promise<SuiteFigure> {
  progress('npm run test:features');
  const suite = await measureSuite();
  printSuite(suite);
  return suite;
}

async function run(options: BenchOptions): Promise<BenchResults> {
  const { sections } = options;
  const startup = sections.has('startup') ? [await measureEmbeddedStart(10), ...(await measureStandaloneStarts(9))] : [];
  const onEmbeddedTarget = sections.has('propagation') || sections.has('throughput');
  if (onEmbeddedTarget) progress('propagation and throughput on the embedded emulator');
  const { propagation, throughput } = onEmbeddedTarget ? await onEmbedded((endpoint) => latencyAndThroughput(endpoint, options)) : { propagation: [], throughput: [] };
  const routedOne = propagation.find((entry) => entry.modules === 1);
  if (routedOne !== undefined) progress('the same updates on the nock REST front end');
  const nockFrontEnd = routedOne === undefined ? undefined : await nockBesideRouted(routedOne, options.samples);
  if (sections.has('fanout')) progress(`fan-out to ${options.fanOutSizes.join(', ')} module clients`);
  const fanOut = sections.has('fanout') ? await measureFanOut(options.fanOutSizes, options.profileDir) : undefined;
  const remote = await launchedTargets(options);
  startup.push(...remote.startup);
  const allPropagation = [...propagation, ...remote.launched.flatMap((figures) => figures.propagation)];
  const allThroughput = [...throughput, ...remote.launched.flatMap((figures) => figures.throughput.map((entry) => ({ ...entry, operation: `${figures.target}: ${entry.operation}` })))];
  if (allPropagation.length > 0) printPropagation(allPropagation, nockFrontEnd);
  if (fanOut !== undefined) printFanOut(fanOut);
  if (allThroughput.length > 0) printThroughput(allThroughput);
  if (startup.length > 0) printStartup(startup);
  if (sections.has('messaging')) progress('cloud-to-device messages on the embedded emulator');
  const messaging = sections.has('messaging') ? await measureMessaging(Math.min(options.samples, 500)) : undefined;
  if (messaging !== undefined) printMessaging(messaging);
  const eventHubRead = sections.has('event-hub') ? await eventHubReadSection(Math.min(options.samples, 500), progress) : undefined;
  const transports = sections.has('transports') ? await transportsSection(Math.min(options.samples, 500), progress) : undefined;
  const dps = sections.has('dps') ? await provisioningSection(options.dps ?? DPS_DEFAULTS, progress) : undefined;
  const hostile = sections.has('hostile') ? await hostileFloodSection(progress) : undefined;
  const suite = sections.has('suite') ? await suiteSection() : undefined;
  return {
    propagation: allPropagation,
    ...(nockFrontEnd === undefined ? {} : { nockFrontEnd }),
    throughput: allThroughput,
    ...(fanOut === undefined ? { fanOutGap: 'fan-out section not run' } : { fanOut }),
    startup, launched: remote.launched, gaps: remote.gaps,
    ...(suite === undefined ? {} : { suite }),
    ...(messaging === undefined ? {} : { messaging }), ...(eventHubRead === undefined ? {} : { eventHubRead }),
    ...(hostile === undefined ? {} : { hostile }), ...(transports === undefined ? {} : { transports }), ...(dps === undefined ? {} : { dps }),
  };
}

const options = readOptions(process.env);
const machine = machineInfo();
note(`iothub emulator benchmarks: ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, load average ${machine.loadAverage.atStart.toFixed(2)}`);
const results = await run(options);
const goals = evaluateGoals(results);
printGoals(goals);
note(`\nwritten: ${writeReport(machine, results, goals, { ...options, sections: [...options.sections] })}`);
// Module clients keep timers (SAS renewal) that would hold the process open for an hour.
process.exit(0);
