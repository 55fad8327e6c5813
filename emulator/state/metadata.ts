import { isJsonObject, ownValue, setOwn, type JsonObject } from './json.js';

/**
 * `$metadata` as the hub keeps it for desired and reported properties ("Device twin metadata"): every
 * object and leaf has `$lastUpdated`; desired ones also carry `$lastUpdatedVersion`, the desired
 * `$version` of the write that last touched them.
 */
export interface MetadataStamp {
  readonly lastUpdated: string;
  readonly lastUpdatedVersion?: number;
}

export type MetadataNode = JsonObject;

export function emptyMetadata(stamp: MetadataStamp): MetadataNode {
  return stampNode({}, stamp);
}

export function updateMetadata(node: MetadataNode, patch: JsonObject, stamp: MetadataStamp): MetadataNode {
  const result: MetadataNode = stampNode({ ...node }, stamp);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else if (isJsonObject(value)) {
      const current = ownValue(result, key);
      setOwn(result, key, updateMetadata(isJsonObject(current) ? current : {}, value, stamp));
    } else {
      setOwn(result, key, stampNode({}, stamp));
    }
  }
  return result;
}

function stampNode(node: MetadataNode, stamp: MetadataStamp): MetadataNode {
  node.$lastUpdated = stamp.lastUpdated;
  if (stamp.lastUpdatedVersion !== undefined) node.$lastUpdatedVersion = stamp.lastUpdatedVersion;
  return node;
}
