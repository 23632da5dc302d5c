/**
 * The active files of a snapshot as one Arrow table, for the result grid of the Files view (issue
 * #13 item 2): the worker holds it (`workers/results.ts`), so the grid scrolls all the files and
 * sorts, filters, profiles and copies them in the worker, as it does for SQL results.
 *
 * Rows are the files matching `search` (the Files view's path / `column=value` search, see
 * `files-page.ts`), in log order. Columns, named with the Delta fields' terms:
 * `path`, one column per partition column (its formatted value, NULL for a null value), `size`
 * (`add.size`, bytes), `numRecords` (`stats.numRecords`, NULL without stats), `deletedRows` (the
 * deletion vector's cardinality, NULL without one), `modificationTime` (`add.modificationTime`,
 * UTC), then per chosen stats column `<c> min`, `<c> max` (text, as the log holds them) and
 * `<c> nullCount`, and `tightBounds` when some file's bounds may be wide.
 */
import * as arrow from 'apache-arrow';
import type { Snapshot } from '../delta/snapshot.ts';
import { filesQuery, MAX_FILES_QUERY_PAGE, type FileViewRow } from './files-page.ts';

/** What {@link filesTable} lists. */
export interface FilesTableQuery {
  /** As `FilesQuery.search`. */
  search?: string;
  /** As `FilesQuery.statsColumns` (default: the first few). */
  statsColumns?: string[];
}

const big = (n: number | null) => (n === null ? null : BigInt(n));

/**
 * The files of `snapshot` matching `query` as an Arrow table (see the module comment).
 * Never throws for a readable snapshot.
 */
export function filesTable(snapshot: Snapshot, query: FilesTableQuery = {}): arrow.Table {
  const rows: FileViewRow[] = [];
  let first = filesQuery(snapshot, { offset: 0, limit: MAX_FILES_QUERY_PAGE, search: query.search, statsColumns: query.statsColumns });
  const head = first;
  for (;;) {
    rows.push(...first.rows);
    if (rows.length >= head.matched || first.rows.length === 0) break;
    first = filesQuery(snapshot, { offset: rows.length, limit: MAX_FILES_QUERY_PAGE, search: query.search, statsColumns: query.statsColumns });
  }
  const fixed = new Set(['path', 'size', 'numRecords', 'deletedRows', 'modificationTime', 'tightBounds']);
  const cols: Record<string, arrow.Vector> = {};
  const put = (name: string, v: arrow.Vector) => {
    let n = name;
    while (n in cols) n = `${n}_`;
    cols[n] = v;
  };
  cols.path = arrow.vectorFromArray(rows.map((r) => r.path), new arrow.Utf8());
  head.partitionColumns.forEach((c, k) => put(fixed.has(c) ? `partition ${c}` : c, arrow.vectorFromArray(rows.map((r) => r.partitionValues[k]), new arrow.Utf8())));
  put('size', arrow.vectorFromArray(rows.map((r) => big(r.size)), new arrow.Int64()));
  put('numRecords', arrow.vectorFromArray(rows.map((r) => big(r.numRecords)), new arrow.Int64()));
  put('deletedRows', arrow.vectorFromArray(rows.map((r) => big(r.dvCardinality)), new arrow.Int64()));
  put('modificationTime', arrow.vectorFromArray(rows.map((r) => (r.modificationTime === null || !Number.isFinite(r.modificationTime) ? null : Math.trunc(r.modificationTime))), new arrow.TimestampMicrosecond('UTC')));
  head.statsColumns.forEach((c, k) => {
    put(`${c} min`, arrow.vectorFromArray(rows.map((r) => r.stats?.[k]?.min ?? null), new arrow.Utf8()));
    put(`${c} max`, arrow.vectorFromArray(rows.map((r) => r.stats?.[k]?.max ?? null), new arrow.Utf8()));
    put(`${c} nullCount`, arrow.vectorFromArray(rows.map((r) => big(r.stats?.[k]?.nullCount ?? null)), new arrow.Int64()));
  });
  if (rows.some((r) => r.tightBounds === false)) put('tightBounds', arrow.vectorFromArray(rows.map((r) => r.tightBounds), new arrow.Bool()));
  return new arrow.Table(cols);
}
