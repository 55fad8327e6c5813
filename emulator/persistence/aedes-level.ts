import { join } from 'node:path';
import { createRequire } from 'node:module';

/**
 * aedes's own session state (subscriptions, QoS 1 in-flight and offline queues, retained messages,
 * wills) in LevelDB: aedes-persistence-level's async back end (built for aedes-persistence 11, the
 * interface aedes 1.x calls), over classic-level. Kept in `<data>/mqtt-sessions`.
 */
export interface AedesLevelStore {
  readonly persistence: unknown;
  close(): Promise<void>;
}

interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

export async function openAedesLevelStore(directory: string): Promise<AedesLevelStore> {
  // Both are CommonJS packages without typings for their async back end; loaded only with a data directory.
  const require = createRequire(import.meta.url);
  const { ClassicLevel } = require('classic-level') as { ClassicLevel: new (location: string, options: { valueEncoding: string }) => LevelDatabase };
  const AsyncLevelPersistence = require('aedes-persistence-level/asyncPersistence.js') as new (db: LevelDatabase) => unknown;
  const db = new ClassicLevel(join(directory, 'mqtt-sessions'), { valueEncoding: 'binary' });
  await db.open();
  return { persistence: new AsyncLevelPersistence(db), close: () => db.close() };
}
