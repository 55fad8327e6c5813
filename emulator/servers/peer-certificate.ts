import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { presentedCertificate, type PresentedCertificate } from '../state/presented-certificate.js';

/** More certificates than any client sends (leaf and a few intermediates): the walk stops there. */
const MAX_CHAIN_LENGTH = 10;

/**
 * What Node returns for each certificate of the chain. Its typings promise `raw` always, but a
 * client that sent no certificate gets an empty object (Node's tls docs, getPeerCertificate).
 */
interface PeerCertificateLink {
  readonly raw?: Buffer;
  readonly issuerCertificate?: PeerCertificateLink;
}

/**
 * The client certificate of a finished TLS handshake, with the chain the client sent (leaf first),
 * for the CONNECT check. The listeners ask for a certificate without verifying it
 * (`requestCert: true, rejectUnauthorized: false`, listening.ts): a self-signed device certificate
 * must reach the hub's own check, which decides at CONNECT (dps-and-x509 wire notes §5.3, pitfall 6).
 * Node links the chain through `issuerCertificate`; a self-signed certificate links to itself.
 */
export function peerCertificateOf(socket: TLSSocket): PresentedCertificate | undefined {
  const chain: X509Certificate[] = [];
  const seen = new Set<PeerCertificateLink>();
  let current: PeerCertificateLink | undefined = socket.getPeerCertificate(true);
  // An empty object (no `raw`) means the client sent no certificate.
  while (current?.raw !== undefined && !seen.has(current) && chain.length < MAX_CHAIN_LENGTH) {
    seen.add(current);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return presentedCertificate(chain);
}

/** The options that make a TLS server ask for a client certificate and leave the decision to the hub. */
export const REQUEST_CLIENT_CERTIFICATE = { requestCert: true, rejectUnauthorized: false } as const;
