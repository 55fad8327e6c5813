import { asHubError, hubErrors } from '../errors.js';
import { ACK_MODES, C2D_LIMITS, type AckMode, type CloudToDeviceMessage } from '../state/c2d-message.js';
import type { Clock } from '../state/clock.js';
import type { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import { amqpErrorFor } from './amqp-errors.js';
import { FeedbackSender } from './feedback-sender.js';
import { servicePermission, type LinkRoute, type LinkService, type ServerRole } from './link-routes.js';
import { bodyBytes, epochMs, idString, stringProperties } from './message-fields.js';
import type { EventContext, Message, Sender } from './rhea.js';

/** `to` of a C2D message: `/devices/{url-encoded id}/messages/devicebound` (wire notes §3.2). */
const DEVICEBOUND_TO = /^\/devices\/([^/]+)\/messages\/devicebound$/;
const ACK_PROPERTY = 'iothub-ack';

export interface ServiceMessagingOptions {
  readonly hubName: string;
  readonly clock: Clock;
  readonly queues: CloudToDeviceQueues;
}

/**
 * The hub's service-side messaging endpoints over AMQP (C2D doc; wire notes §3): the back end sends
 * cloud-to-device messages to `/messages/devicebound` and reads feedback from
 * `/messages/serviceBound/feedback` (the docs spell it `servicebound`: addresses match without
 * regard to case). Both need ServiceConnect.
 */
export function serviceMessaging(options: ServiceMessagingOptions): LinkService {
  const needs = servicePermission('ServiceConnect');
  return {
    route(address: string, role: ServerRole): LinkRoute | undefined {
      const node = address.toLowerCase();
      if (node === '/messages/devicebound' && role === 'receives') {
        return { describe: 'sending cloud-to-device messages', needs, open: () => ({ onMessage: (context) => acceptCommand(context, options) }) };
      }
      if (node === '/messages/servicebound/feedback' && role === 'sends') {
        return { describe: 'reading cloud-to-device feedback', needs, open: (link) => new FeedbackSender(link as Sender, options) };
      }
      return undefined;
    },
  };
}

/** Settles each send: accepted once queued, rejected with the hub's condition otherwise (wire notes §3.3). */
function acceptCommand(context: EventContext, options: ServiceMessagingOptions): void {
  const { delivery, message } = context;
  if (delivery === undefined || message === undefined) return;
  try {
    options.queues.enqueue(readCommand(message, options.clock));
    delivery.accept();
  } catch (error) {
    delivery.reject(amqpErrorFor(asHubError(error)));
  }
}

function readCommand(message: Message, clock: Clock): CloudToDeviceMessage {
  const deviceId = deviceIdFromTo(message.to);
  const body = bodyBytes(message.body);
  if (body === undefined) throw hubErrors.argumentInvalid('The message body must be a data section.');
  const now = clock.now().getTime();
  const requestedExpiry = epochMs(message.absolute_expiry_time);
  return {
    deviceId,
    messageId: idString(message.message_id),
    correlationId: idString(message.correlation_id),
    userId: Buffer.isBuffer(message.user_id) ? message.user_id.toString('utf8') : undefined,
    contentType: message.content_type,
    contentEncoding: message.content_encoding,
    ack: readAck(message.application_properties?.[ACK_PROPERTY]),
    // The hub's default TTL when none is asked for; never past its maximum TTL.
    expiresAt: Math.min(requestedExpiry ?? now + C2D_LIMITS.defaultTtlMs, now + C2D_LIMITS.maxTtlMs),
    enqueuedTime: new Date(now).toISOString(),
    body,
    applicationProperties: stringProperties(message.application_properties, new Set([ACK_PROPERTY])),
  };
}

function deviceIdFromTo(to: unknown): string {
  const match = typeof to === 'string' ? DEVICEBOUND_TO.exec(to) : null;
  if (match === null) throw hubErrors.argumentInvalid(`'to' must be /devices/{deviceId}/messages/devicebound, not ${JSON.stringify(to ?? null)}.`);
  try {
    return decodeURIComponent(match[1] ?? '');
  } catch {
    throw hubErrors.argumentInvalid('The device id in \'to\' is not valid percent-encoding.');
  }
}

function readAck(value: unknown): AckMode {
  if (value === undefined || value === null) return 'none';
  if (typeof value === 'string' && ACK_MODES.has(value)) return value as AckMode;
  throw hubErrors.argumentInvalid(`iothub-ack must be none, positive, negative or full, not ${JSON.stringify(value)}.`);
}
