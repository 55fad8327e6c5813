import { WebSocketServer } from 'ws';
import type { Container } from '../amqp/rhea.js';
import { AmqpFrameGuard } from './amqp-frame-guard.js';
import type { UpgradeHandler } from './websocket-upgrades.js';

/** The WebSocket subprotocol of AMQP 1.0 over WebSockets (OASIS AMQP WebSocket Binding; the SDKs' AmqpWs). */
export const AMQP_WEBSOCKET_SUBPROTOCOL = 'AMQPWSB10';

/**
 * Largest WebSocket message accepted: AMQP frames are bounded by the negotiated max-frame-size
 * (rhea's default 4294967295 is never what a client asks; the SDKs use rhea's defaults, and the
 * hub's messages are at most 256 KB), so one MiB covers a full message with its headers while a
 * hostile frame is refused with 1009 before it is buffered (RFC 6455 §7.4.1).
 */
const MAX_AMQP_WEBSOCKET_MESSAGE_BYTES = 1024 * 1024;

export interface AmqpWebSocketEndpoint {
  readonly handleUpgrade: UpgradeHandler;
  close(): void;
}

/**
 * AMQP over WebSockets on the HTTPS port at `/$iothub/websocket`, as the hub serves it to the
 * AmqpWs transports (AMQP wire notes §1.1; rhea's `websocket_accept` turns each socket into an AMQP
 * connection of the same endpoint as AMQPS, so authentication and links are the same).
 */
export function createAmqpWebSocketEndpoint(container: Container, connectionOptions: object): AmqpWebSocketEndpoint {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_AMQP_WEBSOCKET_MESSAGE_BYTES, handleProtocols: () => AMQP_WEBSOCKET_SUBPROTOCOL });
  server.on('connection', (socket) => {
    // The same frame limits as over TLS (amqp-frame-guard.ts), on each WebSocket message.
    const frames = new AmqpFrameGuard();
    // rhea sets binaryType 'arraybuffer' (lib/ws.js wrap), which every listener then gets.
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const bytes = data instanceof ArrayBuffer ? Buffer.from(data) : Array.isArray(data) ? Buffer.concat(data) : data;
      if (!frames.accept(bytes)) socket.terminate();
    });
    // rhea's typings name a net.Socket; its websocket wrapper (lib/ws.js) only uses the WebSocket API.
    container.websocket_accept(socket as unknown as Parameters<Container['websocket_accept']>[0], connectionOptions);
  });
  return {
    handleUpgrade: (request, socket, head) => {
      server.handleUpgrade(request, socket, head, (webSocket) => server.emit('connection', webSocket, request));
    },
    close: () => {
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}
