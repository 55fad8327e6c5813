/**
 * Issue 17: the emulator is a package of its own. `npm pack` in emulator/, the tarball installed in a
 * scratch project outside this repository, and the emulator started there both ways a consuming
 * project would: `npx iothub-emulator` (compiled JavaScript, its ready line) and
 * `import { IotHubEmulator } from 'iothub-emulator'` -> start() -> an azure-iothub round trip.
 * Ports are all chosen by the emulator (0); every wait has a deadline.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { httpsText } from '../support/https-text.js';
import { withDeadline } from '../../src/wait-for.js';
import { consumerEnv, HARNESS_MANIFEST, installPackedEmulator, runCommand, startUntilFirstLine, stopGroup } from './scratch-project.js';

/** The consumer's own code: ESM, the package by name, the service SDK borrowed from the harness. */
const ROUND_TRIP_SCRIPT = `
import { createRequire } from 'node:module';
import { IotHubEmulator } from 'iothub-emulator';

const { Registry } = createRequire(process.env.HARNESS_MANIFEST)('azure-iothub');
const emulator = await new IotHubEmulator().start();
try {
  const registry = Registry.fromConnectionString(emulator.getServiceConnectionString());
  const deviceId = 'packaged-' + process.pid;
  const created = await registry.create({ deviceId });
  const fetched = await registry.get(deviceId);
  const line = { created: created.responseBody.deviceId, fetched: fetched.responseBody.deviceId, status: fetched.responseBody.status, resolved: import.meta.resolve('iothub-emulator') };
  process.stdout.write(JSON.stringify(line) + '\\n');
} finally {
  await emulator.stop();
}
`;

let scratch = '';
let tarball = '';

before(async () => {
  ({ scratch, tarball } = await installPackedEmulator());
});

after(async () => {
  if (scratch !== '') await rm(scratch, { recursive: true, force: true });
});

const installed = (...path: string[]): string => join(scratch, 'node_modules', ...path);

void test('the tarball holds the compiled package only: JavaScript, declarations and the bin, no TypeScript sources', async () => {
  const listing = await runCommand('tar', ['-tzf', tarball], { cwd: scratch, timeoutMs: 30_000 });
  const files = listing.stdout.split('\n').filter(Boolean);
  for (const expected of ['package/package.json', 'package/bin/iothub-emulator.js', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/cli/main.js', 'package/dist/bundle/iothub-emulator.js', 'package/dist/bundle/THIRD-PARTY-LICENSES.txt', 'package/dist/ui/index.html', 'package/dist/ui/app.js', 'package/dist/ui/app.css']) {
    assert.ok(files.includes(expected), `${expected} is in the tarball`);
  }
  const strays = files.filter((file) => !/^package\/(?:package\.json|README\.md|bin\/[^/]+\.js|dist\/.+\.(?:js|d\.ts)|dist\/(?:bundle|ui)\/THIRD-PARTY-LICENSES\.txt|dist\/ui\/(?:index\.html|app\.css))$/.test(file));
  assert.deepEqual(strays, [], 'nothing but the manifest, the README, bin/, compiled dist/, the inspector\'s page and the bundles\' licences');
});

void test('its runtime dependencies are the emulator\'s own: nothing of the harness, nock only as an optional peer', () => {
  const manifest = JSON.parse(readFileSync(installed('iothub-emulator', 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };
  for (const harnessOnly of ['@cucumber/cucumber', 'tsx', 'testcontainers', 'nock', 'azure-iothub', 'azure-iot-device']) {
    assert.equal(manifest.dependencies?.[harnessOnly], undefined, `${harnessOnly} is not a dependency`);
    assert.equal(existsSync(installed(harnessOnly)), false, `${harnessOnly} was not installed`);
  }
  assert.equal(manifest.peerDependenciesMeta?.nock?.optional, true);
  for (const needed of ['aedes', 'selfsigned', 'ws']) assert.ok(existsSync(installed(needed, 'package.json')), `${needed} was installed`);
});

void test('npx iothub-emulator prints its ready line and serves', async () => {
  // `--no --`: the project's own bin, never one fetched from the registry.
  const started = await startUntilFirstLine('npx', ['--no', '--', 'iothub-emulator', '--https-port', '0', '--mqtt-port', '0', '--amqp-port', '0', '--control-plane'], { cwd: scratch, timeoutMs: 30_000 });
  try {
    const ready = JSON.parse(started.line) as { serviceConnectionString: string; caCertificatePath: string; httpsPort: number; mqttPort: number; controlPlaneUrl: string };
    assert.match(ready.serviceConnectionString, /^HostName=localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=/);
    assert.ok(ready.httpsPort > 0 && ready.mqttPort > 0, 'free ports were chosen');
    const health = await withDeadline(httpsText({ url: `${ready.controlPlaneUrl}/health`, ca: readFileSync(ready.caCertificatePath, 'utf8') }), 10_000, 'the control plane health answer');
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.text), { status: 'ok' });
    // The web inspector is served from the installed package's dist/ui/ (docs/inspector.md).
    const inspector = await withDeadline(httpsText({ url: `${ready.controlPlaneUrl}/ui/app.js`, ca: readFileSync(ready.caCertificatePath, 'utf8') }), 10_000, 'the inspector\'s script');
    assert.equal(inspector.status, 200);
    assert.match(String(inspector.headers['content-type']), /^text\/javascript/);
  } finally {
    await stopGroup(started.child);
  }
});

void test("import { IotHubEmulator } from 'iothub-emulator' starts in-process, and the service SDK creates and reads a device", async () => {
  const script = join(scratch, 'round-trip.mjs');
  await writeFile(script, ROUND_TRIP_SCRIPT);
  const run = await runCommand(process.execPath, [script], { cwd: scratch, timeoutMs: 60_000, env: consumerEnv({ HARNESS_MANIFEST }) });
  assert.equal(run.code, 0, `the consumer script failed:\n${run.stderr}`);
  const result = JSON.parse(run.stdout.trim()) as { created: string; fetched: string; status: string; resolved: string };
  assert.equal(result.fetched, result.created);
  assert.equal(result.status, 'enabled');
  assert.equal(result.resolved, `file://${installed('iothub-emulator', 'dist', 'index.js')}`, 'the package resolved to its compiled entry in the scratch project');
});
