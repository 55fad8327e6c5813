import { messagingErrors } from '../../errors.js';
import type { ActivityFeed } from '../../state/activity.js';
import type { Clock } from '../../state/clock.js';
import { transportOfConnection } from '../amqp-activity.js';
import type { IdentityRef } from '../../state/identity.js';
import { MAX_DEVICE_TO_CLOUD_BYTES, recordDeviceToCloud, type DeviceToCloudMessage } from '../../state/device-to-cloud.js';
import type { TelemetryBuffer } from '../../state/telemetry.js';
import { amqpErrorFor } from '../amqp-errors.js';
import type { LinkHandler } from '../link-routes.js';
import { bodyBytes, epochMs, idString, stringProperties } from '../message-fields.js';
import type { EventContext, Message } from '../rhea.js';

/** A module's output name travels as this application property over AMQP (wire notes §4.3). */
const OUTPUT_NAME = 'iothub-outputname';

/**
 * The device's telemetry sender on `{p}/messages/events` (wire notes §4.3): each transfer is taken
 * into the hub's telemetry (and so reaches the Event Hub-compatible endpoint) and accepted; one the
 * hub would not take is rejected with its condition, which the SDK turns into the send's error.
 */
export function telemetryIntake(identity: IdentityRef, parts: { telemetry: TelemetryBuffer; clock: Clock; activity?: ActivityFeed | undefined }): LinkHandler {
  return {
    onMessage(context: EventContext): void {
      const { delivery, message } = context;
      if (delivery === undefined || message === undefined) return;
      const body = bodyBytes(message.body);
      if (body === undefined) {
        delivery.reject({ condition: 'com.microsoft:argument-error', description: 'The message body must be a data section.' });
        return;
      }
      const taken = deviceToCloud({ identity, message, body, enqueuedTime: parts.clock.now().toISOString() });
      const verdict = recordDeviceToCloud(taken, parts.telemetry);
      if (verdict.ok) announceTelemetry(parts.activity, { context, taken });
      if (verdict.ok) delivery.accept();
      else delivery.reject(amqpErrorFor(messagingErrors.tooLarge(body.length, MAX_DEVICE_TO_CLOUD_BYTES)));
    },
  };
}

/** The same message an MQTT publish makes (system properties under their MQTT names), from the AMQP fields. */
function deviceToCloud(init: { identity: IdentityRef; message: Message; body: Buffer; enqueuedTime: string }): DeviceToCloudMessage {
  const { identity, message } = init;
  const annotations = message.message_annotations ?? {};
  const outputName: unknown = message.application_properties?.[OUTPUT_NAME];
  const expiry = epochMs(message.absolute_expiry_time);
  const system: Record<string, string | undefined> = {
    mid: idString(message.message_id),
    cid: idString(message.correlation_id),
    uid: Buffer.isBuffer(message.user_id) ? message.user_id.toString('utf8') : undefined,
    ct: message.content_type,
    ce: message.content_encoding,
    exp: expiry === undefined ? undefined : new Date(expiry).toISOString(),
    sub: typeof annotations['dt-subject'] === 'string' ? annotations['dt-subject'] : undefined,
    ifid: typeof annotations['iothub-interface-id'] === 'string' ? annotations['iothub-interface-id'] : undefined,
    on: identity.moduleId !== undefined && typeof outputName === 'string' ? outputName : undefined,
  };
  return {
    identity,
    body: init.body,
    systemProperties: Object.fromEntries(Object.entries(system).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    applicationProperties: stringProperties(message.application_properties, new Set([OUTPUT_NAME])),
    enqueuedTime: init.enqueuedTime,
  };
}

/** The message's properties and size, never its body (state/activity.ts). */
function announceTelemetry(feed: ActivityFeed | undefined, init: { context: EventContext; taken: DeviceToCloudMessage }): void {
  const { identity, systemProperties, applicationProperties, body } = init.taken;
  const system = Object.fromEntries(Object.entries(systemProperties).map(([name, value]) => [`$.${name}`, value]));
  feed?.announce({
    type: 'telemetry', at: new Date(), transport: transportOfConnection(init.context.connection), deviceId: identity.deviceId,
    ...(identity.moduleId === undefined ? {} : { moduleId: identity.moduleId }), properties: { ...system, ...applicationProperties }, bodyBytes: body.length,
  });
}
