import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { certificateCacheDirectory } from '../../emulator/cli/cache-directory.js';
import { cachedTlsMaterial } from '../../emulator/cli/certificate-cache.js';
import { generateTlsMaterial, type TlsMaterial } from '../../emulator/servers/certificate.js';

const DAY_MS = 24 * 3600 * 1000;

/** A generator that counts its calls: a cache hit is a start that did not generate. */
function countingGenerator(hostName: string, otherNames: readonly string[]): { generate: () => Promise<TlsMaterial>; calls: () => number } {
  let calls = 0;
  return {
    generate: () => {
      calls++;
      return generateTlsMaterial(hostName, otherNames);
    },
    calls: () => calls,
  };
}

void describe('the standalone emulator\'s certificate cache', () => {
  let root = '';
  let case_ = 0;
  const freshDirectory = (): string => join(root, `case-${++case_}`);
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'cert-cache-test-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  void it('generates once, keeps the key in a file only its owner can read, and serves the same certificate next time', async () => {
    const directory = freshDirectory();
    const counter = countingGenerator('hub.local', ['127.0.0.1']);
    const first = await cachedTlsMaterial({ directory, names: ['hub.local', '127.0.0.1'], generate: counter.generate });
    const second = await cachedTlsMaterial({ directory, names: ['hub.local', '127.0.0.1'], generate: counter.generate });
    assert.equal(counter.calls(), 1, 'the second start took the cached certificate');
    assert.deepEqual(second, first);
    const [file, ...others] = await readdir(directory);
    assert.deepEqual(others, [], 'one file, no temporary left behind');
    assert.ok(file !== undefined);
    assert.equal((await stat(join(directory, file))).mode & 0o777, 0o600);
    assert.equal((await stat(directory)).mode & 0o777, 0o700);
  });

  void it('makes a new certificate for other names, and keeps the first one for its own names', async () => {
    const directory = freshDirectory();
    const counter = countingGenerator('hub.local', []);
    const local = await cachedTlsMaterial({ directory, names: ['hub.local', '127.0.0.1'], generate: counter.generate });
    const other = countingGenerator('other.example', []);
    const served = await cachedTlsMaterial({ directory, names: ['other.example', '127.0.0.1'], generate: other.generate });
    assert.equal(other.calls(), 1);
    assert.ok(new X509Certificate(served.cert).checkHost('other.example') !== undefined);
    assert.deepEqual(await cachedTlsMaterial({ directory, names: ['127.0.0.1', 'hub.local'], generate: counter.generate }), local);
    assert.equal(counter.calls(), 1, 'the order of the names does not matter');
  });

  void it('replaces a certificate that has expired or is about to (the clock read is the cache\'s, the validity the certificate\'s own)', async () => {
    const directory = freshDirectory();
    const counter = countingGenerator('localhost', []);
    const init = { directory, names: ['localhost', '127.0.0.1'], generate: counter.generate };
    const first = await cachedTlsMaterial(init);
    assert.deepEqual(await cachedTlsMaterial({ ...init, now: () => new Date(Date.now() + 300 * DAY_MS) }), first, 'still 65 days to go: kept');
    const renewed = await cachedTlsMaterial({ ...init, now: () => new Date(Date.now() + 340 * DAY_MS) });
    assert.equal(counter.calls(), 2, 'less than 30 days to go: replaced');
    assert.notDeepEqual(renewed, first);
    assert.equal(counter.calls(), 2);
  });

  void it('never serves a file others can read, one whose key is not the certificate\'s, or one it cannot parse', async () => {
    const directory = freshDirectory();
    const counter = countingGenerator('localhost', []);
    const init = { directory, names: ['localhost', '127.0.0.1'], generate: counter.generate };
    const first = await cachedTlsMaterial(init);
    const [name] = await readdir(directory);
    assert.ok(name !== undefined);
    const file = join(directory, name);

    await chmod(file, 0o644);
    const afterReadable = await cachedTlsMaterial(init);
    assert.equal(counter.calls(), 2, 'a group/world-readable file is not trusted');
    assert.notDeepEqual(afterReadable, first);
    assert.equal((await stat(file)).mode & 0o777, 0o600, 'and its replacement is private again');

    const stranger = await generateTlsMaterial('localhost');
    await writeFile(file, JSON.stringify({ cert: afterReadable.cert, key: stranger.key }), { mode: 0o600 });
    const afterMismatch = await cachedTlsMaterial(init);
    assert.equal(counter.calls(), 3, 'a key that does not match the certificate is not served');
    assert.notEqual(afterMismatch.key, stranger.key);

    await writeFile(file, '{"cert": "not a certificate', { mode: 0o600 });
    await cachedTlsMaterial(init);
    assert.equal(counter.calls(), 4, 'an unreadable file is replaced');
    const rewritten = JSON.parse(await readFile(file, 'utf8')) as TlsMaterial;
    assert.ok(rewritten.cert.includes('BEGIN CERTIFICATE'), 'and rewritten whole');
  });

  void it('never serves a certificate for other names found under the file name of these', async () => {
    const directory = freshDirectory();
    const counter = countingGenerator('hub.local', []);
    const init = { directory, names: ['hub.local', '127.0.0.1'], generate: counter.generate };
    await cachedTlsMaterial(init);
    const [name] = await readdir(directory);
    assert.ok(name !== undefined);
    await writeFile(join(directory, name), JSON.stringify(await generateTlsMaterial('elsewhere.example')), { mode: 0o600 });
    const served = await cachedTlsMaterial(init);
    assert.equal(counter.calls(), 2);
    assert.ok(new X509Certificate(served.cert).checkHost('hub.local') !== undefined);
  });

  void it('still starts when the cache cannot be written', async () => {
    const blocker = join(root, 'a-file');
    await writeFile(blocker, 'not a directory');
    const counter = countingGenerator('localhost', []);
    const served = await cachedTlsMaterial({ directory: join(blocker, 'cache'), names: ['localhost'], generate: counter.generate });
    assert.ok(served.cert.includes('BEGIN CERTIFICATE'));
    assert.equal(counter.calls(), 1);
  });
});

void describe('where the certificate cache lives', () => {
  void it('follows IOTHUB_EMULATOR_CERT_CACHE, else the platform\'s per-user cache directory, else none', () => {
    assert.equal(certificateCacheDirectory({ IOTHUB_EMULATOR_CERT_CACHE: '/x/cache' }, 'linux'), '/x/cache');
    assert.equal(certificateCacheDirectory({ IOTHUB_EMULATOR_CERT_CACHE: 'off', HOME: '/home/u' }, 'linux'), undefined);
    assert.equal(certificateCacheDirectory({ HOME: '/home/u' }, 'linux'), '/home/u/.cache/iothub-emulator');
    assert.equal(certificateCacheDirectory({ HOME: '/home/u', XDG_CACHE_HOME: '/xdg' }, 'linux'), '/xdg/iothub-emulator');
    assert.equal(certificateCacheDirectory({ HOME: '/Users/u' }, 'darwin'), '/Users/u/Library/Caches/iothub-emulator');
    assert.equal(certificateCacheDirectory({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32')?.endsWith('iothub-emulator'), true);
    assert.equal(certificateCacheDirectory({}, 'linux'), undefined, 'no home in the environment: no cache');
  });
});
