/** The parsed form of the query subset the emulator evaluates. */
export type QuerySource = 'devices' | 'devices.modules';

export type Literal = string | number | boolean | null;

export type Operand = { readonly kind: 'path'; readonly segments: readonly string[] } | { readonly kind: 'literal'; readonly value: Literal };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'compare'; readonly operator: ComparisonOperator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'defined'; readonly path: readonly string[] };

export interface ParsedQuery {
  readonly source: QuerySource;
  readonly where: Condition | undefined;
}
