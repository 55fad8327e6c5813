import { isIP } from 'node:net';
import type { TlsMaterial } from '../state/tls-material.js';

export type { TlsMaterial };

/**
 * A fresh EC P-256 certificate for the emulator's TLS endpoints. Its SAN covers `localhost`, the
 * loopback addresses, the hub host name and any other names given (a DNS name or an IP each; the
 * wildcard addresses are left out), because the SDK checks the host it dials (wire notes §1.3).
 * EC keys take milliseconds to make; RSA-2048 would take 100-200 ms of every start.
 */
export async function generateTlsMaterial(hostName: string, otherNames: readonly string[] = []): Promise<TlsMaterial> {
  // Imported on first use: selfsigned (with @peculiar/x509) costs tens of ms to load, and a start
  // with a given or cached certificate never needs it (docs/benchmarks.md F7).
  const { default: selfsigned } = await import('selfsigned');
  const result = await selfsigned.generate([{ name: 'commonName', value: 'IoT Hub emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: subjectAltNames([hostName, ...otherNames]) },
    ],
  });
  return { cert: result.cert, key: result.private };
}

function subjectAltNames(names: readonly string[]): Array<{ type: 2; value: string } | { type: 7; ip: string }> {
  const dnsNames = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  for (const name of names) {
    if (isIP(name) === 0) dnsNames.add(name);
    else if (name !== '0.0.0.0' && name !== '::') ips.add(name);
  }
  return [...[...dnsNames].map((value) => ({ type: 2 as const, value })), ...[...ips].map((ip) => ({ type: 7 as const, ip }))];
}
