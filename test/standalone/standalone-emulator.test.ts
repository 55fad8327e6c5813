/**
 * The standalone emulator as users run it: `iothub-emulator` spawned as a child process. Ports are
 * free ones chosen by the test; the SDK check uses the hub's own 443/8883 (the SDKs cannot be told
 * otherwise), on 127.0.0.1 as `localhost` when free, else on another loopback address.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeCaBundle } from '../../src/target/launchers/ca-bundle.js';
import { pickHubAddress } from '../../src/target/launchers/loopback-address.js';
import { EMULATOR_BIN, spawnEmulatorCli, type SpawnedEmulatorCli } from '../../src/target/launchers/spawn-emulator-cli.js';
import { withDeadline } from '../../src/wait-for.js';

const SDK_APP = fileURLToPath(new URL('./sdk-app.ts', import.meta.url));
const EPHEMERAL = ['--https-port', '0', '--mqtt-port', '0', '--amqp-port', '0'];

async function runToExit(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = await withDeadline(once(child, 'exit') as Promise<[number | null]>, 60_000, `${args.join(' ')} to exit`);
  return { code, stdout, stderr };
}

function get(url: string, ca: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, ca }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function withEmulator(args: readonly string[], use: (cli: SpawnedEmulatorCli, stderr: () => string) => Promise<void>): Promise<void> {
  const log: string[] = [];
  const logTo = { write: (chunk: string) => log.push(chunk) } as unknown as NodeJS.WritableStream;
  const cli = await spawnEmulatorCli(args, { logTo });
  try {
    await use(cli, () => log.join(''));
  } finally {
    const code = await cli.stop();
    assert.equal(code, 0, `the emulator should exit 0 on SIGTERM; stderr:\n${log.join('')}`);
  }
}

void test('--help documents the options and exits 0', async () => {
  const { code, stdout } = await runToExit([EMULATOR_BIN, '--help']);
  assert.equal(code, 0);
  for (const option of ['--host', '--https-port', '--mqtt-port', '--host-name', '--cert', '--key', '--policy-key', '--control-plane', '--allow-remote-control-plane']) {
    assert.match(stdout, new RegExp(option));
  }
});

void test('prints one JSON ready line, logs no key, keeps the control plane off by default and stops on SIGTERM', async () => {
  await withEmulator(EPHEMERAL, async (cli, stderr) => {
    const { ready } = cli;
    assert.match(ready.serviceConnectionString, /^HostName=localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=/);
    assert.ok(ready.httpsPort > 0 && ready.mqttPort > 0);
    assert.equal(ready.controlPlaneUrl, undefined);
    const key = /SharedAccessKey=(.+)$/.exec(ready.serviceConnectionString)?.[1] ?? '';
    assert.ok(!stderr().includes(key), 'the policy key must not appear in the logs');
    const ca = readFileSync(ready.caCertificatePath, 'utf8');
    const control = await get(`https://localhost:${ready.httpsPort}/_emulator/health`, ca);
    assert.equal(control.status, 404);
    const hub = await get(`https://localhost:${ready.httpsPort}/devices/x?api-version=2021-04-12`, ca);
    assert.equal(hub.status, 401, 'the hub API still refuses unauthenticated requests');
  });
});

void test('serves the control plane under /_emulator when enabled, without keys, with a server-side wait that times out with 408', async () => {
  await withEmulator([...EPHEMERAL, '--control-plane'], async ({ ready }) => {
    const ca = readFileSync(ready.caCertificatePath, 'utf8');
    assert.equal(ready.controlPlaneUrl, `https://localhost:${ready.httpsPort}/_emulator`);
    assert.equal((await get(`${ready.controlPlaneUrl}/health`, ca)).status, 200);
    const registry = await get(`${ready.controlPlaneUrl}/registry`, ca);
    assert.equal(registry.status, 200);
    assert.doesNotMatch(registry.body, /key/i);
    const wait = await get(`${ready.controlPlaneUrl}/connections/${encodeURIComponent('d1/m1')}/wait?minConnectionCount=1&timeoutMs=200`, ca, 'POST');
    assert.equal(wait.status, 408);
    assert.match(wait.body, /Timed out after 200 ms waiting for client 'd1\/m1'/);
    const status = await get(`${ready.controlPlaneUrl}/connections/${encodeURIComponent('d1/m1')}`, ca);
    assert.deepEqual(JSON.parse(status.body), { connected: false, connectionCount: 0, listensForDesired: false });
    assert.equal((await get(`https://localhost:${ready.httpsPort}/_emulator/../devices/x?api-version=2021-04-12`, ca)).status, 401, 'normalised paths reach the hub API, not the control plane');
  });
});

void test('refuses the control plane on a non-loopback address without --allow-remote-control-plane', async () => {
  const { code, stderr } = await runToExit([EMULATOR_BIN, ...EPHEMERAL, '--host', '0.0.0.0', '--control-plane']);
  assert.equal(code, 2);
  assert.match(stderr, /--allow-remote-control-plane/);
});

void test('exits non-zero with advice when a port is taken', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const taken = (blocker.address() as AddressInfo).port;
    const { code, stderr } = await runToExit([EMULATOR_BIN, '--https-port', String(taken), '--mqtt-port', '0', '--amqp-port', '0']);
    assert.equal(code, 2);
    assert.match(stderr, /already in use/);
    assert.match(stderr, /--https-port/);
  } finally {
    blocker.close();
  }
});

for (const transport of ['mqtt', 'mqtt-ws'] as const) {
  void test(`an app using only the official SDKs works against it on the default ports over ${transport}`, async () => {
    const address = await pickHubAddress(443, 8883, 5671);
    const args = ['--host', address.host, '--host-name', address.hostName, '--https-port', '443', '--mqtt-port', '8883', '--amqp-port', '5671'];
    await withEmulator(args, async ({ ready }) => {
      assert.equal(ready.httpsPort, 443);
      assert.equal(ready.mqttPort, 8883);
      // NODE_EXTRA_CA_CERTS is read at process start, so the SDK app is a child process given it then.
      const bundle = await writeCaBundle(ready.caCertificatePath);
      const app = spawn(process.execPath, ['--import', 'tsx', SDK_APP, ready.serviceConnectionString, transport], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_EXTRA_CA_CERTS: bundle },
      });
      let stdout = '';
      let stderr = '';
      app.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      app.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const [code] = await withDeadline(once(app, 'exit') as Promise<[number | null]>, 60_000, `the SDK app over ${transport} to exit`);
      assert.equal(code, 0, `the SDK app failed:\n${stderr}`);
      const result = JSON.parse(stdout) as { transport: string; patch: Record<string, unknown> };
      assert.equal(result.transport, transport);
      assert.equal(result.patch.telemetryInterval, 122);
      assert.equal(typeof result.patch.$version, 'number');
    });
  });
}
