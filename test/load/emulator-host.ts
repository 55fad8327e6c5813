/**
 * The emulator in a process of its own, so that the load test measures the emulator's heap alone.
 * The service side (azure-iothub Registry) lives here too: the embedded emulator's route of the hub
 * host name to its HTTPS listener exists only in the process that installed it. Run with --expose-gc.
 */
import type { Registry as RegistryType } from 'azure-iothub';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/index.js';
import { buildConnectionString, buildModuleConnectionString } from '../../src/connection-string.js';
import { createModuleIdentity } from '../../src/flows/create-module-identity.js';
import { Registry } from '../../src/sdk.js';
import { waitFor } from '../../src/wait-for.js';
import { serveIpc } from '../support/ipc-child.js';
import type { Delivery, HostMemory, HostRequest, HostStarted, IdentityRef, MessagingOptions, ModuleRef, SentPatch } from './load-protocol.js';
import { mapLimit } from '../../src/map-limit.js';

const SERVICE_CONCURRENCY = 32;
let emulator: StartedIotHubEmulator | undefined;
let registry: RegistryType | undefined;

function running(): { emulator: StartedIotHubEmulator; registry: RegistryType } {
  if (emulator === undefined || registry === undefined) throw new Error('the emulator host has not been started');
  return { emulator, registry };
}

const clientId = (ref: IdentityRef): string => (ref.moduleId === undefined ? ref.deviceId : `${ref.deviceId}/${ref.moduleId}`);

/** RSS is sampled on a timer, so that a short-lived peak (a hostile client's buffered packet) is seen. */
const PEAK_SAMPLE_MS = 10;
let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, PEAK_SAMPLE_MS).unref();

function memory(): HostMemory {
  const peak = Math.max(peakRss, process.memoryUsage.rss());
  // Twice: the second pass collects what the first one's finalisers released.
  globalThis.gc?.();
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  peakRss = rss;
  return { heapUsed, rss, peakRss: peak };
}

/**
 * The messaging leg reads the Event Hub-compatible endpoint from the test process, where the hub
 * host name is not routed: it uses the plain loopback listener (UseDevelopmentEmulator=true). Its
 * retention holds every event of the run, so that what is read tells delivery, not eviction.
 */
async function start(messaging: MessagingOptions | undefined): Promise<HostStarted> {
  const builder = new IotHubEmulator();
  if (messaging !== undefined) builder.withAmqpPlainPort(0).withEventHub({ consumerGroups: messaging.consumerGroups, retention: { maxEvents: 1_000_000 } });
  emulator = await builder.start();
  registry = Registry.fromConnectionString(emulator.getServiceConnectionString());
  return {
    hostName: emulator.hostName, gatewayHostName: emulator.mqttGatewayHostName, ca: emulator.caCertificate, mqttPort: emulator.mqttPort, httpsPort: emulator.httpsPort ?? 0,
    ...(messaging === undefined ? {} : { eventHubsConnectionString: emulator.getEventHubsConnectionString({ developmentEmulator: true }) }),
  };
}

/** Devices for the messaging leg; returns their connection strings. */
async function registerDevices(deviceIds: readonly string[]): Promise<string[]> {
  const { emulator: hub, registry: service } = running();
  return mapLimit(deviceIds, SERVICE_CONCURRENCY, async (deviceId) => {
    const { responseBody } = await service.create({ deviceId });
    const sharedAccessKey = responseBody.authentication?.symmetricKey?.primaryKey ?? '';
    return buildConnectionString({ hostName: hub.hostName, deviceId, sharedAccessKey, gatewayHostName: hub.mqttGatewayHostName });
  });
}

async function register(ids: readonly ModuleRef[]): Promise<string[]> {
  const { emulator: hub, registry: service } = running();
  const devices = [...new Set(ids.map((ref) => ref.deviceId))];
  await mapLimit(devices, SERVICE_CONCURRENCY, (deviceId) => service.create({ deviceId }));
  return mapLimit(ids, SERVICE_CONCURRENCY, async (ref) => {
    const identity = await createModuleIdentity(service, ref);
    return buildModuleConnectionString({ hostName: hub.hostName, ...ref, sharedAccessKey: identity.primaryKey, gatewayHostName: hub.mqttGatewayHostName });
  });
}

/** The tutorial's UpdateModuleTwinDesiredProperties call; returns the desired `$version` the hub assigned. */
async function patchDesired(service: RegistryType, ref: ModuleRef, desired: Record<string, unknown>): Promise<number> {
  const { responseBody } = await service.updateModuleTwin(ref.deviceId, ref.moduleId, { properties: { desired } }, '*');
  const version: unknown = responseBody.properties.desired.$version;
  if (typeof version !== 'number') throw new Error(`The twin of ${clientId(ref)} came back without a desired $version.`);
  return version;
}

/** One desired patch per module; the connection is sampled on both sides of the service call. */
async function patch(refs: readonly ModuleRef[], round: number): Promise<SentPatch[]> {
  const { emulator: hub, registry: service } = running();
  return mapLimit(refs, SERVICE_CONCURRENCY, async (ref) => {
    const before = hub.control.connectionStatus(clientId(ref));
    const version = await patchDesired(service, ref, { round, note: `round ${round}` });
    const after = hub.control.connectionStatus(clientId(ref));
    const sameConnection = before.connectionCount === after.connectionCount;
    const delivery: Delivery = sameConnection && before.connected && after.connected ? 'connected' : sameConnection && !before.connected && !after.connected ? 'offline' : 'changing';
    return { version, delivery };
  });
}

/** Drops each connection and waits until the emulator has seen it go (or already come back). */
async function drop(refs: readonly IdentityRef[]): Promise<number> {
  const { control } = running().emulator;
  const counts = refs.map((ref) => control.connectionStatus(clientId(ref)).connectionCount);
  const dropped = refs.filter((ref) => control.dropConnection(ref)).length;
  await waitFor(() => (refs.every((ref, index) => {
    const status = control.connectionStatus(clientId(ref));
    return !status.connected || status.connectionCount > (counts[index] ?? 0);
  }) ? true : undefined), { description: 'the dropped connections to close', timeoutMs: 15_000, changes: control.connectionChanges });
  return dropped;
}

async function twins(refs: readonly ModuleRef[]): Promise<unknown[]> {
  const { registry: service } = running();
  return mapLimit(refs, SERVICE_CONCURRENCY, async (ref) => {
    const twin = (await service.getModuleTwin(ref.deviceId, ref.moduleId)).responseBody as { properties: { desired: Record<string, unknown> } };
    const { $metadata: _metadata, ...desired } = twin.properties.desired;
    return desired;
  });
}

async function waitConnected(count: number, timeoutMs: number): Promise<number> {
  const { control } = running().emulator;
  return waitFor(() => (control.connectedClientIds().length === count ? count : undefined), {
    description: `${count} connected clients`, timeoutMs, changes: control.connectionChanges,
    seen: () => `${control.connectedClientIds().length} connected`,
  });
}

async function serve(request: HostRequest): Promise<unknown> {
  switch (request.op) {
    case 'start': return start(request.messaging);
    case 'registerDevices': return registerDevices(request.deviceIds);
    case 'register': return register(request.ids);
    case 'patch': return patch(request.refs, request.round);
    case 'drop': return drop(request.refs);
    case 'twins': return twins(request.refs);
    case 'waitConnected': return waitConnected(request.count, request.timeoutMs);
    case 'memory': return memory();
    case 'stop':
      await emulator?.stop();
      return true;
  }
}

serveIpc<HostRequest>(serve, (request) => request.op === 'stop');
