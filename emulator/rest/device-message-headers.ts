import { setOwn } from '../state/json.js';

/**
 * Message properties in the HTTP device API's headers ("Create and read IoT Hub messages", system
 * properties; REST "Send Device Event": application properties are `iothub-app-*` headers, the prefix
 * stripped), under the names the hub's MQTT topics use (`$.mid`, ...), so that HTTP and MQTT
 * telemetry are kept alike (state/device-to-cloud.ts). Header spellings are the device SDKs'
 * (azure-iot-device-http dist/http.js sendEvent; the C# SDK's HttpTransportHandler header map).
 */
const SYSTEM_PROPERTY_HEADERS: Readonly<Record<string, string>> = {
  'iothub-messageid': 'mid',
  'iothub-correlationid': 'cid',
  'iothub-userid': 'uid',
  'iothub-to': 'to',
  'iothub-expiry': 'exp',
  'iothub-contenttype': 'ct',
  'iothub-contentencoding': 'ce',
  'iothub-interface-id': 'ifid',
  'iothub-creation-time-utc': 'ctime',
  // azure-iot-device-http sends the digital twin subject unprefixed (MESSAGE_PROP_DT_SUBJECT).
  'dt-subject': 'sub',
};

export const APP_PROPERTY_PREFIX = 'iothub-app-';

export interface HeaderProperties {
  readonly system: Record<string, string>;
  readonly application: Record<string, string>;
}

/**
 * Reads `(name, value)` pairs: known system headers by their lower-case name, `iothub-app-*` as
 * application properties with the name's case kept after the prefix; anything else is transport.
 * `ownAddress` is the `iothub-to` every SDK request carries (the path it posts to): it addresses the
 * request, it is not the message's `to`, which MQTT telemetry only has when the app set it.
 */
export function propertiesFromHeaders(pairs: Iterable<readonly [string, string]>, ownAddress: string): HeaderProperties {
  const system: Record<string, string> = {};
  const application: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    const systemName = Object.hasOwn(SYSTEM_PROPERTY_HEADERS, lower) ? SYSTEM_PROPERTY_HEADERS[lower] : undefined;
    if (systemName === 'to' && value.toLowerCase() === ownAddress.toLowerCase()) continue;
    // Property names are data: setOwn stores `__proto__` as a key rather than as a prototype.
    if (systemName !== undefined) setOwn(system, systemName, value);
    else if (lower.startsWith(APP_PROPERTY_PREFIX) && name.length > APP_PROPERTY_PREFIX.length) setOwn(application, name.slice(APP_PROPERTY_PREFIX.length), value);
  }
  return { system, application };
}

