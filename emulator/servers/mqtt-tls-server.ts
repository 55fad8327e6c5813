import type { AddressInfo } from 'node:net';
import type { Aedes } from 'aedes';
import type { ConnectionCertificates } from '../mqtt/connection-certificates.js';
import type { TlsMaterial } from './certificate.js';
import { createTlsListener, listen, type ListeningServer } from './listening.js';
import { MAX_UNAUTHENTICATED_CONNECTIONS, MqttConnections } from './mqtt-connections.js';
import { peerCertificateOf } from './peer-certificate.js';

/**
 * MQTT 3.1.1 over TLS only: IoT Hub has no plain-text MQTT port, and neither does the emulator. Each
 * connection reaches aedes behind the packet limits (mqtt-packet-limits.ts); while it has not
 * authenticated it counts against the listener's cap, which `maxConnections` enforces from the TCP
 * accept on (net.Server closes a connection beyond it before the TLS handshake starts). The
 * listener asks for a TLS client certificate (X.509 devices and modules, wire notes §7.1) and
 * records it for the CONNECT check.
 */
export async function listenMqttOverTls(init: { aedes: Aedes; certificates?: ConnectionCertificates; tls: TlsMaterial; host: string; port: number }): Promise<ListeningServer> {
  const connections = new MqttConnections({ aedes: init.aedes, changed: () => capUnauthenticated(), certificates: init.certificates });
  const server = createTlsListener(init.tls, (socket) => connections.handOver(socket, { certificate: peerCertificateOf(socket) }), { requestClientCertificate: true });
  const capUnauthenticated = (): void => {
    server.maxConnections = connections.authenticatedCount + MAX_UNAUTHENTICATED_CONNECTIONS;
  };
  capUnauthenticated();
  await listen(server, init.host, init.port);
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        connections.close();
        server.close(() => resolve());
      }),
  };
}
