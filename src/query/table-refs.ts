/**
 * Table references in a session's SQL: `t`, `"t@v3"`, `"t@<timestamp>"`, `"t$history"` … (the
 * names of `session.ts`'s module comment), found on DuckDB-dialect tokens (`sql-text.ts`), and
 * `table_changes(a, b)` calls rewritten into the name of a relation the session builds for them.
 */
import { quoteIdent } from './engine.ts';
import { isKeyword, tokenize, type Token } from './sql-text.ts';

/**
 * A table reference found in SQL: `t`, `t@…`, with an optional `$meta` suffix. `$rows` is a data
 * view (the table's rows plus their row-tracking `_metadata`), the others are metadata tables.
 */
export interface TableRef {
  /** The name as written (the view name). */
  name: string;
  /** `undefined` for the session's snapshot, else `v<N>` / a timestamp text. */
  at?: string;
  meta?: 'history' | 'properties' | 'files' | 'partitions' | 'rows';
}

/** `t`, `t@<version or time>`, each with an optional `$<metadata table>`. */
export const REF_RE = /^t(?:@([^$]+))?(?:\$(history|properties|files|partitions|rows))?$/i;

/**
 * The table references of `query` (each name once) and the query with every `table_changes(a, b)`
 * (one or two number or string literals) replaced by the quoted name `changes(args)` returns.
 * Other text is kept byte for byte.
 */
export async function rewriteTableRefs(query: string, changes: (args: (number | string)[]) => Promise<string>): Promise<{ sql: string; refs: TableRef[] }> {
  const tokens = tokenize(query);
  let sql = '';
  let last = 0;
  const refs = new Map<string, TableRef>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isKeyword(t, 'TABLE_CHANGES') && tokens[i + 1]?.value === '(') {
      const args: (number | string)[] = [];
      let j = i + 2;
      while (tokens[j]?.kind === 'number' || tokens[j]?.kind === 'string') {
        args.push(tokens[j].kind === 'number' ? Number(tokens[j].value) : tokens[j].value);
        j++;
        if (tokens[j]?.value === ',') j++;
      }
      if (tokens[j]?.value !== ')' || args.length < 1 || args.length > 2) continue;
      const name = await changes(args);
      sql += query.slice(last, t.start) + quoteIdent(name);
      last = tokens[j].end;
      i = j;
      continue;
    }
    const ref = refOf(tokens, i);
    if (ref) refs.set(ref.name, ref);
  }
  sql += query.slice(last);
  return { sql, refs: [...refs.values()] };
}

/** The table reference at token `i`, if the token is one in a table position. */
function refOf(tokens: Token[], i: number): TableRef | undefined {
  const t = tokens[i];
  if (t.kind === 'qident') {
    const m = REF_RE.exec(t.value);
    if (!m) return undefined;
    if (!m[1] && !m[2]) return tableRefPosition(tokens, i) ? { name: t.value } : undefined;
    return { name: t.value, at: m[1], meta: m[2]?.toLowerCase() as TableRef['meta'] };
  }
  if (t.kind === 'ident' && t.value.toLowerCase() === 't' && tableRefPosition(tokens, i)) return { name: t.value };
  return undefined;
}

/** Whether the identifier at `i` stands where a table name can: after FROM, JOIN or a comma. */
function tableRefPosition(tokens: Token[], i: number): boolean {
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (next && next.kind === 'punct' && (next.value === '.' || next.value === '(')) return false;
  return !!prev && (isKeyword(prev, 'FROM') || isKeyword(prev, 'JOIN') || prev.value === ',');
}

