import type { AddressInfo } from 'node:net';
import type { Aedes } from 'aedes';
import type { TlsMaterial } from './certificate.js';
import { createTlsListener, listen, type ListeningServer } from './listening.js';
import { MAX_UNAUTHENTICATED_CONNECTIONS, MqttConnections } from './mqtt-connections.js';

/**
 * MQTT 3.1.1 over TLS only: IoT Hub has no plain-text MQTT port, and neither does the emulator. Each
 * connection reaches aedes behind the packet limits (mqtt-packet-limits.ts); while it has not
 * authenticated it counts against the listener's cap, which `maxConnections` enforces from the TCP
 * accept on (net.Server closes a connection beyond it before the TLS handshake starts).
 */
export async function listenMqttOverTls(init: { aedes: Aedes; tls: TlsMaterial; host: string; port: number }): Promise<ListeningServer> {
  const connections = new MqttConnections(init.aedes, () => capUnauthenticated());
  const server = createTlsListener(init.tls, (socket) => connections.handOver(socket));
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
