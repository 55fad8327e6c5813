import type { Expression, ParsedQuery, PropertyPath, SelectItem } from './ast.js';

/**
 * Properties may be written relative to the document (`deviceId`) or qualified with the FROM
 * collection's name (`devices.deviceId`, `devices.jobs.jobId`, as in the docs' job queries). The
 * parsed query keeps them relative, so evaluation and validation see one form.
 */
export function relativeToSource(query: ParsedQuery): ParsedQuery {
  const prefix = query.source.split('.');
  const relative = (path: PropertyPath): PropertyPath => stripPrefix(path, prefix);
  return {
    ...query,
    select: query.select === '*' ? '*' : query.select.map((item) => relativeItem(item, relative)),
    ...(query.where === undefined ? {} : { where: relativeExpression(query.where, relative) }),
    ...(query.groupBy === undefined ? {} : { groupBy: relative(query.groupBy) }),
  };
}

function stripPrefix(path: PropertyPath, prefix: readonly string[]): PropertyPath {
  if (path.length <= prefix.length) return path;
  const qualified = prefix.every((segment, index) => path[index]?.toLowerCase() === segment);
  return qualified ? path.slice(prefix.length) : path;
}

function relativeItem(item: SelectItem, relative: (path: PropertyPath) => PropertyPath): SelectItem {
  const { projection } = item;
  if (projection.path === undefined) return item;
  return { ...item, projection: { ...projection, path: relative(projection.path) } };
}

function relativeExpression(expression: Expression, relative: (path: PropertyPath) => PropertyPath): Expression {
  const recurse = (inner: Expression): Expression => relativeExpression(inner, relative);
  switch (expression.kind) {
    case 'path':
      return { kind: 'path', path: relative(expression.path) };
    case 'call':
      return { ...expression, args: expression.args.map(recurse) };
    case 'and':
    case 'or':
    case 'compare':
    case 'arithmetic':
      return { ...expression, left: recurse(expression.left), right: recurse(expression.right) };
    case 'not':
    case 'negate':
    case 'in':
      return { ...expression, operand: recurse(expression.operand) };
    default:
      return expression;
  }
}

/** Paths name the same property when they match segment by segment, case aside (see values.ts). */
export function samePath(left: PropertyPath, right: PropertyPath): boolean {
  return left.length === right.length && left.every((segment, index) => segment.toLowerCase() === right[index]?.toLowerCase());
}
