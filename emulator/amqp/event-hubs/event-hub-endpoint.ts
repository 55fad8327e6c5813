import type { ActivityFeed } from '../../state/activity.js';
import type { Clock } from '../../state/clock.js';
import type { EventHubStore } from '../../state/event-hub-store.js';
import type { SharedAccessPolicy } from '../../state/policies.js';
import type { CbsAudienceVerifier } from '../cbs.js';
import type { Grant } from '../claims.js';
import type { LinkHandler, LinkRoute, LinkService, ServerRole } from '../link-routes.js';
import type { AmqpError, Sender } from '../rhea.js';
import { entityCovers, MANAGEMENT_ADDRESS, parsePartitionAddress, type PartitionAddress } from './entities.js';
import { eventHubAudienceVerifier } from './event-hub-tokens.js';
import { managementRequests } from './management.js';
import { PartitionOwners } from './partition-owners.js';
import { PartitionReader } from './partition-reader.js';
import { readStartPosition } from './start-position.js';

/** Attach properties and capabilities the Event Hubs client sends (wire notes §5.3; core-amqp util/constants.js). */
const EPOCH_PROPERTY = 'com.microsoft:epoch';
const RUNTIME_METRIC_CAPABILITY = 'com.microsoft:enable-receiver-runtime-metric';

export interface EventHubEndpointOptions {
  /** The Event Hub-compatible name: the hub's name, as in the connection string's EntityPath. */
  readonly hubName: string;
  readonly store: EventHubStore;
  readonly policies: ReadonlyMap<string, SharedAccessPolicy>;
  readonly clock: Clock;
  /** Where events handed to consumers are announced (telemetry out). */
  readonly activity?: ActivityFeed;
}

export interface EventHubEndpoint {
  /** Routes `$management` and `{hub}/ConsumerGroups/{cg}/Partitions/{p}` links. */
  readonly service: LinkService;
  /** Verifies put-tokens for `sb://...` audiences ($cbs, wire notes §2.3). */
  readonly verifyAudience: CbsAudienceVerifier;
}

/**
 * The hub's built-in Event Hub-compatible endpoint over AMQP ("Read device-to-cloud messages from
 * the built-in endpoint"): what `EventHubConsumerClient` reads. A link is allowed with an Event Hubs
 * claim for its entity or one above it (the hub's entity covers all).
 */
export function eventHubEndpoint(options: EventHubEndpointOptions): EventHubEndpoint {
  const hubEntity = options.hubName.toLowerCase();
  const owners = new PartitionOwners();
  const needsEntity = (entity: string) => (grant: Grant): boolean => grant.kind === 'event-hub' && entityCovers(grant.entity, entity);
  const management: LinkRoute = {
    describe: 'the Event Hub-compatible endpoint\'s $management node',
    needs: needsEntity(`${hubEntity}/${MANAGEMENT_ADDRESS}`),
    open: () => managementRequests(options.hubName, options.store),
  };
  const service: LinkService = {
    route(address: string, role: ServerRole): LinkRoute | undefined {
      if (address === MANAGEMENT_ADDRESS) return role === 'receives' ? management : { ...management, open: () => ({}) };
      const partition = role === 'sends' ? parsePartitionAddress(address) : undefined;
      if (partition === undefined) return undefined;
      return {
        describe: `reading partition ${partition.partitionId} of consumer group '${partition.consumerGroup}'`,
        needs: needsEntity(partition.entity),
        open: (link) => openReader(link as Sender, partition, { ...options, owners }),
      };
    },
  };
  return { service, verifyAudience: eventHubAudienceVerifier(options) };
}

/** Checks the address and the filter, takes the partition (owner levels), then streams it; a refusal detaches with the Event Hubs condition. */
function openReader(link: Sender, address: PartitionAddress, context: EventHubEndpointOptions & { owners: PartitionOwners }): LinkHandler {
  const { store } = context;
  const refusal = addressRefusal(address, context);
  if (refusal !== undefined) return refuse(link, refusal);
  const start = readStartPosition(link.source.filter);
  if (!start.ok) return refuse(link, { condition: 'com.microsoft:argument-error', description: start.description });
  const reader = new PartitionReader({
    link, store, partitionId: address.partitionId, start: start.position, epoch: epochOf(link.properties), nowMs: () => context.clock.now().getTime(),
    runtimeMetrics: capabilities(link.desired_capabilities).includes(RUNTIME_METRIC_CAPABILITY),
    read: (count) => context.activity?.announce({ type: 'events-read', at: new Date(), consumerGroup: address.consumerGroup, partitionId: address.partitionId, count }),
  });
  const key = `${address.consumerGroup.toLowerCase()}/${address.partitionId}`;
  const taken = context.owners.admit(key, reader);
  if (taken !== undefined) {
    reader.onClose();
    return refuse(link, taken);
  }
  return {
    onSendable: () => reader.onSendable(),
    onClose: () => {
      reader.onClose();
      context.owners.leave(key, reader);
    },
  };
}

function addressRefusal(address: PartitionAddress, { hubName, store }: EventHubEndpointOptions): AmqpError | undefined {
  const entity = `${address.hubName}/ConsumerGroups/${address.consumerGroup}`;
  if (address.hubName.toLowerCase() !== hubName.toLowerCase() || !store.hasConsumerGroup(address.consumerGroup)) {
    return { condition: 'amqp:not-found', description: `The messaging entity '${entity}' could not be found. The hub's consumer groups are ${store.consumerGroups.join(', ')}.` };
  }
  if (!store.hasPartition(address.partitionId)) {
    return {
      condition: 'com.microsoft:argument-out-of-range',
      description: `The specified partition is invalid for an EventHub partition sender or receiver. It should be between 0 and ${store.partitionIds.length - 1}.`,
    };
  }
  return undefined;
}

function refuse(link: Sender, error: AmqpError): LinkHandler {
  link.close(error);
  return {};
}

/** `com.microsoft:epoch` is an AMQP long; rhea decodes it as a number. */
function epochOf(properties: unknown): number | undefined {
  const value = (properties as Record<string, unknown> | undefined)?.[EPOCH_PROPERTY];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

function capabilities(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}
