/**
 * The names of the built-in Event Hub-compatible endpoint's entities (wire notes §2.3, §5): CBS
 * audiences are `{Endpoint}{hub}/$management` and `{Endpoint}{hub}/ConsumerGroups/{cg}/Partitions/{p}`,
 * links attach to `$management` and `{hub}/ConsumerGroups/{cg}/Partitions/{p}`. Event Hubs compares
 * entity names without regard to case, so entity paths are kept lower-cased here.
 */

/** The management node's link address (not `{hub}/$management`, wire notes §5.2). */
export const MANAGEMENT_ADDRESS = '$management';

const URI_PREFIX = /^(?:sb|amqps?):\/\/[^/]+\/?/i;
const PARTITION_PATH = /^([^/]+)\/consumergroups\/([^/]+)\/partitions\/([^/]+)$/i;

/** An Event Hubs audience or address names a URI (`sb://host[:port]/...`); IoT Hub's own never do. */
export function isEventHubsUri(text: string): boolean {
  return URI_PREFIX.test(text);
}

/** The entity path of a URI or address, without scheme and host, lower-cased: `hub/consumergroups/$default/partitions/0`. */
export function entityPath(uriOrAddress: string): string {
  return uriOrAddress.replace(URI_PREFIX, '').replace(/^\/+|\/+$/g, '').toLowerCase();
}

/** True when a grant for `granted` covers `wanted` (the same entity or one under it), as a SAS resource does. */
export function entityCovers(granted: string, wanted: string): boolean {
  return granted !== '' && (wanted === granted || wanted.startsWith(`${granted}/`));
}

export interface PartitionAddress {
  readonly hubName: string;
  /** As the client spelled it (consumer groups match without regard to case). */
  readonly consumerGroup: string;
  readonly partitionId: string;
  /** Lower-cased, for grants. */
  readonly entity: string;
}

/** `{hub}/ConsumerGroups/{cg}/Partitions/{p}`, with or without `amqps://host/` in front; undefined for any other address. */
export function parsePartitionAddress(address: string): PartitionAddress | undefined {
  const path = address.replace(URI_PREFIX, '').replace(/^\/+/, '');
  const match = PARTITION_PATH.exec(path);
  if (match === null) return undefined;
  const [, hubName = '', consumerGroup = '', partitionId = ''] = match;
  return { hubName, consumerGroup, partitionId, entity: entityPath(path) };
}
