import type { ModuleRef } from './endpoint.js';

/** Requests the benchmark sends to the emulator host process over the IPC channel (test/support/ipc-child.ts). */
export type HostRequest =
  | { readonly op: 'start' }
  | { readonly op: 'memory' }
  | { readonly op: 'register'; readonly ids: readonly ModuleRef[] }
  | { readonly op: 'update'; readonly targets: readonly { readonly ref: ModuleRef; readonly token: number }[]; readonly concurrency: number }
  | { readonly op: 'stop' };

export interface HostStarted {
  readonly hostName: string;
  readonly gatewayHostName: string;
  readonly ca: string;
  readonly startMs: number;
}

/** process.memoryUsage() after a full GC, in bytes, and the process's CPU time so far, in ms. */
export interface HostMemory {
  readonly cpuMs: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface HostUpdated {
  readonly issueMs: number;
  readonly failures: number;
  readonly firstError?: string;
}

