import type { JsonObject, JsonValue } from '../state/json.js';
import type { AggregateFunction, PropertyPath, SelectItem, Value } from './ast.js';
import { outputName } from './validate.js';
import { isPrimitive, lookup, orderPrimitives, valueAt, type Found } from './values.js';

/**
 * The SELECT phase. A projection makes one object per document with the selected properties (a
 * property the document lacks is left out, so a document with none of them gives `{}`). With
 * aggregates, the documents are grouped (GROUP BY) or taken as one group, and each group gives one
 * row, groups in the order their first document comes in; documents without the GROUP BY property
 * form a group of their own, whose row has no value for it.
 */
export function projectDocument(items: readonly SelectItem[], document: JsonValue): JsonObject {
  const row: JsonObject = {};
  items.forEach((item, index) => {
    if (item.projection.kind !== 'property') return;
    const found = lookup(document, item.projection.path);
    if (found.value !== undefined) row[item.alias ?? found.key ?? outputName(item, index)] = found.value;
  });
  return row;
}

interface Group {
  readonly found: Found;
  readonly documents: JsonValue[];
}

export function aggregateRows(items: readonly SelectItem[], groupBy: PropertyPath | undefined, documents: readonly JsonValue[]): JsonObject[] {
  const groups: readonly Group[] = groupBy === undefined ? [{ found: { value: undefined }, documents: [...documents] }] : groupDocuments(documents, groupBy);
  return groups.map((group) => aggregateRow(items, group));
}

function groupDocuments(documents: readonly JsonValue[], groupBy: PropertyPath): Group[] {
  const groups = new Map<string, Group>();
  for (const document of documents) {
    const found = lookup(document, groupBy);
    const identity = found.value === undefined ? 'undefined' : `=${JSON.stringify(found.value)}`;
    const group = groups.get(identity);
    if (group === undefined) groups.set(identity, { found, documents: [document] });
    else group.documents.push(document);
  }
  return [...groups.values()];
}

function aggregateRow(items: readonly SelectItem[], group: Group): JsonObject {
  const row: JsonObject = {};
  items.forEach((item, index) => {
    const { projection } = item;
    const value = projection.kind === 'aggregate' ? aggregate(projection.function, projection.path, group.documents) : group.found.value;
    const documentKey = projection.kind === 'property' ? group.found.key : undefined;
    if (value !== undefined) row[item.alias ?? documentKey ?? outputName(item, index)] = value;
  });
  return row;
}

/**
 * COUNT() counts the group's documents. SUM and AVG take the numbers among the values (SUM of none
 * is 0, AVG of none is left out); MIN and MAX the primitives, ordered null < booleans < numbers <
 * strings. Missing values, objects and arrays are skipped (not verified against the hub).
 */
function aggregate(name: AggregateFunction, path: PropertyPath | undefined, documents: readonly JsonValue[]): Value {
  if (name === 'COUNT' || path === undefined) return documents.length;
  const values = documents.map((document) => valueAt(document, path));
  const numbers = values.filter((value): value is number => typeof value === 'number');
  switch (name) {
    case 'SUM':
      return numbers.reduce((sum, value) => sum + value, 0);
    case 'AVG':
      return numbers.length === 0 ? undefined : numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
    default:
      return extreme(name, values.filter(isPrimitive));
  }
}

function extreme(name: 'MIN' | 'MAX', values: readonly (string | number | boolean | null)[]): Value {
  const sign = name === 'MIN' ? -1 : 1;
  return values.reduce<Value>((best, value) => (best === undefined || orderPrimitives(value, best as string | number | boolean | null) * sign > 0 ? value : best), undefined);
}
