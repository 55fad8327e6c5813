import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Aedes } from 'aedes';
import type { TlsMaterial } from './certificate.js';

export interface ListeningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** MQTT 3.1.1 over TLS only: IoT Hub has no plain-text MQTT port, and neither does the emulator. */
export async function listenMqttOverTls(init: { aedes: Aedes; tls: TlsMaterial; host: string; port: number }): Promise<ListeningServer> {
  const server: Server = createServer({ cert: init.tls.cert, key: init.tls.key }, (socket) => init.aedes.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(init.port, init.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
