/**
 * Issue 7, "Persistence": `iothub-emulator --data <dir>` keeps the registry, the twins (version and
 * etag), the keys and the certificate across a crash (kill -9) and a restart of the process.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnEmulatorCli, type SpawnedEmulatorCli } from '../../src/target/launchers/spawn-emulator-cli.js';
import { httpsText } from '../support/https-text.js';
import { serviceTokenFor } from '../support/service-token.js';

interface Reply {
  readonly status: number;
  readonly etag: string | undefined;
  readonly body: Record<string, unknown>;
}

/** A service REST call signed with the iothubowner key from the ready line, trusting the emulator's CA. */
async function call(cli: SpawnedEmulatorCli, method: string, path: string, body?: unknown): Promise<Reply> {
  const { ready } = cli;
  const headers = { authorization: serviceTokenFor(ready.serviceConnectionString, 600), 'content-type': 'application/json' };
  const ca = readFileSync(ready.caCertificatePath, 'utf8');
  const reply = await httpsText(
    { host: '127.0.0.1', port: ready.httpsPort, servername: 'localhost', ca, method, path: `${path}?api-version=2021-04-12`, headers },
    body === undefined ? undefined : JSON.stringify(body),
  );
  return { status: reply.status, etag: reply.headers.etag, body: reply.text === '' ? {} : (JSON.parse(reply.text) as Record<string, unknown>) };
}

void test('--data keeps identities, keys, twins and the certificate across kill -9 and a restart', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'emulator-cli-data-'));
  const args = ['--https-port', '0', '--mqtt-port', '0', '--amqp-port', '0', '--data', directory];
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
