/**
 * The emulator image through the testcontainers module (docs/container.md). Needs a Docker engine
 * and the image (scripts/docker/ci-container-tests.sh provides both); without them these tests fail,
 * they never skip. The SDK check runs the official SDKs, in a child process given the container's CA
 * through NODE_EXTRA_CA_CERTS, on the hub's own ports 443/8883 of a free loopback address.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { generateTlsMaterial } from '../../emulator/servers/certificate.js';
import { writeCaBundle } from '../../src/target/launchers/ca-bundle.js';
import { canListen, pickHubAddress } from '../../src/target/launchers/loopback-address.js';
import { ContainerRuntimeUnavailableError, IotHubEmulatorContainer, type StartedIotHubEmulatorContainer } from 'iothub-emulator-testcontainers';
import { withDeadline } from '../../src/wait-for.js';

const IMAGE = process.env.IOTHUB_EMULATOR_IMAGE?.trim() || 'iothub-emulator:local';
const SDK_APP = fileURLToPath(new URL('../standalone/sdk-app.ts', import.meta.url));
const SLOW = { timeout: 180_000 };

function get(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { ca }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** The certificate the endpoint actually serves, checked against `ca` for `servername`. */
async function servedCertificate(host: string, port: number, servername: string, ca: string): Promise<X509Certificate> {
  const socket = connect({ host, port, servername, ca });
  await once(socket, 'secureConnect');
  const peer = socket.getPeerX509Certificate();
  socket.destroy();
  assert.ok(peer !== undefined, 'the endpoint served no certificate');
  return peer;
}

async function runSdkApp(container: StartedIotHubEmulatorContainer, transport: 'mqtt' | 'mqtt-ws'): Promise<{ patch: Record<string, unknown> }> {
  const caPath = join(await mkdtemp(join(tmpdir(), 'iothub-container-test-')), 'ca.pem');
  await writeFile(caPath, container.getCaCertificate());
  const app = spawn(process.execPath, ['--import', 'tsx', SDK_APP, container.getServiceConnectionString(), transport], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: await writeCaBundle(caPath) },
  });
  let stdout = '';
  let stderr = '';
  app.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  app.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = await withDeadline(once(app, 'exit') as Promise<[number | null]>, 60_000, `the SDK app over ${transport} to exit`);
  assert.equal(code, 0, `the SDK app failed over ${transport}:\n${stderr}`);
  return JSON.parse(stdout) as { patch: Record<string, unknown> };
}

void test('on the hub ports, an app using only the official SDKs creates a module and receives its desired patch, over Mqtt and MqttWs', SLOW, async () => {
  const address = (await canListen('127.0.0.1', 8883)) ? await pickHubAddress(443) : await pickHubAddress(8883);
  const container = await new IotHubEmulatorContainer(IMAGE).withBindAddress(address.host).withHubHostName(address.hostName).withHttpsPort(443).withMqttPort(8883).start();
  try {
    assert.equal(container.getHttpsPort(), 443);
    assert.equal(container.getMqttPort(), 8883);
    assert.equal(container.getGatewayHostName(), undefined, 'on 8883 clients need no GatewayHostName');
    for (const transport of ['mqtt', 'mqtt-ws'] as const) {
      const { patch } = await runSdkApp(container, transport);
      assert.equal(patch.telemetryInterval, 122);
      assert.equal(typeof patch.$version, 'number');
    }
  } finally {
    await container.stop();
  }
  assert.ok(await canListen(address.host, 443), 'stop() frees the HTTPS port');
});

void test('on free ports: the ready line, the CA that the endpoints serve, connection strings with GatewayHostName, the control plane', SLOW, async () => {
  const container = await new IotHubEmulatorContainer(IMAGE).withHttpsPort(0).withMqttPort(0).withControlPlane().start();
  try {
    const httpsPort = container.getHttpsPort();
    const mqttPort = container.getMqttPort();
    assert.ok(httpsPort > 0 && mqttPort > 0 && mqttPort !== 8883);
    assert.match(container.getServiceConnectionString(), /^HostName=localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=[A-Za-z0-9+/=]+$/);
    const ca = container.getCaCertificate();
    assert.match(ca, /^-----BEGIN CERTIFICATE-----/);
    for (const port of [httpsPort, mqttPort]) {
      const served = await servedCertificate('127.0.0.1', port, 'localhost', ca);
      assert.equal(served.fingerprint256, new X509Certificate(ca).fingerprint256, `port ${port} serves the CA the module returned`);
    }
    assert.equal(container.getGatewayHostName(), `localhost:${mqttPort}`);
    assert.equal(container.getModuleConnectionString('d1', 'm1', 'a2V5'), `HostName=localhost;DeviceId=d1;ModuleId=m1;SharedAccessKey=a2V5;GatewayHostName=localhost:${mqttPort}`);
    assert.equal(container.getDeviceConnectionString('d1', 'a2V5'), `HostName=localhost;DeviceId=d1;SharedAccessKey=a2V5;GatewayHostName=localhost:${mqttPort}`);
    assert.equal(container.getControlPlaneUrl(), `https://localhost:${httpsPort}/_emulator`);
    assert.equal((await get(`${container.getControlPlaneUrl()}/health`, ca)).status, 200);
    assert.equal((await get(`https://localhost:${httpsPort}/devices/x?api-version=2021-04-12`, ca)).status, 401, 'the hub API still wants a SAS token');
  } finally {
    await container.stop();
  }
});

void test('serves a given certificate and policy key; without withControlPlane() there is no control plane', SLOW, async () => {
  const tls = await generateTlsMaterial('localhost');
  const key = Buffer.from('a policy key chosen by the test!').toString('base64');
  const container = await new IotHubEmulatorContainer(IMAGE).withHttpsPort(0).withMqttPort(0).withTlsCertificate(tls).withPolicyKey(key).start();
  try {
    assert.equal(container.getCaCertificate(), tls.cert);
    const served = await servedCertificate('127.0.0.1', container.getHttpsPort(), 'localhost', tls.cert);
    assert.equal(served.fingerprint256, new X509Certificate(tls.cert).fingerprint256);
    assert.ok(container.getServiceConnectionString().endsWith(`;SharedAccessKey=${key}`));
    assert.throws(() => container.getControlPlaneUrl(), /withControlPlane/);
    assert.equal((await get(`https://localhost:${container.getHttpsPort()}/_emulator/health`, tls.cert)).status, 404);
  } finally {
    await container.stop();
  }
});

void test('a container that cannot start fails with the emulator\'s own explanation', SLOW, async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const taken = (blocker.address() as AddressInfo).port;
    await assert.rejects(new IotHubEmulatorContainer(IMAGE).withHttpsPort(taken).withMqttPort(0).withStartupTimeout(60_000).start(), /did not become ready[\s\S]*already in use/);
  } finally {
    blocker.close();
  }
});

void test('an image that is not there is reported with how to build it, before anything is pulled', SLOW, async () => {
  await assert.rejects(new IotHubEmulatorContainer('iothub-emulator:no-such-tag').start(), (error: unknown) => {
    assert.ok(error instanceof ContainerRuntimeUnavailableError);
    assert.match(error.message, /scripts\/docker\/build-image\.sh/);
    return true;
  });
});
