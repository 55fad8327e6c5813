import { generate } from 'selfsigned';

export interface TlsMaterial {
  /** PEM certificate; self-signed with CA:TRUE so it is also the trust anchor clients are given. */
  readonly cert: string;
  readonly key: string;
}

/**
 * A fresh EC P-256 certificate for the emulator's TLS endpoints. Its SAN covers `localhost`, the
 * loopback addresses and the hub host name, because the SDK checks the host it dials (wire notes §1.3).
 * EC keys take milliseconds to make; RSA-2048 would take 100-200 ms of every start.
 */
export async function generateTlsMaterial(hostName: string): Promise<TlsMaterial> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const result = await generate([{ name: 'commonName', value: 'IoT Hub emulator' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: hostName },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: result.cert, key: result.private };
}
