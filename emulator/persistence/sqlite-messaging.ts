import type BetterSqlite3 from 'better-sqlite3';
import type { KeptCloudToDevice, QueuedMessageState } from '../state/c2d-changes.js';
import type { FeedbackRecord } from '../state/c2d-message.js';
import type { HubEvent, KeptPartition } from '../state/event-hub-store.js';
import { decodeEvent, decodeFeedback, decodeQueuedMessage, decodeRow, encodeEvent, encodeQueuedMessage, UnreadableRowError } from './message-rows.js';

/**
 * The messaging tables: the Event Hub-compatible endpoint's retained events (one row each, keyed by
 * partition and sequence number, with each partition's next position so that numbering survives
 * eviction), the C2D messages (one row each, keyed by the queues' entry id) and the feedback queue
 * (ordered by position; records given back go in front). Added to schema 1 with CREATE IF NOT EXISTS:
 * a data directory from before them simply starts with empty queues.
 */
export const MESSAGING_SCHEMA = `
  CREATE TABLE IF NOT EXISTS event_hub_events (
    partition_id TEXT NOT NULL, sequence_number INTEGER NOT NULL, event TEXT NOT NULL, PRIMARY KEY (partition_id, sequence_number));
  CREATE TABLE IF NOT EXISTS event_hub_partitions (partition_id TEXT PRIMARY KEY, next_sequence INTEGER NOT NULL, next_offset INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS c2d_messages (entry_id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, state TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS c2d_feedback (position INTEGER PRIMARY KEY, record TEXT NOT NULL);
`;

interface EventRow { partition_id: string; sequence_number: number; event: string }
interface PartitionRow { partition_id: string; next_sequence: number; next_offset: number }

export class SqliteMessaging {
  constructor(private readonly db: BetterSqlite3.Database) {}

  /**
   * A hub's partition count is fixed when it is created ("IoT Hub: device-to-cloud partitions"), and
   * a device's partition follows from it: a data directory kept with another count is refused.
   */
  assertPartitionCount(partitionCount: number): void {
    const kept = (this.db.prepare('SELECT value FROM meta WHERE key = ?').get('event-hub-partitions') as { value: string } | undefined)?.value;
    if (kept !== undefined && kept !== String(partitionCount)) {
      throw new Error(`The data directory's Event Hub-compatible endpoint has ${kept} partitions, not ${partitionCount}: a hub's partition count is fixed when it is created.`);
    }
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('event-hub-partitions', String(partitionCount));
  }

  /** Every partition with a row, each checked against the hub's partitions. */
  loadPartitions(partitionIds: readonly string[]): KeptPartition[] {
    const known = new Set(partitionIds);
    const positions = this.db.prepare('SELECT partition_id, next_sequence, next_offset FROM event_hub_partitions').all() as PartitionRow[];
    const unknown = positions.find((row) => !known.has(row.partition_id));
    if (unknown !== undefined) throw new UnreadableRowError('event_hub_partitions', unknown.partition_id, `the hub has no such partition (it has ${partitionIds.join(', ')})`);
    const events = new Map<string, HubEvent[]>(positions.map((row) => [row.partition_id, []]));
    for (const row of this.db.prepare('SELECT partition_id, sequence_number, event FROM event_hub_events ORDER BY partition_id, sequence_number').iterate() as IterableIterator<EventRow>) {
      const key = `${row.partition_id}/${row.sequence_number}`;
      if (!known.has(row.partition_id)) throw new UnreadableRowError('event_hub_events', key, `the hub has no partition '${row.partition_id}' (it has ${partitionIds.join(', ')})`);
      const kept = events.get(row.partition_id);
      if (kept === undefined) throw new UnreadableRowError('event_hub_events', key, `partition '${row.partition_id}' has no row in event_hub_partitions`);
      kept.push(readEvent(row));
    }
    return positions.map((position) => ({
      partitionId: position.partition_id,
      nextSequenceNumber: position.next_sequence,
      nextOffset: position.next_offset,
      events: events.get(position.partition_id) ?? [],
    }));
  }

  /** The event and its partition's next position, in one transaction. */
  appendEvent(event: HubEvent): void {
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO event_hub_events (partition_id, sequence_number, event) VALUES (?, ?, ?)').run(event.partitionId, event.sequenceNumber, encodeEvent(event));
      this.db.prepare('INSERT OR REPLACE INTO event_hub_partitions (partition_id, next_sequence, next_offset) VALUES (?, ?, ?)')
        .run(event.partitionId, event.sequenceNumber + 1, Number(event.offset) + event.sizeBytes);
    })();
  }

  evictEvents(partitionId: string, beginSequenceNumber: number): void {
    this.db.prepare('DELETE FROM event_hub_events WHERE partition_id = ? AND sequence_number < ?').run(partitionId, beginSequenceNumber);
  }

  loadCloudToDevice(): KeptCloudToDevice {
    const messages = (this.db.prepare('SELECT entry_id, device_id, state FROM c2d_messages ORDER BY entry_id').all() as { entry_id: number; device_id: string; state: string }[])
      .map((row) => {
        const state = decodeRow('c2d_messages', `${row.entry_id}`, row.state, (fields) => decodeQueuedMessage(fields, row.entry_id));
        if (state.message.deviceId !== row.device_id) throw new UnreadableRowError('c2d_messages', `${row.entry_id}`, `it is filed under device '${row.device_id}' but addressed to '${state.message.deviceId}'`);
        return state;
      });
    const feedback = (this.db.prepare('SELECT position, record FROM c2d_feedback ORDER BY position').all() as { position: number; record: string }[])
      .map((row) => decodeRow('c2d_feedback', `${row.position}`, row.record, decodeFeedback));
    return { messages, feedback };
  }

  /** A message as it now stands (enqueued, locked, visible again). */
  writeMessages(states: readonly QueuedMessageState[]): void {
    const upsert = this.db.prepare('INSERT OR REPLACE INTO c2d_messages (entry_id, device_id, state) VALUES (?, ?, ?)');
    this.db.transaction(() => states.forEach((state) => upsert.run(state.entryId, state.message.deviceId, encodeQueuedMessage(state))))();
  }

  /** Messages gone, and the feedback their going produced, in one transaction. */
  removeMessages(entryIds: readonly number[], feedback: readonly FeedbackRecord[]): void {
    const remove = this.db.prepare('DELETE FROM c2d_messages WHERE entry_id = ?');
    this.db.transaction(() => {
      entryIds.forEach((entryId) => remove.run(entryId));
      this.pushFeedback(feedback, 'back');
    })();
  }

  takeFeedback(count: number): void {
    this.db.prepare('DELETE FROM c2d_feedback WHERE position IN (SELECT position FROM c2d_feedback ORDER BY position LIMIT ?)').run(count);
  }

  /** Records given back go before the oldest one kept, in their order. */
  returnFeedback(records: readonly FeedbackRecord[]): void {
    this.db.transaction(() => this.pushFeedback(records, 'front'))();
  }

  clearCloudToDevice(): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM c2d_messages').run();
      this.db.prepare('DELETE FROM c2d_feedback').run();
    })();
  }

  private pushFeedback(records: readonly FeedbackRecord[], end: 'front' | 'back'): void {
    if (records.length === 0) return;
    const bounds = this.db.prepare('SELECT MIN(position) AS first, MAX(position) AS last FROM c2d_feedback').get() as { first: number | null; last: number | null };
    const start = end === 'back' ? (bounds.last ?? 0) + 1 : (bounds.first ?? 0) - records.length;
    const insert = this.db.prepare('INSERT INTO c2d_feedback (position, record) VALUES (?, ?)');
    records.forEach((record, index) => insert.run(start + index, JSON.stringify(record)));
  }
}

function readEvent(row: EventRow): HubEvent {
  const position = { partitionId: row.partition_id, sequenceNumber: row.sequence_number };
  return decodeRow('event_hub_events', `${row.partition_id}/${row.sequence_number}`, row.event, (fields) => decodeEvent(fields, position));
}
