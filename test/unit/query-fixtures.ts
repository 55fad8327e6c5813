import assert from 'node:assert/strict';
import { HubError } from '../../emulator/errors.js';
import { answerQuery, type QueryAnswer } from '../../emulator/query/engine.js';
import { parseQuery } from '../../emulator/query/parser.js';
import type { JsonObject, JsonValue } from '../../emulator/state/json.js';

/**
 * Twin documents shaped as `GET /twins/{id}` returns them (the docs' sample twin), for the pure
 * query engine: three devices at two sites, one never connected, one disabled.
 */
function twin(deviceId: string, init: { status: string; connectionState: string; lastActivityTime: string; tags: JsonObject; desired: JsonObject; reported: JsonObject; version: number }): JsonObject {
  const metadata = (values: JsonObject, lastUpdated: string): JsonObject => ({
    $lastUpdated: lastUpdated,
    ...Object.fromEntries(Object.keys(values).map((key) => [key, { $lastUpdated: lastUpdated }])),
  });
  return {
    deviceId,
    etag: 'AAAAAAAAAAE=',
    status: init.status,
    statusUpdateTime: '0001-01-01T00:00:00Z',
    connectionState: init.connectionState,
    lastActivityTime: init.lastActivityTime,
    cloudToDeviceMessageCount: 0,
    authenticationType: 'sas',
    x509Thumbprint: { primaryThumbprint: null, secondaryThumbprint: null },
    version: init.version,
    tags: init.tags,
    properties: {
      desired: { ...init.desired, $metadata: metadata(init.desired, '2026-01-01T00:00:00Z'), $version: init.version },
      reported: { ...init.reported, $metadata: metadata(init.reported, '2026-01-02T00:00:00Z'), $version: 1 },
    },
  };
}

export const DEVICES: readonly JsonObject[] = [
  twin('north-1', {
    status: 'enabled', connectionState: 'Connected', lastActivityTime: '2026-01-02T10:00:00Z', version: 3,
    tags: { site: 'north', floor: 1, group: 'a' }, desired: { interval: 30 }, reported: { firmware: '1.2.0', temperature: 21.5, status: 'Success' },
  }),
  twin('north-2', {
    status: 'disabled', connectionState: 'Disconnected', lastActivityTime: '2026-01-01T08:00:00Z', version: 2,
    tags: { site: 'north', floor: 2 }, desired: { interval: 60 }, reported: { temperature: 19, status: 'Pending' },
  }),
  twin('south-1', {
    status: 'enabled', connectionState: 'Disconnected', lastActivityTime: '0001-01-01T00:00:00Z', version: 1,
    tags: { site: 'south', floor: 1, serial: null }, desired: {}, reported: { status: 'Success', modes: ['eco'] },
  }),
];

export const MODULES: readonly JsonObject[] = [
  { deviceId: 'north-1', moduleId: 'sensor', status: 'enabled', connectionState: 'Connected', tags: {}, properties: { desired: { $version: 1 }, reported: { $version: 1 } } },
  { deviceId: 'south-1', moduleId: 'sensor', status: 'enabled', connectionState: 'Disconnected', tags: {}, properties: { desired: { $version: 1 }, reported: { $version: 1 } } },
  { deviceId: 'south-1', moduleId: 'camera', status: 'enabled', connectionState: 'Disconnected', tags: {}, properties: { desired: { $version: 1 }, reported: { $version: 1 } } },
];

export function run(query: string, documents: readonly JsonValue[] = DEVICES): QueryAnswer {
  return answerQuery(parseQuery(query), documents);
}

export function rows(query: string, documents: readonly JsonValue[] = DEVICES): readonly JsonValue[] {
  return run(query, documents).items;
}

/** The device ids of `SELECT * FROM devices WHERE <condition>`. */
export function idsWhere(condition: string): string[] {
  return rows(`SELECT * FROM devices WHERE ${condition}`).map((row) => (row as { deviceId: string }).deviceId);
}

/** The query is refused as the hub refuses it: 400 ArgumentInvalid, with a reason matching `reason`. */
export function assertRefused(query: string, reason?: RegExp): void {
  assert.throws(
    () => parseQuery(query),
    (error: unknown) => {
      assert.ok(error instanceof HubError, `a HubError, not ${String(error)}`);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'ArgumentInvalid');
      if (reason !== undefined) assert.match(error.message, reason);
      return true;
    },
    `refused: ${query}`,
  );
}
