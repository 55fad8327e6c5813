import type { IdentityRef } from '../../state/identity.js';

/** The device-side AMQP nodes (wire notes §4.1): telemetry and module inputs, C2D, twin, direct methods. */
export type DeviceNode = 'events' | 'devicebound' | 'twin' | 'methods';

export interface DeviceAddress {
  readonly identity: IdentityRef;
  readonly node: DeviceNode;
}

const SUFFIXES: ReadonlyMap<string, DeviceNode> = new Map([
  ['messages/events', 'events'],
  ['messages/devicebound', 'devicebound'],
  ['twin', 'twin'],
  ['methods/devicebound', 'methods'],
]);

/**
 * `/devices/{d}[/modules/{m}]/{node}`, ids without URL-encoding as the SDK writes them
 * (azure-iot-common endpoint.js; wire notes §4.1); undefined for any other address. A leading slash
 * is optional and the node suffix matches without regard to case, as for the service addresses.
 */
export function parseDeviceAddress(address: string): DeviceAddress | undefined {
  const parts = (address.startsWith('/') ? address.slice(1) : address).split('/');
  if (parts[0] !== 'devices' || parts.length < 3) return undefined;
  const deviceId = parts[1] ?? '';
  const isModule = parts[2] === 'modules';
  const moduleId = isModule ? (parts[3] ?? '') : undefined;
  const node = SUFFIXES.get(parts.slice(isModule ? 4 : 2).join('/').toLowerCase());
  if (deviceId === '' || moduleId === '' || node === undefined) return undefined;
  return { identity: moduleId === undefined ? { deviceId } : { deviceId, moduleId }, node };
}

export function sameIdentity(a: IdentityRef, b: IdentityRef): boolean {
  return a.deviceId === b.deviceId && a.moduleId === b.moduleId;
}
