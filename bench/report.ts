import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import type { BenchResults, Goal } from './results.js';
import { REPO_ROOT } from './startup.js';

const PACKAGES = ['aedes', 'azure-iothub', 'azure-iot-device', 'azure-iot-device-mqtt', 'mqtt', 'nock', 'tsx', 'selfsigned'];

function installedVersion(name: string): string {
  try {
    const manifest = JSON.parse(readFileSync(`${REPO_ROOT}node_modules/${name}/package.json`, 'utf8')) as { version?: string };
    return manifest.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly totalMemoryMiB: number;
  readonly node: string;
  readonly platform: string;
  /** 1-minute load average when the run started and ended: the machine may be shared. */
  readonly loadAverage: { readonly atStart: number; readonly atEnd?: number };
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { atStart: loadavg()[0] ?? Number.NaN },
  };
}

/** Writes reports/bench.json: the figures, the goals and what they were measured on. */
export function writeReport(machine: MachineInfo, results: BenchResults, goals: readonly Goal[], options: object): string {
  const path = `${REPO_ROOT}reports/bench.json`;
  mkdirSync(`${REPO_ROOT}reports`, { recursive: true });
  const packages = Object.fromEntries(PACKAGES.map((name) => [name, installedVersion(name)]));
  const report = {
    generatedAt: new Date().toISOString(),
    machine: { ...machine, loadAverage: { ...machine.loadAverage, atEnd: loadavg()[0] } },
    packages,
    options,
    goals,
    results,
  };
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
