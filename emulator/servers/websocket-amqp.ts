import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { wrapWebSocket, type ConnectionOptions, type Container } from '../amqp/rhea.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';
import { peerCertificateOf } from './peer-certificate.js';
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
export function createAmqpWebSocketEndpoint(init: {
  container: Container;
  connectionOptions: object;
  /** Hands the HTTPS connection's TLS client certificate to the endpoint (AmqpEndpoint.presentCertificate). */
  presentCertificate?: (transport: object, certificate: PresentedCertificate | undefined) => void;
}): AmqpWebSocketEndpoint {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_AMQP_WEBSOCKET_MESSAGE_BYTES, handleProtocols: () => AMQP_WEBSOCKET_SUBPROTOCOL });
  server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    // The same frame limits as over TLS (amqp-frame-guard.ts), on each WebSocket message.
    const frames = new AmqpFrameGuard();
    // rhea sets binaryType 'arraybuffer' (lib/ws.js wrap), which every listener then gets.
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const bytes = data instanceof ArrayBuffer ? Buffer.from(data) : Array.isArray(data) ? Buffer.concat(data) : data;
      if (!frames.accept(bytes)) socket.terminate();
    });
    // What container.websocket_accept does, keeping the transport it makes: the client certificate of
    // the HTTPS connection under the upgrade (the SDK's AmqpWs presents it there) is the transport's.
    const transport = wrapWebSocket(socket);
    init.presentCertificate?.(transport, 'getPeerCertificate' in request.socket ? peerCertificateOf(request.socket as TLSSocket) : undefined);
    (init.container.create_connection(init.connectionOptions as ConnectionOptions) as unknown as { accept(transport: object): void }).accept(transport);
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
