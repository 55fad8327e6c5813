import { DeviceClient, Mqtt, MqttWs, NoRetry } from '../sdk.js';
import { DeviceTwinSession } from './device-twin-session.js';
import type { DeviceTransport } from './device-twin-session.js';

/** Where and how a device app reaches the hub (the emulator's gateway and CA, or a real hub's defaults). */
export interface DeviceEndpoint {
  readonly hostName: string;
  readonly transport: DeviceTransport;
  readonly gatewayHostName?: string;
  readonly ca?: string;
}

/** The device connection string the portal shows, plus `GatewayHostName` when connecting elsewhere. */
export function deviceConnectionString(endpoint: DeviceEndpoint, deviceId: string, sharedAccessKey: string): string {
  const gateway = endpoint.gatewayHostName === undefined ? '' : `;GatewayHostName=${endpoint.gatewayHostName}`;
  return `HostName=${endpoint.hostName};DeviceId=${deviceId};SharedAccessKey=${sharedAccessKey}${gateway}`;
}

/**
 * A device app connected with its key, reading its twin and listening for desired properties.
 * `reconnect: false` gives the client the SDK's NoRetry policy: a device the back end disables is
 * refused on every reconnect, and the SDK's default policy would keep retrying (and keep the process
 * alive) for four minutes after the scenario closed it.
 */
export async function connectDevice(
  endpoint: DeviceEndpoint,
  credentials: { deviceId: string; sharedAccessKey: string; reconnect: boolean },
): Promise<DeviceTwinSession> {
  const { deviceId, sharedAccessKey } = credentials;
  const client = DeviceClient.fromConnectionString(deviceConnectionString(endpoint, deviceId, sharedAccessKey), endpoint.transport === 'mqtt-ws' ? MqttWs : Mqtt);
  if (!credentials.reconnect) client.setRetryPolicy(new NoRetry());
  if (endpoint.ca !== undefined) await client.setOptions({ ca: endpoint.ca });
  return DeviceTwinSession.open(client);
}
