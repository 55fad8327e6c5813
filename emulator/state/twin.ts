import { hubErrors } from '../errors.js';
import { etagForVersion, ifMatchSatisfied } from './etag.js';
import type { JsonObject } from './json.js';
import { diffAsMergePatch, mergePatch } from './merge-patch.js';
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

/** `undefined`: leave the section alone; `null`: clear it; an object: the patch (or the replacement). */
export interface ServicePatch {
  readonly tags?: unknown;
  readonly desired?: unknown;
}

function assertTwinEtag(twin: TwinState, ifMatch: string | undefined): void {
  if (!ifMatchSatisfied(ifMatch, twinEtag(twin))) {
    throw hubErrors.preconditionFailed(`The twin etag ${ifMatch ?? ''} does not match the current etag "${twinEtag(twin)}".`);
  }
}

/** `null` clears the whole section; it is applied as a patch removing every key, so the device learns which went. */
function sectionPatch(section: 'tags' | 'desired', current: JsonObject, patch: unknown): JsonObject {
  if (patch === null) return diffAsMergePatch(current, {});
  assertValidTwinPatch(section, patch);
  return patch;
}

/**
 * Service-side PATCH (REST `PATCH /twins/{id}[/modules/{mid}]`): tags and desired merge, each
 * validated before anything is stored; `null` for a section clears it in one version step;
 * If-Match compares with the twin etag (412 otherwise).
 */
export function applyServicePatch(twin: TwinState, patch: ServicePatch, ifMatch: string | undefined, now: Date): DesiredChange {
  assertTwinEtag(twin, ifMatch);
  if (patch.tags === undefined && patch.desired === undefined) return { twin, desiredPatch: undefined };
  let tags = twin.tags;
  if (patch.tags !== undefined) {
    tags = mergePatch(twin.tags, sectionPatch('tags', twin.tags, patch.tags));
    assertSectionSize('tags', tags);
  }
  let desired = twin.desired;
  let desiredPatch: JsonObject | undefined;
  if (patch.desired !== undefined) {
    desiredPatch = sectionPatch('desired', twin.desired.values, patch.desired);
    desired = patchProperties(twin.desired, desiredPatch, now, true);
    assertSectionSize('desired', desired.values);
  }
  return { twin: { ...twin, tags, desired, version: twin.version + 1 }, desiredPatch };
}

/**
 * Service-side PUT (REST `PUT /twins/{id}[/modules/{mid}]`): tags and desired are replaced as a
 * whole (a section left out becomes empty); reported stays the device's. The device is sent the
 * difference as a patch, removed keys as `null`.
 */
export function applyServiceReplace(twin: TwinState, replacement: ServicePatch, ifMatch: string | undefined, now: Date): DesiredChange {
  assertTwinEtag(twin, ifMatch);
  const tags = replacement.tags ?? {};
  const wanted = replacement.desired ?? {};
  assertValidTwinPatch('tags', tags);
  assertValidTwinPatch('desired', wanted);
  assertSectionSize('tags', tags);
  assertSectionSize('desired', wanted);
  const desiredPatch = diffAsMergePatch(twin.desired.values, wanted);
  const desired = patchProperties(twin.desired, desiredPatch, now, true);
  return { twin: { ...twin, tags: structuredClone(tags), desired, version: twin.version + 1 }, desiredPatch };
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
