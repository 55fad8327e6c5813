import type { DeviceTransport } from '../flows/module-twin-session.js';
import { DEVICE_TRANSPORTS } from '../flows/device-twin-session.js';
import type { HubTarget, TargetKind } from './hub-target.js';
import { remoteTarget, type RemoteTargetEnvironment } from './remote-target.js';

export interface TargetEnvironment extends RemoteTargetEnvironment {
  readonly IOTHUB_TARGET?: string | undefined;
  readonly IOTHUB_DEVICE_TRANSPORT?: string | undefined;
  readonly IOTHUB_EMULATOR_REST_FRONT_END?: string | undefined;
}

/**
 * The one target selector (docs/targets.md): IOTHUB_TARGET=embedded|process|container|hub. Without
 * it, IOTHUB_CONNECTION_STRING alone means a real hub, and nothing at all means the embedded emulator.
 */
export async function startTarget(env: TargetEnvironment): Promise<HubTarget> {
  const deviceTransport = transportFrom(env.IOTHUB_DEVICE_TRANSPORT);
  const kind = targetKindFrom(env);
  const restFrontEnd = restFrontEndFrom(env.IOTHUB_EMULATOR_REST_FRONT_END, kind, deviceTransport);
  if (kind === 'embedded') {
    // Imported only here, so that remote targets never load the emulator or its in-process route.
    const { startEmbeddedTarget } = await import('./embedded-target.js');
    return startEmbeddedTarget(deviceTransport, restFrontEnd);
  }
  return remoteTarget(kind, deviceTransport, env);
}

const TARGET_KINDS: readonly TargetKind[] = ['embedded', 'process', 'container', 'hub'];

export function targetKindFrom(env: Pick<TargetEnvironment, 'IOTHUB_TARGET' | 'IOTHUB_CONNECTION_STRING'>): TargetKind {
  const requested = env.IOTHUB_TARGET?.trim();
  if (requested) {
    const kind = TARGET_KINDS.find((candidate) => candidate === requested);
    if (kind === undefined) throw new Error(`IOTHUB_TARGET must be one of ${TARGET_KINDS.join(', ')}, not '${requested}'.`);
    return kind;
  }
  return env.IOTHUB_CONNECTION_STRING?.trim() ? 'hub' : 'embedded';
}

function transportFrom(value: string | undefined): DeviceTransport {
  const requested = value?.trim() ?? '';
  if (requested === '') return 'mqtt';
  const transport = DEVICE_TRANSPORTS.find((candidate) => candidate === requested);
  if (transport === undefined) throw new Error(`IOTHUB_DEVICE_TRANSPORT must be one of ${DEVICE_TRANSPORTS.join(', ')}, not '${requested}'.`);
  return transport;
}

/** How the embedded target serves the REST API (docs/targets.md): the emulator's RestFrontEnd values that make sense in-process. */
export type EmbeddedRestFrontEnd = 'routed' | 'nock';

const REST_FRONT_ENDS: readonly EmbeddedRestFrontEnd[] = ['routed', 'nock'];

/**
 * IOTHUB_EMULATOR_REST_FRONT_END=routed|nock (default routed). `https` alone (the listener reached by
 * its address) is refused: the Registry dials HostName:443 and trusts only NODE_EXTRA_CA_CERTS, read
 * when the process starts, which is what the `process` target's launcher sets up.
 */
export function restFrontEndFrom(value: string | undefined, kind: TargetKind, deviceTransport: DeviceTransport): EmbeddedRestFrontEnd {
  const requested = value?.trim() ?? '';
  const allowed = `${REST_FRONT_ENDS.join(' or ')} (default routed)`;
  if (requested !== '' && kind !== 'embedded') {
    throw new Error(`IOTHUB_EMULATOR_REST_FRONT_END applies to the embedded target only; the ${kind} target was chosen. Unset it.`);
  }
  if (requested === '' || requested === 'routed') return 'routed';
  if (requested === 'https') {
    throw new Error(
      "IOTHUB_EMULATOR_REST_FRONT_END=https cannot serve the embedded target: the Registry dials HostName:443 and trusts only the CAs in " +
        'NODE_EXTRA_CA_CERTS, read when the process starts. IOTHUB_TARGET=process (npm run test:process) is the emulator served by address. ' +
        `Allowed here: ${allowed}.`,
    );
  }
  if (requested !== 'nock') throw new Error(`IOTHUB_EMULATOR_REST_FRONT_END must be ${allowed}, not '${requested}'.`);
  if (deviceTransport === 'mqtt-ws' || deviceTransport === 'amqp-ws') {
    const sdkName = deviceTransport === 'mqtt-ws' ? 'MqttWs' : 'AmqpWs';
    throw new Error(`IOTHUB_EMULATOR_REST_FRONT_END=nock serves the REST API only: ${sdkName} needs the HTTPS listener (use 'routed', or IOTHUB_DEVICE_TRANSPORT=mqtt).`);
  }
  return 'nock';
}
