import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ConnectionOptions, Container } from '../amqp/rhea.js';
import { AmqpFrameGuard } from './amqp-frame-guard.js';
import { createTlsListener, listen, type ListeningServer } from './listening.js';
import type { TlsMaterial } from '../state/tls-material.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';
import { peerCertificateOf } from './peer-certificate.js';

/**
 * How long a TLS client has to open its AMQP connection (protocol header, SASL, open) before it is
 * closed: the SDKs open at once; a connection that never does would otherwise be held for ever.
 */
export const AMQP_OPEN_DEADLINE_MS = 10_000;

/**
 * AMQP 1.0 over TLS (AMQPS; the hub's port 5671), served by rhea. No SASL mechanism is configured:
 * rhea then accepts both the bare AMQP header the IoT SDKs send and SASL ANONYMOUS, which
 * @azure/event-hubs sends (iothub-amqp-wire-notes §1.3). The TLS server is the emulator's own (the
 * same handshake deadline as MQTT's), each connection handed to rhea as its container.listen would.
 */
export async function listenAmqpOverTls(init: {
  container: Container;
  /** True once the client on this socket has opened its AMQP connection (AmqpEndpoint.hasOpened). */
  hasOpened: (socket: object) => boolean;
  /** Hands the socket's TLS client certificate to the endpoint (AmqpEndpoint.presentCertificate). */
  presentCertificate: (socket: object, certificate: PresentedCertificate | undefined) => void;
  tls: TlsMaterial;
  host: string;
  port: number;
  connectionOptions: object;
}): Promise<ListeningServer> {
  const sockets = new Set<TLSSocket>();
  // Devices with X.509 identities present a certificate instead of putting a token (wire notes §8).
  const server = createTlsListener(init.tls, (socket) => {
    sockets.add(socket);
    init.presentCertificate(socket, peerCertificateOf(socket));
    socket.once('close', () => sockets.delete(socket));
    // What rhea's own container.listen does per connection (container.js), so the guard comes after rhea's reader.
    const connection = init.container.create_connection(init.connectionOptions as ConnectionOptions) as unknown as RheaServerConnection;
    connection.accept(socket);
    guard(socket, init.hasOpened);
  }, { requestClientCertificate: true });
  await listen(server, init.host, init.port);
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

/** rhea's server side of a connection (connection.js `accept`), which its typings leave out. */
interface RheaServerConnection {
  accept(socket: TLSSocket): void;
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
