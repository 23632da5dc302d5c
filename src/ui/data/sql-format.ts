/**
 * Formatting of the SQL editor's text: `sql-formatter` with its DuckDB dialect (keywords upper
 * case, two-space indent, function and identifier case kept), then a check that formatting changed
 * nothing but layout and keyword case: the token sequences before and after (by the data plane's own
 * tokenizer, `src/query/sql-text.ts`) must match, with quoted identifiers such as `"t@v3"` and
 * `"t$history"` and string literals byte for byte. A formatter that would change what the query
 * means (or one that cannot parse the text) leaves the text alone and says why.
 */
import { duckdb, formatDialect } from 'sql-formatter';
import { tokenize, type Token } from '../../query/sql-text.ts';

/** The outcome of {@link formatSql}: the new text, or why the text was left as it was. */
export type FormatOutcome = { ok: true; text: string } | { ok: false; reason: string };

/** A token as compared: quoted identifiers, strings and numbers exactly; words case-insensitively. */
function key(t: Token): string {
  return t.kind === 'ident' ? `ident:${t.value.toLowerCase()}` : `${t.kind}:${t.kind === 'op' || t.kind === 'punct' ? t.text : t.value}`;
}

/** Whether two texts hold the same tokens in the same order (layout and keyword case aside). */
export function sameTokens(a: string, b: string): boolean {
  const ta = tokenize(a);
  const tb = tokenize(b);
  return ta.length === tb.length && ta.every((t, i) => key(t) === key(tb[i]));
}

/**
 * Formats DuckDB SQL (one or more statements; `--` and block comments kept).
 * Never throws: an unparseable text or a formatting that would change tokens gives `ok: false`.
 */
export function formatSql(text: string): FormatOutcome {
  if (!text.trim()) return { ok: false, reason: 'Nothing to format.' };
  let out: string;
  try {
    out = formatDialect(text, { dialect: duckdb, keywordCase: 'upper', functionCase: 'preserve', identifierCase: 'preserve', dataTypeCase: 'preserve', tabWidth: 2 });
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return { ok: false, reason: `Not formatted: the formatter could not read the query (${first}).` };
  }
  if (!sameTokens(text, out)) return { ok: false, reason: 'Not formatted: the formatter would have changed the query itself, not only its layout.' };
  return { ok: true, text: out };
}
