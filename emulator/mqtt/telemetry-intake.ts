import { recordDeviceToCloud, type IntakeVerdict } from '../state/device-to-cloud.js';
import type { IdentityRef } from '../state/identity.js';
import type { TelemetryBuffer } from '../state/telemetry.js';
import type { MessageProperties } from './message-properties.js';

export { MAX_DEVICE_TO_CLOUD_BYTES, type IntakeVerdict } from '../state/device-to-cloud.js';

/**
 * Keeps one device-to-cloud message (telemetry, or a module output when `$.on` is set), its properties
 * already read from the topic (once, by the broker). A message over the size limit is refused, and the
 * broker then closes the connection as the hub does.
 */
export function takeTelemetry(
  init: { identity: IdentityRef; properties: MessageProperties; payload: Buffer; enqueuedTime: string },
  buffer: TelemetryBuffer,
): IntakeVerdict {
  const { system, application } = init.properties;
  return recordDeviceToCloud({ identity: init.identity, body: init.payload, systemProperties: system, applicationProperties: application, enqueuedTime: init.enqueuedTime }, buffer);
}
