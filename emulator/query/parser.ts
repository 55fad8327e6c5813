import type { AggregateFunction, ParsedQuery, PropertyPath, QuerySource, SelectItem } from './ast.js';
import { parseCondition, parsePath } from './expression-parser.js';
import { AGGREGATE_FUNCTIONS } from './functions.js';
import { tokenize } from './lexer.js';
import { relativeToSource } from './paths.js';
import { invalidQuery, MAX_QUERY_LENGTH } from './query-errors.js';
import { TokenStream } from './token-stream.js';
import { validateQuery } from './validate.js';

/**
 * The clauses ("Basics of an IoT Hub query"), keywords in any case:
 *   SELECT [TOP n] ('*' | item (',' item)*) FROM (devices | devices.modules | devices.jobs)
 *     [WHERE condition] [GROUP BY property]
 *   item := (property | COUNT() | (SUM | AVG | MIN | MAX) '(' property ')') [AS alias]
 * A property may start with the collection's name (`devices.jobs.jobId`). Whatever the grammar or
 * the docs' limits do not allow is refused with 400, never guessed at.
 */
const SOURCES: readonly QuerySource[] = ['devices', 'devices.modules', 'devices.jobs'];

export function parseQuery(text: string): ParsedQuery {
  if (text.length > MAX_QUERY_LENGTH) throw invalidQuery(`the query has ${text.length} characters; at most ${MAX_QUERY_LENGTH} are allowed`);
  const stream = new TokenStream(tokenize(text));
  stream.expectKeyword('SELECT');
  const top = parseTop(stream);
  const select = stream.acceptSymbol('*') ? '*' : parseSelectList(stream);
  stream.expectKeyword('FROM');
  const source = parseSource(stream);
  const where = stream.acceptKeyword('WHERE') ? parseCondition(stream) : undefined;
  const groupBy = parseGroupBy(stream);
  if (stream.peek().kind !== 'end') throw stream.unexpected('expected the end of the query');
  const query = relativeToSource({
    source,
    select,
    ...(top === undefined ? {} : { top }),
    ...(where === undefined ? {} : { where }),
    ...(groupBy === undefined ? {} : { groupBy }),
  });
  validateQuery(query);
  return query;
}

function parseTop(stream: TokenStream): number | undefined {
  if (!stream.acceptKeyword('TOP')) return undefined;
  const token = stream.next();
  if (token.kind !== 'number' || !Number.isSafeInteger(token.value)) throw stream.errorAt(token, 'TOP needs a whole number');
  return token.value;
}

function parseSelectList(stream: TokenStream): SelectItem[] {
  const items = [parseSelectItem(stream)];
  while (stream.acceptSymbol(',')) items.push(parseSelectItem(stream));
  return items;
}

function parseSelectItem(stream: TokenStream): SelectItem {
  const projection = stream.isSymbol('(', 1) ? parseAggregate(stream) : { kind: 'property' as const, path: parsePath(stream) };
  if (!stream.acceptKeyword('AS')) return { projection };
  const alias = stream.next();
  if (alias.kind !== 'name') throw stream.errorAt(alias, 'AS needs a name');
  return { projection, alias: alias.text };
}

function parseAggregate(stream: TokenStream): SelectItem['projection'] {
  const token = stream.next();
  const name = token.kind === 'name' ? token.text.toUpperCase() : '';
  if (!(AGGREGATE_FUNCTIONS as readonly string[]).includes(name)) {
    throw stream.errorAt(token, `only properties and the aggregates ${AGGREGATE_FUNCTIONS.join(', ')} can be selected, not ${name}()`);
  }
  const aggregate = name as AggregateFunction;
  stream.expectSymbol('(');
  if (aggregate === 'COUNT') {
    stream.expectSymbol(')');
    return { kind: 'aggregate', function: aggregate };
  }
  const path = parsePath(stream);
  stream.expectSymbol(')');
  return { kind: 'aggregate', function: aggregate, path };
}

function parseSource(stream: TokenStream): QuerySource {
  const start = stream.peek();
  const names = [stream.next()];
  while (stream.acceptSymbol('.')) names.push(stream.next());
  const source = names.map((token) => (token.kind === 'name' ? token.text : '?')).join('.').toLowerCase();
  const known = SOURCES.find((candidate) => candidate === source);
  if (known === undefined) throw stream.errorAt(start, `FROM must name devices, devices.modules or devices.jobs, not '${source}'`);
  return known;
}

function parseGroupBy(stream: TokenStream): PropertyPath | undefined {
  if (!stream.isKeyword('GROUP')) return undefined;
  stream.next();
  stream.expectKeyword('BY');
  const path = parsePath(stream);
  if (stream.isSymbol(',')) throw stream.unexpected('GROUP BY takes one property');
  return path;
}
