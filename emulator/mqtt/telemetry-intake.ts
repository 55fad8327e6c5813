import type { IdentityRef } from '../state/identity.js';
import { MAX_DEVICE_TO_CLOUD_BYTES, type TelemetryBuffer } from '../state/telemetry.js';
import { parseMessageProperties } from './message-properties.js';

export { MAX_DEVICE_TO_CLOUD_BYTES };

export type IntakeVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Keeps one device-to-cloud message (telemetry, or a module output when `$.on` is set). A message
 * over the size limit is refused, and the broker then closes the connection as the hub does.
 */
export function takeTelemetry(
  init: { identity: IdentityRef; encodedProperties: string; payload: Buffer; enqueuedTime: string },
  buffer: TelemetryBuffer,
): IntakeVerdict {
  if (init.payload.length > MAX_DEVICE_TO_CLOUD_BYTES) {
    return { ok: false, reason: `the message is ${init.payload.length} bytes; the limit is ${MAX_DEVICE_TO_CLOUD_BYTES}` };
  }
  const { system, application } = parseMessageProperties(init.encodedProperties);
  const { on: outputName, ...systemProperties } = system;
  buffer.record({
    deviceId: init.identity.deviceId,
    ...(init.identity.moduleId === undefined ? {} : { moduleId: init.identity.moduleId }),
    ...(outputName === undefined ? {} : { outputName }),
    body: Buffer.from(init.payload),
    systemProperties,
    applicationProperties: application,
    enqueuedTime: init.enqueuedTime,
  });
  return { ok: true };
}
