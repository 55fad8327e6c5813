import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Aedes } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';

/** Where the SDK's MqttWs transport dials (wire notes §1.1: `wss://<host>:443/$iothub/websocket`). */
export const MQTT_WEBSOCKET_PATH = '/$iothub/websocket';

export interface MqttWebSocketEndpoint {
  /** Takes over an HTTP upgrade request; refuses any path other than MQTT_WEBSOCKET_PATH. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends every WebSocket connection it accepted. */
  close(): void;
}

/**
 * MQTT over WebSockets, sharing the HTTPS listener with the REST API as the hub does. The WebSocket
 * subprotocol is `mqtt` (mqtt.js lib/connect/ws.js, wire notes §1.1); each socket becomes a stream
 * aedes handles like a TLS connection, so authentication and topic policy are the same.
 */
export function createMqttWebSocketEndpoint(aedes: Aedes): MqttWebSocketEndpoint {
  const server = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
  });
  server.on('connection', (socket) => {
    const stream = createWebSocketStream(socket);
    // A peer that vanishes mid-frame makes the stream error; aedes cleans up on close.
    stream.on('error', () => stream.destroy());
    aedes.handle(stream);
  });
  return {
    handleUpgrade(request, socket, head) {
      const path = new URL(request.url ?? '/', 'https://emulator').pathname;
      if (path !== MQTT_WEBSOCKET_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      server.handleUpgrade(request, socket, head, (webSocket) => server.emit('connection', webSocket, request));
    },
    close() {
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}
