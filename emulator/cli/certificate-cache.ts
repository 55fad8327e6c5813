import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { TlsMaterial } from '../state/tls-material.js';

/**
 * The standalone emulator's generated certificate, kept between starts in a per-user cache directory
 * (cli/cache-directory.ts): making one loads an X.509 library and signs, tens of milliseconds of a
 * start that aims at 200 ms (docs/benchmarks.md F7). A cached certificate is served only if it is
 * still what a fresh one would be: it names every host it is asked for, it is valid now and for a
 * while yet, its key is its own, and the file is the user's alone. Otherwise a new one replaces it.
 * Any failure of the cache (no home, read-only disk) falls back to a certificate made for this run.
 */
export interface CertificateCacheInit {
  /** The cache directory; created (0700) if missing. */
  readonly directory: string;
  /** Host names and IP addresses the certificate must cover (the SAN, wire notes §1.3). */
  readonly names: readonly string[];
  readonly generate: () => Promise<TlsMaterial>;
  readonly now?: () => Date;
}

/** A certificate this close to its end is replaced, so that a long session never outlives it. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

/** Owner read/write only: the file holds the private key. */
const PRIVATE_FILE_MODE = 0o600;

export async function cachedTlsMaterial(init: CertificateCacheInit): Promise<TlsMaterial> {
  const now = init.now?.() ?? new Date();
  const file = cacheFile(init.directory, init.names);
  const cached = await readCached(file);
  if (cached !== undefined && stillServes(cached, init.names, now)) return cached;
  const material = await init.generate();
  await writeCached(init.directory, file, material).catch(() => undefined);
  return material;
}

/** One file per set of names, so emulators started with different host names do not evict each other. */
function cacheFile(directory: string, names: readonly string[]): string {
  const key = createHash('sha256').update([...new Set(names)].sort().join('\n')).digest('hex').slice(0, 16);
  return join(directory, `tls-${key}.json`);
}

async function readCached(file: string): Promise<TlsMaterial | undefined> {
  try {
    const info = await stat(file);
    // Not ours, or readable by others: someone else could know the key. Never served. (Windows has no
    // such mode bits: there the per-user %LOCALAPPDATA% and its ACLs keep the file the user's.)
    const sharedWithOthers = process.platform !== 'win32' && (info.mode & 0o077) !== 0;
    if (sharedWithOthers || (process.getuid !== undefined && info.uid !== process.getuid())) return undefined;
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<TlsMaterial>;
    return typeof parsed.cert === 'string' && typeof parsed.key === 'string' ? { cert: parsed.cert, key: parsed.key } : undefined;
  } catch {
    return undefined;
  }
}

/** Checked with node:crypto's own X.509 parser: validity window, names, and that the key signs for it. */
export function stillServes(material: TlsMaterial, names: readonly string[], now: Date): boolean {
  try {
    const certificate = new X509Certificate(material.cert);
    const validFrom = new Date(certificate.validFrom).getTime();
    const validTo = new Date(certificate.validTo).getTime();
    if (!(validFrom <= now.getTime() && now.getTime() + RENEW_BEFORE_MS < validTo)) return false;
    if (!certificate.checkPrivateKey(createPrivateKey(material.key))) return false;
    return names.every((name) => (isIP(name) === 0 ? certificate.checkHost(name) !== undefined : coversAddress(certificate, name)));
  } catch {
    return false;
  }
}

/** The generator leaves the wildcard addresses out of the SAN (servers/certificate.ts): nothing to check for them. */
function coversAddress(certificate: X509Certificate, address: string): boolean {
  return address === '0.0.0.0' || address === '::' || certificate.checkIP(address) !== undefined;
}

/** Written to a temporary name and renamed, so a concurrent start reads the old file or the new one, never half of one. */
async function writeCached(directory: string, file: string, material: TlsMaterial): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const partial = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(partial, JSON.stringify({ cert: material.cert, key: material.key }), { mode: PRIVATE_FILE_MODE });
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}
