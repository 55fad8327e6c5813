import { hubErrors } from '../errors.js';
import type { AuthenticationType } from '../state/identity.js';
import type { AuthenticationSpec, DeviceSpec, ModuleSpec } from '../state/identity-spec.js';
import { isJsonObject, type JsonObject } from '../state/json.js';
import {
  assertKnownFields, AUTHENTICATION_FIELDS, CAPABILITY_FIELDS, DEVICE_FIELDS, MODULE_FIELDS, SYMMETRIC_KEY_FIELDS, THUMBPRINT_FIELDS,
} from './identity-fields.js';

/**
 * Reads the `Device` and `Module` bodies of the swagger (2021-04-12) into registry specs. Read-only
 * fields the SDKs send back unchanged (etag, generationId, connection state...) are ignored, as the
 * hub ignores them; fields with a wrong type, and fields the hub does not define, are refused
 * (identity-fields.ts).
 */
const AUTH_TYPES = new Set<AuthenticationType>(['sas', 'selfSigned', 'certificateAuthority']);

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw hubErrors.argumentInvalid(`${name} must be a string.`);
  return value;
}

function optionalObject(value: unknown, name: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw hubErrors.argumentInvalid(`${name} must be an object.`);
  return value;
}

export function readAuthentication(value: unknown): AuthenticationSpec | undefined {
  const auth = optionalObject(value, 'authentication');
  if (auth === undefined) return undefined;
  assertKnownFields(auth, AUTHENTICATION_FIELDS, 'authentication');
  const type = auth.type ?? 'sas';
  if (type === 'none') throw hubErrors.notImplemented("Authentication type 'none'");
  if (typeof type !== 'string' || !AUTH_TYPES.has(type as AuthenticationType)) {
    throw hubErrors.argumentInvalid(`Unknown authentication type ${JSON.stringify(type)}.`);
  }
  const keys = optionalObject(auth.symmetricKey, 'authentication.symmetricKey');
  const thumbprints = optionalObject(auth.x509Thumbprint, 'authentication.x509Thumbprint');
  if (keys !== undefined) assertKnownFields(keys, SYMMETRIC_KEY_FIELDS, 'authentication.symmetricKey');
  if (thumbprints !== undefined) assertKnownFields(thumbprints, THUMBPRINT_FIELDS, 'authentication.x509Thumbprint');
  return {
    type: type as AuthenticationType,
    ...(keys === undefined
      ? {}
      : { symmetricKey: { primaryKey: optionalString(keys.primaryKey, 'primaryKey'), secondaryKey: optionalString(keys.secondaryKey, 'secondaryKey') } }),
    ...(thumbprints === undefined
      ? {}
      : {
          x509Thumbprint: {
            primaryThumbprint: optionalString(thumbprints.primaryThumbprint, 'primaryThumbprint') ?? null,
            secondaryThumbprint: optionalString(thumbprints.secondaryThumbprint, 'secondaryThumbprint') ?? null,
          },
        }),
  };
}

/** The ids in the body, when present, must be the ones in the path. */
export function assertIdsAgree(body: JsonObject, expected: Record<string, string>): void {
  for (const [field, value] of Object.entries(expected)) {
    if (body[field] !== undefined && body[field] !== value) {
      throw hubErrors.argumentInvalid(`The ${field} in the body (${JSON.stringify(body[field])}) differs from the one in the path ('${value}').`);
    }
  }
}

function readStatus(value: unknown): DeviceSpec['status'] {
  if (value === undefined || value === null) return undefined;
  if (value !== 'enabled' && value !== 'disabled') throw hubErrors.argumentInvalid(`status must be 'enabled' or 'disabled', not ${JSON.stringify(value)}.`);
  return value;
}

function readScopes(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((scope) => typeof scope === 'string')) throw hubErrors.argumentInvalid('parentScopes must be an array of strings.');
  return value;
}

function readIotEdge(value: unknown): boolean | undefined {
  const capabilities = optionalObject(value, 'capabilities');
  if (capabilities !== undefined) assertKnownFields(capabilities, CAPABILITY_FIELDS, 'capabilities');
  const iotEdge = capabilities?.iotEdge;
  if (iotEdge === undefined || iotEdge === null) return undefined;
  if (typeof iotEdge !== 'boolean') throw hubErrors.argumentInvalid('capabilities.iotEdge must be a boolean.');
  return iotEdge;
}

export function readDeviceSpec(body: unknown, deviceId: string): DeviceSpec {
  if (!isJsonObject(body)) throw hubErrors.argumentInvalid('The device must be a JSON object.');
  assertKnownFields(body, DEVICE_FIELDS, 'The device');
  assertIdsAgree(body, { deviceId });
  const statusReason = body.statusReason === null ? null : optionalString(body.statusReason, 'statusReason');
  const deviceScope = body.deviceScope === null ? null : optionalString(body.deviceScope, 'deviceScope');
  return {
    deviceId,
    authentication: readAuthentication(body.authentication),
    status: readStatus(body.status),
    statusReason,
    iotEdge: readIotEdge(body.capabilities),
    deviceScope,
    parentScopes: readScopes(body.parentScopes),
  };
}

export function readModuleSpec(body: unknown, deviceId: string, moduleId: string): ModuleSpec {
  if (!isJsonObject(body)) throw hubErrors.argumentInvalid('The module must be a JSON object.');
  assertKnownFields(body, MODULE_FIELDS, 'The module');
  assertIdsAgree(body, { deviceId, moduleId });
  const authentication = readAuthentication(body.authentication);
  const managedBy = body.managedBy === null ? null : optionalString(body.managedBy, 'managedBy');
  return {
    deviceId,
    moduleId,
    ...(authentication === undefined ? {} : { authentication }),
    ...(managedBy === undefined ? {} : { managedBy }),
  };
}
