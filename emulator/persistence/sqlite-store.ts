import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { DeviceRecord, ModuleRecord } from '../state/identity.js';
import { MESSAGING_SCHEMA, SqliteMessaging } from './sqlite-messaging.js';
import {
  fromStoredPolicy, toStoredPolicy, type DeviceSnapshot, type EmulatorStore, type HubMaterial, type IdentityWrite, type StoredPolicy,
} from './store.js';

/** Bumped when the tables change shape; a data directory of another version is refused, not guessed at. */
const SCHEMA_VERSION = '1';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS identities (
    device_id TEXT NOT NULL, module_id TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (device_id, module_id));
  CREATE TABLE IF NOT EXISTS sessions (client_id TEXT PRIMARY KEY, topics TEXT NOT NULL);
`;

/**
 * The store in SQLite (better-sqlite3), one file `emulator.sqlite` in the data directory. WAL
 * journal: each transaction is atomic, and a committed one survives a killed process (SQLite docs,
 * "Write-Ahead Logging": synchronous=NORMAL loses nothing on an application crash, only possibly
 * the last transactions on a power loss). The native module is loaded only when a data directory
 * is used, so the in-memory default needs no native build.
 */
export class SqliteStore implements EmulatorStore {
  /** The messaging tables (Event Hub-compatible endpoint, C2D, feedback) in the same file. */
  readonly messaging: SqliteMessaging;

  private constructor(private readonly db: BetterSqlite3.Database) {
    this.messaging = new SqliteMessaging(db);
  }

  static async open(directory: string): Promise<SqliteStore> {
    mkdirSync(directory, { recursive: true });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(directory, 'emulator.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    db.exec(MESSAGING_SCHEMA);
    const version = (db.prepare('SELECT value FROM meta WHERE key = ?').get('schema') as { value: string } | undefined)?.value;
    if (version !== undefined && version !== SCHEMA_VERSION) {
      db.close();
      throw new Error(`The data directory ${directory} has store schema ${version}; this emulator reads schema ${SCHEMA_VERSION}.`);
    }
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('schema', SCHEMA_VERSION);
    return new SqliteStore(db);
  }

  loadHubMaterial(): HubMaterial | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('hub') as { value: string } | undefined;
    if (row === undefined) return undefined;
    const stored = JSON.parse(row.value) as { policies: StoredPolicy[]; tls: HubMaterial['tls'] };
    return { policies: stored.policies.map(fromStoredPolicy), tls: stored.tls };
  }

  saveHubMaterial(material: HubMaterial): void {
    const value = JSON.stringify({ policies: material.policies.map(toStoredPolicy), tls: material.tls });
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('hub', value);
  }

  loadDevices(): DeviceSnapshot[] {
    const rows = this.db.prepare('SELECT device_id, module_id, record FROM identities ORDER BY rowid').all() as { device_id: string; module_id: string; record: string }[];
    const devices = new Map<string, { device?: DeviceRecord; modules: ModuleRecord[] }>();
    for (const row of rows) {
      const entry = devices.get(row.device_id) ?? { modules: [] };
      devices.set(row.device_id, entry);
      if (row.module_id === '') entry.device = JSON.parse(row.record) as DeviceRecord;
      else entry.modules.push(JSON.parse(row.record) as ModuleRecord);
    }
    // A module row without its device cannot be written (writes are per device, in one transaction).
    return [...devices.values()].flatMap((entry) => (entry.device === undefined ? [] : [{ device: entry.device, modules: entry.modules }]));
  }

  writeIdentities(writes: readonly IdentityWrite[]): void {
    const upsert = this.db.prepare('INSERT OR REPLACE INTO identities (device_id, module_id, record) VALUES (?, ?, ?)');
    const remove = this.db.prepare('DELETE FROM identities WHERE device_id = ? AND module_id = ?');
    this.db.transaction(() => {
      for (const write of writes) {
        if (write.record === undefined) remove.run(write.deviceId, write.moduleId);
        else upsert.run(write.deviceId, write.moduleId, JSON.stringify(write.record));
      }
    })();
  }

  clearIdentities(): void {
    this.db.prepare('DELETE FROM identities').run();
  }

  loadSessions(): Map<string, string[]> {
    const rows = this.db.prepare('SELECT client_id, topics FROM sessions').all() as { client_id: string; topics: string }[];
    return new Map(rows.map((row) => [row.client_id, JSON.parse(row.topics) as string[]]));
  }

  saveSession(clientId: string, topics: readonly string[]): void {
    if (topics.length === 0) this.db.prepare('DELETE FROM sessions WHERE client_id = ?').run(clientId);
    else this.db.prepare('INSERT OR REPLACE INTO sessions (client_id, topics) VALUES (?, ?)').run(clientId, JSON.stringify(topics));
  }

  clearSessions(): void {
    this.db.prepare('DELETE FROM sessions').run();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
