import type { JsonValue } from '../state/json.js';
import type { ParsedQuery } from './ast.js';
import { matches } from './evaluate.js';
import { aggregateRows, projectDocument } from './project.js';

/**
 * Runs a parsed query over the FROM collection's documents, in the order the hub's clauses take
 * ("Basics of an IoT Hub query"): WHERE filters, GROUP BY groups, SELECT projects or aggregates,
 * and TOP keeps the first rows. Pure: the caller supplies the documents and pages the answer.
 *
 * The item type (the `x-ms-item-type` header; swagger QueryResult.type) is `Twin` for whole twins,
 * `DeviceJob` for `devices.jobs` and `Raw` for projections and aggregates (not verified).
 */
export type QueryItemType = 'Twin' | 'DeviceJob' | 'Raw';

export interface QueryAnswer {
  readonly items: readonly JsonValue[];
  readonly itemType: QueryItemType;
}

export function answerQuery(query: ParsedQuery, documents: readonly JsonValue[]): QueryAnswer {
  const matching = documents.filter((document) => matches(document, query.where));
  const rows = selectRows(query, matching);
  return { items: query.top === undefined ? rows : rows.slice(0, query.top), itemType: itemTypeOf(query) };
}

function selectRows(query: ParsedQuery, documents: readonly JsonValue[]): readonly JsonValue[] {
  const { select } = query;
  if (select === '*') return documents;
  const aggregated = query.groupBy !== undefined || select.some((item) => item.projection.kind === 'aggregate');
  return aggregated ? aggregateRows(select, query.groupBy, documents) : documents.map((document) => projectDocument(select, document));
}

function itemTypeOf(query: ParsedQuery): QueryItemType {
  if (query.source === 'devices.jobs') return 'DeviceJob';
  return query.select === '*' ? 'Twin' : 'Raw';
}
