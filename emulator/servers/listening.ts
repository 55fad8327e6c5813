import type { Server as NetServer } from 'node:net';
import { createServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { TlsMaterial } from '../state/tls-material.js';
import { TLS_HANDSHAKE_TIMEOUT_MS } from './listener-timeouts.js';
import { REQUEST_CLIENT_CERTIFICATE } from './peer-certificate.js';

/** A listener the emulator opened: its port (the one asked for, or the free one picked for 0) and how to close it. */
export interface ListeningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on `host:port`; rejects with the listen error (EADDRINUSE, EACCES...) rather than emitting it. */
export async function listen(server: NetServer, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * A TLS server for one of the hub's protocols, with the handshake deadline every listener shares
 * (listener-timeouts.ts). A failed or timed-out handshake is only reported as `tlsClientError`:
 * node:tls leaves that socket open (https closes it itself), so it is closed here. With
 * `requestClientCertificate` the server asks for a client certificate and accepts the handshake
 * with or without one (peer-certificate.ts): SAS clients send none, X.509 clients are judged at CONNECT.
 */
export function createTlsListener(tls: TlsMaterial, onConnection: (socket: TLSSocket) => void, options: { requestClientCertificate?: boolean } = {}): TlsServer {
  const clientCertificate = options.requestClientCertificate === true ? REQUEST_CLIENT_CERTIFICATE : {};
  const server = createServer({ cert: tls.cert, key: tls.key, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS, ...clientCertificate }, onConnection);
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  return server;
}
