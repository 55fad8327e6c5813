import type { LockedMessage } from '../state/c2d-message.js';
import { APP_PROPERTY_PREFIX } from './device-message-headers.js';

/**
 * The headers of a cloud-to-device message received over HTTPS (REST "Receive Device Bound
 * Notification"). Which headers the hub sends, and their spelling, come from what the device SDKs
 * read (azure-iot-http-base dist/http.js toMessage: `iothub-messageid`, `-to`, `-expiry`,
 * `-correlationid`, `iothub-app-*`, `ETag` as the lock token in quotes; the C# SDK's
 * HttpTransportHandler.ReceiveAsync: `-enqueuedtime`, `-deliverycount`, `-sequencenumber`) and from
 * a hub response recorded in the Azure IoT CLI's tests (`iothub-ack`, `-userid`, empty values for
 * unset ids, .NET's "M/d/yyyy h:mm:ss tt" times; `ContentType`, `ContentEncoding`). Not verified
 * against a live hub; no sequence number is sent (FIDELITY.md).
 */
export function deviceBoundHeaders(locked: LockedMessage): Record<string, string> {
  const { message } = locked;
  const headers: Record<string, string> = {
    etag: `"${locked.lockToken}"`,
    ...(message.messageId === undefined ? {} : { 'iothub-messageid': message.messageId }),
    'iothub-correlationid': message.correlationId ?? '',
    'iothub-userid': message.userId ?? '',
    'iothub-to': `/devices/${encodeURIComponent(message.deviceId)}/messages/deviceBound`,
    'iothub-expiry': dotNetUtcTime(message.expiresAt),
    'iothub-ack': message.ack,
    'iothub-deliverycount': String(locked.deliveryCount),
    'iothub-enqueuedtime': dotNetUtcTime(Date.parse(message.enqueuedTime)),
    ...(message.contentType === undefined ? {} : { ContentType: safeHeaderValue(message.contentType) }),
    ...(message.contentEncoding === undefined ? {} : { ContentEncoding: safeHeaderValue(message.contentEncoding) }),
  };
  for (const [name, value] of Object.entries(message.applicationProperties)) {
    headers[`${APP_PROPERTY_PREFIX}${safeHeaderName(name)}`] = safeHeaderValue(value);
  }
  return headers;
}

/** "12/22/2017 12:14:12 AM": the hub's (.NET invariant culture) form, in UTC. */
export function dotNetUtcTime(epochMs: number): string {
  const time = new Date(epochMs);
  const hours = time.getUTCHours();
  const twoDigits = (value: number): string => String(value).padStart(2, '0');
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${twoDigits(time.getUTCMinutes())}:${twoDigits(time.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
  return `${time.getUTCMonth() + 1}/${time.getUTCDate()}/${time.getUTCFullYear()} ${clock}`;
}

/**
 * HTTP allows only token characters in names and no control characters in values (RFC 9110 §5.1,
 * §5.5); a property the back end sent with others (over AMQP anything goes) is percent-encoded rather
 * than breaking the response. What the hub does with them is not documented.
 */
function safeHeaderName(name: string): string {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) ? name : encodeURIComponent(name);
}

function safeHeaderValue(value: string): string {
  return /^[\t\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}
