import { createHash } from 'node:crypto';
import { hubErrors } from '../errors.js';
import type { QuerySource } from '../query/ast.js';
import { answerQuery } from '../query/engine.js';
import { parseQuery } from '../query/parser.js';
import { isJsonObject, type JsonValue } from '../state/json.js';
import { jsonResponse, type RestResponse } from './http-types.js';
import { readJsonBody, type RestContext, type Route } from './route.js';
import { serializeTwin } from './serialize.js';

/**
 * `POST /devices/query` (swagger Query_GetTwins), as `Registry.createQuery(...).next()` sends it:
 * body `{query}`, page size in `x-ms-max-item-count`, the next page asked for with the
 * `x-ms-continuation` the previous page returned. The last page has no continuation header (the SDK
 * sets `hasMoreResults` from its presence). Queries need ServiceConnect ("IoT Hub permissions": run
 * queries on twins). The language itself is emulator/query/ (pure); this adapter feeds it the
 * collection's documents and pages its answer.
 */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 100;

function queryDigest(query: string): string {
  return createHash('sha256').update(query).digest('base64url').slice(0, 16);
}

function encodeContinuation(query: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: queryDigest(query), o: offset })).toString('base64url');
}

function decodeContinuation(token: string | undefined, query: string): number {
  if (token === undefined || token === '') return 0;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; o?: unknown };
    if (decoded.q === queryDigest(query) && typeof decoded.o === 'number' && Number.isInteger(decoded.o) && decoded.o >= 0) return decoded.o;
  } catch {
    // fall through: not a token this emulator issued
  }
  throw hubErrors.argumentInvalid('The x-ms-continuation token is not valid for this query.');
}

function pageSize(header: string | undefined): number {
  if (header === undefined || header === '') return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(header) || Number(header) < 1) throw hubErrors.argumentInvalid(`x-ms-max-item-count must be a positive integer, not '${header}'.`);
  return Math.min(Number(header), MAX_PAGE_SIZE);
}

/** The FROM collection: twins as `GET /twins/...` returns them; no jobs exist, so `devices.jobs` is empty. */
function documentsOf(context: RestContext, source: QuerySource): JsonValue[] {
  const { registry } = context;
  if (source === 'devices') return registry.allDevices().map((device) => serializeTwin(device, device));
  if (source === 'devices.modules') return registry.allModules().map((module) => serializeTwin(module, registry.getDevice(module.deviceId)));
  return [];
}

/** The query text: a body without one is ArgumentNull, as the hub answered it (azure-iot-sdks#941). */
function queryText(body: unknown): string {
  const query = isJsonObject(body) ? body.query : undefined;
  if (query === undefined || query === null || query === '') throw hubErrors.argumentNull('The query request must be {"query": "<query>"}; no query was given.');
  if (typeof query !== 'string') throw hubErrors.argumentInvalid('The query must be a string.');
  return query;
}

function runQuery(context: RestContext): RestResponse {
  const text = queryText(readJsonBody(context.request));
  const parsed = parseQuery(text);
  const size = pageSize(context.request.headers['x-ms-max-item-count']);
  const offset = decodeContinuation(context.request.headers['x-ms-continuation'], text);
  const { items, itemType } = answerQuery(parsed, documentsOf(context, parsed.source));
  const page = items.slice(offset, offset + size);
  const next: Record<string, string> = offset + size < items.length ? { 'x-ms-continuation': encodeContinuation(text, offset + size) } : {};
  return jsonResponse(200, page, { 'x-ms-item-type': itemType, ...next });
}

export const queryRoutes: Route[] = [{ method: 'POST', path: '/devices/query', permission: 'ServiceConnect', handle: runQuery }];
