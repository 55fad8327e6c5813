import type { Duplex } from 'node:stream';
import { MAX_DEVICE_TO_CLOUD_BYTES } from '../state/device-to-cloud.js';

/**
 * How large a packet a client may declare, by MQTT control packet type, checked on the fixed header
 * before any of the packet is buffered. aedes parses with mqtt-packet, which buffers a packet whole
 * before it looks at it, and mqtt-packet's parser cannot stop early: a client that declares the
 * largest Remaining Length (268,435,455 bytes, MQTT 3.1.1 §2.2.3) would be read to the end. So the
 * guard below follows packet boundaries itself, reading only each fixed header (§2.2: one byte of
 * type and flags, then the Remaining Length, a variable byte integer of one to four bytes) and
 * skipping the rest, and closes the connection at the first header over its type's limit.
 */

/** Username (host name, client id, api-version, model id, DeviceClientType), SAS token, client id and a small will: a few KB. */
export const MAX_CONNECT_BYTES = 16 * 1024;

/**
 * The hub's 256 KB device-to-cloud message ("IoT Hub quotas and throttling"; the MQTT support doc
 * gives the same maximum message size), plus the longest MQTT topic (2 length bytes and 65,535
 * bytes, §1.5.3), where the message's properties travel, and the packet identifier (2 bytes).
 */
export const MAX_PUBLISH_BYTES = MAX_DEVICE_TO_CLOUD_BYTES + 2 + 65_535 + 2;

/** Hundreds of topic filters: the hub's own are under 300 bytes each, and a device needs five. */
export const MAX_SUBSCRIBE_BYTES = 64 * 1024;

/** A fixed header is at most 5 bytes (§2.2.3), so no packet the guard lets through exceeds this. */
export const MAX_MQTT_PACKET_BYTES = MAX_PUBLISH_BYTES + 5;

/**
 * By type (§2.2.1): what a client may send. PUBACK, PUBREC, PUBREL and PUBCOMP carry a 2-byte
 * packet identifier, PINGREQ and DISCONNECT nothing (§3.4-3.7, §3.12, §3.14). Types only a server
 * sends (CONNACK, SUBACK, UNSUBACK, PINGRESP) and the reserved 0 and 15 are refused outright.
 */
const REFUSED = -1;
export const MQTT_PACKET_LIMITS: readonly number[] = [
  REFUSED, MAX_CONNECT_BYTES, REFUSED, MAX_PUBLISH_BYTES, 2, 2, 2, 2,
  MAX_SUBSCRIBE_BYTES, REFUSED, MAX_SUBSCRIBE_BYTES, REFUSED, 0, REFUSED, 0, REFUSED,
];

const PACKET_NAMES = ['reserved', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'reserved'];
const CONNECT = 1;

/**
 * Follows packet boundaries through the bytes a client sends, chunk by chunk: only fixed headers are
 * read, bodies are skipped by count. Besides the size limits it enforces the two ordering rules
 * that need no more than the type: the first packet is a CONNECT (§3.1, [MQTT-3.1.0-1]) and a
 * second CONNECT is a protocol violation ([MQTT-3.1.0-2]); aedes would otherwise read either whole
 * before closing the connection.
 */
export class MqttFrameScanner {
  private inHeader = false;
  private type = 0;
  private declared = 0;
  private lengthBytes = 0;
  private bodyLeft = 0;
  private packets = 0;

  constructor(private readonly limits: readonly number[] = MQTT_PACKET_LIMITS) {}

  /** Undefined while the bytes are acceptable; otherwise why the connection must close. */
  scan(chunk: Uint8Array): string | undefined {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.bodyLeft > 0) {
        const step = Math.min(this.bodyLeft, chunk.length - offset);
        this.bodyLeft -= step;
        offset += step;
        continue;
      }
      const refusal = this.headerByte(chunk[offset] ?? 0);
      offset++;
      if (refusal !== undefined) return refusal;
    }
    return undefined;
  }

  private headerByte(byte: number): string | undefined {
    if (!this.inHeader) {
      this.inHeader = true;
      this.type = byte >> 4;
      this.declared = 0;
      this.lengthBytes = 0;
      return this.orderRefusal();
    }
    this.declared += (byte & 0x7f) * 128 ** this.lengthBytes;
    this.lengthBytes++;
    if ((byte & 0x80) !== 0) return this.lengthBytes === 4 ? 'a Remaining Length longer than four bytes (MQTT 3.1.1 §2.2.3)' : undefined;
    this.inHeader = false;
    this.packets++;
    this.bodyLeft = this.declared;
    const limit = this.limits[this.type] ?? REFUSED;
    if (limit === REFUSED) return `a ${PACKET_NAMES[this.type] ?? 'reserved'} packet, which a client never sends (MQTT 3.1.1 §2.2.1)`;
    if (this.declared > limit) return `a ${PACKET_NAMES[this.type] ?? ''} packet of ${this.declared} bytes; the limit is ${limit}`;
    return undefined;
  }

  private orderRefusal(): string | undefined {
    if (this.packets === 0 && this.type !== CONNECT) return 'a first packet other than CONNECT ([MQTT-3.1.0-1])';
    if (this.packets > 0 && this.type === CONNECT) return 'a second CONNECT ([MQTT-3.1.0-2])';
    return undefined;
  }
}

/**
 * Puts a scanner in front of aedes on one connection. aedes reads its connection with `read()` on
 * 'readable' (aedes lib/client.js), so every byte it will parse passes through `read` first: the
 * chunk is scanned there and, if refused, never reaches the parser; the connection is destroyed
 * instead (the hub closes the connection on a protocol violation; MQTT 3.1.1 has no refusal packet
 * after CONNACK). What a refused packet costs is one socket read: the bytes of the packet beyond
 * that read are never taken from the kernel.
 */
export function guardMqttStream(stream: Duplex, limits: readonly number[] = MQTT_PACKET_LIMITS): void {
  const scanner = new MqttFrameScanner(limits);
  const read = stream.read.bind(stream);
  stream.read = (size?: number): unknown => {
    const chunk: unknown = read(size);
    if (!(chunk instanceof Uint8Array)) return chunk;
    const refusal = scanner.scan(chunk);
    if (refusal === undefined) return chunk;
    stream.destroy(new Error(`MQTT connection closed: ${refusal}`));
    return null;
  };
}
