import deviceSdk from 'azure-iot-device';
import { DeviceClient, ModuleClient } from '../sdk.js';
import { protocolFor, type DeviceSideClient } from './device-client-factory.js';
import { transportSessionOptions, type DeviceEndpoint, type IdentityIds } from './device-connection.js';
import { DeviceTwinSession } from './device-twin-session.js';
import type { CertificateAndKey } from './x509-certificates.js';

const { X509AuthenticationProvider } = deviceSdk;

/**
 * A device or module client that authenticates with its certificate, as the SDK's X.509 samples make
 * it: a device from an `x509=true` connection string, a module from the SDK's X509AuthenticationProvider
 * (ModuleClient.fromConnectionString takes SAS only); the certificate, key and CA in one
 * `setOptions` (a later call would replace the earlier one).
 */
export async function x509Client(endpoint: DeviceEndpoint, identity: IdentityIds, credentials: CertificateAndKey): Promise<DeviceSideClient> {
  const host = endpoint.x509HostName ?? endpoint.hostName;
  const protocol = protocolFor(endpoint.deviceTransport);
  const client: DeviceSideClient =
    identity.moduleId === undefined
      ? DeviceClient.fromConnectionString(`HostName=${host};DeviceId=${identity.deviceId};x509=true`, protocol)
      : ModuleClient.fromAuthenticationProvider(new X509AuthenticationProvider({ host, deviceId: identity.deviceId, moduleId: identity.moduleId }), protocol);
  await client.setOptions({ cert: credentials.cert, key: credentials.key, ...(endpoint.ca === undefined ? {} : { ca: endpoint.ca }) });
  return client;
}

/** A device or module app connected with its certificate, reading its twin; no automatic reconnects. */
export async function connectWithCertificate(endpoint: DeviceEndpoint, identity: IdentityIds, credentials: CertificateAndKey): Promise<DeviceTwinSession> {
  return DeviceTwinSession.open(await x509Client(endpoint, identity, credentials), { reconnect: false, ...transportSessionOptions(endpoint) });
}
