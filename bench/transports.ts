/**
 * Section 8: the five device transports side by side on one embedded emulator. One device per
 * transport, the azure-iothub Registry as the back end, the @azure/event-hubs consumer as the
 * telemetry reader, and the floors of sections 1 and 7 measured in the same run, all interleaved in
 * rounds so that a load spike from elsewhere hits every path alike.
 */
import { IotHubEmulator, type StartedIotHubEmulator } from '../emulator/index.js';
import { connectWithKey } from '../src/flows/device-connection.js';
import { DEVICE_TRANSPORTS, type DeviceTransport, type DeviceTwinSession } from '../src/flows/device-twin-session.js';
import type { Registry as RegistryClient } from 'azure-iothub';
import { Registry } from '../src/sdk.js';
import { bareRoundTrips } from './event-hub-read.js';
import { openFloor, type FloorRig } from './floor.js';
import { PatchTracker } from './patch-tracker.js';
import { summarize, type LatencySummary } from './stats.js';
import {
  TelemetryReader, telemetryBurst, telemetrySamples, timeInto, trackDesiredPatches, twinPatchSamples, type Timed, type TelemetryTimes,
} from './transport-samplers.js';

/** Every transport the harness knows (src/flows/device-twin-session.ts). */
export const BENCH_TRANSPORTS: readonly DeviceTransport[] = DEVICE_TRANSPORTS;
/** The hub offers no twin over HTTP: the SDK's Http transport throws NotImplementedError for getTwin. */
const NO_TWIN = 'n/a: no twin over HTTP';
const ROUNDS = 5;
const WARMUP = 10;

/** A path's latency with one operation in flight, and the operations per second that makes (1000 / mean ms). */
export interface PathFigure {
  readonly latency: LatencySummary;
  readonly opsPerSecond: number;
}

export interface TwinFigure {
  readonly transport: DeviceTransport;
  /** Registry.updateTwin called -> `properties.desired` at the device; absent with `gap`. */
  readonly patchAtDevice?: PathFigure;
  readonly gap?: string;
}

export interface TelemetryFigure {
  readonly transport: DeviceTransport;
  /** sendEvent called -> resolved (the hub accepted the event: PUBACK, disposition, 204). */
  readonly accepted: PathFigure;
  /** sendEvent called -> the event in the consumer's processEvents. */
  readonly read: PathFigure;
  /** Events sent back to back and read, per second. */
  readonly burstPerSecond: number;
}

export interface TransportFigures {
  readonly samples: number;
  readonly burst: number;
  readonly twin: readonly TwinFigure[];
  readonly telemetry: readonly TelemetryFigure[];
  /** Section 1's floors and section 7's, measured in this run. */
  readonly floors: { readonly mqtt: PathFigure; readonly restHop: PathFigure; readonly amqp: PathFigure };
}

interface Rig {
  readonly emulator: StartedIotHubEmulator;
  readonly registry: RegistryClient;
  readonly devices: ReadonlyMap<DeviceTransport, DeviceTwinSession>;
  readonly patches: PatchTracker;
  readonly reader: TelemetryReader;
  readonly floor: FloorRig;
}

async function connectDevice(emulator: StartedIotHubEmulator, registry: RegistryClient, transport: DeviceTransport): Promise<DeviceTwinSession> {
  const deviceId = `bench-${transport}`;
  const { responseBody } = await registry.create({ deviceId });
  // As the embedded target connects (src/target/embedded-target.ts): MQTT names the gateway; the
  // others dial HostName (:5671 for AMQP, :443 for WebSockets and HTTPS), routed in-process.
  const endpoint = {
    hostName: emulator.hostName,
    deviceTransport: transport,
    ...(transport === 'mqtt' ? { gatewayHostName: emulator.mqttGatewayHostName } : {}),
    ca: emulator.caCertificate,
  };
  return connectWithKey(endpoint, { deviceId, sharedAccessKey: responseBody.authentication?.symmetricKey?.primaryKey ?? '' }, { reconnect: false });
}

async function openRig(emulator: StartedIotHubEmulator): Promise<Rig> {
  const registry = Registry.fromConnectionString(emulator.getServiceConnectionString());
  const patches = new PatchTracker();
  const devices = new Map<DeviceTransport, DeviceTwinSession>();
  for (const transport of BENCH_TRANSPORTS) {
    const session = await connectDevice(emulator, registry, transport);
    devices.set(transport, session);
    if (transport !== 'http') trackDesiredPatches(session, patches);
  }
  const reader = await TelemetryReader.open(emulator.getEventHubsConnectionString());
  return { emulator, registry, devices, patches, reader, floor: await openFloor(1) };
}

function deviceOf(rig: Rig, transport: DeviceTransport): DeviceTwinSession {
  const session = rig.devices.get(transport);
  if (session === undefined) throw new Error(`No ${transport} device in the rig.`);
  return session;
}

interface Taken {
  readonly twin: Map<DeviceTransport, Timed>;
  readonly telemetry: Map<DeviceTransport, TelemetryTimes>;
  readonly floors: { readonly mqtt: Timed; readonly restHop: Timed; readonly amqp: Timed };
}

/** One round: every path takes `count` samples, kept unless this is the warm-up. */
async function round(rig: Rig, taken: Taken, count: number, keep: boolean): Promise<void> {
  for (const transport of BENCH_TRANSPORTS) {
    if (transport !== 'http') await timeInto(keep ? taken.twin.get(transport) : undefined, () => twinPatchSamples(rig.registry, `bench-${transport}`, rig.patches, count));
    await telemetrySamples(deviceOf(rig, transport), rig.reader, count, keep ? taken.telemetry.get(transport) : undefined);
  }
  const { amqpPort, caCertificate, hostName } = rig.emulator;
  await timeInto(keep ? taken.floors.mqtt : undefined, () => rig.floor.sample(count));
  await timeInto(keep ? taken.floors.restHop : undefined, () => rig.floor.sampleRestHop(count));
  await timeInto(keep ? taken.floors.amqp : undefined, () => bareRoundTrips(amqpPort, caCertificate, hostName, count));
}

function figureOf(taken: Timed): PathFigure {
  const latency = summarize(taken);
  return { latency, opsPerSecond: 1000 / latency.mean };
}

async function measureOn(rig: Rig, samples: number, burst: number): Promise<TransportFigures> {
  const taken: Taken = {
    twin: new Map(BENCH_TRANSPORTS.filter((t) => t !== 'http').map((t) => [t, []])),
    telemetry: new Map(BENCH_TRANSPORTS.map((t) => [t, { accepted: [], read: [] }])),
    floors: { mqtt: [], restHop: [], amqp: [] },
  };
  await round(rig, taken, WARMUP, false);
  for (let n = 0; n < ROUNDS; n++) await round(rig, taken, Math.ceil(samples / ROUNDS), true);
  const bursts = new Map<DeviceTransport, number>();
  for (const transport of BENCH_TRANSPORTS) bursts.set(transport, await telemetryBurst(deviceOf(rig, transport), rig.reader, burst));
  return {
    samples,
    burst,
    twin: BENCH_TRANSPORTS.map((transport) => {
      const times = taken.twin.get(transport);
      return times === undefined ? { transport, gap: NO_TWIN } : { transport, patchAtDevice: figureOf(times) };
    }),
    telemetry: BENCH_TRANSPORTS.map((transport) => {
      const times = taken.telemetry.get(transport) ?? { accepted: [], read: [] };
      return { transport, accepted: figureOf(times.accepted), read: figureOf(times.read), burstPerSecond: bursts.get(transport) ?? Number.NaN };
    }),
    floors: { mqtt: figureOf(taken.floors.mqtt), restHop: figureOf(taken.floors.restHop), amqp: figureOf(taken.floors.amqp) },
  };
}

export async function measureTransports(samples: number, burst = 200): Promise<TransportFigures> {
  const emulator = await new IotHubEmulator().withHubName('bench-transports').start();
  try {
    const rig = await openRig(emulator);
    try {
      return await measureOn(rig, samples, burst);
    } finally {
      await Promise.allSettled([...[...rig.devices.values()].map((session) => session.close()), rig.reader.stop(), rig.floor.close()]);
    }
  } finally {
    await emulator.stop();
  }
}
