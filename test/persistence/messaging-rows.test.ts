import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { IotHubEmulator } from '../../emulator/index.js';
import { dataDirectory } from './messaging-fixture.js';

/**
 * A data directory whose messaging rows this emulator did not write (a corrupted file, a hand edit,
 * another version) is refused at start with the table and the row named, never served half-read.
 */
describe('persistence of messaging: rows that cannot be read', () => {
  const directories: string[] = [];
  after(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  /** A data directory made by a real start and stop, then edited with `sql`. */
  async function edited(sql: string, ...parameters: unknown[]): Promise<string> {
    const directory = dataDirectory('emulator-rows-');
    directories.push(directory);
    await (await new IotHubEmulator().withDataDirectory(directory).start()).stop();
    const db = new Database(join(directory, 'emulator.sqlite'));
    try {
      db.prepare(sql).run(...parameters);
    } finally {
      db.close();
    }
    return directory;
  }

  const refusal = async (directory: string, builder = new IotHubEmulator()): Promise<Error> => {
    try {
      await (await builder.withDataDirectory(directory).start()).stop();
    } catch (error) {
      return error as Error;
    }
    return assert.fail('the emulator started on a data directory it cannot read');
  };

  it('names a C2D message row that is not JSON', async () => {
    const directory = await edited('INSERT INTO c2d_messages (entry_id, device_id, state) VALUES (7, ?, ?)', 'valve', '{"message": {');
    assert.match((await refusal(directory)).message, /c2d_messages row 7 cannot be read: it is not JSON/);
  });

  it('names the field of a feedback record that is missing or unknown', async () => {
    const record = { originalMessageId: 'm', description: 'x', deviceGenerationId: 'g', deviceId: 'd', enqueuedTimeUtc: 'now', statusCode: 'Maybe' };
    const directory = await edited('INSERT INTO c2d_feedback (position, record) VALUES (1, ?)', JSON.stringify(record));
    assert.match((await refusal(directory)).message, /c2d_feedback row 1 cannot be read: unknown feedback status 'Maybe'/);
  });

  it('refuses an event in a partition the hub does not have', async () => {
    const directory = await edited('INSERT INTO event_hub_events (partition_id, sequence_number, event) VALUES (?, 0, ?)', '9', '{}');
    assert.match((await refusal(directory)).message, /event_hub_events row 9\/0 cannot be read: the hub has no partition '9'/);
  });

  it('names a mistyped field of an event', async () => {
    const directory = dataDirectory('emulator-rows-');
    directories.push(directory);
    await (await new IotHubEmulator().withDataDirectory(directory).start()).stop();
    const db = new Database(join(directory, 'emulator.sqlite'));
    db.prepare('INSERT INTO event_hub_partitions (partition_id, next_sequence, next_offset) VALUES (?, 1, 10)').run('2');
    db.prepare('INSERT INTO event_hub_events (partition_id, sequence_number, event) VALUES (?, 0, ?)').run('2', JSON.stringify({ offset: 0, enqueuedTimeMs: 1, sizeBytes: 10, origin: {} }));
    db.close();
    assert.match((await refusal(directory)).message, /event_hub_events row 2\/0 cannot be read: field offset is not a string/);
  });

  it('refuses another partition count than the one the hub was created with', async () => {
    const directory = await edited('SELECT 1');
    const error = await refusal(directory, new IotHubEmulator().withEventHub({ partitionCount: 8 }));
    assert.match(error.message, /has 4 partitions, not 8: a hub's partition count is fixed/);
  });
});
