import type { DeviceBoundMessage } from '../mqtt/device-bound.js';
import { ACK_MODES, C2D_LIMITS, type AckMode, type CloudToDeviceMessage } from '../state/c2d-message.js';
import { BadControlRequest } from './http-route.js';

/**
 * A control-plane cloud-to-device message as the hub's queue holds it: system properties `mid`,
 * `cid`, `uid`, `ct`, `ce`, the application property `iothub-ack` (none by default), the hub's
 * default time to live.
 */
export function commandFrom(deviceId: string, message: DeviceBoundMessage, now: Date): CloudToDeviceMessage {
  const system = message.properties?.system ?? {};
  const { 'iothub-ack': ack = 'none', ...application } = message.properties?.application ?? {};
  if (!ACK_MODES.has(ack)) throw new BadControlRequest('iothub-ack must be none, positive, negative or full.');
  return {
    deviceId,
    messageId: system.mid,
    correlationId: system.cid,
    userId: system.uid,
    contentType: system.ct,
    contentEncoding: system.ce,
    ack: ack as AckMode,
    expiresAt: now.getTime() + C2D_LIMITS.defaultTtlMs,
    enqueuedTime: now.toISOString(),
    body: Buffer.from(message.body),
    applicationProperties: application,
  };
}
