import type { TLSSocket } from 'node:tls';
import type { Aedes } from 'aedes';
import type { ConnectionCertificates } from '../mqtt/connection-certificates.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';
import { createWebSocketStream, WebSocketServer, type WebSocket } from 'ws';
import { limitBytesUntilAuthenticated, MAX_UNAUTHENTICATED_CONNECTIONS, MqttConnections } from './mqtt-connections.js';
import { MAX_MQTT_PACKET_BYTES } from './mqtt-packet-limits.js';
import { peerCertificateOf } from './peer-certificate.js';
import { HUB_WEBSOCKET_PATH, refuseUpgrade, type UpgradeHandler } from './websocket-upgrades.js';

/** Where the SDK's MqttWs transport dials (wire notes §1.1: `wss://<host>:443/$iothub/websocket`). */
export const MQTT_WEBSOCKET_PATH = HUB_WEBSOCKET_PATH;

export interface MqttWebSocketEndpoint {
  /** Takes over an upgrade routeWebSocketUpgrade chose the `mqtt` subprotocol for. */
  readonly handleUpgrade: UpgradeHandler;
  /** Ends every WebSocket connection it accepted. */
  close(): void;
}

/**
 * MQTT over WebSockets, sharing the HTTPS listener with the REST API as the hub does. The WebSocket
 * subprotocol is `mqtt` (mqtt.js lib/connect/ws.js, wire notes §1.1); each socket becomes a stream
 * aedes handles like a TLS connection, behind the same packet limits, so authentication and topic
 * policy are the same. ws buffers a whole message (and checks a frame's length in its header)
 * against `maxPayload`, 100 MiB by default: here it is the largest MQTT packet the guard accepts,
 * so a huge frame, or a message fragmented past it, is closed with 1009 before it is buffered
 * (RFC 6455 §7.4.1); until the client has authenticated, it may send 64 KB in all
 * (MAX_BYTES_BEFORE_AUTHENTICATION). Compression stays off (ws's default for servers). The TLS
 * client certificate of the HTTPS connection under the upgrade (the SDK's MqttWs presents it there,
 * wire notes §7.1) is recorded for the CONNECT check, as on the MQTT port.
 */
export function createMqttWebSocketEndpoint(aedes: Aedes, certificates?: ConnectionCertificates): MqttWebSocketEndpoint {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_MQTT_PACKET_BYTES, handleProtocols: () => 'mqtt' });
  const connections = new MqttConnections({ aedes, certificates });
  const upgraded = new WeakMap<WebSocket, { onAuthenticated: () => void; certificate: PresentedCertificate | undefined }>();
  server.on('connection', (socket) => {
    const stream = createWebSocketStream(socket);
    // A peer that vanishes mid-frame makes the stream error; aedes cleans up on close.
    stream.on('error', () => stream.destroy());
    connections.handOver(stream, upgraded.get(socket));
  });
  return {
    handleUpgrade: (request, socket, head) => {
      // The per-process budget (mqtt-connections.ts): upgraded but unauthenticated connections are capped.
      if (connections.unauthenticatedCount >= MAX_UNAUTHENTICATED_CONNECTIONS) {
        refuseUpgrade(socket, 503, 'Too many MQTT connections are waiting to authenticate.');
        return;
      }
      const onAuthenticated = limitBytesUntilAuthenticated(socket);
      // The HTTPS listener is a TLS server: the upgraded socket is its TLSSocket.
      const certificate = 'getPeerCertificate' in socket ? peerCertificateOf(socket as TLSSocket) : undefined;
      server.handleUpgrade(request, socket, head, (webSocket) => {
        upgraded.set(webSocket, { onAuthenticated, certificate });
        server.emit('connection', webSocket, request);
      });
    },
    close: () => {
      connections.close();
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}
