import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTlsMaterial, type TlsMaterial } from '../servers/certificate.js';
import { cachedTlsMaterial } from './certificate-cache.js';

export interface ServedTls {
  readonly material: TlsMaterial;
  /** The PEM file clients trust (NODE_EXTRA_CA_CERTS): the given certificate or the generated one. */
  readonly caCertificatePath: string;
}

/**
 * Loads the given certificate and key, or generates a self-signed one (or takes the one cached from an
 * earlier start, cli/certificate-cache.ts) and writes its certificate to a file.
 */
export async function loadOrGenerateTls(init: {
  certPath?: string; keyPath?: string; certDir?: string; certCacheDir?: string; hostName: string; bindAddress: string; otherHostNames?: readonly string[];
}): Promise<ServedTls> {
  if (init.certPath !== undefined && init.keyPath !== undefined) {
    const [cert, key] = await Promise.all([readFile(init.certPath, 'utf8'), readFile(init.keyPath, 'utf8')]);
    return { material: { cert, key }, caCertificatePath: resolve(init.certPath) };
  }
  const names = [init.bindAddress, ...(init.otherHostNames ?? [])];
  const generate = (): Promise<TlsMaterial> => generateTlsMaterial(init.hostName, names);
  const material = init.certCacheDir === undefined
    ? await generate()
    : await cachedTlsMaterial({ directory: init.certCacheDir, names: [init.hostName, ...names], generate });
  const directory = init.certDir === undefined ? await mkdtemp(join(tmpdir(), 'iothub-emulator-')) : resolve(init.certDir);
  await mkdir(directory, { recursive: true });
  const caCertificatePath = join(directory, 'ca.pem');
  // Only the certificate is written here; the key stays in memory (and in the user's own cache file).
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
