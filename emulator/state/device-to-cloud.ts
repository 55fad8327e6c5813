import type { IdentityRef } from './identity.js';
import type { TelemetryBuffer } from './telemetry.js';

/** IoT Hub's device-to-cloud message size limit ("IoT Hub quotas and throttling": 256 KB), on every protocol. */
export const MAX_DEVICE_TO_CLOUD_BYTES = 256 * 1024;

export type IntakeVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** One device-to-cloud message as a protocol adapter read it, before the hub keeps it. */
export interface DeviceToCloudMessage {
  readonly identity: IdentityRef;
  readonly body: Buffer;
  /**
   * System properties under their MQTT names without the `$.` prefix (MQTT support doc): mid, cid,
   * uid, to, ct, ce, ifid, exp, sub, and `on` (the module output), whichever protocol carried them.
   */
  readonly systemProperties: Readonly<Record<string, string>>;
  readonly applicationProperties: Readonly<Record<string, string>>;
  /** ISO-8601, from the emulator's clock. */
  readonly enqueuedTime: string;
}

/** The size rule alone, so that an adapter taking a batch can check every message before keeping any. */
export function checkDeviceToCloudSize(bodyBytes: number): IntakeVerdict {
  if (bodyBytes > MAX_DEVICE_TO_CLOUD_BYTES) return { ok: false, reason: `the message is ${bodyBytes} bytes; the limit is ${MAX_DEVICE_TO_CLOUD_BYTES}` };
  return { ok: true };
}

/**
 * Keeps one device-to-cloud message (telemetry, or a module output when `on` is set) in the buffer
 * every transport shares, which feeds the built-in endpoint (event-hub-intake.ts). A message over the
 * size limit is refused and nothing is kept; the adapter answers as its protocol does.
 */
export function recordDeviceToCloud(message: DeviceToCloudMessage, buffer: TelemetryBuffer): IntakeVerdict {
  const verdict = checkDeviceToCloudSize(message.body.length);
  if (!verdict.ok) return verdict;
  const { on: outputName, ...systemProperties } = message.systemProperties;
  buffer.record({
    deviceId: message.identity.deviceId,
    ...(message.identity.moduleId === undefined ? {} : { moduleId: message.identity.moduleId }),
    ...(outputName === undefined ? {} : { outputName }),
    body: Buffer.from(message.body),
    systemProperties,
    applicationProperties: { ...message.applicationProperties },
    enqueuedTime: message.enqueuedTime,
  });
  return verdict;
}
