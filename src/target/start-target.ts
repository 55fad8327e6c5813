import { IotHubEmulator } from '../../emulator/index.js';
import type { DeviceTransport } from '../flows/module-twin-session.js';
import { hostNameOf, type HubTarget } from './hub-target.js';

export interface TargetEnvironment {
  readonly IOTHUB_CONNECTION_STRING?: string | undefined;
  readonly IOTHUB_DEVICE_TRANSPORT?: string | undefined;
}

/**
 * With IOTHUB_CONNECTION_STRING set, the scenarios run against that hub and nothing is intercepted;
 * otherwise an embedded emulator is started in this process.
 */
export async function startTarget(env: TargetEnvironment): Promise<HubTarget> {
  const deviceTransport = transportFrom(env.IOTHUB_DEVICE_TRANSPORT);
  const connectionString = env.IOTHUB_CONNECTION_STRING?.trim();
  if (connectionString) {
    return { kind: 'hub', serviceConnectionString: connectionString, hostName: hostNameOf(connectionString), deviceTransport, stop: async () => {} };
  }
  if (deviceTransport !== 'mqtt') {
    throw new Error('The embedded emulator serves MQTT over TLS; MQTT over WebSockets needs the standalone emulator (not emulated yet).');
  }
  const emulator = await new IotHubEmulator().start();
  return {
    kind: 'embedded',
    serviceConnectionString: emulator.getServiceConnectionString(),
    hostName: emulator.hostName,
    deviceTransport,
    gatewayHostName: emulator.mqttGatewayHostName,
    ca: emulator.caCertificate,
    control: emulator.control,
    stop: () => emulator.stop(),
  };
}

function transportFrom(value: string | undefined): DeviceTransport {
  if (value === undefined || value === '' || value === 'mqtt') return 'mqtt';
  if (value === 'mqtt-ws') return 'mqtt-ws';
  throw new Error(`IOTHUB_DEVICE_TRANSPORT must be 'mqtt' or 'mqtt-ws', not '${value}'.`);
}
