import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { createWebSocketStream, WebSocket } from 'ws';
import { makeDeviceToken } from '../../src/flows/device-client-factory.js';
import { withDeadline } from '../../src/wait-for.js';

/**
 * Hostile MQTT clients for issue 18's attacks (tests and the benchmark): a client that declares a
 * huge packet in its fixed header and then streams bytes, over TLS or WebSockets, before or after
 * authenticating. Only the fixed header is hand-made (MQTT 3.1.1 §2.2: type and flags, then the
 * Remaining Length as a variable byte integer); a valid CONNECT comes from the `mqtt` package the
 * device SDK uses. Everything stays on loopback, and every wait has a deadline.
 */
export const MAX_REMAINING_LENGTH = 268_435_455;
export const MQTT_TYPE = { CONNECT: 1, PUBLISH: 3, SUBSCRIBE: 8 } as const;

export function fixedHeader(type: number, remainingLength: number, flags = 0): Buffer {
  const bytes = [(type << 4) | flags];
  let rest = remainingLength;
  do {
    const digit = rest % 128;
    rest = Math.floor(rest / 128);
    bytes.push(rest > 0 ? digit | 0x80 : digit);
  } while (rest > 0);
  return Buffer.from(bytes);
}

export interface Target {
  readonly hostName: string;
  readonly mqttPort: number;
  readonly httpsPort: number;
  readonly ca: string;
}

export interface Attacker {
  readonly deviceId: string;
  readonly moduleId: string;
  readonly primaryKey: string;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** A TLS connection to the MQTT port that has said nothing yet. */
export async function rawTls(target: Target): Promise<Duplex> {
  const socket = tlsConnect({ host: '127.0.0.1', port: target.mqttPort, servername: 'localhost', ca: target.ca });
  socket.on('error', () => undefined);
  await withDeadline(once(socket, 'secureConnect'), CONNECT_TIMEOUT_MS, 'the TLS handshake');
  return socket;
}

/** A WebSocket (subprotocol `mqtt`) to the HTTPS port that has said nothing yet, as a byte stream. */
export async function rawWebSocket(target: Target, protocols: string | string[] = 'mqtt'): Promise<Duplex> {
  const socket = new WebSocket(`wss://127.0.0.1:${target.httpsPort}/$iothub/websocket`, protocols, { ca: target.ca });
  socket.on('error', () => undefined);
  await withDeadline(once(socket, 'open'), CONNECT_TIMEOUT_MS, 'the WebSocket upgrade');
  const stream = createWebSocketStream(socket);
  stream.on('error', () => undefined);
  // The stream only ends its readable side when the WebSocket closes; destroying it makes it emit 'close'.
  socket.once('close', () => stream.destroy());
  return stream;
}

function connectOptions(target: Target, attacker: Attacker): IClientOptions {
  const clientId = `${attacker.deviceId}/${attacker.moduleId}`;
  return {
    clientId,
    username: `${target.hostName}/${clientId}/?api-version=2021-04-12`,
    password: makeDeviceToken({ hostName: target.hostName, deviceId: attacker.deviceId, moduleId: attacker.moduleId }, attacker.primaryKey, Math.floor(Date.now() / 1000) + 3600),
    ca: target.ca,
    protocolVersion: 4,
    clean: false,
    reconnectPeriod: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
  };
}

async function connected(client: MqttClient, attacker: Attacker): Promise<void> {
  client.on('error', () => undefined);
  await withDeadline(once(client, 'connect'), CONNECT_TIMEOUT_MS, `the CONNACK for ${attacker.deviceId}/${attacker.moduleId}`);
}

/** An MQTT connection authenticated as `attacker` (over TLS, or WebSockets), and its byte stream for raw writes. */
export async function authenticated(target: Target, attacker: Attacker, over: 'tls' | 'ws'): Promise<{ client: MqttClient; stream: Duplex }> {
  const url = over === 'tls' ? `mqtts://127.0.0.1:${target.mqttPort}` : `wss://127.0.0.1:${target.httpsPort}/$iothub/websocket`;
  const client = mqtt.connect(url, connectOptions(target, attacker));
  await connected(client, attacker);
  return { client, stream: (client as unknown as { stream: Duplex }).stream };
}

/** Authenticated over a WebSocket of this process's own, for frames the mqtt package would not send (fragments). */
export async function authenticatedWebSocket(target: Target, attacker: Attacker): Promise<{ client: MqttClient; socket: WebSocket }> {
  const socket = new WebSocket(`wss://127.0.0.1:${target.httpsPort}/$iothub/websocket`, 'mqtt', { ca: target.ca });
  socket.on('error', () => undefined);
  const client = new mqtt.Client(() => createWebSocketStream(socket).on('error', () => undefined), connectOptions(target, attacker));
  await connected(client, attacker);
  return { client, socket };
}

export interface FloodOutcome {
  /** The emulator closed the connection before the client stopped on its own. */
  readonly closedByServer: boolean;
  /** Bytes the client's socket accepted (the kernel's buffers take some after the server stopped reading). */
  readonly written: number;
  readonly ms: number;
}

function isClosed(stream: Duplex): boolean {
  return stream.destroyed || stream.writableEnded || !stream.writable;
}

/**
 * Writes `header`, then up to `bodyBytes` more in chunks, waiting for each to drain, and stops when the
 * connection closes; then waits (up to `closeTimeoutMs`) for the server to close it.
 */
export async function flood(stream: Duplex, init: { header: Buffer; bodyBytes: number; closeTimeoutMs: number; chunkBytes?: number }): Promise<FloodOutcome> {
  const began = performance.now();
  // Writes after the server closed fail with EPIPE or ECONNRESET: expected, and seen as the close.
  stream.on('error', () => undefined);
  // Not events.once: it rejects on 'error', which is how a write after the close fails.
  const closed = new Promise<true>((resolve) => stream.once('close', () => resolve(true)));
  const chunk = Buffer.alloc(init.chunkBytes ?? 64 * 1024);
  let written = 0;
  const write = async (bytes: Buffer): Promise<boolean> => {
    if (isClosed(stream)) return false;
    written += bytes.length;
    if (stream.write(bytes)) return true;
    return Promise.race([new Promise<true>((resolve) => stream.once('drain', () => resolve(true))), closed.then(() => false)]);
  };
  let open = await write(init.header);
  for (let sent = 0; open && sent < init.bodyBytes; sent += chunk.length) {
    open = await write(sent + chunk.length <= init.bodyBytes ? chunk : chunk.subarray(0, init.bodyBytes - sent));
  }
  const deadline = new Promise<false>((resolve) => setTimeout(() => resolve(false), init.closeTimeoutMs).unref());
  const closedByServer = await Promise.race([closed, deadline]);
  stream.destroy();
  return { closedByServer, written, ms: performance.now() - began };
}
