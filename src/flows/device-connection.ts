import { buildConnectionString } from '../connection-string.js';
import { clientFromConnectionString, clientFromOwnToken } from './device-client-factory.js';
import { DeviceTwinSession, type DeviceTransport, type TwinSessionOptions } from './device-twin-session.js';

/**
 * Where and how a device or module app reaches the hub: the emulator's gateway and CA, or a real
 * hub's defaults. A HubTarget is one. The harness connects device and module apps only through the
 * two functions below, so a target's gateway and CA are applied here and nowhere else.
 */
export interface DeviceEndpoint {
  readonly hostName: string;
  readonly deviceTransport: DeviceTransport;
  /** Set when device clients connect somewhere other than HostName (the emulator's MQTT port). */
  readonly gatewayHostName?: string;
  /** PEM of a CA to trust (the emulator's); not needed for a real hub. */
  readonly ca?: string;
  /**
   * The HostName of an `x509=true` client, which ignores GatewayHostName: an emulator's `host:port`
   * when its MQTT port is not 8883 (it accepts the port in the username); HostName when absent.
   */
  readonly x509HostName?: string;
}

/** A device identity, or a module identity when `moduleId` is given. */
export interface IdentityIds {
  readonly deviceId: string;
  readonly moduleId?: string;
}

/** The identity's connection string as the portal shows it, plus `GatewayHostName` when connecting elsewhere. */
export function connectionStringAt(endpoint: DeviceEndpoint, identity: IdentityIds & { sharedAccessKey: string }): string {
  return buildConnectionString({ hostName: endpoint.hostName, gatewayHostName: endpoint.gatewayHostName, ...identity });
}

/**
 * A device or module app connected with its key, reading its twin and listening for desired
 * properties. `reconnect: false` gives the client the SDK's NoRetry policy: a device the back end
 * disables is refused on every reconnect, and the SDK's default policy would keep retrying (and keep
 * the process alive) for four minutes after the scenario closed it.
 */
export async function connectWithKey(
  endpoint: DeviceEndpoint,
  identity: IdentityIds & { sharedAccessKey: string },
  options: Omit<TwinSessionOptions, 'ca'> = {},
): Promise<DeviceTwinSession> {
  const client = clientFromConnectionString(connectionStringAt(endpoint, identity), identity.moduleId !== undefined, endpoint.deviceTransport);
  return DeviceTwinSession.open(client, { ca: endpoint.ca, ...transportSessionOptions(endpoint), ...options });
}

/**
 * A device or module app connected with a token it made itself; `claimIdentity` connects as
 * `identity` whatever the token names (a negative case).
 */
export async function connectWithToken(endpoint: DeviceEndpoint, identity: IdentityIds, token: string, claimIdentity = false): Promise<DeviceTwinSession> {
  const client = clientFromOwnToken({
    identity: { hostName: endpoint.hostName, ...identity },
    token,
    gatewayHostName: endpoint.gatewayHostName,
    claimIdentity,
    transport: endpoint.deviceTransport,
  });
  return DeviceTwinSession.open(client, { ca: endpoint.ca, ...transportSessionOptions(endpoint) });
}

/**
 * What a device app sets for its transport. Over HTTP: no twin, and the receive policy the SDK
 * polls C2D with (once a second, its default). azure-iot-device-http 1.14 calls `setOptions`' callback
 * only when the options hold a receive policy (http.js setOptions), so `{ ca }` alone would never resolve.
 */
export function transportSessionOptions(endpoint: DeviceEndpoint): Pick<TwinSessionOptions, 'twin' | 'transportOptions'> {
  if (endpoint.deviceTransport !== 'http') return {};
  return { twin: false, transportOptions: { http: { receivePolicy: { interval: 1 } } } };
}


