import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { deadline } from '../bad-inputs/mqtt-fixture.js';
import { newId } from '../mqtt/hub-fixture.js';
import { dataDirectory, PersistentHub } from './messaging-fixture.js';

/** Enough acknowledged sends that the kill lands in the middle of a busy sender. */
const ACKS_BEFORE_KILL = 100;

describe('persistence of messaging: kill -9 while devices send telemetry', { timeout: 120_000 }, () => {
  const directory = dataDirectory('emulator-telemetry-crash-');
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps every acknowledged event, once, numbered without gaps, for the official consumer', async () => {
    const hubName = newId('crash-hub');
    const script = fileURLToPath(new URL('./telemetry-crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=iothub-emulator-source', '--import', 'tsx', script, directory, hubName], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acknowledged = -1;
    const enough = new Promise<void>((resolve) => {
      let pending = '';
      child.stdout.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines.filter((text) => text.startsWith('ack '))) acknowledged = Number(line.slice(4));
        if (acknowledged + 1 >= ACKS_BEFORE_KILL) resolve();
      });
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await Promise.race([enough, deadline(`${ACKS_BEFORE_KILL} acknowledged sends from the telemetry writer`, 60_000)]);
    child.kill('SIGKILL');
    assert.equal(await Promise.race([exited, deadline('the writer to die', 10_000)]), 'SIGKILL');

    const hub = await PersistentHub.start(directory, hubName);
    try {
      // Every acknowledged send, and at most the one in flight when the process died.
      const events = await hub.readAll(acknowledged + 1);
      assert.ok(events.length <= acknowledged + 2, `${events.length} events for ${acknowledged + 1} acknowledged sends: some came twice`);
      assert.deepEqual(events.map((event) => event.body), events.map((_event, n) => `reading ${n}`), 'each reading once, in the order sent');
      assert.deepEqual(events.map((event) => event.sequenceNumber), events.map((_event, n) => n), 'sequence numbers from 0 without gaps');
      assert.equal(new Set(events.map((event) => event.partitionId)).size, 1, 'one device, one partition');
    } finally {
      await hub.stop();
    }
  });
});
