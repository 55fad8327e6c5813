import { hubErrors } from '../errors.js';
import type { JsonObject } from '../state/json.js';

/**
 * The fields of the identity bodies the hub documents: the swagger's (2021-04-12) `Device`, `Module`,
 * `AuthenticationMechanism`, `SymmetricKey`, `X509Thumbprint` and `DeviceCapabilities` definitions,
 * which are also what the SDKs send (azure-iothub's Device class carries exactly the `Device` ones).
 * What the hub answers to a field outside them is not documented (not verified); the emulator
 * cannot store such a field, so it refuses the body (400 ArgumentInvalid naming the field) rather
 * than drop the field silently and answer as if it had been kept. Read-only fields in the lists
 * (etag, generationId, connection state, times, message count) are accepted and ignored, as the hub
 * ignores them.
 */
export const DEVICE_FIELDS: ReadonlySet<string> = new Set([
  'deviceId', 'generationId', 'etag', 'connectionState', 'status', 'statusReason', 'connectionStateUpdatedTime',
  'statusUpdatedTime', 'lastActivityTime', 'cloudToDeviceMessageCount', 'authentication', 'capabilities', 'deviceScope', 'parentScopes',
]);

export const MODULE_FIELDS: ReadonlySet<string> = new Set([
  'moduleId', 'managedBy', 'deviceId', 'generationId', 'etag', 'connectionState', 'connectionStateUpdatedTime',
  'lastActivityTime', 'cloudToDeviceMessageCount', 'authentication',
]);

export const AUTHENTICATION_FIELDS: ReadonlySet<string> = new Set(['symmetricKey', 'x509Thumbprint', 'type']);
export const SYMMETRIC_KEY_FIELDS: ReadonlySet<string> = new Set(['primaryKey', 'secondaryKey']);
export const THUMBPRINT_FIELDS: ReadonlySet<string> = new Set(['primaryThumbprint', 'secondaryThumbprint']);
export const CAPABILITY_FIELDS: ReadonlySet<string> = new Set(['iotEdge']);

/**
 * `where` names the object in the message: 'The device', 'authentication', ... Names are compared
 * without regard to case, as the hub's JSON deserializer reads them: azure-iothub before 1.16 sends
 * an enumerable `authentication.SymmetricKey` copy of `symmetricKey` with every Device it read
 * (its deprecated Device class, dist/device.js), and that update works against the hub. The SDK
 * matrix's previous set (azure-iothub 1.15.1) found this.
 */
export function assertKnownFields(object: JsonObject, known: ReadonlySet<string>, where: string): void {
  const knownLowerCase = new Set([...known].map((name) => name.toLowerCase()));
  for (const field of Object.keys(object)) {
    if (!knownLowerCase.has(field.toLowerCase())) {
      throw hubErrors.argumentInvalid(`${where} has a field the hub does not define: ${JSON.stringify(field)}. Known fields: ${[...known].join(', ')}.`);
    }
  }
}
