import type { EventHubStore } from '../../state/event-hub-store.js';
import { CreditCycles } from '../credit-cycles.js';
import type { LinkHandler } from '../link-routes.js';
import type { AmqpError, Sender } from '../rhea.js';
import { eventMessage } from './event-message.js';
import type { PartitionReaderSlot } from './partition-owners.js';
import { startsAtOrBefore, type StartPosition } from './start-position.js';

export interface PartitionReaderInit {
  readonly link: Sender;
  readonly store: EventHubStore;
  readonly partitionId: string;
  readonly start: StartPosition;
  readonly epoch: number | undefined;
  /** The client asked for `com.microsoft:enable-receiver-runtime-metric`: stamp the partition's last-enqueued details. */
  readonly runtimeMetrics: boolean;
  readonly nowMs: () => number;
  /** Told how many events each fill handed to the consumer (telemetry out, for the metrics). */
  readonly read?: (count: number) => void;
}

/**
 * Streams one partition to one receiver link, from its start position onwards, never beyond the
 * credit the client granted (Event Hubs clients grant a few credits at a time, wire notes §5.3).
 * The reader keeps its own cursor: an event is sent once on a link, never again; a client that
 * re-attaches says where to resume in its filter. Events evicted before they were read are skipped,
 * as a reader behind the retention window resumes at the oldest event kept.
 */
export class PartitionReader implements LinkHandler, PartitionReaderSlot {
  readonly epoch: number | undefined;
  /** The next sequence number to look at. */
  private next: number;
  /** Until the first event at or after the start position is found, later ones are checked against it. */
  private started = false;
  private closed = false;
  private readonly cycles: CreditCycles;
  private readonly stopListening: () => void;

  constructor(private readonly init: PartitionReaderInit) {
    this.epoch = init.epoch;
    this.next = firstCandidate(init);
    this.stopListening = init.store.changes.subscribe((change) => {
      if (change.type === 'event-enqueued' && change.event.partitionId === init.partitionId) this.onSendable();
    });
    this.cycles = new CreditCycles(init.link, (budget) => this.fill(budget));
  }

  onSendable(): void {
    this.cycles.run();
  }

  /** Sends up to `budget` events from the cursor on; returns how many it sent. */
  private fill(budget: number): number {
    const { link, store, partitionId } = this.init;
    let sent = 0;
    while (sent < budget && link.sendable()) {
      this.next = Math.max(this.next, store.beginSequenceNumber(partitionId));
      const event = store.eventAt(partitionId, this.next);
      if (event === undefined) break;
      this.next += 1;
      if (!this.started && !startsAtOrBefore(this.init.start, event)) continue;
      this.started = true;
      link.send(eventMessage(event, this.init.runtimeMetrics ? { info: store.info(partitionId), nowMs: this.init.nowMs() } : undefined));
      sent += 1;
    }
    if (sent > 0) this.init.read?.(sent);
    return sent;
  }

  evict(error: AmqpError): void {
    this.onClose();
    this.init.link.close(error);
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.cycles.stop();
    this.stopListening();
  }
}

/** Where to start looking: the end for "latest", the asked-for number for a sequence number, else the oldest event kept. */
function firstCandidate({ start, store, partitionId }: PartitionReaderInit): number {
  if (start.kind === 'latest') return store.endSequenceNumber(partitionId);
  if (start.kind === 'sequence-number') return Math.max(start.sequenceNumber + (start.inclusive ? 0 : 1), store.beginSequenceNumber(partitionId));
  return store.beginSequenceNumber(partitionId);
}
