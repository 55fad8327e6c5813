import assert from 'node:assert/strict';
import type { ClientRequest, IncomingMessage } from 'node:http';
import https from 'node:https';
import { before, describe, it } from 'node:test';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/emulator.js';
import { serviceTokenFor } from '../support/service-token.js';

/**
 * What a client can observe of the two in-process REST front ends, `routed` (the default: a real
 * HTTPS listener the hub's host name is routed to) and `nock`, given the same requests in the same
 * order: the same answers, except for the differences FIDELITY.md lists ("Serving the REST API"),
 * each shown in the second part. Requests go through `https.request` looked up at call time, as the
 * SDK's do: nock replaces it when it loads, after this file's imports are bound.
 */

const MAX_BODY_BYTES = 4096;
const API = '?api-version=2021-04-12';

interface Probe {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Sent with transfer-encoding: chunked, so without content-length. */
  readonly chunked?: boolean;
  /** Without the service SAS token. */
  readonly anonymous?: boolean;
}

interface Observed {
  readonly status: number;
  readonly statusText: string;
  /** Lower-case names, as Node gives them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly reusedSocket: boolean;
  readonly socket: IncomingMessage['socket'];
}

class FrontEnd {
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 1 });

  private constructor(
    readonly name: 'routed' | 'nock',
    readonly emulator: StartedIotHubEmulator,
  ) {}

  static async start(name: 'routed' | 'nock', hubName: string): Promise<FrontEnd> {
    const emulator = await new IotHubEmulator().withHubName(hubName).withRestFrontEnd(name).withMaxRequestBodyBytes(MAX_BODY_BYTES).start();
    return new FrontEnd(name, emulator);
  }

  /** One request, on this front end's keep-alive agent, to `https://<HostName>` as the Registry sends it. */
  send(probe: Probe, onRequest?: (outgoing: ClientRequest) => void): Promise<Observed> {
    const headers: Record<string, string> = { ...(probe.anonymous === true ? {} : { authorization: serviceTokenFor(this.emulator.getServiceConnectionString()) }), ...probe.headers };
    if (probe.body !== undefined && probe.chunked !== true) headers['content-length'] = String(Buffer.byteLength(probe.body));
    return new Promise((resolve, reject) => {
      const outgoing = https.request({ host: this.emulator.hostName, port: 443, method: probe.method, path: probe.path, headers, agent: this.agent }, (incoming) => {
        // Read now: a keep-alive socket is handed back to the agent when the answer ends.
        const socket = incoming.socket;
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            statusText: incoming.statusMessage ?? '',
            headers: Object.fromEntries(Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')])),
            body: Buffer.concat(chunks).toString('utf8'),
            reusedSocket: outgoing.reusedSocket,
            socket,
          }),
        );
      });
      outgoing.on('error', reject);
      onRequest?.(outgoing);
      if (probe.chunked === true && probe.body !== undefined) outgoing.write(probe.body);
      outgoing.end(probe.chunked === true ? undefined : probe.body);
    });
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await this.emulator.stop();
  }
}

/**
 * What must be equal: status, status text, headers and body, with the per-request values (tracking
 * ids, time stamps, generation ids, generated keys, the Date value) blanked, and without the headers of the
 * connection-reuse difference (Connection: keep-alive, Keep-Alive), which is tested on its own.
 */
function comparable(observed: Observed): object {
  const { date, connection, 'keep-alive': _keepAlive, ...headers } = observed.headers;
  return {
    status: observed.status,
    statusText: observed.statusText,
    headers: { ...headers, ...(connection === 'close' ? { connection } : {}), date: date === undefined ? 'absent' : 'present' },
    body: observed.body
      .replace(/Tracking ID:[0-9a-f]+-G:0-TimeStamp:[^"]+/g, 'Tracking ID:<id>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/"(primaryKey|secondaryKey)":"[^"]+"/g, '"$1":"<key>"'),
  };
}

const json = { 'content-type': 'application/json; charset=utf-8' };
const notUtf8 = Buffer.concat([Buffer.from('{"tags":{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
const overTheLimit = `{"tags":{"a":"${'x'.repeat(MAX_BODY_BYTES)}"}}`;

/** In this order, on both front ends: each leaves the same state behind on both. */
const PROBES: readonly (readonly [string, Probe])[] = [
  ['create a device (PUT with a JSON body)', { method: 'PUT', path: `/devices/p1${API}`, headers: json, body: '{"deviceId":"p1"}' }],
  ['read its twin (etag header)', { method: 'GET', path: `/twins/p1${API}` }],
  ['patch the twin with a body sent in chunks', { method: 'PATCH', path: `/twins/p1${API}`, headers: { ...json, 'if-match': '*' }, body: '{"tags":{"t":1}}', chunked: true }],
  ['a body that starts with a UTF-8 byte order mark', { method: 'PATCH', path: `/twins/p1${API}`, headers: { ...json, 'if-match': '*' }, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"tags":{"bom":1}}')]) }],
  ['HEAD (405, no body)', { method: 'HEAD', path: `/twins/p1${API}` }],
  ['PROPFIND, a method no SDK sends (405)', { method: 'PROPFIND', path: `/twins/p1${API}` }],
  ['no Authorization header (401)', { method: 'GET', path: `/devices/p1${API}`, anonymous: true }],
  ['an unknown device (404 DeviceNotFound)', { method: 'GET', path: `/devices/nobody${API}` }],
  ['an API that is not emulated (501)', { method: 'GET', path: `/jobs/v2${API}` }],
  ['malformed JSON labelled application/json (400; nock used to end the process)', { method: 'PATCH', path: `/twins/p1${API}`, headers: json, body: '{"properties":' }],
  ['JSON made of hex digits ("12"), with its length declared', { method: 'PATCH', path: `/twins/p1${API}`, headers: json, body: '12' }],
  ['bytes that are not UTF-8 (400, connection: close)', { method: 'PATCH', path: `/twins/p1${API}`, headers: json, body: notUtf8 }],
  ['bytes that are not UTF-8, sent in chunks', { method: 'PATCH', path: `/twins/p1${API}`, headers: json, body: notUtf8, chunked: true }],
  ['not UTF-8 and no Authorization: the body is refused first (400)', { method: 'PATCH', path: `/twins/p1${API}`, headers: json, body: notUtf8, anonymous: true }],
  ['a body over the limit, declared by content-length (413, connection: close)', { method: 'PATCH', path: `/twins/p1${API}`, headers: json, body: overTheLimit }],
  ['a body over the limit, sent in chunks (413)', { method: 'PATCH', path: `/twins/p1${API}`, headers: json, body: overTheLimit, chunked: true }],
  ['the control plane prefix, not enabled (404 text/plain)', { method: 'GET', path: '/_emulator/health' }],
  ['delete the device (204, empty body)', { method: 'DELETE', path: `/devices/p1${API}`, headers: { 'if-match': '*' } }],
];

let started = 0;

/** A front end for the length of `use`; nock's is stopped after it, which switches nock off again. */
async function withFrontEnd<T>(name: 'routed' | 'nock', use: (frontEnd: FrontEnd) => Promise<T>): Promise<T> {
  const frontEnd = await FrontEnd.start(name, `parity-${name}-${++started}`);
  try {
    return await use(frontEnd);
  } finally {
    await frontEnd.stop();
  }
}

const READ: Probe = { method: 'GET', path: `/devices/nobody${API}` };

void describe('routed and nock front ends: what a client observes', () => {
  void describe('the same answers', () => {
    const answers = new Map<string, { routed: Observed; nock: Observed }>();

    // Each front end gets every probe in order; routed first, before nock is loaded, since a running
    // nock front end changes this process's other HTTPS requests (the first difference below).
    before(async () => {
      const fromRouted = await withFrontEnd('routed', async (routed) => {
        const observed: Observed[] = [];
        for (const [, probe] of PROBES) observed.push(await routed.send(probe));
        return observed;
      });
      await withFrontEnd('nock', async (nock) => {
        for (const [index, [name, probe]] of PROBES.entries()) {
          const routed = fromRouted[index];
          if (routed === undefined) throw new Error(`no routed answer for '${name}'`);
          answers.set(name, { routed, nock: await nock.send(probe) });
        }
      });
    });

    for (const [name] of PROBES) {
      void it(name, () => {
        const answer = answers.get(name);
        assert.ok(answer !== undefined);
        assert.deepEqual(comparable(answer.nock), comparable(answer.routed));
      });
    }
  });

  void describe('the differences FIDELITY.md lists', () => {
    void it('connection reuse: routed keeps a connection alive (4 minutes idle); nock uses a new mock socket each time, and while it runs no HTTPS request of the process is kept alive', async () => {
      await withFrontEnd('routed', async (routed) => {
        await routed.send(READ);
        const again = await routed.send(READ);
        assert.equal(again.reusedSocket, true);
        assert.equal(again.headers.connection, 'keep-alive');
        assert.equal(again.headers['keep-alive'], 'timeout=240');
        await withFrontEnd('nock', async (nock) => {
          await nock.send(READ);
          const fromNock = await nock.send(READ);
          assert.equal(fromNock.reusedSocket, false);
          assert.equal(fromNock.headers.connection, undefined);
          assert.equal(fromNock.headers['keep-alive'], undefined);
          const routedMeanwhile = await routed.send(READ);
          assert.equal(routedMeanwhile.reusedSocket, false, 'nock\'s interceptor passes other requests through on a new connection');
          assert.equal(routedMeanwhile.headers.connection, 'close');
        });
        await routed.send(READ);
        assert.equal((await routed.send(READ)).reusedSocket, true, 'nock is switched off when its last front end stops');
      });
    });

    void it('TLS: routed serves the emulator\'s certificate on a real TLS socket; nock has no TLS at all', async () => {
      const tlsOf = async (frontEnd: FrontEnd): Promise<{ authorized: boolean; certificate: boolean }> => {
        const socket = (await frontEnd.send(READ)).socket as unknown as { authorized?: boolean; getPeerCertificate?: () => { raw?: Buffer } | null };
        return { authorized: socket.authorized === true, certificate: socket.getPeerCertificate?.()?.raw !== undefined };
      };
      assert.deepEqual(await withFrontEnd('routed', tlsOf), { authorized: true, certificate: true });
      assert.deepEqual(await withFrontEnd('nock', tlsOf), { authorized: false, certificate: false });
    });

    void it('a WebSocket upgrade on the hub\'s port: routed switches to MQTT over WebSockets; nock answers 404', async () => {
      const upgrade = (frontEnd: FrontEnd): Promise<number> =>
        new Promise((resolve, reject) => {
          const outgoing = https.request({
            host: frontEnd.emulator.hostName, port: 443, path: '/$iothub/websocket', agent: false,
            headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': Buffer.alloc(16, 1).toString('base64'), 'sec-websocket-protocol': 'mqtt' },
          });
          outgoing.on('upgrade', (incoming, socket) => {
            socket.destroy();
            resolve(incoming.statusCode ?? 0);
          });
          outgoing.on('response', (incoming) => {
            incoming.resume();
            resolve(incoming.statusCode ?? 0);
          });
          outgoing.on('error', reject);
          outgoing.end();
        });
      assert.equal(await withFrontEnd('routed', upgrade), 101);
      assert.equal(await withFrontEnd('nock', upgrade), 404);
    });

    void it('a method name outside Node\'s list: the listener answers 400; nock never answers', async () => {
      const odd: Probe = { method: 'FROB', path: `/devices/nobody${API}` };
      assert.equal(await withFrontEnd('routed', async (routed) => (await routed.send(odd)).status), 400);
      const outcome = await withFrontEnd('nock', async (nock) => {
        let pending: ClientRequest | undefined;
        const answered = nock.send(odd, (outgoing) => (pending = outgoing)).then(
          () => 'answered',
          () => 'failed',
        );
        const first = await Promise.race([answered, new Promise((resolve) => setTimeout(() => resolve('no answer'), 300))]);
        pending?.destroy();
        return first;
      });
      assert.equal(outcome, 'no answer');
    });

    void it('a body in chunks made only of hex digits whose bytes are not UTF-8 ("9999"): nock takes it for its hex form of such bytes', async () => {
      const hexDigits: Probe = { method: 'PATCH', path: `/twins/p1${API}`, headers: json, body: '9999', chunked: true, anonymous: true };
      const fromRouted = await withFrontEnd('routed', (routed) => routed.send(hexDigits));
      const fromNock = await withFrontEnd('nock', (nock) => nock.send(hexDigits));
      assert.equal(fromRouted.status, 401, 'the listener reads the text 9999, then finds no Authorization header');
      assert.equal(fromNock.status, 400);
      assert.match(fromNock.body, /not valid UTF-8/);
    });
  });
});
