import type { ProvisioningEndpoint } from '../flows/provisioning.js';
import type { Registry } from 'azure-iothub';
import { Registry as RegistryClient } from '../sdk.js';
import type { EmulatorControlClient } from '../control/emulator-control-client.js';
import { describeServiceConnection } from '../connection-string.js';
import type { DeviceEndpoint } from '../flows/device-connection.js';
import type { DeviceTransport } from '../flows/device-twin-session.js';

/** docs/targets.md: where the features run. */
export type TargetKind = 'embedded' | 'process' | 'container' | 'hub';

/**
 * Where the scenarios run. Everything a flow needs is here: the service connection string, where
 * and how device and module clients connect (the DeviceEndpoint: host, transport, gateway, CA), and
 * (emulator only) its control plane.
 */
export interface HubTarget extends DeviceEndpoint {
  readonly kind: TargetKind;
  readonly serviceConnectionString: string;
  /**
   * The hub's built-in Event Hub-compatible endpoint (portal: Built-in endpoints), which the back end
   * reads telemetry from; on a real hub IOTHUB_EVENTHUB_CONNECTION_STRING, absent when not given.
   */
  readonly eventHubsConnectionString?: string;
  /**
   * The Device Provisioning Service linked to the hub: the emulator's own, or a real one from
   * IOTHUB_DPS_ID_SCOPE and IOTHUB_DPS_SERVICE_CONNECTION_STRING; absent when not given.
   */
  readonly provisioning?: ProvisioningEndpoint;
  /** Absent on a real hub: scenarios tagged @emulator-only need it. */
  readonly control?: EmulatorControlClient;
  stop(): Promise<void>;
}

export function openRegistry(target: HubTarget): Registry {
  return RegistryClient.fromConnectionString(target.serviceConnectionString);
}

export function hostNameOf(serviceConnectionString: string): string {
  return describeServiceConnection(serviceConnectionString).hostName;
}

/**
 * The GatewayHostName device clients get: the emulator's MQTT/TLS `host:port` for Mqtt only. MqttWs
 * dials `wss://<GatewayHostName or HostName>:443` itself, so a gateway with a port would break it
 * (wire notes §1.1).
 */
export function gatewayHostNameFor(deviceTransport: DeviceTransport, mqttGateway: string | undefined): string | undefined {
  return deviceTransport === 'mqtt' && mqttGateway ? mqttGateway : undefined;
}
