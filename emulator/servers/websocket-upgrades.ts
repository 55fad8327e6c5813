import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Where the device SDKs open WebSockets, for MQTT and AMQP alike (wire notes §1.1: `wss://<host>:443/$iothub/websocket`). */
export const HUB_WEBSOCKET_PATH = '/$iothub/websocket';

/**
 * The WebSocket subprotocols the hub's endpoint serves, in one place: `mqtt` (mqtt.js
 * lib/connect/ws.js, which the SDK's MqttWs transport uses) and `AMQPWSB10` (AMQP over WebSockets,
 * the AmqpWs transports: AMQP wire notes §1.1). The type below requires an upgrade handler for each
 * in routeWebSocketUpgrade's table (servers/https-server.ts). An upgrade that asks for none of these
 * is refused before any WebSocket exists (RFC 6455 §4.2.2 lets a server refuse a handshake it does
 * not accept with an HTTP error).
 */
export const WEBSOCKET_SUBPROTOCOLS = ['mqtt', 'AMQPWSB10'] as const;
export type WebSocketSubprotocol = (typeof WEBSOCKET_SUBPROTOCOLS)[number];

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Sec-WebSocket-Protocol lists the client's choices, most preferred first (RFC 6455 §4.1); tokens compare exactly, as in ws. */
export function requestedSubprotocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  return header.split(',').map((token) => token.trim()).filter((token) => token !== '');
}

/** The first subprotocol the client asks for that the endpoint serves, if any. */
export function chooseSubprotocol(request: IncomingMessage): WebSocketSubprotocol | undefined {
  const served: readonly string[] = WEBSOCKET_SUBPROTOCOLS;
  return requestedSubprotocols(request).find((token): token is WebSocketSubprotocol => served.includes(token));
}

/** Answers an upgrade with an HTTP error and closes the connection; no WebSocket is created. */
export function refuseUpgrade(socket: Duplex, status: 400 | 404 | 503, reason: string): void {
  const text = { 400: 'Bad Request', 404: 'Not Found', 503: 'Service Unavailable' }[status];
  const body = `${reason}\n`;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** Routes an upgrade of `/$iothub/websocket` by its subprotocol; any other path, or no served subprotocol, is refused. */
export function routeWebSocketUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  handlers: Readonly<Record<WebSocketSubprotocol, UpgradeHandler>>,
): void {
  const path = new URL(request.url ?? '/', 'https://emulator').pathname;
  if (path !== HUB_WEBSOCKET_PATH) {
    refuseUpgrade(socket, 404, `No WebSocket endpoint at ${path}.`);
    return;
  }
  const protocol = chooseSubprotocol(request);
  if (protocol === undefined) {
    refuseUpgrade(socket, 400, `The WebSocket subprotocol must be one of: ${WEBSOCKET_SUBPROTOCOLS.join(', ')}.`);
    return;
  }
  handlers[protocol](request, socket, head);
}
