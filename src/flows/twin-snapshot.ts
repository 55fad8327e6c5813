import type { Twin } from 'azure-iothub';

export type JsonObject = Record<string, unknown>;

/** What the back end sees of a twin, in plain data: safe to compare, print and keep. */
export interface TwinSnapshot {
  readonly etag: string;
  readonly version: number | undefined;
  readonly tags: JsonObject;
  readonly desired: JsonObject;
  readonly reported: JsonObject;
}

/** The service Twin carries the registry client with it; keep only the document. */
export function snapshotOf(twin: Twin): TwinSnapshot {
  const document = twin as unknown as { version?: number; tags?: JsonObject };
  return structuredClone({
    etag: twin.etag,
    version: document.version,
    tags: document.tags ?? {},
    desired: twin.properties.desired,
    reported: twin.properties.reported,
  });
}

export function desiredVersionOf(snapshot: TwinSnapshot): number {
  const version = snapshot.desired.$version;
  if (typeof version !== 'number') throw new Error('The twin has no desired $version.');
  return version;
}

export function reportedVersionOf(snapshot: TwinSnapshot): number {
  const version = snapshot.reported.$version;
  if (typeof version !== 'number') throw new Error('The twin has no reported $version.');
  return version;
}
