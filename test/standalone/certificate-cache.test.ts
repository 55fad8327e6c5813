/**
 * The standalone emulator keeps its generated certificate in a per-user cache between starts
 * (emulator/cli/certificate-cache.ts, docs/benchmarks.md F7): a second start serves the certificate
 * the first one wrote to ca.pem, so clients that trust it keep working; with the cache off, every
 * start makes a new one. Ports are free ones; every wait has a deadline.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { httpsText } from '../support/https-text.js';
import { spawnEmulatorCli } from '../../src/target/launchers/spawn-emulator-cli.js';
import { withDeadline } from '../../src/wait-for.js';

const EPHEMERAL = ['--https-port', '0', '--mqtt-port', '0', '--amqp-port', '0'];

let home = '';
before(async () => {
  home = await mkdtemp(join(tmpdir(), 'iothub-emulator-home-'));
});
after(async () => {
  await rm(home, { recursive: true, force: true });
});

/** The environment of a user whose home is `userHome`: the cache goes to its ~/.cache unless told otherwise. */
function userEnvironment(userHome: string, certCache?: string): NodeJS.ProcessEnv {
  const { XDG_CACHE_HOME: _ignored, IOTHUB_EMULATOR_CERT_CACHE: _alsoIgnored, ...env } = process.env;
  return { ...env, HOME: userHome, ...(certCache === undefined ? {} : { IOTHUB_EMULATOR_CERT_CACHE: certCache }) };
}

/** Starts the CLI, reads the certificate it serves from its ca.pem, and answers one HTTPS request trusting only `ca`. */
async function startAndProbe(env: NodeJS.ProcessEnv, ca?: string): Promise<{ certificate: string; status: number }> {
  const cli = await spawnEmulatorCli(EPHEMERAL, { env });
  try {
    const certificate = readFileSync(cli.ready.caCertificatePath, 'utf8');
    const url = `https://localhost:${cli.ready.httpsPort}/devices/probe?api-version=2021-04-12`;
    const answer = await withDeadline(httpsText({ url, ca: ca ?? certificate }), 10_000, `an HTTPS answer from ${url}`);
    return { certificate, status: answer.status };
  } finally {
    assert.equal(await cli.stop(), 0);
  }
}

void test('a second start serves the cached certificate, which a client trusting the first start\'s ca.pem accepts', async () => {
  const first = await startAndProbe(userEnvironment(home));
  assert.equal(first.status, 401, 'TLS with the first certificate, then the hub\'s refusal of an unsigned request');
  const cacheDirectory = join(home, '.cache', 'iothub-emulator');
  const [file, ...others] = readdirSync(cacheDirectory);
  assert.deepEqual(others, []);
  assert.ok(file !== undefined);
  assert.equal(statSync(join(cacheDirectory, file)).mode & 0o777, 0o600, 'the cached key is its owner\'s alone');

  const second = await startAndProbe(userEnvironment(home), first.certificate);
  assert.equal(second.certificate, first.certificate, 'the same certificate, from the cache');
  assert.equal(second.status, 401, 'a client that trusts the first ca.pem connects to the second start');
});

void test('with IOTHUB_EMULATOR_CERT_CACHE=off each start makes its own certificate and writes no cache', async () => {
  const otherHome = await mkdtemp(join(tmpdir(), 'iothub-emulator-home-'));
  try {
    const first = await startAndProbe(userEnvironment(otherHome, 'off'));
    const second = await startAndProbe(userEnvironment(otherHome, 'off'));
    assert.equal(first.status, 401);
    assert.notEqual(second.certificate, first.certificate);
    assert.deepEqual(readdirSync(otherHome), [], 'nothing written under the user\'s home');
  } finally {
    await rm(otherHome, { recursive: true, force: true });
  }
});
