import type { Duplex } from 'node:stream';
import type { Aedes, Client } from 'aedes';
import type { ConnectionCertificates } from '../mqtt/connection-certificates.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';
import { guardMqttStream } from './mqtt-packet-limits.js';

/**
 * The per-process budget's cap: how many MQTT connections of one listener may be open without
 * having authenticated (on the MQTT port from the TCP accept on, TLS handshake included; on the
 * HTTPS port from the WebSocket upgrade on). Each costs at most a TLS session, one socket read and a
 * partial CONNECT (16 KB), or over WebSockets 64 KB in all (MAX_BYTES_BEFORE_AUTHENTICATION), for at
 * most the TLS handshake timeout plus the CONNECT deadline (listener-timeouts.ts,
 * mqtt/connect-rules.ts): measured, about 60 KiB and 145 KiB each (docs/reliability.md). Beyond the
 * cap a new connection is closed at once, as the hub throttles connection bursts ("IoT Hub quotas
 * and throttling", device connections). The SDKs open one connection per client; the load test and
 * the benchmark's fan-out open 25 and 50 at a time.
 */
export const MAX_UNAUTHENTICATED_CONNECTIONS = 256;

/**
 * The MQTT connections one listener handed to aedes, each behind the packet-limit guard, and which
 * of them have authenticated (aedes emits `client` once authenticate succeeded). `changed` runs
 * after every change, so that a listener can keep its cap in step.
 */
export class MqttConnections {
  /** Each open stream, with what to do once it has authenticated. */
  private readonly open = new Map<Duplex, () => void>();
  private readonly authenticated = new Set<Duplex>();
  private readonly onClient = (client: Client): void => {
    const stream = client.conn;
    const onAuthenticated = this.open.get(stream);
    if (onAuthenticated === undefined) return;
    this.authenticated.add(stream);
    onAuthenticated();
    this.changed();
  };

  private readonly aedes: Aedes;
  private readonly changed: () => void;
  private readonly certificates: ConnectionCertificates | undefined;

  /** `certificates`: where each stream's TLS client certificate is recorded for the CONNECT check (none are when absent). */
  constructor(init: { aedes: Aedes; changed?: () => void; certificates?: ConnectionCertificates | undefined }) {
    this.aedes = init.aedes;
    this.changed = init.changed ?? (() => undefined);
    this.certificates = init.certificates;
    this.aedes.on('client', this.onClient);
  }

  get authenticatedCount(): number {
    return this.authenticated.size;
  }

  get unauthenticatedCount(): number {
    return this.open.size - this.authenticated.size;
  }

  /** Guards the stream and gives it to aedes, which authenticates it on CONNECT (with the client certificate it presented, if any). */
  handOver(stream: Duplex, connection: { onAuthenticated?: (() => void) | undefined; certificate?: PresentedCertificate | undefined } = {}): void {
    this.certificates?.record(stream, connection.certificate);
    this.open.set(stream, connection.onAuthenticated ?? (() => undefined));
    stream.once('close', () => {
      this.open.delete(stream);
      this.authenticated.delete(stream);
      this.changed();
    });
    guardMqttStream(stream);
    this.aedes.handle(stream);
  }

  close(): void {
    this.aedes.off('client', this.onClient);
  }
}

/**
 * The most a WebSocket client may send before it has authenticated: a CONNECT (16 KB at most) and a
 * few small packets, with their frame headers. ws buffers a whole message (up to the largest MQTT
 * packet, 320 KB) before the packet guard sees any of it, so without this an unauthenticated
 * WebSocket could hold that much until the CONNECT deadline.
 */
export const MAX_BYTES_BEFORE_AUTHENTICATION = 64 * 1024;

/**
 * Counts the bytes arriving on `socket` (the upgraded connection under a WebSocket, before ws takes
 * it) and destroys it once they pass `maxBytes`; the returned function stops counting (call it once
 * authenticated).
 */
export function limitBytesUntilAuthenticated(socket: Duplex, maxBytes = MAX_BYTES_BEFORE_AUTHENTICATION): () => void {
  // ws hands the bytes that came with the upgrade request back to the socket (unshift), so they are counted here too.
  let received = 0;
  const count = (chunk: Buffer): void => {
    received += chunk.length;
    if (received > maxBytes) socket.destroy(new Error(`closed: ${received} bytes before authenticating (limit ${maxBytes})`));
  };
  socket.on('data', count);
  return () => socket.off('data', count);
}
