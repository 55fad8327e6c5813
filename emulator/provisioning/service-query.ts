import { dpsErrors } from '../state/dps/dps-errors.js';
import { isJsonObject } from '../state/json.js';
import { dpsJson, parseJsonBody, type DpsRequest, type DpsResponse } from './dps-http.js';

/** The page size when the client names none, and the most it may ask for (service.json: x-ms-max-item-count). */
const DEFAULT_PAGE_SIZE = 100;

/**
 * A query over enrollments, groups or a group's registrations (wire notes §8.2): the emulator answers
 * the queries the SDK's samples send (`*`, `SELECT * FROM <collection>`); a WHERE clause is refused
 * as not supported rather than answered wrongly. Pages follow `x-ms-continuation`, which is left out
 * on the last page: the SDK's Query reads its absence as "no more results".
 */
export function queryPage(entries: readonly object[], request: DpsRequest, collection: string): DpsResponse {
  assertSupportedQuery(parseJsonBody(request.body), collection);
  const pageSize = pageSizeOf(request.headers['x-ms-max-item-count']);
  const start = continuationOf(request.headers['x-ms-continuation']);
  const page = entries.slice(start, start + pageSize);
  const next = start + pageSize;
  return dpsJson(200, page, next < entries.length ? { 'x-ms-continuation': String(next), 'x-ms-item-type': collection } : { 'x-ms-item-type': collection });
}

function assertSupportedQuery(body: unknown, collection: string): void {
  if (!isJsonObject(body) || typeof body.query !== 'string') throw dpsErrors.badRequest('A query body is {"query": "<query>"}.');
  const text = body.query.trim();
  if (text === '*') return;
  const select = /^select\s+\*\s+from\s+(\w+)$/i.exec(text);
  if (select !== null && select[1]?.toLowerCase() === collection.toLowerCase()) return;
  throw dpsErrors.notSupported(`The query '${text.slice(0, 100)}' (only '*' and 'SELECT * FROM ${collection}' are emulated)`);
}

function pageSizeOf(header: string | undefined): number {
  if (header === undefined || header === '') return DEFAULT_PAGE_SIZE;
  const size = Number(header);
  if (!Number.isInteger(size) || size < 1) throw dpsErrors.badRequest('x-ms-max-item-count must be a positive integer.');
  return Math.min(size, DEFAULT_PAGE_SIZE);
}

function continuationOf(header: string | undefined): number {
  if (header === undefined || header === '') return 0;
  const start = Number(header);
  if (!Number.isInteger(start) || start < 0) throw dpsErrors.badRequest('x-ms-continuation is not a token this service issued.');
  return start;
}
