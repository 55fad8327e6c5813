import type { AmqpError } from '../rhea.js';

/** Event Hubs' limit on readers without an owner level per partition and consumer group ("Event Hubs quotas"). */
export const MAX_READERS_WITHOUT_EPOCH = 5;

/** `amqp:link:stolen`: the SDKs' ReceiverDisconnectedError (core-amqp errors.js), for every epoch conflict. */
const linkStolen = (description: string): AmqpError => ({ condition: 'amqp:link:stolen', description });

export interface PartitionReaderSlot {
  /** The owner level (`com.microsoft:epoch` attach property); undefined for a reader without one. */
  readonly epoch: number | undefined;
  /** Detaches the reader because another took the partition over. */
  readonly evict: (error: AmqpError) => void;
}

/**
 * Who reads each partition of each consumer group, with Event Hubs' owner-level ("epoch") rules
 * ("Event Hubs features: event consumers", epoch receivers): a reader with an owner level takes the
 * partition from every reader with a lower or equal level and from readers without one; a reader
 * without a level, or with a lower one, is refused while a higher level holds it; at most five
 * readers without a level share a partition.
 */
export class PartitionOwners {
  private readonly readers = new Map<string, Set<PartitionReaderSlot>>();

  /** Admits the reader (evicting those it takes over from) or says why it is refused. */
  admit(key: string, candidate: PartitionReaderSlot): AmqpError | undefined {
    const current = this.readers.get(key) ?? new Set<PartitionReaderSlot>();
    const refusal = refusalFor(current, candidate);
    if (refusal !== undefined) return refusal;
    if (candidate.epoch !== undefined) {
      for (const reader of [...current]) {
        current.delete(reader);
        reader.evict(linkStolen(
          `New receiver with higher epoch of '${candidate.epoch}' is created hence current receiver with epoch '${reader.epoch ?? 'none'}' is getting disconnected. ` +
            'If you are recreating the receiver, make sure a higher epoch is used.',
        ));
      }
    }
    current.add(candidate);
    this.readers.set(key, current);
    return undefined;
  }

  leave(key: string, reader: PartitionReaderSlot): void {
    const current = this.readers.get(key);
    current?.delete(reader);
    if (current?.size === 0) this.readers.delete(key);
  }
}

function refusalFor(current: ReadonlySet<PartitionReaderSlot>, candidate: PartitionReaderSlot): AmqpError | undefined {
  const epochs = [...current].flatMap((reader) => (reader.epoch === undefined ? [] : [reader.epoch]));
  const highest = epochs.length === 0 ? undefined : Math.max(...epochs);
  if (candidate.epoch === undefined) {
    if (highest !== undefined) {
      return linkStolen(
        `At least one receiver for the endpoint is created with epoch of '${highest}', and so non-epoch receiver is not allowed. ` +
          'Either reconnect with a higher epoch, or make sure all epoch receivers are closed or disconnected.',
      );
    }
    if (current.size >= MAX_READERS_WITHOUT_EPOCH) {
      return {
        condition: 'amqp:resource-limit-exceeded',
        description: `Exceeded the maximum number of allowed receivers per partition in a consumer group which is ${MAX_READERS_WITHOUT_EPOCH}.`,
      };
    }
    return undefined;
  }
  if (highest !== undefined && highest > candidate.epoch) {
    return linkStolen(`Receiver with a higher epoch '${highest}' already exists. A new receiver with epoch '${candidate.epoch}' cannot be created.`);
  }
  return undefined;
}
