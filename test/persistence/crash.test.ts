import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { IotHubEmulator } from '../../emulator/index.js';
import { Registry } from '../../src/sdk.js';
import { deadline } from '../bad-inputs/mqtt-fixture.js';

/** Enough acknowledged writes that the kill lands in the middle of a busy writer. */
const ACKS_BEFORE_KILL = 150;

void describe('persistence: kill -9 while writing', () => {
  const directory = mkdtempSync(join(tmpdir(), 'emulator-crash-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  void it('leaves a consistent store holding every acknowledged write', async () => {
    const script = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, directory], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acknowledged = new Map<string, number>();
    let acks = 0;
    const enough = new Promise<void>((resolve) => {
      let pending = '';
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const [word, deviceId = '', version = '0'] = line.split(' ');
          if (word !== 'ack') continue;
          acknowledged.set(deviceId, Number(version));
          if (++acks >= ACKS_BEFORE_KILL) resolve();
        }
      });
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await Promise.race([enough, deadline(`${ACKS_BEFORE_KILL} acknowledged writes from the crash writer`, 60_000)]);
    child.kill('SIGKILL');
    assert.equal(await Promise.race([exited, deadline('the writer to die', 10_000)]), 'SIGKILL');

    const emulator = await new IotHubEmulator().withDataDirectory(directory).start();
    try {
      const registry = Registry.fromConnectionString(emulator.getServiceConnectionString());
      assert.equal(emulator.control.deviceCount(), 5, 'every created device is there');
      for (const [deviceId, ackedVersion] of acknowledged) {
        const twin = (await registry.getTwin(deviceId)).responseBody as unknown as { etag: string; version: number; properties: { desired: { $version: number; counter?: number } } };
        const { $version, counter } = twin.properties.desired;
        assert.ok($version >= ackedVersion, `${deviceId}: desired $version ${$version} holds the acknowledged ${ackedVersion}`);
        assert.ok($version <= ackedVersion + 1, `${deviceId}: at most the one unacknowledged write in flight`);
        assert.equal(counter, $version - 1, `${deviceId}: values and version come from the same write`);
        assert.equal(twin.version, $version, `${deviceId}: the twin version moved with desired`);
      }
    } finally {
      await emulator.stop();
    }
  });
});
