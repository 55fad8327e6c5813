import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { compileTemplate } from '../../emulator/rest/route.js';

/**
 * The hub's REST contract (swagger 2.0, api-version 2021-04-12), copied next to this file so that the
 * test does not depend on anything outside the repository. Two documented relaxations, both where
 * swagger 2.0 cannot say what the hub does:
 * - NULLABLE: swagger 2.0 has no `nullable`; the hub sends `null` for these string fields when unset
 *   (device `statusReason`, module `managedBy`, unset thumbprints, X.509 identities' keys);
 * - ANY_JSON: `tags`, `desired` and `reported` declare `additionalProperties: {type: object}` while
 *   their own descriptions and the twin docs allow boolean, number, string, object and array values.
 * Fields the swagger does not list are reported too (see `undocumentedFields`).
 */
type Schema = Record<string, unknown>;

interface Swagger {
  readonly paths: Record<string, Record<string, { responses?: Record<string, { schema?: Schema }> }>>;
  readonly definitions: Record<string, Schema>;
}

const NULLABLE = new Set(['statusReason', 'managedBy', 'primaryThumbprint', 'secondaryThumbprint', 'primaryKey', 'secondaryKey']);
const ANY_JSON = new Set(['tags', 'desired', 'reported']);
/** The hub adds `modelId` to twins (IoT Plug and Play); the 2021-04-12 swagger predates it. */
export const KNOWN_EXTRA_FIELDS = new Set(['modelId']);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

export function loadSwagger(): Swagger {
  return JSON.parse(readFileSync(new URL('./iothub-service-2021-04-12.swagger.json', import.meta.url), 'utf8')) as Swagger;
}

function relax(schema: unknown, name?: string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => relax(item));
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Schema).map(([prop, sub]) => [prop, relax(sub, prop)])) : relax(value);
  }
  if (name !== undefined && ANY_JSON.has(name) && copy.additionalProperties !== undefined) copy.additionalProperties = {};
  if (name !== undefined && NULLABLE.has(name) && typeof copy.type === 'string') copy.type = [copy.type, 'null'];
  return copy;
}

export class SwaggerContract {
  private readonly swagger = loadSwagger();
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly templates = Object.keys(this.swagger.paths).map((path) => ({ path, pattern: compileTemplate(path) }));

  constructor() {
    this.ajv.addFormat('date-time', RFC3339);
    this.ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && Math.abs(value) < 2 ** 31 });
    this.ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
    this.ajv.addSchema({ $id: 'swagger', definitions: relax(this.swagger.definitions) }, 'swagger');
  }

  /** The swagger path template a concrete path matches (e.g. `/twins/{id}` for `/twins/d1`). */
  templateOf(path: string): string {
    const matches = this.templates.filter((template) => template.pattern.test(path));
    // The most specific template wins: fewest `{...}` segments.
    matches.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
    const found = matches[0];
    if (found === undefined) throw new Error(`No swagger path matches ${path}`);
    return found.path;
  }

  /** The schema of this response, `null` when the swagger declares the status without a body. */
  responseSchema(method: string, template: string, status: number): Schema | null {
    const operation = this.swagger.paths[template]?.[method.toLowerCase()];
    const response = operation?.responses?.[String(status)];
    if (response === undefined) throw new Error(`The swagger declares no ${status} response for ${method} ${template}`);
    return response.schema === undefined ? null : (relax(response.schema) as Schema);
  }

  validator(schema: Schema): ValidateFunction {
    return this.ajv.compile({ ...rewriteRefs(schema) as Schema });
  }

  definition(name: string): Schema {
    const definition = this.swagger.definitions[name];
    if (definition === undefined) throw new Error(`No swagger definition ${name}`);
    return definition;
  }
}

function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' ? value.replace(/^#\//, 'swagger#/') : rewriteRefs(value)]),
  );
}

/**
 * Field paths in `value` that the schema does not declare (walking declared objects, arrays and
 * `$ref`s), for the response-level check that the emulator invents no fields.
 */
export function undocumentedFields(contract: SwaggerContract, schema: Schema, value: unknown, at = ''): string[] {
  const ref = typeof schema.$ref === 'string' ? schema.$ref.replace(/^.*\//, '') : undefined;
  const resolved = ref === undefined ? schema : contract.definition(ref);
  if (Array.isArray(value)) {
    const items = resolved.items as Schema | undefined;
    return items === undefined ? [] : value.flatMap((item, index) => undocumentedFields(contract, items, item, `${at}[${index}]`));
  }
  const properties = resolved.properties as Record<string, Schema> | undefined;
  if (typeof value !== 'object' || value === null || properties === undefined) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const declared = properties[key];
    if (declared === undefined) return KNOWN_EXTRA_FIELDS.has(key) ? [] : [`${at}.${key}`];
    return undocumentedFields(contract, declared, child, `${at}.${key}`);
  });
}
