import type { ModuleRef } from './endpoint.js';

/** Requests the benchmark sends to the emulator host process over the IPC channel. */
export type HostRequest =
  | { readonly id: number; readonly op: 'start' }
  | { readonly id: number; readonly op: 'memory' }
  | { readonly id: number; readonly op: 'register'; readonly ids: readonly ModuleRef[] }
  | { readonly id: number; readonly op: 'update'; readonly targets: readonly { readonly ref: ModuleRef; readonly token: number }[]; readonly concurrency: number }
  | { readonly id: number; readonly op: 'stop' };

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

export type HostReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: string };
