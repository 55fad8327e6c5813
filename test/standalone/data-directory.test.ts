/**
 * Issue 7, "Persistence": `iothub-emulator --data <dir>` keeps the registry, the twins (version and
 * etag), the keys and the certificate across a crash (kill -9) and a restart of the process.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createSasToken } from '../../emulator/state/sas.js';
import { spawnEmulatorCli, type SpawnedEmulatorCli } from '../../src/target/launchers/spawn-emulator-cli.js';

interface Reply {
  readonly status: number;
  readonly etag: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A service REST call signed with the iothubowner key from the ready line, trusting the emulator's CA. */
function call(cli: SpawnedEmulatorCli, method: string, path: string, body?: unknown): Promise<Reply> {
  const { ready } = cli;
  const key = /SharedAccessKey=([^;]+)/.exec(ready.serviceConnectionString)?.[1] ?? '';
  const token = createSasToken({ resourceUri: ready.hostName, base64Key: key, keyName: 'iothubowner', expiry: Math.floor(Date.now() / 1000) + 600 });
  const ca = readFileSync(ready.caCertificatePath, 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port: ready.httpsPort, servername: 'localhost', ca, method, path: `${path}?api-version=2021-04-12`, headers: { authorization: token, 'content-type': 'application/json' } },
      (incoming) => {
        let text = '';
        incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, etag: incoming.headers.etag, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

void test('--data keeps identities, keys, twins and the certificate across kill -9 and a restart', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'emulator-cli-data-'));
  const args = ['--https-port', '0', '--mqtt-port', '0', '--data', directory];
  try {
    const first = await spawnEmulatorCli(args);
    assert.equal((await call(first, 'PUT', '/devices/keep-me', { deviceId: 'keep-me' })).status, 200);
    const patched = await call(first, 'PATCH', '/twins/keep-me', { properties: { desired: { telemetryInterval: 42 } } });
    assert.equal(patched.status, 200);
    const certificate = readFileSync(first.ready.caCertificatePath, 'utf8');
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const second = await spawnEmulatorCli(args);
    try {
      assert.equal(readFileSync(second.ready.caCertificatePath, 'utf8'), certificate, 'the same certificate, so clients keep trusting it');
      const device = await call(second, 'GET', '/devices/keep-me');
      assert.equal(device.status, 200);
      const twin = await call(second, 'GET', '/twins/keep-me');
      assert.equal(twin.etag, patched.etag);
      assert.deepEqual((twin.body.properties as { desired: Record<string, unknown> }).desired.telemetryInterval, 42);
      assert.equal(twin.body.version, patched.body.version);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
