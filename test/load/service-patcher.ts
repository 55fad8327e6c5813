import { Agent, request } from 'node:https';
import { createSasToken } from '../../emulator/state/sas.js';
import type { ModuleRef } from './load-protocol.js';

/**
 * The service side of the load: `PATCH /twins/{id}/modules/{mid}` (swagger Modules_UpdateTwin) over
 * the emulator's HTTPS front end with keep-alive connections. The official Registry goes through nock
 * in-process, which costs ~18 ms a call on a busy 2-core runner: too slow for 20,000 patches. The
 * SDK under test here is the device side; the service SDK is used for everything else.
 */
export class ServicePatcher {
  private readonly agent: Agent;
  private readonly token: string;

  constructor(private readonly init: { port: number; hostName: string; ca: string; ownerKey: string }) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 32, ca: init.ca });
    this.token = createSasToken({ resourceUri: init.hostName, base64Key: init.ownerKey, expiry: Math.floor(Date.now() / 1000) + 3600, keyName: 'iothubowner' });
  }

  /** Returns the desired `$version` the hub assigned. */
  patchDesired(ref: ModuleRef, desired: Record<string, unknown>): Promise<number> {
    const body = JSON.stringify({ properties: { desired } });
    const path = `/twins/${encodeURIComponent(ref.deviceId)}/modules/${encodeURIComponent(ref.moduleId)}?api-version=2021-04-12`;
    const headers = { authorization: this.token, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'if-match': '*' };
    return new Promise((resolve, reject) => {
      const outgoing = request({ agent: this.agent, host: '127.0.0.1', port: this.init.port, servername: 'localhost', method: 'PATCH', path, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (response.statusCode !== 200) return reject(new Error(`PATCH ${path} answered ${response.statusCode ?? 0}: ${text}`));
          resolve((JSON.parse(text) as { properties: { desired: { $version: number } } }).properties.desired.$version);
        });
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
