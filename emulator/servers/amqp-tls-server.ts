import { createServer as createPlainServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { ConnectionOptions, Container } from '../amqp/rhea.js';
import { AmqpFrameGuard } from './amqp-frame-guard.js';
import { createTlsListener, listen, type ListeningServer } from './listening.js';
import type { TlsMaterial } from '../state/tls-material.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';
import { peerCertificateOf } from './peer-certificate.js';

/**
 * How long a client has to open its AMQP connection (protocol header, SASL, open) before it is
 * closed: the SDKs open at once; a connection that never does would otherwise be held for ever.
 */
export const AMQP_OPEN_DEADLINE_MS = 10_000;

/** What an AMQP listener serves, TLS or not: rhea's container, and how to tell an opened connection. */
export interface AmqpListenerInit {
  container: Container;
  /** True once the client on this socket has opened its AMQP connection (AmqpEndpoint.hasOpened). */
  hasOpened: (socket: object) => boolean;
  host: string;
  port: number;
  connectionOptions: object;
}

/**
 * AMQP 1.0 over TLS (AMQPS; the hub's port 5671), served by rhea. No SASL mechanism is configured:
 * rhea then accepts both the bare AMQP header the IoT SDKs send and SASL ANONYMOUS, which
 * @azure/event-hubs sends (iothub-amqp-wire-notes §1.3). The TLS server is the emulator's own (the
 * same handshake deadline as MQTT's), each connection handed to rhea as its container.listen would.
 */
export async function listenAmqpOverTls(
  init: AmqpListenerInit & {
    tls: TlsMaterial;
    /** Hands the socket's TLS client certificate to the endpoint (AmqpEndpoint.presentCertificate). */
    presentCertificate: (socket: object, certificate: PresentedCertificate | undefined) => void;
  },
): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  // Devices with X.509 identities present a certificate instead of putting a token (AMQP wire notes §8).
  const server = createTlsListener(init.tls, (socket) => {
    init.presentCertificate(socket, peerCertificateOf(socket));
    acceptAmqp(socket, init, sockets);
  }, { requestClientCertificate: true });
  return serveAmqp(server, init, sockets);
}

/** The only addresses the plain listener binds to: it carries keys and tokens in clear text. */
const LOOPBACK_ADDRESSES: ReadonlySet<string> = new Set(['127.0.0.1', '::1']);

/**
 * Plain AMQP (no TLS) on loopback, for clients that set `UseDevelopmentEmulator=true`: core-amqp then
 * dials TCP instead of TLS, on the Endpoint's port or 5672 (ConnectionContextBase.js), as the Event
 * Hubs emulator serves it. The same connections as over TLS (the same frame guard, open deadline and
 * endpoint), minus TLS; refused on any address but 127.0.0.1 and ::1.
 */
export async function listenAmqpPlainOnLoopback(init: AmqpListenerInit): Promise<ListeningServer> {
  if (!LOOPBACK_ADDRESSES.has(init.host)) {
    throw new Error(`Refusing to serve plain (non-TLS) AMQP on ${init.host}: it is served on 127.0.0.1 or ::1 only, since tokens would cross the network in clear.`);
  }
  const sockets = new Set<Socket>();
  return serveAmqp(createPlainServer((socket) => acceptAmqp(socket, init, sockets)), init, sockets);
}

async function serveAmqp(server: NetServer, init: AmqpListenerInit, sockets: Set<Socket>): Promise<ListeningServer> {
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

/** What rhea's own container.listen does per connection (container.js), so the guard comes after rhea's reader. */
function acceptAmqp(socket: Socket, init: AmqpListenerInit, sockets: Set<Socket>): void {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
  const connection = init.container.create_connection(init.connectionOptions as ConnectionOptions) as unknown as RheaServerConnection;
  connection.accept(socket);
  guard(socket, init.hasOpened);
}

/** rhea's server side of a connection (connection.js `accept`), which its typings leave out. */
interface RheaServerConnection {
  accept(socket: Socket): void;
}

/** Frame limits (amqp-frame-guard.ts) and the open deadline, per connection. */
function guard(socket: Socket, hasOpened: (socket: object) => boolean): void {
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
