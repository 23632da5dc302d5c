/**
 * A small SQL tokenizer and the few structural readings the data plane needs from SQL text:
 * splitting a predicate into its top-level `AND` conjuncts, recognising simple comparisons
 * (`col op literal`) for statistics-based file skipping, and recognising the simple query shape
 * `SELECT … FROM t [WHERE …] [LIMIT n]` whose predicate and limit can prune files.
 *
 * It is NOT a SQL parser: anything it does not recognise is left to DuckDB, and every reading here
 * only ever enables an optimisation (never changes a result).
 */

/** Token kinds. `ident` is an unquoted word (keywords included), `qident` a `"quoted"` identifier. */
export type TokenKind = 'ident' | 'qident' | 'string' | 'number' | 'op' | 'punct';

/** One token: its kind, source text, value (unescaped for strings and quoted identifiers), offsets. */
export interface Token {
  kind: TokenKind;
  text: string;
  value: string;
  start: number;
  end: number;
}

const OPS2 = new Set(['<=', '>=', '<>', '!=', '==', '::', '||', '->', '**']);

/** Splits SQL into tokens, skipping whitespace and comments. Unterminated quotes run to the end. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      while (i < n) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += sql[i++];
      }
      out.push({ kind: c === "'" ? 'string' : 'qident', text: sql.slice(start, i), value, start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9]/.test(sql[i])) i++;
      if (sql[i] === '.') {
        i++;
        while (i < n && /[0-9]/.test(sql[i])) i++;
      }
      if ((sql[i] === 'e' || sql[i] === 'E') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
        i++;
        if (sql[i] === '+' || sql[i] === '-') i++;
        while (i < n && /[0-9]/.test(sql[i])) i++;
      }
      out.push({ kind: 'number', text: sql.slice(start, i), value: sql.slice(start, i), start, end: i });
      continue;
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      while (i < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[i])) i++;
      const text = sql.slice(start, i);
      out.push({ kind: 'ident', text, value: text, start, end: i });
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (OPS2.has(two)) {
      out.push({ kind: 'op', text: two, value: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    const kind: TokenKind = '(),;[]{}.'.includes(c) ? 'punct' : 'op';
    out.push({ kind, text: c, value: c, start, end: i + 1 });
    i++;
  }
  return out;
}

/** True when `t` is the unquoted keyword `kw` (case-insensitive). */
export function isKeyword(t: Token | undefined, kw: string): boolean {
  return !!t && t.kind === 'ident' && t.value.toUpperCase() === kw;
}

/**
 * Splits a predicate into its top-level `AND` conjuncts (source substrings, trimmed). `AND`s inside
 * parentheses, `CASE … END` and `BETWEEN x AND y` are not split points. Returns `[]` for blank input.
 */
export function splitConjuncts(predicate: string): string[] {
  const tokens = tokenize(predicate);
  if (!tokens.length) return [];
  const parts: string[] = [];
  let depth = 0;
  let betweenPending = 0;
  let from = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && (t.value === '(' || t.value === '[' || t.value === '{')) depth++;
    else if (t.kind === 'punct' && (t.value === ')' || t.value === ']' || t.value === '}')) depth--;
    else if (isKeyword(t, 'CASE')) depth++;
    else if (isKeyword(t, 'END')) depth--;
    else if (depth === 0 && isKeyword(t, 'BETWEEN')) betweenPending++;
    else if (depth === 0 && isKeyword(t, 'AND')) {
      if (betweenPending > 0) {
        betweenPending--;
        continue;
      }
      parts.push(predicate.slice(from, t.start).trim());
      from = t.end;
    }
  }
  parts.push(predicate.slice(from).trim());
  return parts.filter((p) => p.length > 0);
}

/** A comparison operator a file's min/max/null counts can decide. */
export type SimpleOp = '=' | '<' | '<=' | '>' | '>=' | '<>' | 'IS NULL' | 'IS NOT NULL' | 'IN' | 'BETWEEN';

/** A conjunct of the shape `column op literal(s)`. Literals are kept as SQL source text. */
export interface SimpleComparison {
  /** The column name as written (unquoted value). */
  column: string;
  op: SimpleOp;
  /** SQL text of the literal(s): one for comparisons, two for BETWEEN, n for IN, none for IS [NOT] NULL. */
  literals: string[];
}

const FLIP: Record<string, SimpleOp> = { '=': '=', '==': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=', '<>': '<>', '!=': '<>' };
const CMP: Record<string, SimpleOp> = { '=': '=', '==': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '<>': '<>', '!=': '<>' };
const TYPED_LITERAL_PREFIX = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMPTZ']);

/** Reads a literal at `tokens[i]`; returns its source text and the next index, or undefined. */
function readLiteral(src: string, tokens: Token[], i: number): { text: string; next: number } | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (t.kind === 'number') return { text: t.text, next: i + 1 };
  if (t.kind === 'string') return { text: t.text, next: i + 1 };
  if (t.kind === 'op' && (t.value === '-' || t.value === '+') && tokens[i + 1]?.kind === 'number') {
    return { text: src.slice(t.start, tokens[i + 1].end), next: i + 2 };
  }
  if (isKeyword(t, 'TRUE') || isKeyword(t, 'FALSE')) return { text: t.text, next: i + 1 };
  if (t.kind === 'ident' && TYPED_LITERAL_PREFIX.has(t.value.toUpperCase()) && tokens[i + 1]?.kind === 'string') {
    return { text: src.slice(t.start, tokens[i + 1].end), next: i + 2 };
  }
  return undefined;
}

function readColumn(tokens: Token[], i: number): { name: string; next: number } | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (t.kind === 'qident' || (t.kind === 'ident' && !RESERVED.has(t.value.toUpperCase()))) {
    // A qualified name (`t.col`) or a function call is not a plain column.
    const nx = tokens[i + 1];
    if (nx && nx.kind === 'punct' && (nx.value === '.' || nx.value === '(')) return undefined;
    return { name: t.value, next: i + 1 };
  }
  return undefined;
}

const RESERVED = new Set(['NOT', 'NULL', 'TRUE', 'FALSE', 'AND', 'OR', 'IS', 'IN', 'BETWEEN', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'SELECT', 'CAST', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'INTERVAL', 'EXISTS', 'LIKE', 'ILIKE']);

/**
 * Recognises a conjunct of one of the shapes `c op lit`, `lit op c` (op one of `= == < <= > >= <> !=`),
 * `c IS [NOT] NULL`, `c IN (lit, …)`, `c BETWEEN lit AND lit`, optionally wrapped in parentheses,
 * where `c` is a plain (possibly quoted) column name and each literal is a number, a string, TRUE/FALSE
 * or `DATE|TIMESTAMP|TIMESTAMPTZ 'text'`. Anything else gives undefined.
 */
export function parseSimpleComparison(conjunct: string): SimpleComparison | undefined {
  let src = conjunct.trim();
  let tokens = tokenize(src);
  // Strip redundant outer parentheses.
  while (tokens.length >= 2 && tokens[0].value === '(' && tokens[tokens.length - 1].value === ')' && wrapsAll(tokens)) {
    src = src.slice(tokens[0].end, tokens[tokens.length - 1].start);
    tokens = tokenize(src);
  }
  const col = readColumn(tokens, 0);
  if (col) {
    let i = col.next;
    const t = tokens[i];
    if (isKeyword(t, 'IS')) {
      if (isKeyword(tokens[i + 1], 'NULL') && tokens.length === i + 2) return { column: col.name, op: 'IS NULL', literals: [] };
      if (isKeyword(tokens[i + 1], 'NOT') && isKeyword(tokens[i + 2], 'NULL') && tokens.length === i + 3) {
        return { column: col.name, op: 'IS NOT NULL', literals: [] };
      }
      return undefined;
    }
    if (isKeyword(t, 'IN') && tokens[i + 1]?.value === '(') {
      i += 2;
      const lits: string[] = [];
      for (;;) {
        const lit = readLiteral(src, tokens, i);
        if (!lit) return undefined;
        lits.push(lit.text);
        i = lit.next;
        if (tokens[i]?.value === ',') {
          i++;
          continue;
        }
        if (tokens[i]?.value === ')' && tokens.length === i + 1) return { column: col.name, op: 'IN', literals: lits };
        return undefined;
      }
    }
    if (isKeyword(t, 'BETWEEN')) {
      const a = readLiteral(src, tokens, i + 1);
      if (!a || !isKeyword(tokens[a.next], 'AND')) return undefined;
      const b = readLiteral(src, tokens, a.next + 1);
      if (!b || b.next !== tokens.length) return undefined;
      return { column: col.name, op: 'BETWEEN', literals: [a.text, b.text] };
    }
    if (t && t.kind === 'op' && CMP[t.value]) {
      const lit = readLiteral(src, tokens, i + 1);
      if (lit && lit.next === tokens.length) return { column: col.name, op: CMP[t.value], literals: [lit.text] };
    }
    return undefined;
  }
  const lit = readLiteral(src, tokens, 0);
  if (lit) {
    const t = tokens[lit.next];
    if (t && t.kind === 'op' && FLIP[t.value]) {
      const c = readColumn(tokens, lit.next + 1);
      if (c && c.next === tokens.length) return { column: c.name, op: FLIP[t.value], literals: [lit.text] };
    }
  }
  return undefined;
}

/** True when the first token `(` is closed by the last token. */
function wrapsAll(tokens: Token[]): boolean {
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const v = tokens[k].value;
    if (tokens[k].kind !== 'punct') continue;
    if (v === '(') depth++;
    else if (v === ')') {
      depth--;
      if (depth === 0 && k !== tokens.length - 1) return false;
    }
  }
  return true;
}

/** The reading of a query of the simple shape; see {@link analyzeSimpleQuery}. */
export interface SimpleQuery {
  /** The table name as written (unquoted value), e.g. `t` or `t@v3`. */
  table: string;
  /** The WHERE predicate's source text, when there is one. */
  where?: string;
  /**
   * The LIMIT, when the rows returned are the first `limit` rows of the filtered table: no
   * aggregation, DISTINCT, GROUP BY, ORDER BY, OFFSET, HAVING or window clause, and a select list of
   * plain column names or `*` only.
   */
  limit?: number;
  /**
   * True when the query returns the table's rows one for one, filtered by `where` and cut by the
   * LIMIT at most: a select list of plain column names or `*`, and no clause but ORDER BY and LIMIT.
   * The row count of such a query is then known from the log (see `QuerySession.sql`).
   */
  plainRows?: boolean;
  /** The LIMIT's number, with or without ORDER BY (unlike {@link limit}). */
  anyLimit?: number;
}

const CLAUSE_END = new Set(['GROUP', 'ORDER', 'LIMIT', 'HAVING', 'QUALIFY', 'WINDOW', 'OFFSET', 'UNION', 'EXCEPT', 'INTERSECT']);

/**
 * Recognises `SELECT <list> FROM <one table> [alias] [WHERE <p>] [<more clauses>]` with exactly one
 * SELECT (no subqueries, CTEs, joins or set operations). Returns undefined for anything else.
 */
export function analyzeSimpleQuery(sql: string): SimpleQuery | undefined {
  let tokens = tokenize(sql);
  while (tokens.length && tokens[tokens.length - 1].value === ';') tokens = tokens.slice(0, -1);
  if (!tokens.length || !isKeyword(tokens[0], 'SELECT')) return undefined;
  if (tokens.some((t, i) => i > 0 && (isKeyword(t, 'SELECT') || t.value === ';'))) return undefined;
  let depth = 0;
  let fromAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.value === '(' && t.kind === 'punct') depth++;
    else if (t.value === ')' && t.kind === 'punct') depth--;
    else if (depth === 0 && isKeyword(t, 'FROM')) {
      fromAt = i;
      break;
    }
  }
  if (fromAt < 0) return undefined;
  const tableTok = tokens[fromAt + 1];
  if (!tableTok || (tableTok.kind !== 'ident' && tableTok.kind !== 'qident')) return undefined;
  let i = fromAt + 2;
  if (tokens[i]?.value === '.') return undefined; // schema-qualified
  if (isKeyword(tokens[i], 'AS')) i++;
  const JOINISH = new Set(['JOIN', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'FULL', 'CROSS', 'NATURAL', 'ANTI', 'SEMI', 'POSITIONAL', 'ASOF', 'USING', 'ON', 'TABLESAMPLE', 'USING']);
  if (tokens[i] && (tokens[i].kind === 'qident' || (tokens[i].kind === 'ident' && !isKeyword(tokens[i], 'WHERE') && !CLAUSE_END.has(tokens[i].value.toUpperCase()) && !JOINISH.has(tokens[i].value.toUpperCase())))) i++;
  // After the table (and alias) only WHERE or a closing clause may follow: no joins, no commas.
  if (i < tokens.length && !isKeyword(tokens[i], 'WHERE') && !(tokens[i].kind === 'ident' && CLAUSE_END.has(tokens[i].value.toUpperCase()))) return undefined;
  const clauses = new Set<string>();
  let where: string | undefined;
  let limit: number | undefined;
  let limitTokenNumber: string | undefined;
  while (i < tokens.length) {
    const t = tokens[i];
    if (isKeyword(t, 'WHERE')) {
      let j = i + 1;
      let d = 0;
      for (; j < tokens.length; j++) {
        const u = tokens[j];
        if (u.value === '(' && u.kind === 'punct') d++;
        else if (u.value === ')' && u.kind === 'punct') d--;
        else if (d === 0 && u.kind === 'ident' && CLAUSE_END.has(u.value.toUpperCase())) break;
      }
      if (j === i + 1) return undefined;
      where = sql.slice(tokens[i + 1].start, tokens[j - 1].end);
      i = j;
      continue;
    }
    if (t.kind === 'ident' && CLAUSE_END.has(t.value.toUpperCase())) {
      const kw = t.value.toUpperCase();
      if (kw === 'UNION' || kw === 'EXCEPT' || kw === 'INTERSECT') return undefined;
      clauses.add(kw);
      if (kw === 'LIMIT') {
        const nt = tokens[i + 1];
        if (nt?.kind === 'number' && /^\d+$/.test(nt.value)) limitTokenNumber = nt.value;
      }
      i++;
      continue;
    }
    i++;
  }
  const selectList = tokens.slice(1, fromAt);
  const plainList =
    selectList.length > 0 &&
    selectList.every((t, k) =>
      k % 2 === 0 ? t.value === '*' || t.kind === 'qident' || (t.kind === 'ident' && !RESERVED.has(t.value.toUpperCase()) && t.value.toUpperCase() !== 'DISTINCT') : t.value === ',',
    );
  const onlyLimit = [...clauses].every((c) => c === 'LIMIT');
  if (limitTokenNumber !== undefined && plainList && onlyLimit) limit = Number(limitTokenNumber);
  const plainRows = plainList && [...clauses].every((c) => c === 'LIMIT' || c === 'ORDER') && (!clauses.has('LIMIT') || limitTokenNumber !== undefined);
  return { table: tableTok.value, where, limit, plainRows, anyLimit: limitTokenNumber !== undefined ? Number(limitTokenNumber) : undefined };
}

/** The reading of a bare row count; see {@link analyzeCountStar}. */
export interface CountStarQuery {
  /** The table name as written (unquoted value), e.g. `t` or `t@v3`. */
  table: string;
  /** The result column's name: the alias as written, else DuckDB's own name `count_star()`. */
  column: string;
}

/** Words that cannot be a table alias here (they would start a clause, so the SQL continues). */
const NOT_ALIAS = new Set([...CLAUSE_END, 'WHERE', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'FULL', 'CROSS', 'NATURAL', 'ANTI', 'SEMI', 'POSITIONAL', 'ASOF', 'USING', 'ON', 'TABLESAMPLE', 'AS', 'FROM']);

/**
 * Recognises exactly `SELECT count(*) [[AS] alias] FROM <table> [[AS] alias] [;]` (any letter case,
 * comments and whitespace anywhere): the number of rows of one table, nothing else. Returns
 * undefined for any other SQL, including a WHERE clause, `count(1)`, `count(DISTINCT …)`, more
 * select items or a schema-qualified table.
 */
export function analyzeCountStar(sql: string): CountStarQuery | undefined {
  let tokens = tokenize(sql);
  while (tokens.length && tokens[tokens.length - 1].value === ';') tokens = tokens.slice(0, -1);
  const at = (i: number, v: string) => tokens[i]?.kind !== 'string' && tokens[i]?.kind !== 'qident' && tokens[i]?.value.toUpperCase() === v;
  if (!(at(0, 'SELECT') && at(1, 'COUNT') && tokens[1].kind === 'ident' && at(2, '(') && at(3, '*') && at(4, ')'))) return undefined;
  let i = 5;
  let column = 'count_star()';
  const alias = (k: number) => tokens[k] && (tokens[k].kind === 'qident' || (tokens[k].kind === 'ident' && !NOT_ALIAS.has(tokens[k].value.toUpperCase()) && !RESERVED.has(tokens[k].value.toUpperCase())));
  if (at(i, 'AS') && tokens[i].kind === 'ident') i++;
  if (i > 5 || !at(i, 'FROM')) {
    if (!alias(i)) return undefined;
    column = tokens[i].value;
    i++;
  }
  if (!at(i, 'FROM') || tokens[i].kind !== 'ident') return undefined;
  const table = tokens[i + 1];
  if (!table || (table.kind !== 'ident' && table.kind !== 'qident')) return undefined;
  i += 2;
  if (at(i, 'AS') && tokens[i].kind === 'ident') {
    i++;
    if (!alias(i)) return undefined;
    i++;
  } else if (alias(i)) i++;
  return i === tokens.length ? { table: table.value, column } : undefined;
}
