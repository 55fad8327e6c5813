import { readFileSync } from 'node:fs';
import { HttpControl } from '../control/http-control.js';
import type { DeviceTransport } from '../flows/module-twin-session.js';
import { gatewayHostNameFor, hostNameOf, type HubTarget, type TargetKind } from './hub-target.js';

export interface RemoteTargetEnvironment {
  readonly IOTHUB_CONNECTION_STRING?: string | undefined;
  /** PEM file of the emulator's CA (also in NODE_EXTRA_CA_CERTS for the service SDK). */
  readonly IOTHUB_CA_FILE?: string | undefined;
  /** Base URL of the emulator's HTTP control plane, e.g. https://localhost:443/_emulator. */
  readonly IOTHUB_CONTROL_URL?: string | undefined;
  /** Where Mqtt module clients connect when not HostName:8883, e.g. localhost:18883. */
  readonly IOTHUB_GATEWAY_HOST_NAME?: string | undefined;
  /** The hub's Event Hub-compatible connection string (portal: Built-in endpoints), for reading telemetry. */
  readonly IOTHUB_EVENTHUB_CONNECTION_STRING?: string | undefined;
  /** The linked Device Provisioning Service: its ID scope and provisioningserviceowner connection string (portal: DPS overview, Shared access policies). */
  readonly IOTHUB_DPS_ID_SCOPE?: string | undefined;
  readonly IOTHUB_DPS_SERVICE_CONNECTION_STRING?: string | undefined;
  /** The device registration host; global.azure-devices-provisioning.net when unset. */
  readonly IOTHUB_DPS_HOST?: string | undefined;
}

/**
 * The one code path of the process, container and hub targets: connection strings and a CA file
 * only, no in-process route or hooks; the emulator is steered through its HTTP control plane.
 */
export function remoteTarget(kind: Exclude<TargetKind, 'embedded'>, deviceTransport: DeviceTransport, env: RemoteTargetEnvironment): HubTarget {
  const connectionString = env.IOTHUB_CONNECTION_STRING?.trim();
  if (!connectionString) {
    throw new Error(
      kind === 'hub'
        ? 'IOTHUB_TARGET=hub needs IOTHUB_CONNECTION_STRING (the hub\'s iothubowner connection string).'
        : `IOTHUB_TARGET=${kind} is started by the launcher, which sets IOTHUB_CONNECTION_STRING and the CA: run \`npm run test:${kind}\` ` +
            `(tsx scripts/run-features.ts --target ${kind}).`,
    );
  }
  const ca = env.IOTHUB_CA_FILE ? readFileSync(env.IOTHUB_CA_FILE, 'utf8') : undefined;
  const controlUrl = env.IOTHUB_CONTROL_URL?.trim();
  const eventHubsConnectionString = env.IOTHUB_EVENTHUB_CONNECTION_STRING?.trim();
  return {
    kind,
    serviceConnectionString: connectionString,
    hostName: hostNameOf(connectionString),
    deviceTransport,
    gatewayHostName: gatewayHostNameFor(deviceTransport, env.IOTHUB_GATEWAY_HOST_NAME?.trim()),
    ...x509HostNameFor(hostNameOf(connectionString), deviceTransport, env.IOTHUB_GATEWAY_HOST_NAME?.trim()),
    ...(ca === undefined ? {} : { ca }),
    ...(eventHubsConnectionString ? { eventHubsConnectionString } : {}),
    ...provisioningFrom(env),
    ...(controlUrl && kind !== 'hub' ? { control: new HttpControl({ baseUrl: controlUrl, ...(ca === undefined ? {} : { ca }) }) } : {}),
    stop: () => Promise.resolve(),
  };
}

/**
 * An `x509=true` client dials HostName (it ignores GatewayHostName): over Mqtt to an emulator whose
 * MQTT port is not 8883, HostName gets that port (the emulator accepts it in the MQTT username).
 */
function x509HostNameFor(hostName: string, deviceTransport: DeviceTransport, mqttGateway: string | undefined): { x509HostName?: string } {
  const port = mqttGateway?.split(':').at(-1);
  return deviceTransport === 'mqtt' && port !== undefined && port !== '8883' && /^\d+$/.test(port) ? { x509HostName: `${hostName}:${port}` } : {};
}

/** The global device endpoint of Azure's DPS ("Provision devices": the device endpoint every region shares). */
const GLOBAL_DPS_HOST = 'global.azure-devices-provisioning.net';

function provisioningFrom(env: RemoteTargetEnvironment): Pick<HubTarget, 'provisioning'> {
  const idScope = env.IOTHUB_DPS_ID_SCOPE?.trim();
  const serviceConnectionString = env.IOTHUB_DPS_SERVICE_CONNECTION_STRING?.trim();
  if (!idScope || !serviceConnectionString) return {};
  return { provisioning: { host: env.IOTHUB_DPS_HOST?.trim() || GLOBAL_DPS_HOST, idScope, serviceConnectionString } };
}
