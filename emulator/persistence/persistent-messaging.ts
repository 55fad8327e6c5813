import type { CloudToDeviceChange } from '../state/c2d-changes.js';
import type { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import type { EventHubChange, EventHubStore, KeptPartition } from '../state/event-hub-store.js';
import { UnreadableRowError } from './message-rows.js';
import type { SqliteMessaging } from './sqlite-messaging.js';

/**
 * Keeps the Event Hub-compatible endpoint's events in the store: puts back what was kept (same
 * sequence numbers, offsets and enqueued times), then writes what each change announces
 * (EventHubChange). Changes are delivered synchronously, so an event is stored before the device's
 * send is acknowledged. Returns the unsubscribe.
 */
export function persistEventHub(store: EventHubStore, tables: SqliteMessaging): () => void {
  tables.assertPartitionCount(store.partitionIds.length);
  const kept = tables.loadPartitions(store.partitionIds);
  const unsubscribe = store.changes.subscribe((change: EventHubChange) => {
    if (change.type === 'event-enqueued') tables.appendEvent(change.event);
    else tables.evictEvents(change.partitionId, change.beginSequenceNumber);
  });
  // After subscribing: restoring evicts what retention no longer allows, and that must reach the store.
  restorePartitions(store, kept);
  return unsubscribe;
}

function restorePartitions(store: EventHubStore, kept: readonly KeptPartition[]): void {
  try {
    store.restore(kept);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new UnreadableRowError('event_hub_events', '(a partition\'s sequence)', error.message);
  }
}

/**
 * Keeps the cloud-to-device queues and the feedback queue in the store: puts back what was kept, then
 * writes what each change announces (CloudToDeviceChange): one row per message as it now stands,
 * removals together with the feedback they produced. Returns the unsubscribe.
 */
export function persistCloudToDevice(queues: CloudToDeviceQueues, tables: SqliteMessaging): () => void {
  const kept = tables.loadCloudToDevice();
  const unsubscribe = queues.changes.subscribe((change) => writeChange(tables, change));
  // After subscribing: messages of devices that are gone are dropped, and that must reach the store.
  queues.restore(kept);
  return unsubscribe;
}

function writeChange(tables: SqliteMessaging, change: CloudToDeviceChange): void {
  switch (change.type) {
    case 'c2d-enqueued':
    case 'c2d-locked':
      tables.writeMessages([change.entry]);
      return;
    case 'c2d-available':
      tables.writeMessages(change.entries);
      return;
    case 'c2d-removed':
      tables.removeMessages(change.entryIds, change.feedback);
      return;
    case 'feedback-taken':
      tables.takeFeedback(change.count);
      return;
    case 'feedback-returned':
      tables.returnFeedback(change.records);
      return;
    case 'c2d-cleared':
      tables.clearCloudToDevice();
  }
}
