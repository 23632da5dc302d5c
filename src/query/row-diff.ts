/**
 * Row-level diff of two snapshots (issue #13 item 4): which rows were added, removed and changed
 * between version A and version B of one table, or between the same table opened at two places
 * (two lakeFS refs), computed by DuckDB over the data plane's reads (the same views as SQL's
 * `"t@v3"`, deletion vectors applied).
 *
 * ## Two modes
 * - **By key** (`key: ['id']`): A and B are joined with `FULL OUTER JOIN … ON a.k IS NOT DISTINCT
 *   FROM b.k` (a NULL key matches a NULL key). A key only in B is *added*, only in A *removed*; a
 *   key in both whose other common columns differ (`IS DISTINCT FROM`) is *changed* and shown as two
 *   rows, its A values then its B values, with the names of the columns that differ. The key must be
 *   unique on both sides: duplicates are counted first and refused (`INVALID_ARGUMENT`), since a
 *   join over duplicates would multiply rows.
 * - **Whole rows** (no key): multisets, `B EXCEPT ALL A` are *added*, `A EXCEPT ALL B` *removed*;
 *   nothing is "changed" (an updated row is one removed and one added).
 *
 * Rows are compared on the columns both sides have (by name); columns only in A or only in B are
 * reported ({@link RowDiff.onlyInA}/{@link RowDiff.onlyInB}) and shown (NULL on the other side),
 * but do not make a row "changed".
 *
 * ## Checks (never silently wrong)
 * - Rows per side: the rows the diff read on each side (removed + changed + unchanged for A) must
 *   equal the snapshot's live rows from the log (Σ numRecords − deletion vector cardinalities) when
 *   every file has `numRecords`; else `DATA_INTEGRITY`.
 * - Change Data Feed (one table, `checkChanges`): the net effect of `table_changes(A+1, B)` (inserts
 *   and post-images count +1, deletes and pre-images −1, summed per whole row) gives the added and
 *   removed rows independently of the snapshots' reads; by key, the keys with only + rows are added,
 *   only − rows removed, both changed. A disagreement is `DATA_INTEGRITY`. The check is skipped
 *   (and says why in {@link RowDiff.checks}) when the feed is not enabled over the range or the two
 *   versions' columns differ.
 *
 * Output columns: `_diff` (`added` / `removed` / `changed`), `_side` (`A` or `B`: which snapshot
 * the values come from), `_changed_columns` (for `changed` rows, the differing columns, comma
 * separated; else NULL), then the compared columns (B's order, then A-only columns). Ordered by the
 * key (A before B within a changed pair); whole-row results removed first, then added.
 */
import type * as arrow from 'apache-arrow';
import { DeltaError } from '../delta/errors.ts';
import { quoteIdent, quoteString } from './engine.ts';
import type { QuerySession } from './session.ts';
import { duckTypeOfArrow } from './types.ts';

/** One side of a diff: a session over a table and a version of it (default: the session's snapshot). */
export interface RowDiffSide {
  session: QuerySession;
  version?: number;
}

/** Options of {@link rowDiff}. */
export interface RowDiffOptions {
  /** Key columns (names as in the table); empty or absent: whole rows. */
  key?: string[];
  /**
   * Check the counts against the Change Data Feed between the versions (one table only; skipped
   * with a reason when the feed is not enabled or the columns differ). Default true.
   */
  checkChanges?: boolean;
  signal?: AbortSignal;
}

/** Rows per change kind (changed counts keys, i.e. pairs of rows). */
export interface RowDiffCounts {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** Rows read from A and from B. */
  rowsA: number;
  rowsB: number;
}

/** The answer of {@link rowDiff}. */
export interface RowDiff {
  /** The rows that differ (see the module comment for the columns). */
  rows: arrow.Table;
  counts: RowDiffCounts;
  /** The key used, or null for whole rows. */
  key: string[] | null;
  versionA: number;
  versionB: number;
  /** Columns compared (common to both sides, key excluded). */
  compared: string[];
  onlyInA: string[];
  onlyInB: string[];
  /** What was verified, one sentence each (row counts against the log, the Change Data Feed), or why not. */
  checks: string[];
}

/** Column names a diff adds in front of the table's columns. */
export const ROW_DIFF_COLUMNS = ['_diff', '_side', '_changed_columns'] as const;

interface Col {
  name: string;
  type: string;
}

/** Relation text of a side inside its session's SQL. */
function refOf(version: number): string {
  return quoteIdent(`t@v${version}`);
}

async function columnsOf(session: QuerySession, version: number, signal?: AbortSignal): Promise<Col[]> {
  const t = await session.sql(`SELECT * FROM ${refOf(version)} LIMIT 0`, { signal });
  return t.schema.fields.map((f) => ({ name: f.name, type: duckTypeOfArrow(f.type) }));
}

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/** Finds a column by name, exactly or else case-insensitively (as DuckDB resolves names). */
function findCol(cols: Col[], name: string): Col | undefined {
  return cols.find((c) => c.name === name) ?? cols.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/**
 * Diffs side A against side B (see the module comment).
 * @throws DeltaError `INVALID_ARGUMENT` (a key column missing on a side, a key that is not unique,
 *   a table column named like an output column), `DATA_INTEGRITY` (rows read differ from the log,
 *   or the diff disagrees with the Change Data Feed), and whatever {@link QuerySession.sql} throws
 *   (`VERSION_NOT_FOUND`, `FILE_NOT_FOUND`, `QUERY_ERROR`, `CANCELLED`, …).
 */
export async function rowDiff(a: RowDiffSide, b: RowDiffSide, options: RowDiffOptions = {}): Promise<RowDiff> {
  const { signal } = options;
  const va = a.version ?? a.session.snapshot.version;
  const vb = b.version ?? b.session.snapshot.version;
  const same = a.session === b.session;
  const run = a.session;
  const colsA = await columnsOf(a.session, va, signal);
  const colsB = await columnsOf(b.session, vb, signal);
  for (const c of [...colsA, ...colsB]) {
    if ((ROW_DIFF_COLUMNS as readonly string[]).includes(c.name.toLowerCase())) {
      throw new DeltaError('INVALID_ARGUMENT', `The table has a column named ${c.name}, which the row diff uses for its own output.`, { hint: 'Compare the rows with SQL (EXCEPT ALL) instead.' });
    }
  }
  const key = (options.key ?? []).filter((k) => k.trim() !== '');
  const keyCols: string[] = [];
  for (const k of key) {
    const ca = findCol(colsA, k);
    const cb = findCol(colsB, k);
    if (!ca || !cb) {
      throw new DeltaError('INVALID_ARGUMENT', `Key column "${k}" is not in ${!ca ? `version ${va}` : `version ${vb}`} (columns: ${(!ca ? colsA : colsB).map((c) => c.name).join(', ')}).`, {
        version: !ca ? va : vb,
        hint: 'Pick key columns both versions have.',
      });
    }
    if (!keyCols.includes(cb.name)) keyCols.push(cb.name);
  }
  const common = colsB.filter((c) => findCol(colsA, c.name)).map((c) => c.name);
  const onlyInB = colsB.filter((c) => !findCol(colsA, c.name)).map((c) => c.name);
  const onlyInA = colsA.filter((c) => !findCol(colsB, c.name)).map((c) => c.name);
  const compared = common.filter((c) => !keyCols.includes(c));

  // Side B is read through its own session; a diff across two tables materializes it in B's schema.
  let relA = refOf(va);
  let relB = refOf(vb);
  let dropB: string | undefined;
  if (!same) {
    const name = `${quoteIdent(b.session.schemaName)}.${quoteIdent(`__dx_rowdiff_${Math.random().toString(36).slice(2, 10)}`)}`;
    await b.session.sql(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM ${refOf(vb)}`, { signal });
    dropB = name;
    relB = name;
  }
  try {
    const result = keyCols.length
      ? await keyed(run, relA, relB, { va, vb, keyCols, compared, common, onlyInA, onlyInB, colsA, signal })
      : await wholeRows(run, relA, relB, { common, signal });
    const counts = result.counts;
    const checks: string[] = [];
    // Rows read on each side against the log.
    for (const [side, session, v, rows] of [['A', a.session, va, counts.rowsA], ['B', b.session, vb, counts.rowsB]] as const) {
      const logged = (await session.snapshotAt(v, undefined, signal)).totals.numRecords;
      if (logged === null) {
        checks.push(`Rows of ${side} (version ${v}): ${rows}, not checked (some files have no numRecords statistics).`);
        continue;
      }
      if (logged !== rows) {
        throw new DeltaError('DATA_INTEGRITY', `The row diff read ${rows} rows of version ${v} (${side}), but the Delta log says it has ${logged} live rows.`, {
          version: v,
          hint: 'No diff is shown rather than a wrong one. The data files may not match the log.',
        });
      }
      checks.push(`Rows of ${side} (version ${v}): ${rows}, as the log says (numRecords minus deletion vectors).`);
    }
    if (same && options.checkChanges !== false && va !== vb) checks.push(await checkAgainstChanges(run, va, vb, keyCols, common, colsA, colsB, counts, signal));
    return { rows: result.rows, counts, key: keyCols.length ? keyCols : null, versionA: va, versionB: vb, compared, onlyInA, onlyInB, checks };
  } finally {
    if (dropB) await b.session.sql(`DROP TABLE IF EXISTS ${dropB}`).catch(() => undefined);
  }
}

interface KeyedInput {
  va: number;
  vb: number;
  keyCols: string[];
  compared: string[];
  common: string[];
  onlyInA: string[];
  onlyInB: string[];
  colsA: Col[];
  signal?: AbortSignal;
}

/** Rows, distinct keys and keys occurring more than once in a relation, in one pass (NULL keys group together). */
function keyStatsSql(rel: string, keyCols: string[]): string {
  const k = keyCols.map(quoteIdent).join(', ');
  return `(SELECT coalesce(sum(c), 0) AS n, count(*) AS keys, count(*) FILTER (WHERE c > 1) AS dups FROM (SELECT count(*) AS c FROM ${rel} GROUP BY ${k}))`;
}

async function keyed(session: QuerySession, relA: string, relB: string, x: KeyedInput): Promise<{ rows: arrow.Table; counts: RowDiffCounts }> {
  const q = quoteIdent;
  // One pass per side: its rows (checked against the log by the caller) and whether the key is unique.
  const stats = await session.sql(`SELECT a.n AS na, a.dups AS da, b.n AS nb, b.dups AS db FROM ${keyStatsSql(relA, x.keyCols)} a, ${keyStatsSql(relB, x.keyCols)} b`, { signal: x.signal });
  const st = stats.get(0)!;
  const da = num(st.da);
  const db = num(st.db);
  if (da || db) {
    const v = da ? x.va : x.vb;
    throw new DeltaError('INVALID_ARGUMENT', `The key (${x.keyCols.join(', ')}) is not unique in version ${v}: ${da || db} key values occur more than once.`, {
      version: v,
      hint: 'Pick columns that identify one row each, or compare whole rows (no key).',
    });
  }
  const aName = (c: string) => q(`__a_${c}`);
  const bName = (c: string) => q(`__b_${c}`);
  const aCols = x.colsA.map((c) => c.name);
  const bCols = [...x.common, ...x.onlyInB];
  const on = x.keyCols.map((k) => `a.${q(k)} IS NOT DISTINCT FROM b.${q(k)}`).join(' AND ');
  const differs = x.compared.map((c) => `a.${q(c)} IS DISTINCT FROM b.${q(c)}`);
  const changedList = x.compared.length ? `list_filter([${x.compared.map((c) => `CASE WHEN a.${q(c)} IS DISTINCT FROM b.${q(c)} THEN ${quoteString(c)} END`).join(', ')}], x -> x IS NOT NULL)` : `CAST([] AS VARCHAR[])`;
  const kind = `CASE WHEN b.__dx_in IS NULL THEN 'removed' WHEN a.__dx_in IS NULL THEN 'added' WHEN ${differs.length ? differs.join(' OR ') : 'false'} THEN 'changed' ELSE 'same' END`;
  const joined = `SELECT ${kind} AS __kind, ${changedList} AS __changed, ${aCols.map((c) => `a.${q(c)} AS ${aName(c)}`).join(', ')}, ${bCols.map((c) => `b.${q(c)} AS ${bName(c)}`).join(', ')}
    FROM (SELECT *, true AS __dx_in FROM ${relA}) a FULL OUTER JOIN (SELECT *, true AS __dx_in FROM ${relB}) b ON ${on}`;
  // One or two output rows per differing key: side 0 = A's values, 1 = B's.
  const value = (c: string) => {
    const inA = aCols.includes(c);
    const inB = bCols.includes(c);
    const av = inA ? aName(c) : 'NULL';
    const bv = inB ? bName(c) : 'NULL';
    return `CASE WHEN __side = 0 THEN ${av} ELSE ${bv} END AS ${q(c)}`;
  };
  const outCols = [...bCols, ...x.onlyInA];
  const keyOrder = x.keyCols.map((k) => `${q(k)} NULLS LAST`).join(', ');
  const rows = await session.sql(
    `SELECT _diff, _side, _changed_columns, ${outCols.map(q).join(', ')} FROM (
       SELECT __kind AS _diff, CASE WHEN __side = 0 THEN 'A' ELSE 'B' END AS _side,
         CASE WHEN __kind = 'changed' THEN array_to_string(__changed, ', ') END AS _changed_columns,
         ${outCols.map(value).join(', ')}, __side
       FROM (SELECT *, unnest(CASE __kind WHEN 'changed' THEN [0, 1] WHEN 'removed' THEN [0] ELSE [1] END) AS __side FROM (${joined}) WHERE __kind <> 'same')
     ) ORDER BY ${keyOrder}, __side`,
    { signal: x.signal },
  );
  // Counts from the rows (a changed key is two rows), the unchanged ones from each side's rows.
  const kinds = rows.getChild('_diff')!;
  const by: Record<string, number> = { added: 0, removed: 0, changed: 0 };
  for (let i = 0; i < rows.numRows; i++) by[String(kinds.get(i))]++;
  const changed = by.changed / 2;
  const rowsA = num(st.na);
  const rowsB = num(st.nb);
  const unchanged = rowsA - by.removed - changed;
  if (!Number.isInteger(changed) || unchanged < 0 || rowsB - by.added - changed !== unchanged) {
    throw new DeltaError('DATA_INTEGRITY', `The row diff of versions ${x.va} → ${x.vb} does not add up: ${rowsA} rows in A, ${rowsB} in B, +${by.added} −${by.removed} ~${changed}.`, {
      version: x.vb,
      hint: 'No diff is shown rather than a wrong one. The two reads of the data disagreed; run it again.',
    });
  }
  return { rows, counts: { added: by.added, removed: by.removed, changed, unchanged, rowsA, rowsB } };
}

async function wholeRows(session: QuerySession, relA: string, relB: string, x: { common: string[]; signal?: AbortSignal }): Promise<{ rows: arrow.Table; counts: RowDiffCounts }> {
  const cols = x.common.map(quoteIdent).join(', ');
  const a = `SELECT ${cols} FROM ${relA}`;
  const b = `SELECT ${cols} FROM ${relB}`;
  const rows = await session.sql(
    `SELECT * FROM (SELECT 'removed' AS _diff, 'A' AS _side, CAST(NULL AS VARCHAR) AS _changed_columns, * FROM (${a} EXCEPT ALL ${b})
      UNION ALL SELECT 'added' AS _diff, 'B' AS _side, CAST(NULL AS VARCHAR) AS _changed_columns, * FROM (${b} EXCEPT ALL ${a})) ORDER BY _diff DESC`,
    { signal: x.signal },
  );
  const n = await session.sql(`SELECT (SELECT count(*) FROM ${relA}) AS a, (SELECT count(*) FROM ${relB}) AS b`, { signal: x.signal });
  const rowsA = num(n.get(0)?.a);
  const rowsB = num(n.get(0)?.b);
  const kinds = rows.getChild('_diff')!;
  let added = 0;
  let removed = 0;
  for (let i = 0; i < rows.numRows; i++) {
    if (kinds.get(i) === 'added') added++;
    else removed++;
  }
  return { rows, counts: { added, removed, changed: 0, unchanged: rowsA - removed, rowsA, rowsB } };
}

/**
 * Compares the counts with the net effect of the Change Data Feed between the versions (see the
 * module comment). Returns the sentence for {@link RowDiff.checks}.
 * @throws DeltaError `DATA_INTEGRITY` when they disagree.
 */
async function checkAgainstChanges(
  session: QuerySession,
  va: number,
  vb: number,
  keyCols: string[],
  common: string[],
  colsA: Col[],
  colsB: Col[],
  counts: RowDiffCounts,
  signal?: AbortSignal,
): Promise<string> {
  const sameColumns = colsA.length === colsB.length && colsA.every((c, i) => c.name === colsB[i].name && c.type === colsB[i].type);
  if (!sameColumns) return `Not checked against the Change Data Feed: the columns of versions ${va} and ${vb} differ.`;
  const [lo, hi] = va < vb ? [va, vb] : [vb, va];
  // Weight of a change row when going from A to B (reversed when A is the later version).
  const sign = va < vb ? 1 : -1;
  const q = quoteIdent;
  const cols = common.map(q).join(', ');
  const net = `SELECT ${cols}, sum(CASE WHEN _change_type IN ('insert', 'update_postimage') THEN ${sign} ELSE ${-sign} END) AS __n FROM table_changes(${lo + 1}, ${hi}) GROUP BY ALL`;
  let expected: { added: number; removed: number; changed: number };
  try {
    if (keyCols.length) {
      const k = keyCols.map(q).join(', ');
      const t = await session.sql(
        `SELECT count(*) FILTER (WHERE p > 0 AND m = 0) AS added, count(*) FILTER (WHERE m > 0 AND p = 0) AS removed, count(*) FILTER (WHERE p > 0 AND m > 0) AS changed
         FROM (SELECT ${k}, sum(CASE WHEN __n > 0 THEN 1 ELSE 0 END) AS p, sum(CASE WHEN __n < 0 THEN 1 ELSE 0 END) AS m FROM (${net}) WHERE __n <> 0 GROUP BY ${k})`,
        { signal },
      );
      const r = t.get(0)!;
      expected = { added: num(r.added), removed: num(r.removed), changed: num(r.changed) };
    } else {
      const t = await session.sql(`SELECT sum(__n) FILTER (WHERE __n > 0) AS added, -sum(__n) FILTER (WHERE __n < 0) AS removed FROM (${net})`, { signal });
      const r = t.get(0)!;
      expected = { added: num(r.added), removed: num(r.removed), changed: 0 };
    }
  } catch (e) {
    if (e instanceof DeltaError && (e.code === 'CDF_NOT_ENABLED' || e.code === 'CDF_INCOMPATIBLE_SCHEMA' || e.code === 'VERSION_NOT_FOUND' || e.code === 'FILE_NOT_FOUND')) {
      return `Not checked against the Change Data Feed: ${e.message}`;
    }
    throw e;
  }
  const same = expected.added === counts.added && expected.removed === counts.removed && expected.changed === counts.changed;
  const text = (c: { added: number; removed: number; changed: number }) => `+${c.added} −${c.removed} ~${c.changed}`;
  if (!same) {
    throw new DeltaError(
      'DATA_INTEGRITY',
      `The row diff of versions ${va} → ${vb} (${text(counts)}) disagrees with the Change Data Feed of versions ${lo + 1}–${hi} (${text(expected)}).`,
      { version: vb, hint: 'No diff is shown rather than a wrong one: the snapshots\u2019 data and the change data files do not tell the same story.' },
    );
  }
  return `Agrees with the Change Data Feed of versions ${lo + 1}–${hi} (${text(expected)}).`;
}
