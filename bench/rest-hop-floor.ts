import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Aedes } from 'aedes';
import type { TlsMaterial } from '../emulator/servers/certificate.js';
import { listen } from '../emulator/servers/listening.js';
import { httpsText } from '../test/support/https-text.js';
import { withDeadline } from '../src/wait-for.js';
import { PatchTracker } from './patch-tracker.js';

export interface RestHopFloor {
  /** Times `count` sequential HTTPS request -> broker publish -> deliver round trips (ms each). */
  sample(count: number): Promise<number[]>;
  close(): Promise<void>;
}

interface HopBody {
  readonly subscriber: number;
  readonly token: number;
}

/**
 * The floor of the path that is measured, not of one hop: an HTTPS PATCH over a keep-alive TLS
 * connection (as the Registry's agent keeps one) to a bare server that publishes the body through the
 * same aedes to a subscriber over TLS, and answers 200. The transports of the update path, with no IoT
 * Hub logic and no SDK on either end; the MQTT floor (floor.ts) is one hop of it.
 */
export async function openRestHopFloor(init: { aedes: Aedes; tls: TlsMaterial; tracker: PatchTracker; subscribers: number }): Promise<RestHopFloor> {
  const server = bareServer(init.aedes, init.tls);
  await listen(server, '127.0.0.1', 0);
  const send = bareSender((server.address() as AddressInfo).port, init.tls.cert);
  let sent = 0;
  return {
    async sample(count) {
      const samples: number[] = [];
      for (let index = 0; index < count; index++, sent++) {
        const token = init.tracker.token();
        const arrival = init.tracker.expect(token);
        const started = performance.now();
        await send.patch({ subscriber: sent % init.subscribers, token });
        samples.push((await withDeadline(arrival, 10_000, 'a floor message sent over HTTPS')) - started);
      }
      return samples;
    },
    async close() {
      send.agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reads the body, publishes it through aedes, then answers 200. */
function bareServer(aedes: Aedes, tls: TlsMaterial): Server {
  return createServer({ cert: tls.cert, key: tls.key }, (incoming, outgoing) => {
    let text = '';
    incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    incoming.on('end', () => {
      const body = JSON.parse(text) as HopBody;
      const payload = Buffer.from(JSON.stringify({ bench: body.token, $version: body.token + 1 }));
      aedes.publish({ cmd: 'publish', topic: `floor/${body.subscriber}/x`, payload, qos: 0, retain: false, dup: false }, () => {
        outgoing.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' }).end('{}');
      });
    });
  });
}

function bareSender(port: number, ca: string): { agent: Agent; patch(body: HopBody): Promise<void> } {
  const agent = new Agent({ keepAlive: true, ca });
  const patch = async (body: HopBody): Promise<void> => {
    const text = JSON.stringify(body);
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) };
    await httpsText({ host: 'localhost', port, method: 'PATCH', path: '/twins/floor/modules/floor', agent, headers }, text);
  };
  return { agent, patch };
}
