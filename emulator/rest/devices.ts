import { hubErrors } from '../errors.js';
import { isJsonObject } from '../state/json.js';
import type { SymmetricKeys } from '../state/keys.js';
import { emptyResponse, jsonResponse } from './http-types.js';
import { ifMatchHeader, readJsonBody, type RestContext, type Route } from './route.js';
import { serializeDevice } from './serialize.js';

/**
 * The body of a device or module create: ids must agree with the path, and only SAS authentication is
 * emulated (X.509 answers 501 rather than pretending to work).
 */
export function readIdentityBody(context: RestContext, expected: Record<string, string>): Partial<SymmetricKeys> | undefined {
  const body = readJsonBody(context.request);
  if (!isJsonObject(body)) throw hubErrors.argumentInvalid('The identity must be a JSON object.');
  for (const [field, value] of Object.entries(expected)) {
    if (body[field] !== undefined && body[field] !== value) {
      throw hubErrors.argumentInvalid(`The ${field} in the body (${JSON.stringify(body[field])}) differs from the one in the path ('${value}').`);
    }
  }
  const auth = body.authentication;
  if (auth === undefined || auth === null) return undefined;
  if (!isJsonObject(auth)) throw hubErrors.argumentInvalid('authentication must be an object.');
  const type = auth.type ?? 'sas';
  if (type === 'selfSigned' || type === 'certificateAuthority') throw hubErrors.notImplemented(`X.509 authentication (${type})`);
  if (type !== 'sas') throw hubErrors.argumentInvalid(`Unknown authentication type ${JSON.stringify(type)}.`);
  const keys = auth.symmetricKey;
  if (keys === undefined || keys === null) return undefined;
  if (!isJsonObject(keys)) throw hubErrors.argumentInvalid('authentication.symmetricKey must be an object.');
  return { primaryKey: optionalString(keys.primaryKey, 'primaryKey'), secondaryKey: optionalString(keys.secondaryKey, 'secondaryKey') };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw hubErrors.argumentInvalid(`${name} must be a string.`);
  return value;
}

export const deviceRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/devices/{id}',
    permission: 'RegistryWrite',
    handle(context) {
      const deviceId = context.params.id ?? '';
      // Without If-Match a PUT is create-only (409 when the id exists); with one it is an update.
      if (ifMatchHeader(context.request) !== undefined) throw hubErrors.notImplemented('Updating a device');
      const keys = readIdentityBody(context, { deviceId });
      return jsonResponse(200, serializeDevice(context.registry.createDevice(deviceId, keys)));
    },
  },
  {
    method: 'GET',
    path: '/devices/{id}',
    permission: 'RegistryRead',
    handle: (context) => jsonResponse(200, serializeDevice(context.registry.getDevice(context.params.id ?? ''))),
  },
  {
    method: 'DELETE',
    path: '/devices/{id}',
    permission: 'RegistryWrite',
    handle(context) {
      context.registry.deleteDevice(context.params.id ?? '', ifMatchHeader(context.request));
      return emptyResponse(204);
    },
  },
];
