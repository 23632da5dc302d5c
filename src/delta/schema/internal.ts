/**
 * Small helpers shared by the modules of `src/delta/schema/` (not re-exported by `schema.ts`).
 */
/** Where a schema came from, for error messages (same shape as `SchemaContext`). */
interface Where {
  version?: number;
  path?: string;
}

/** ` (version 3, path)` for messages, or an empty string. */
export function where(ctx: Where | undefined): string {
  const parts: string[] = [];
  if (ctx?.version !== undefined) parts.push(`version ${ctx.version}`);
  if (ctx?.path) parts.push(ctx.path);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A finite number from a number or numeric string, else undefined. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
