import { printTable, type Cell } from './table.js';
import { measureTransports, type PathFigure, type TransportFigures } from './transports.js';

/** "3.1x / 2.4x": a path's p50 and p99 over a floor's. */
export function ratioText(path: PathFigure, floor: PathFigure): string {
  return `${(path.latency.p50 / floor.latency.p50).toFixed(1)}x / ${(path.latency.p99 / floor.latency.p99).toFixed(1)}x`;
}

function latencyCells(path: PathFigure): Cell[] {
  return [path.latency.count, path.latency.p50, path.latency.p99, Math.round(path.opsPerSecond)];
}

function printTwin(figures: TransportFigures): void {
  const { mqtt, restHop } = figures.floors;
  const rows: Cell[][] = figures.twin.map((entry) =>
    entry.patchAtDevice === undefined
      ? [entry.transport, entry.gap ?? '', '', '', '', '', '']
      : [entry.transport, ...latencyCells(entry.patchAtDevice), ratioText(entry.patchAtDevice, restHop), ratioText(entry.patchAtDevice, mqtt)],
  );
  printTable(
    '8a. Twin update -> patch delivered, per device transport (embedded; Registry.updateTwin -> properties.desired at the device; 1 in flight)',
    ['path', 'n', 'p50 ms', 'p99 ms', 'ops/s', 'vs same-transport floor p50 / p99', 'vs MQTT floor p50 / p99'],
    [
      ...rows,
      ['same-transport floor: bare HTTPS request -> publish -> deliver', ...latencyCells(restHop), '', ''],
      ['MQTT floor: bare publish -> deliver (aedes, TLS)', ...latencyCells(mqtt), '', ''],
    ],
  );
  process.stdout.write('http: the hub offers no twin over HTTP; azure-iot-device-http throws NotImplementedError for getTwin.\n');
}

function printTelemetry(figures: TransportFigures): void {
  const { amqp } = figures.floors;
  const rows: Cell[][] = figures.telemetry.map((entry) => [
    entry.transport, entry.read.latency.count, entry.accepted.latency.p50, entry.accepted.latency.p99, Math.round(entry.accepted.opsPerSecond), ratioText(entry.accepted, amqp),
    entry.read.latency.p50, entry.read.latency.p99, Math.round(entry.read.opsPerSecond), ratioText(entry.read, amqp), Math.round(entry.burstPerSecond),
  ]);
  printTable(
    `8b. Telemetry -> back end, per device transport (embedded; sendEvent -> @azure/event-hubs processEvents; 1 in flight; burst of ${figures.burst})`,
    ['path', 'n', 'accepted p50 ms', 'accepted p99 ms', 'accepted ops/s', 'accepted vs floor p50 / p99', 'read p50 ms', 'read p99 ms', 'read ops/s', 'read vs floor p50 / p99', 'burst events/s'],
    [...rows, ['floor: bare AMQP request -> response (same listener)', amqp.latency.count, amqp.latency.p50, amqp.latency.p99, Math.round(amqp.opsPerSecond), '', '', '', '', '', '']],
  );
  process.stdout.write('accepted: sendEvent resolved (PUBACK, AMQP disposition, HTTP 204). read: the consumer holds each batch 20 ms after its first event (partitionReceiver.js qReadIntervalInMs).\n');
}

export function printTransports(figures: TransportFigures): void {
  printTwin(figures);
  printTelemetry(figures);
}

/** The section as `npm run bench` runs it (BENCH_SECTIONS=transports): measured, then printed. */
export async function transportsSection(samples: number, progress: (step: string) => void): Promise<TransportFigures> {
  progress('the device transports side by side (embedded)');
  const figures = await measureTransports(samples);
  printTransports(figures);
  return figures;
}
