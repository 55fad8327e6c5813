import { createHash } from 'node:crypto';
import { hubErrors } from '../errors.js';
import { matches } from '../query/evaluate.js';
import { parseQuery } from '../query/parser.js';
import { isJsonObject } from '../state/json.js';
import { jsonResponse, type RestResponse } from './http-types.js';
import { readJsonBody, type RestContext, type Route } from './route.js';
import { serializeTwin } from './serialize.js';

/**
 * `POST /devices/query` (swagger Query_GetTwins), as `Registry.createQuery(...).next()` sends it:
 * body `{query}`, page size in `x-ms-max-item-count`, the next page asked for with the
 * `x-ms-continuation` the previous page returned. The last page has no continuation header (the SDK
 * sets `hasMoreResults` from its presence). Queries need ServiceConnect ("IoT Hub permissions": run
 * queries on twins).
 */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 100;

interface Continuation {
  readonly query: string;
  readonly offset: number;
}

function queryDigest(query: string): string {
  return createHash('sha256').update(query).digest('base64url').slice(0, 16);
}

function encodeContinuation(query: string, offset: number): string {
  return Buffer.from(JSON.stringify({ q: queryDigest(query), o: offset })).toString('base64url');
}

function decodeContinuation(token: string | undefined, query: string): Continuation {
  if (token === undefined || token === '') return { query, offset: 0 };
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; o?: unknown };
    if (decoded.q === queryDigest(query) && typeof decoded.o === 'number' && Number.isInteger(decoded.o) && decoded.o >= 0) {
      return { query, offset: decoded.o };
    }
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

function twinDocuments(context: RestContext, source: 'devices' | 'devices.modules'): unknown[] {
  const { registry } = context;
  if (source === 'devices') return registry.listDevices().map((device) => serializeTwin(device, device));
  return registry.allModules().map((module) => serializeTwin(module, registry.getDevice(module.deviceId)));
}

function runQuery(context: RestContext): RestResponse {
  const body = readJsonBody(context.request);
  if (!isJsonObject(body) || typeof body.query !== 'string' || body.query.trim() === '') {
    throw hubErrors.argumentInvalid('The query request must be {"query": "<SQL-like query>"}.');
  }
  const parsed = parseQuery(body.query);
  const size = pageSize(context.request.headers['x-ms-max-item-count']);
  const { offset } = decodeContinuation(context.request.headers['x-ms-continuation'], body.query);
  const results = twinDocuments(context, parsed.source).filter((document) => matches(document, parsed.where));
  const page = results.slice(offset, offset + size);
  const next: Record<string, string> = offset + size < results.length ? { 'x-ms-continuation': encodeContinuation(body.query, offset + size) } : {};
  return jsonResponse(200, page, { 'x-ms-item-type': 'Twin', ...next });
}

export const queryRoutes: Route[] = [{ method: 'POST', path: '/devices/query', permission: 'ServiceConnect', handle: runQuery }];
