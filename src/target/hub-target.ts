import type { Registry } from 'azure-iothub';
import { Registry as RegistryClient } from '../sdk.js';
import type { EmulatorControlClient } from '../control/emulator-control-client.js';
import { buildModuleConnectionString, describeServiceConnection } from '../connection-string.js';
import type { DeviceTransport } from '../flows/module-twin-session.js';
import type { ModuleIdentity } from '../flows/create-module-identity.js';

/** docs/targets.md: where the features run. */
export type TargetKind = 'embedded' | 'process' | 'container' | 'hub';

/**
 * Where the scenarios run. Everything a flow needs is here: the service connection string, how
 * module clients reach the MQTT endpoint and which CA they trust, and (emulator only) its control plane.
 */
export interface HubTarget {
  readonly kind: TargetKind;
  readonly serviceConnectionString: string;
  readonly hostName: string;
  readonly deviceTransport: DeviceTransport;
  /** Set when module clients connect somewhere other than HostName (the emulator's MQTT port). */
  readonly gatewayHostName?: string;
  readonly ca?: string;
  /** Absent on a real hub: scenarios tagged @emulator-only need it. */
  readonly control?: EmulatorControlClient;
  stop(): Promise<void>;
}

export function openRegistry(target: HubTarget): Registry {
  return RegistryClient.fromConnectionString(target.serviceConnectionString);
}

export function moduleConnectionString(target: HubTarget, identity: ModuleIdentity): string {
  return buildModuleConnectionString({
    hostName: target.hostName,
    deviceId: identity.deviceId,
    moduleId: identity.moduleId,
    sharedAccessKey: identity.primaryKey,
    ...(target.gatewayHostName === undefined ? {} : { gatewayHostName: target.gatewayHostName }),
  });
}

export function hostNameOf(serviceConnectionString: string): string {
  return describeServiceConnection(serviceConnectionString).hostName;
}
