import type { EventHubStore } from '../../state/event-hub-store.js';
import type { LinkHandler } from '../link-routes.js';
import { amqpTypes, type EventContext, type Message, type Sender } from '../rhea.js';
import { MANAGEMENT_ADDRESS } from './entities.js';

const EVENT_HUB_TYPE = 'com.microsoft:eventhub';
const PARTITION_TYPE = 'com.microsoft:partition';

interface ManagementReply {
  readonly status: number;
  readonly description: string;
  readonly condition?: string;
  readonly body?: Record<string, unknown>;
}

/**
 * The `$management` node's READ operations (wire notes §5.2; Event Hubs "AMQP management" runtime
 * information): `com.microsoft:eventhub` answers the hub's name, creation time and partition ids;
 * `com.microsoft:partition` a partition's first and last sequence numbers, last offset and time.
 * The reply goes on the connection's `$management` sender whose target is the request's reply-to,
 * with the request's message id as correlation id, the status an int, and the body an AMQP map.
 */
export function managementRequests(hubName: string, store: EventHubStore): LinkHandler {
  return {
    onMessage(context: EventContext): void {
      const request = context.message;
      context.delivery?.accept();
      if (request === undefined) return;
      const reply = answer(request, hubName, store);
      replyLink(context, request.reply_to)?.send({
        correlation_id: request.message_id,
        ...(request.reply_to === undefined ? {} : { to: request.reply_to }),
        application_properties: {
          'status-code': reply.status,
          'status-description': reply.description,
          ...(reply.condition === undefined ? {} : { 'error-condition': reply.condition }),
        },
        body: reply.body,
      });
    },
  };
}

function answer(request: Message, hubName: string, store: EventHubStore): ManagementReply {
  const properties = (request.application_properties ?? {}) as Record<string, unknown>;
  if (properties.operation !== 'READ') {
    return { status: 501, condition: 'amqp:not-implemented', description: `The $management operation '${String(properties.operation)}' is not supported; only READ is.` };
  }
  if (typeof properties.name !== 'string' || properties.name.toLowerCase() !== hubName.toLowerCase()) {
    return { status: 404, condition: 'amqp:not-found', description: `The messaging entity '${String(properties.name)}' could not be found.` };
  }
  if (properties.type === EVENT_HUB_TYPE) {
    return ok({
      name: hubName, type: EVENT_HUB_TYPE, created_at: new Date(store.createdAtMs), partition_count: store.partitionIds.length, partition_ids: [...store.partitionIds],
    });
  }
  if (properties.type === PARTITION_TYPE) return partitionReply(hubName, store, properties.partition);
  return { status: 400, condition: 'com.microsoft:argument-error', description: `The $management type '${String(properties.type)}' is not supported.` };
}

function partitionReply(hubName: string, store: EventHubStore, partition: unknown): ManagementReply {
  const partitionId = typeof partition === 'number' ? String(partition) : partition;
  if (typeof partitionId !== 'string' || !store.hasPartition(partitionId)) {
    return {
      status: 400,
      condition: 'com.microsoft:argument-out-of-range',
      description: `The specified partition '${String(partition)}' is invalid for an EventHub partition. It should be between 0 and ${store.partitionIds.length - 1}.`,
    };
  }
  const info = store.info(partitionId);
  return ok({
    name: hubName,
    type: PARTITION_TYPE,
    partition: partitionId,
    begin_sequence_number: amqpTypes.wrap_long(info.beginSequenceNumber),
    last_enqueued_sequence_number: amqpTypes.wrap_long(info.lastSequenceNumber),
    last_enqueued_offset: info.lastOffset,
    last_enqueued_time_utc: new Date(info.lastEnqueuedTimeMs),
    is_partition_empty: info.isEmpty,
  });
}

function ok(body: Record<string, unknown>): ManagementReply {
  return { status: 200, description: 'OK', body };
}

/** The client's `$management` receiver on this connection: the one whose target is the reply-to (wire notes §6, routing replies). */
function replyLink(context: EventContext, replyTo: unknown): Sender | undefined {
  const isManagement = (sender: Sender): boolean => sender.source.address === MANAGEMENT_ADDRESS;
  return (
    context.connection.find_sender((sender: Sender) => isManagement(sender) && sender.target.address === replyTo) ??
    context.connection.find_sender((sender: Sender) => isManagement(sender)) ??
    undefined
  );
}
