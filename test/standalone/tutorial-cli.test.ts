/**
 * The tutorial's three apps (and `provision`, a device registering with DPS) as a CLI (`iothub-tutorial`), run the way a user runs them: child
 * processes given IOTHUB_CONNECTION_STRING / IOTHUB_MODULE_CONNECTION_STRING and trusting the
 * standalone emulator's CA through NODE_EXTRA_CA_CERTS, on the hub's own ports 443/8883.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { writeCaBundle } from '../../src/target/launchers/ca-bundle.js';
import { pickHubAddress } from '../../src/target/launchers/loopback-address.js';
import { spawnEmulatorCli } from '../../src/target/launchers/spawn-emulator-cli.js';
import { withDeadline } from '../../src/wait-for.js';

const TUTORIAL_BIN = fileURLToPath(new URL('../../bin/iothub-tutorial.js', import.meta.url));

interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: () => { stdout: string; stderr: string };
}

function startCli(args: readonly string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [TUTORIAL_BIN, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { child, output: () => ({ stdout, stderr }) };
}

async function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(args, env);
  const [code] = await withDeadline(once(run.child, 'exit') as Promise<[number | null]>, 60_000, `iothub-tutorial ${args.join(' ')} to exit`);
  return { code, ...run.output() };
}

/** Waits, with a deadline, until the CLI has printed a line matching `pattern`. */
async function waitForOutput(run: Run, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = AbortSignal.timeout(timeoutMs);
  while (!pattern.test(run.output().stdout)) {
    try {
      await once(run.child.stdout, 'data', { signal: deadline });
    } catch {
      assert.fail(`timed out after ${timeoutMs} ms waiting for the CLI to print ${pattern}; it printed: ${JSON.stringify(run.output())}`);
    }
  }
}

/**
 * `enroll-group` then `provision`: the back end enrolls a symmetric-key group, a device of it
 * registers with DPS and is assigned; a wrong key is refused with nothing assigned.
 */
async function provisionsThroughDps(ready: { provisioningHost: string; idScope: string; provisioningServiceConnectionString: string }, env: NodeJS.ProcessEnv): Promise<void> {
  const groupKey = randomBytes(32).toString('base64');
  const dpsEnv = { ...env, IOTHUB_DPS_ID_SCOPE: ready.idScope, IOTHUB_DPS_HOST: ready.provisioningHost, IOTHUB_DPS_SERVICE_CONNECTION_STRING: ready.provisioningServiceConnectionString };
  const enrolled = await runCli(['enroll-group', '--group-id', 'cli-group', '--desired', '{"mode":"eco"}'], { ...dpsEnv, IOTHUB_DPS_GROUP_KEY: groupKey });
  assert.equal(enrolled.code, 0, enrolled.stderr);
  assert.equal(enrolled.stdout, "Created enrollment group 'cli-group'.\n", 'a key the user gave is not printed');
  const provisioned = await runCli(['provision', '--registration-id', 'cli-sensor'], { ...dpsEnv, IOTHUB_DPS_GROUP_KEY: groupKey });
  assert.equal(provisioned.code, 0, provisioned.stderr);
  assert.match(provisioned.stdout, /^Registration 'cli-sensor': assigned; assigned to hub '.+' as device 'cli-sensor'\./m);
  assert.ok(!provisioned.stdout.includes('SharedAccessKey'), 'keys are printed only when asked for');
  const refused = await runCli(['provision', '--registration-id', 'cli-intruder', '--group-key', randomBytes(32).toString('base64')], dpsEnv);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^Error: .*Unauthorized/);
}

void test('create-module, update-twin and receive-patches work against the standalone emulator and fail clearly', async () => {
  const address = await pickHubAddress(443, 8883, 5671);
  const emulator = await spawnEmulatorCli(['--host', address.host, '--host-name', address.hostName, '--https-port', '443', '--mqtt-port', '8883', '--amqp-port', '5671']);
  try {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: await writeCaBundle(emulator.ready.caCertificatePath), IOTHUB_CONNECTION_STRING: emulator.ready.serviceConnectionString };
    const ids = ['--device', 'cliDevice', '--module', 'cliModule'];
    const created = await runCli(['create-module', ...ids, '--show-connection-string'], env);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Created device 'cliDevice'\.\nCreated module 'cliModule'\./);
    const moduleConnectionString = created.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(moduleConnectionString, /^HostName=.+;DeviceId=cliDevice;ModuleId=cliModule;SharedAccessKey=.+$/);

    const again = await runCli(['create-module', ...ids], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Device 'cliDevice' already exists; using it\.\nModule 'cliModule' already exists; using it\./);
    assert.ok(!again.stdout.includes('SharedAccessKey'), 'keys are printed only when asked for');

    const receiver = startCli(['receive-patches', '--count', '1'], { ...env, IOTHUB_MODULE_CONNECTION_STRING: moduleConnectionString });
    // Listened for from the start: the receiver may get its patch and exit before update-twin has exited.
    const receiverExited = withDeadline(once(receiver.child, 'exit') as Promise<[number | null]>, 20_000, 'the receive-patches CLI to exit');
    await waitForOutput(receiver, /^Connected\./m, 20_000);
    const updated = await runCli(['update-twin', ...ids, '--desired', '{"telemetryInterval":122}'], env);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /Desired properties after \(etag .+\): \{"telemetryInterval":122,"\$version":2\}/);
    const [receiverCode] = await receiverExited;
    assert.equal(receiverCode, 0, receiver.output().stderr);
    assert.match(receiver.output().stdout, /Received desired patch: \{"telemetryInterval":122,"\$version":2\}/);

    const missing = await runCli(['update-twin', '--device', 'noSuchDevice', '--module', 'm'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error: /);
    const unconfigured = await runCli(['create-module'], { ...env, IOTHUB_CONNECTION_STRING: '' });
    assert.equal(unconfigured.code, 1);
    assert.match(unconfigured.stderr, /IOTHUB_CONNECTION_STRING is not set/);
    await provisionsThroughDps(emulator.ready, env);
  } finally {
    await emulator.stop();
  }
});
