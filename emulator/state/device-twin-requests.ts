import { hubErrors } from '../errors.js';
import type { IdentityRef } from './identity.js';
import type { JsonObject } from './json.js';
import type { IdentityRegistry } from './registry.js';

/**
 * The twin as a device reads it over any transport (MQTT `$iothub/twin/GET`, AMQP twin GET: wire
 * notes §2.1, AMQP §4.5): its desired and reported properties, each with its `$version`; no tags and
 * no `$metadata`, which only the service sees.
 */
export function deviceTwinDocument(registry: IdentityRegistry, identity: IdentityRef): JsonObject {
  const twin = registry.getTwin(identity);
  return {
    desired: { ...twin.desired.values, $version: twin.desired.version },
    reported: { ...twin.reported.values, $version: twin.reported.version },
  };
}

/** A reported-properties patch as a device sends it: UTF-8 JSON, else the hub's ArgumentInvalid. */
export function parseReportedPatch(payload: Buffer): unknown {
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    throw hubErrors.argumentInvalid('The reported properties patch is not valid UTF-8.');
  }
  try {
    return JSON.parse(decoded) as unknown;
  } catch {
    throw hubErrors.argumentInvalid('The reported properties patch is not valid JSON.');
  }
}
