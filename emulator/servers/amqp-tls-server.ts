import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Container } from '../amqp/rhea.js';
import { AmqpFrameGuard } from './amqp-frame-guard.js';
import type { TlsMaterial } from '../state/tls-material.js';
import type { ListeningServer } from './mqtt-tls-server.js';

/**
 * AMQP 1.0 over TLS (AMQPS; the hub's port 5671), served by rhea. No SASL mechanism is configured:
 * rhea then accepts both the bare AMQP header the IoT SDKs send and SASL ANONYMOUS, which
 * @azure/event-hubs sends (iothub-amqp-wire-notes §1.3).
 */
/**
 * How long a TLS client has to open its AMQP connection (protocol header, SASL, open) before it is
 * closed: the SDKs open at once; a connection that never does would otherwise be held for ever.
 */
export const AMQP_OPEN_DEADLINE_MS = 10_000;

export async function listenAmqpOverTls(init: {
  container: Container;
  /** True once the client on this socket has opened its AMQP connection (AmqpEndpoint.hasOpened). */
  hasOpened: (socket: object) => boolean;
  tls: TlsMaterial;
  host: string;
  port: number;
  connectionOptions: object;
}): Promise<ListeningServer> {
  // rhea's typings omit its own `transport` option (container.js listen).
  const options = { ...init.connectionOptions, transport: 'tls', host: init.host, port: init.port, cert: init.tls.cert, key: init.tls.key };
  const server = init.container.listen(options as Parameters<Container['listen']>[0]);
  const sockets = new Set<TLSSocket>();
  // After rhea's own handler (container.js listen), so rhea has the socket: one chunk at most is buffered past a refusal.
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    guard(socket, init.hasOpened);
  });
  await new Promise<void>((resolve, reject) => {
    if (server.listening) {
      resolve();
      return;
    }
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    // server.close waits for every connection: those that never opened AMQP are not the endpoint's to close.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Frame limits (amqp-frame-guard.ts) and the open deadline, per connection. */
function guard(socket: TLSSocket, hasOpened: (socket: object) => boolean): void {
  const frames = new AmqpFrameGuard();
  socket.on('data', (chunk: Buffer) => {
    if (!frames.accept(chunk)) socket.destroy();
  });
  const deadline = setTimeout(() => {
    if (!hasOpened(socket)) socket.destroy();
  }, AMQP_OPEN_DEADLINE_MS);
  deadline.unref();
  socket.once('close', () => clearTimeout(deadline));
}
