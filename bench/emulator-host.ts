/**
 * The emulator in a process of its own, for the fan-out measurement: its memory is then the
 * emulator's alone (plus one back-end Registry client, a constant). Started by fanout.ts with an IPC
 * channel; the back end lives here because the embedded emulator's route of the hub host name
 * to its HTTPS listener exists only in the process that installed it.
 */
import type { Registry } from 'azure-iothub';
import { Registry as RegistryClient } from '../src/sdk.js';
import { startEmbedded } from './embedded.js';
import { registerModules, updateDesired, type HubEndpoint } from './endpoint.js';
import { serveIpc } from '../test/support/ipc-child.js';
import type { HostMemory, HostRequest, HostStarted, HostUpdated } from './host-protocol.js';
import { mapLimit } from './stats.js';

let endpoint: HubEndpoint | undefined;
let registry: Registry | undefined;

function memory(): HostMemory {
  // Twice: the second pass collects what the first one's finalisers released.
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  const cpu = process.cpuUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, rss, heapUsed, external, arrayBuffers };
}

function started(): { endpoint: HubEndpoint; registry: Registry } {
  if (endpoint === undefined || registry === undefined) throw new Error('The emulator host has not been started.');
  return { endpoint, registry };
}

async function update(request: Extract<HostRequest, { op: 'update' }>): Promise<HostUpdated> {
  const back = started().registry;
  const began = performance.now();
  let failures = 0;
  let firstError: string | undefined;
  await mapLimit(request.targets, request.concurrency, async ({ ref, token }) => {
    try {
      await updateDesired(back, ref, token);
    } catch (error) {
      failures++;
      firstError ??= error instanceof Error ? error.message : String(error);
    }
  });
  return { issueMs: performance.now() - began, failures, ...(firstError === undefined ? {} : { firstError }) };
}

async function serve(request: HostRequest): Promise<unknown> {
  switch (request.op) {
    case 'start': {
      const began = performance.now();
      endpoint = await startEmbedded();
      const startMs = performance.now() - began;
      registry = RegistryClient.fromConnectionString(endpoint.serviceConnectionString);
      const reply: HostStarted = { hostName: endpoint.hostName, gatewayHostName: endpoint.gatewayHostName, ca: endpoint.ca, startMs };
      return reply;
    }
    case 'memory':
      return memory();
    case 'register':
      return registerModules(started().registry, started().endpoint, request.ids);
    case 'update':
      return update(request);
    case 'stop':
      await endpoint?.stop();
      return null;
  }
}

serveIpc<HostRequest>(serve, (request) => request.op === 'stop');
