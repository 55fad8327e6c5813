import type { DeviceTransport } from '../flows/module-twin-session.js';
import type { HubTarget, TargetKind } from './hub-target.js';
import { remoteTarget, type RemoteTargetEnvironment } from './remote-target.js';

export interface TargetEnvironment extends RemoteTargetEnvironment {
  readonly IOTHUB_TARGET?: string | undefined;
  readonly IOTHUB_DEVICE_TRANSPORT?: string | undefined;
}

/**
 * The one target selector (docs/targets.md): IOTHUB_TARGET=embedded|process|container|hub. Without
 * it, IOTHUB_CONNECTION_STRING alone means a real hub, and nothing at all means the embedded emulator.
 */
export async function startTarget(env: TargetEnvironment): Promise<HubTarget> {
  const deviceTransport = transportFrom(env.IOTHUB_DEVICE_TRANSPORT);
  const kind = targetKindFrom(env);
  if (kind === 'embedded') {
    // Imported only here, so that remote targets never load the emulator or its in-process route.
    const { startEmbeddedTarget } = await import('./embedded-target.js');
    return startEmbeddedTarget(deviceTransport);
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
  if (value === undefined || value === '' || value === 'mqtt') return 'mqtt';
  if (value === 'mqtt-ws') return 'mqtt-ws';
  throw new Error(`IOTHUB_DEVICE_TRANSPORT must be 'mqtt' or 'mqtt-ws', not '${value}'.`);
}
