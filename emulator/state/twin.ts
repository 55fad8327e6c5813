import { hubErrors } from '../errors.js';
import { etagForVersion, ifMatchSatisfied } from './etag.js';
import type { JsonObject } from './json.js';
import { mergePatch } from './merge-patch.js';
import { emptyMetadata, updateMetadata, type MetadataNode } from './metadata.js';
import { assertSectionSize, assertValidTwinPatch } from './twin-rules.js';

/** One side of the twin's properties: the values, their `$version` and their `$metadata`. */
export interface TwinProperties {
  readonly values: JsonObject;
  readonly version: number;
  readonly metadata: MetadataNode;
}

/** Desired and reported `$version` start at 1 on a new twin, as on the hub; so does the twin version. */
export interface TwinState {
  readonly tags: JsonObject;
  readonly desired: TwinProperties;
  readonly reported: TwinProperties;
  readonly version: number;
}

export interface DesiredChange {
  readonly twin: TwinState;
  /** What the device is told: the patch as applied, without `$version` (the notifier adds it). */
  readonly desiredPatch: JsonObject | undefined;
}

export function newTwin(now: Date): TwinState {
  const stamp = { lastUpdated: now.toISOString() };
  return {
    tags: {},
    desired: { values: {}, version: 1, metadata: emptyMetadata({ ...stamp, lastUpdatedVersion: 1 }) },
    reported: { values: {}, version: 1, metadata: emptyMetadata(stamp) },
    version: 1,
  };
}

export function twinEtag(twin: TwinState): string {
  return etagForVersion(twin.version);
}

export interface ServicePatch {
  readonly tags?: unknown;
  readonly desired?: unknown;
}

/**
 * Service-side PATCH (REST `PATCH /twins/{id}[/modules/{mid}]`): tags and desired merge, each
 * validated before anything is stored; If-Match compares with the twin etag (412 otherwise).
 */
export function applyServicePatch(twin: TwinState, patch: ServicePatch, ifMatch: string | undefined, now: Date): DesiredChange {
  if (!ifMatchSatisfied(ifMatch, twinEtag(twin))) {
    throw hubErrors.preconditionFailed(`The twin etag ${ifMatch ?? ''} does not match the current etag "${twinEtag(twin)}".`);
  }
  if (patch.tags === undefined && patch.desired === undefined) return { twin, desiredPatch: undefined };
  let tags = twin.tags;
  if (patch.tags !== undefined) {
    assertValidTwinPatch('tags', patch.tags);
    tags = mergePatch(twin.tags, patch.tags);
    assertSectionSize('tags', tags);
  }
  let desired = twin.desired;
  let desiredPatch: JsonObject | undefined;
  if (patch.desired !== undefined) {
    assertValidTwinPatch('desired', patch.desired);
    desiredPatch = patch.desired;
    desired = patchProperties(twin.desired, patch.desired, now, true);
    assertSectionSize('desired', desired.values);
  }
  return { twin: { ...twin, tags, desired, version: twin.version + 1 }, desiredPatch };
}

/** Device-side reported PATCH over MQTT; returns the new twin (its reported `$version` is the ack). */
export function applyReportedPatch(twin: TwinState, patch: unknown, now: Date): TwinState {
  assertValidTwinPatch('reported', patch);
  const reported = patchProperties(twin.reported, patch, now, false);
  assertSectionSize('reported', reported.values);
  return { ...twin, reported, version: twin.version + 1 };
}

function patchProperties(current: TwinProperties, patch: JsonObject, now: Date, trackVersion: boolean): TwinProperties {
  const version = current.version + 1;
  const stamp = { lastUpdated: now.toISOString(), ...(trackVersion ? { lastUpdatedVersion: version } : {}) };
  return {
    values: mergePatch(current.values, patch),
    version,
    metadata: updateMetadata(current.metadata, patch, stamp),
  };
}
