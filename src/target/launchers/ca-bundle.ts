import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PEM bundle for NODE_EXTRA_CA_CERTS: whatever it named already (this machine sets the system
 * bundle there; replacing it would drop those roots, wire notes §1.3) followed by the emulator's CA.
 */
export async function writeCaBundle(emulatorCaPath: string, existing = process.env.NODE_EXTRA_CA_CERTS): Promise<string> {
  const parts: string[] = [];
  if (existing !== undefined && existing !== '' && existsSync(existing)) parts.push(readFileSync(existing, 'utf8').trimEnd());
  parts.push(readFileSync(emulatorCaPath, 'utf8').trimEnd());
  const directory = await mkdtemp(join(tmpdir(), 'iothub-ca-bundle-'));
  const bundlePath = join(directory, 'ca-bundle.pem');
  await writeFile(bundlePath, `${parts.join('\n')}\n`);
  return bundlePath;
}
