import type { ParsedQuery, SelectItem } from './ast.js';
import { samePath } from './paths.js';
import { invalidQuery } from './query-errors.js';

/**
 * The rules the docs set beyond the grammar, each refused with 400:
 * - `devices.jobs` takes neither projections, aggregates nor GROUP BY ("only SELECT * is possible");
 * - GROUP BY needs a projection list of aggregates and the grouped property (each group is one row);
 * - without GROUP BY, aggregates cannot be mixed with properties (the answer is one row);
 * - the names of a projection's results must differ (they are the keys of one JSON object).
 */
export function validateQuery(query: ParsedQuery): void {
  if (query.source === 'devices.jobs') validateJobQuery(query);
  if (query.select === '*') {
    if (query.groupBy !== undefined) throw invalidQuery('GROUP BY needs a projection of aggregates, not SELECT *');
    return;
  }
  validateProjection(query, query.select);
  validateNames(query.select);
}

function validateJobQuery(query: ParsedQuery): void {
  if (query.select !== '*') throw invalidQuery('queries on devices.jobs only support SELECT *');
  if (query.groupBy !== undefined) throw invalidQuery('queries on devices.jobs do not support GROUP BY');
}

function validateProjection(query: ParsedQuery, items: readonly SelectItem[]): void {
  const aggregates = items.filter((item) => item.projection.kind === 'aggregate').length;
  const { groupBy } = query;
  if (groupBy !== undefined) {
    for (const { projection } of items) {
      if (projection.kind === 'property' && !samePath(projection.path, groupBy)) {
        throw invalidQuery(`'${projection.path.join('.')}' is neither an aggregate nor the GROUP BY property '${groupBy.join('.')}'`);
      }
    }
    return;
  }
  if (aggregates > 0 && aggregates < items.length) {
    throw invalidQuery('a projection with aggregates can only add the GROUP BY property to them');
  }
}

function validateNames(items: readonly SelectItem[]): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const name = outputName(item, index).toLowerCase();
    if (seen.has(name)) throw invalidQuery(`the projection names '${outputName(item, index)}' twice; give one of them another name with AS`);
    seen.add(name);
  });
}

/**
 * The key a projected value gets: its alias, else a property's last name, else `$1`, `$2`, ... by
 * the item's position (the numbering of the Cosmos DB SQL dialect the language follows; not verified
 * against the hub). values.ts may replace a property's name by the document's own spelling.
 */
export function outputName(item: SelectItem, index: number): string {
  if (item.alias !== undefined) return item.alias;
  const { projection } = item;
  if (projection.kind === 'property') return projection.path.at(-1) ?? `$${index + 1}`;
  return `$${index + 1}`;
}
