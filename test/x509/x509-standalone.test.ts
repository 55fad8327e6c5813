import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCliArgs } from '../../emulator/cli/args.js';
import { startStandaloneEmulator, StartupError, type RunningEmulator } from '../../emulator/cli/startup.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { DeviceClient, Mqtt } from '../../src/sdk.js';
import { httpsText } from '../support/https-text.js';
import { certificateAuthority, deviceCertificate, type CertificateAndKey } from '../../src/flows/x509-certificates.js';

/**
 * `--x509-ca` as the standalone emulator reads it (in this process, from source: the CLI's own
 * start-up code), served as a network service on free ports. The device's `x509=true` connection
 * string ignores GatewayHostName, so HostName carries the MQTT port (`localhost:<port>`), which the
 * emulator accepts in the username (FIDELITY.md, X.509 authentication).
 */
describe('standalone emulator with --x509-ca', { timeout: 120_000 }, () => {
  let directory: string;
  let ca: CertificateAndKey;
  let running: RunningEmulator;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'x509-cli-'));
    ca = await certificateAuthority('CLI Test CA');
    await writeFile(join(directory, 'device-ca.pem'), ca.cert);
    await writeFile(join(directory, 'leaf.pem'), (await deviceCertificate('not-a-ca')).cert);
    running = await startStandaloneEmulator(cliOptions(['--x509-ca', join(directory, 'device-ca.pem')]));
  });
  after(async () => {
    await running.emulator.stop();
    await rm(directory, { recursive: true, force: true });
  });

  function cliOptions(extra: readonly string[]): ReturnType<typeof parseCliArgs> {
    return parseCliArgs(['--https-port', '0', '--mqtt-port', '0', '--amqp-port', '0', '--cert-dir', directory, ...extra], {});
  }

  /** PUT /devices/{id} with an iothubowner token, straight to the listener (no route: it is a network service here). */
  async function registerCaDevice(deviceId: string): Promise<void> {
    const { emulator } = running;
    const key = /SharedAccessKey=([^;]+)/.exec(emulator.getServiceConnectionString())?.[1] ?? '';
    const token = createSasToken({ resourceUri: emulator.hostName, base64Key: key, keyName: 'iothubowner', expiry: Math.floor(Date.now() / 1000) + 600 });
    const reply = await httpsText(
      { url: `https://localhost:${emulator.httpsPort ?? 0}/devices/${deviceId}?api-version=2021-04-12`, method: 'PUT', ca: emulator.caCertificate, headers: { authorization: token, 'content-type': 'application/json' } },
      JSON.stringify({ deviceId, authentication: { type: 'certificateAuthority' } }),
    );
    assert.equal(reply.status, 200, reply.text);
  }

  it('connects a certificateAuthority device whose certificate the --x509-ca file signed, with HostName=localhost:<mqtt port>', async () => {
    const { emulator } = running;
    assert.equal(emulator.x509HostName, `localhost:${emulator.mqttPort}`);
    await registerCaDevice('cli-ca-1');
    const leaf = await deviceCertificate('cli-ca-1', { issuer: ca });
    const client = DeviceClient.fromConnectionString(`HostName=${emulator.x509HostName};DeviceId=cli-ca-1;x509=true`, Mqtt);
    await client.setOptions({ cert: leaf.cert, key: leaf.key, ca: emulator.caCertificate });
    try {
      await client.open();
      assert.equal(emulator.control.isConnected({ deviceId: 'cli-ca-1' }), true);
    } finally {
      await client.close();
    }
  });

  it('refuses to start with an --x509-ca file that is not a CA certificate, or that does not exist', async () => {
    await assert.rejects(startStandaloneEmulator(cliOptions(['--x509-ca', join(directory, 'leaf.pem')])), (error: Error) => error instanceof StartupError && /not a CA certificate/.test(error.message));
    await assert.rejects(startStandaloneEmulator(cliOptions(['--x509-ca', join(directory, 'missing.pem')])), (error: Error) => error instanceof StartupError && /missing\.pem: ENOENT/.test(error.message));
  });
});
