/**
 * Checks answers of the lakeFS test double against the lakeFS OpenAPI schemas (`lakefs-api.yml`,
 * copied from treeverse/lakeFS `api/swagger.yml`) with Ajv: each recorded JSON answer must match
 * the schema the spec declares for its path, method and status (or `default`), and the status must
 * be one the spec declares.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { DoubleRequest } from './double.ts';

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>;
  components: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
};

/** The parsed spec subset. */
export const LAKEFS_SPEC: Doc = parse(readFileSync(join(import.meta.dirname, 'lakefs-api.yml'), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(LAKEFS_SPEC as object, 'lakefs');

/** The JSON schema the spec gives for an answer, or undefined when it declares no JSON body; throws for an undeclared status. */
export function responseSchema(route: string, method: string, status: number): unknown {
  const op = LAKEFS_SPEC.paths[route]?.[method.toLowerCase()];
  if (!op) throw new Error(`the spec has no ${method} ${route}`);
  let r = op.responses[String(status)] ?? op.responses.default;
  if (!r) throw new Error(`the spec declares no status ${status} for ${method} ${route}`);
  if (r.$ref) r = LAKEFS_SPEC.components.responses[r.$ref.split('/').pop()!];
  return r.content?.['application/json']?.schema;
}

/** Validates one body against a schema of the spec (a `$ref` into it); returns the errors, empty when valid. */
export function specErrors(schema: unknown, body: unknown): string[] {
  const validate = ajv.compile({ $id: `check-${Math.random()}`, ...(rewriteRefs(schema) as object) });
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** `#/components/...` refs of a schema taken out of the document point into the registered document. */
function rewriteRefs(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(rewriteRefs);
  if (s && typeof s === 'object') {
    return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `lakefs${v}` : rewriteRefs(v)]));
  }
  return s;
}

/**
 * Checks every API request the double answered: a declared status, and a JSON body matching the
 * declared schema. Returns one line per problem (empty: all conform).
 */
export function checkAgainstSpec(requests: DoubleRequest[]): string[] {
  const problems: string[] = [];
  for (const r of requests) {
    if (r.route === 'presigned') continue;
    let schema: unknown;
    try {
      if (r.route === 'unknown') throw new Error('not a route of the spec');
      schema = responseSchema(r.route, r.method === 'HEAD' ? 'GET' : r.method, r.status);
    } catch (e) {
      problems.push(`${r.method} ${r.url} → ${r.status}: ${(e as Error).message}`);
      continue;
    }
    if (schema === undefined || r.body === undefined) continue;
    for (const err of specErrors(schema, r.body)) problems.push(`${r.method} ${r.url} → ${r.status}: ${err}`);
  }
  return problems;
}
