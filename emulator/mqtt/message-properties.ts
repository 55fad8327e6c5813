import { setOwn } from '../state/json.js';

/**
 * Message properties in MQTT topics, as IoT Hub encodes them ("Communicate with an IoT hub using the
 * MQTT protocol", "Sending device-to-cloud messages"): a URL-encoded query string after the topic's
 * fixed part, system properties prefixed `$.` (`%24.mid=...`), application properties as they are.
 */
export interface MessageProperties {
  /** Without the `$.` prefix: mid, cid, uid, to, ct, ce, ifid, exp, on, ... */
  readonly system: Record<string, string>;
  readonly application: Record<string, string>;
}

export function parseMessageProperties(encoded: string): MessageProperties {
  const trimmed = encoded.endsWith('/') ? encoded.slice(0, -1) : encoded;
  const system: Record<string, string> = {};
  const application: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(trimmed)) {
    // Property names are data: setOwn stores `__proto__` as a key rather than as a prototype.
    if (name.startsWith('$.')) setOwn(system, name.slice(2), value);
    else setOwn(application, name, value);
  }
  return { system, application };
}

/** The inverse, for hub-to-device topics (C2D and module inputs). */
export function encodeMessageProperties(properties: Partial<MessageProperties>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(properties.system ?? {})) parts.push(`%24.${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  for (const [name, value] of Object.entries(properties.application ?? {})) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  return parts.join('&');
}
