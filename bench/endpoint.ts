import type { Registry } from 'azure-iothub';
import { buildModuleConnectionString } from '../src/connection-string.js';
import { createModuleIdentity } from '../src/flows/create-module-identity.js';
import { Registry as RegistryClient } from '../src/sdk.js';
import { BenchModule } from './bench-module.js';
import { PatchTracker } from './patch-tracker.js';
import { mapLimit } from './stats.js';

/**
 * What the benchmark needs of an emulator, wherever it runs. This module does not import the
 * emulator, so that measuring a launched emulator loads nothing of it into the measuring process.
 */
export interface HubEndpoint {
  readonly label: string;
  readonly serviceConnectionString: string;
  readonly hostName: string;
  /** `host:port` of the MQTT/TLS listener, for GatewayHostName. */
  readonly gatewayHostName: string;
  readonly ca: string;
  /** The emulator process's CPU time so far (ms), when it runs in a process of its own. */
  emulatorCpuMs?(): Promise<number>;
  stop(): Promise<void>;
}

export interface ModuleRef {
  readonly deviceId: string;
  readonly moduleId: string;
}

/** Ten modules per device, as an edge device carries a handful of modules each. */
export function fleetIds(prefix: string, count: number): ModuleRef[] {
  return Array.from({ length: count }, (_unused, index) => ({ deviceId: `${prefix}-dev-${Math.floor(index / 10)}`, moduleId: `mod-${index}` }));
}

/** Registers the modules through the back end (the tutorial's CreateModule flow) and returns their connection strings. */
export async function registerModules(registry: Registry, endpoint: Pick<HubEndpoint, 'hostName' | 'gatewayHostName'>, ids: readonly ModuleRef[]): Promise<string[]> {
  // Devices first, one at a time per device, so that the flow's create-or-fetch never races itself.
  const byDevice = new Map<string, ModuleRef[]>();
  for (const ref of ids) byDevice.set(ref.deviceId, [...(byDevice.get(ref.deviceId) ?? []), ref]);
  const perDevice = await mapLimit([...byDevice.values()], 16, async (refs) => {
    const strings: string[] = [];
    for (const ref of refs) {
      const identity = await createModuleIdentity(registry, ref);
      strings.push(buildModuleConnectionString({ hostName: endpoint.hostName, ...ref, sharedAccessKey: identity.primaryKey, gatewayHostName: endpoint.gatewayHostName }));
    }
    return strings;
  });
  return perDevice.flat();
}

/** A back end plus N connected module clients, all on one endpoint. */
export interface Fleet {
  readonly registry: Registry;
  readonly ids: readonly ModuleRef[];
  readonly modules: readonly BenchModule[];
  readonly tracker: PatchTracker;
  readonly connectMs: readonly number[];
  close(): Promise<void>;
}

export async function openModules(connectionStrings: readonly string[], ca: string, tracker: PatchTracker, concurrency: number): Promise<{ modules: BenchModule[]; connectMs: number[] }> {
  const connectMs: number[] = [];
  const modules = await mapLimit(connectionStrings, concurrency, async (connectionString) => {
    const started = performance.now();
    const module = await BenchModule.open(connectionString, ca, (token, at) => tracker.arrived(token, at));
    connectMs.push(performance.now() - started);
    return module;
  });
  return { modules, connectMs };
}

export async function openFleet(endpoint: HubEndpoint, prefix: string, count: number): Promise<Fleet> {
  const registry = RegistryClient.fromConnectionString(endpoint.serviceConnectionString);
  const ids = fleetIds(prefix, count);
  const tracker = new PatchTracker();
  const connectionStrings = await registerModules(registry, endpoint, ids);
  const { modules, connectMs } = await openModules(connectionStrings, endpoint.ca, tracker, 20);
  return {
    registry,
    ids,
    modules,
    tracker,
    connectMs,
    close: async () => {
      await mapLimit(modules, 50, (module) => module.close());
    },
  };
}

/** One desired update carrying `token`, unconditional (If-Match `*`): the timed call. */
export async function updateDesired(registry: Registry, ref: ModuleRef, token: number): Promise<void> {
  await registry.updateModuleTwin(ref.deviceId, ref.moduleId, { properties: { desired: { bench: token } } }, '*');
}
