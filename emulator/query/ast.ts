import type { JsonValue } from '../state/json.js';

/**
 * The parsed form of an IoT Hub query ("IoT Hub query language for device and module twins, jobs,
 * and message routing"):
 *   SELECT [TOP n] <projection list> FROM <collection> [WHERE <condition>] [GROUP BY <property>]
 */
export type QuerySource = 'devices' | 'devices.modules' | 'devices.jobs';

/** A value during evaluation: any JSON value, or `undefined` for a property that is not there. */
export type Value = JsonValue | undefined;

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

/** Property paths are kept as written (case included); FROM's collection prefix may lead them. */
export type PropertyPath = readonly string[];

export type Expression =
  | { readonly kind: 'literal'; readonly value: Value }
  | { readonly kind: 'path'; readonly path: PropertyPath }
  | { readonly kind: 'array'; readonly items: readonly Value[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expression[] }
  | { readonly kind: 'and' | 'or'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'not'; readonly operand: Expression }
  | { readonly kind: 'negate'; readonly operand: Expression }
  | { readonly kind: 'compare'; readonly operator: ComparisonOperator; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'arithmetic'; readonly operator: ArithmeticOperator; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'in'; readonly negated: boolean; readonly operand: Expression; readonly values: readonly Value[] };

export type AggregateFunction = 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

/** The grammar's projection element: a property path, or an aggregate of one (COUNT takes none). */
export type Projection =
  | { readonly kind: 'property'; readonly path: PropertyPath }
  | { readonly kind: 'aggregate'; readonly function: AggregateFunction; readonly path?: PropertyPath };

export interface SelectItem {
  readonly projection: Projection;
  readonly alias?: string;
}

export interface ParsedQuery {
  readonly source: QuerySource;
  readonly top?: number;
  /** `'*'`: whole documents; otherwise one object per document (or per group) with these keys. */
  readonly select: '*' | readonly SelectItem[];
  readonly where?: Expression;
  readonly groupBy?: PropertyPath;
}
