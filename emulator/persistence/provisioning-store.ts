import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

/** Bumped when the tables change shape; a file of another version is refused, not guessed at. */
const SCHEMA_VERSION = '1';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (kind, id));
`;

export type ProvisioningRecordKind = 'enrollment' | 'group' | 'registration';

/** What a restarted DPS must keep so that devices and back ends keep their ID scope and connection string. */
export interface ProvisioningMaterial {
  readonly idScope: string;
  readonly serviceKey: string;
}

/**
 * DPS's state in its own SQLite file (`provisioning.sqlite` beside the hub's `emulator.sqlite`), with
 * the hub store's guarantees (WAL, one transaction per write; persistence/sqlite-store.ts). Its own
 * file keeps the hub's schema untouched. Records are JSON, keyed by kind and lower-cased id (DPS ids
 * are case-insensitive).
 */
export class ProvisioningStore {
  private constructor(private readonly db: BetterSqlite3.Database) {}

  static async open(directory: string): Promise<ProvisioningStore> {
    mkdirSync(directory, { recursive: true });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(directory, 'provisioning.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    const version = (db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as { value: string } | undefined)?.value;
    if (version !== undefined && version !== SCHEMA_VERSION) {
      db.close();
      throw new Error(`The data directory ${directory} has provisioning schema ${version}; this emulator reads schema ${SCHEMA_VERSION}.`);
    }
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('schema', SCHEMA_VERSION);
    return new ProvisioningStore(db);
  }

  loadMaterial(): ProvisioningMaterial | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('material') as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as ProvisioningMaterial);
  }

  saveMaterial(material: ProvisioningMaterial): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('material', JSON.stringify(material));
  }

  /** In the order they were first written. */
  load(kind: ProvisioningRecordKind): unknown[] {
    const rows = this.db.prepare('SELECT record FROM records WHERE kind = ? ORDER BY rowid').all(kind) as { record: string }[];
    return rows.map((row) => JSON.parse(row.record) as unknown);
  }

  /** `record` undefined deletes the row. */
  write(kind: ProvisioningRecordKind, id: string, record: object | undefined): void {
    const key = id.toLowerCase();
    if (record === undefined) this.db.prepare('DELETE FROM records WHERE kind = ? AND id = ?').run(kind, key);
    // An update keeps the row (and its rowid, hence its place in the order).
    else this.db.prepare('INSERT INTO records (kind, id, record) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET record = excluded.record').run(kind, key, JSON.stringify(record));
  }

  clear(): void {
    this.db.prepare('DELETE FROM records').run();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
