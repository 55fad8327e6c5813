import type { Registry } from 'azure-iothub';

/**
 * `Registry.createQuery` read to the end, page by page, as an application does it: `next()` while
 * `hasMoreResults`. Returns the twins of each page (the SDK sends the continuation token itself).
 */
export interface QueriedTwin {
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly tags?: Record<string, unknown>;
}

export const MAX_QUERY_PAGES = 100;

export async function queryTwins(registry: Registry, sql: string, pageSize?: number): Promise<QueriedTwin[][]> {
  const query = registry.createQuery(sql, pageSize);
  const pages: QueriedTwin[][] = [];
  while (query.hasMoreResults) {
    if (pages.length >= MAX_QUERY_PAGES) throw new Error(`The query '${sql}' returned more than ${MAX_QUERY_PAGES} pages.`);
    // The promise form of next() without an argument sends no continuation token (azure-iothub
    // dist/query.js: the argument replaces Query.continuationToken), so the token is passed on.
    const page = await query.next(query.continuationToken);
    pages.push(page.result as QueriedTwin[]);
  }
  return pages;
}
