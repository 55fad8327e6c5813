import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

/** True when `host:port` can be bound now (it may be taken a moment later: callers still handle EADDRINUSE). */
export async function canListen(host: string, port: number): Promise<boolean> {
  const server = createServer();
  return new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export interface HubAddress {
  /** Bind address of the emulator. */
  readonly host: string;
  /** HostName in connection strings: what the SDKs dial on 443 (REST, MqttWs). */
  readonly hostName: string;
}

/**
 * The service SDK dials HostName on port 443 with no way to change the port (wire notes §3). Prefer
 * `localhost` (127.0.0.1); when one of the ports is taken there (another emulator or run), use another
 * loopback address of 127.0.0.0/8, which Linux answers without configuration, with the IP as HostName.
 */
export async function pickHubAddress(port = 443, ...morePorts: number[]): Promise<HubAddress> {
  const ports = [port, ...morePorts];
  const allFree = async (host: string): Promise<boolean> => (await Promise.all(ports.map((candidate) => canListen(host, candidate)))).every(Boolean);
  if (await allFree('127.0.0.1')) return { host: '127.0.0.1', hostName: 'localhost' };
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const host = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    if (await allFree(host)) return { host, hostName: host };
  }
  throw new Error(`Port(s) ${ports.join(', ')} are taken on 127.0.0.1 and on every other loopback address tried.`);
}
