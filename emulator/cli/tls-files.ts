import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';
import type { TlsMaterial } from '../servers/certificate.js';

export interface ServedTls {
  readonly material: TlsMaterial;
  /** The PEM file clients trust (NODE_EXTRA_CA_CERTS): the given certificate or the generated one. */
  readonly caCertificatePath: string;
}

/** Loads the given certificate and key, or generates a self-signed one and writes its certificate to a file. */
export async function loadOrGenerateTls(init: { certPath?: string; keyPath?: string; certDir?: string; hostName: string; bindAddress: string }): Promise<ServedTls> {
  if (init.certPath !== undefined && init.keyPath !== undefined) {
    const [cert, key] = await Promise.all([readFile(init.certPath, 'utf8'), readFile(init.keyPath, 'utf8')]);
    return { material: { cert, key }, caCertificatePath: resolve(init.certPath) };
  }
  const material = await generateServerCertificate([init.hostName, init.bindAddress]);
  const directory = init.certDir === undefined ? await mkdtemp(join(tmpdir(), 'iothub-emulator-')) : resolve(init.certDir);
  await mkdir(directory, { recursive: true });
  const caCertificatePath = join(directory, 'ca.pem');
  // Only the certificate is written: the private key stays in memory.
  await writeFile(caCertificatePath, material.cert, { mode: 0o644 });
  return { material, caCertificatePath };
}

/** Writes the certificate clients must trust (never the key) to `<directory>/ca.pem`. */
export async function writeCaCertificate(certificate: string, directory: string): Promise<string> {
  await mkdir(resolve(directory), { recursive: true });
  const path = join(resolve(directory), 'ca.pem');
  await writeFile(path, certificate, { mode: 0o644 });
  return path;
}

/**
 * Self-signed EC P-256 certificate with CA:TRUE (so it is its own trust anchor, wire notes §1.3) whose
 * SAN covers localhost, the loopback addresses, the host name and the bind address (IP or DNS).
 */
async function generateServerCertificate(names: readonly string[]): Promise<TlsMaterial> {
  const dnsNames = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  for (const name of names) {
    if (isIP(name) !== 0) {
      if (name !== '0.0.0.0' && name !== '::') ips.add(name);
    } else dnsNames.add(name);
  }
  const altNames = [...[...dnsNames].map((value) => ({ type: 2 as const, value })), ...[...ips].map((ip) => ({ type: 7 as const, ip }))];
  const result = await generate([{ name: 'commonName', value: 'IoT Hub emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { cert: result.cert, key: result.private };
}
