/**
 * The Files view's data: a page of a snapshot's active files, filtered by path or `column=value`
 * and sorted, each row from the file-row projection (`file-rows.ts`) with the statistics of the
 * columns asked for as text. The matching order is computed once per snapshot and query (cached
 * for a few queries), then paged; only the rows of the page become objects.
 */
import { numRecordsAt, safeDecode, type Snapshot } from '../delta/snapshot.ts';
import { FileProjection } from './file-rows.ts';

export type FileSortKey = 'index' | 'path' | 'size' | 'records' | 'modified';

/** A request for a page of active files. */
export interface FilesQuery {
  offset: number;
  limit: number;
  /** Case-insensitive substring of the decoded path, or of `column=value` of a partition value. */
  search?: string;
  sort?: FileSortKey;
  descending?: boolean;
  /** Names of the columns whose stats to return, as in {@link FilesQueryPage.availableColumns} (default: the first {@link DEFAULT_STATS_COLUMNS}). */
  statsColumns?: string[];
}

/** Stats of one column of one file, as text. */
export interface ColumnStatsText {
  min: string | null;
  max: string | null;
  nullCount: number | null;
}

/** One active file as the Files view shows it. */
export interface FileViewRow {
  /** Position in the snapshot's active files. */
  index: number;
  /** Decoded path. */
  path: string;
  /** Formatted partition values, in {@link FilesQueryPage.partitionColumns} order (null = null value). */
  partitionValues: (string | null)[];
  size: number;
  numRecords: number | null;
  /** Rows deleted by the file's deletion vector, or null without one. */
  dvCardinality: number | null;
  modificationTime: number | null;
  /** In {@link FilesQueryPage.statsColumns} order; null when the file has no stats. */
  stats: ColumnStatsText[] | null;
  /** False when min/max may be wider than the data. */
  tightBounds: boolean | null;
}

/** A page of the active files matching a query. */
export interface FilesQueryPage {
  version: number;
  offset: number;
  /** Active files of the snapshot. */
  total: number;
  /** Files matching the search. */
  matched: number;
  /** Logical names of the partition columns. */
  partitionColumns: string[];
  /** Every leaf column that may have stats: dotted logical names, a segment holding `.` or a backtick quoted in backticks. */
  availableColumns: string[];
  /** The columns whose stats `rows[].stats` hold. */
  statsColumns: string[];
  rows: FileViewRow[];
}

/** Stats columns shown when the caller does not choose. */
export const DEFAULT_STATS_COLUMNS = 3;
/** Largest page {@link filesQuery} returns. */
export const MAX_FILES_QUERY_PAGE = 2000;

const orderCache = new WeakMap<Snapshot, Map<string, Uint32Array>>();

/** Indexes of the files matching `search`, in the order asked for (cached per snapshot, a few queries). */
function fileOrder(snapshot: Snapshot, search: string, sort: FileSortKey, descending: boolean): Uint32Array {
  const cacheKey = `${search}\u0000${sort}\u0000${descending}`;
  let perSnap = orderCache.get(snapshot);
  const hit = perSnap?.get(cacheKey);
  if (hit) return hit;
  const files = snapshot.files;
  const n = files.length;
  const needle = search.trim().toLowerCase();
  let idx = new Uint32Array(n);
  let m = 0;
  if (!needle) {
    for (let i = 0; i < n; i++) idx[i] = i;
    m = n;
  } else {
    const cols = new FileProjection(snapshot).partitionColumns;
    const keys = cols.map((c) => c.key);
    const labels = cols.map((c) => c.name.toLowerCase());
    files.forEach((batch, row, i) => {
      const raw = batch.path[row];
      const path = (raw.includes('%') ? safeDecode(raw) : raw).toLowerCase();
      let ok = path.includes(needle);
      for (let k = 0; !ok && k < keys.length; k++) {
        const v = batch.partitionValues.get(keys[k])?.[row];
        const text = `${labels[k]}=${v === null || v === undefined ? 'null' : v.toLowerCase()}`;
        ok = text.includes(needle);
      }
      if (ok) idx[m++] = i;
    });
    idx = idx.slice(0, m);
  }
  if (sort !== 'index') {
    const keys = new Float64Array(n);
    let paths: string[] | undefined;
    if (sort === 'path') paths = new Array<string>(n);
    files.forEach((batch, row, i) => {
      if (sort === 'size') keys[i] = batch.size[row];
      else if (sort === 'modified') keys[i] = batch.modificationTime[row];
      else if (sort === 'records') keys[i] = numRecordsAt(batch, row) ?? NaN;
      else if (paths) paths[i] = safeDecode(batch.path[row]);
    });
    const num = (a: number, b: number) => {
      const x = keys[a];
      const y = keys[b];
      // Unknown values last in either direction.
      if (Number.isNaN(x)) return Number.isNaN(y) ? a - b : 1;
      if (Number.isNaN(y)) return -1;
      return (descending ? y - x : x - y) || a - b;
    };
    const str = (a: number, b: number) => {
      const x = paths![a];
      const y = paths![b];
      const c = x < y ? -1 : x > y ? 1 : 0;
      return (descending ? -c : c) || a - b;
    };
    idx.sort(paths ? str : num);
  } else if (descending) idx.reverse();
  if (!perSnap) {
    perSnap = new Map();
    orderCache.set(snapshot, perSnap);
  }
  perSnap.set(cacheKey, idx);
  while (perSnap.size > 4) perSnap.delete(perSnap.keys().next().value!);
  return idx;
}

/** Text of a statistics value: strings verbatim, numbers as JS prints them, binary as `0x…` hex, nested values as JSON. */
export function statText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Uint8Array) return '0x' + Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  } catch {
    return String(v);
  }
}

/** A page of the active files matching `query` (see {@link FilesQuery}), through the file-row projection. */
export function filesQuery(snapshot: Snapshot, query: FilesQuery): FilesQueryPage {
  const offset = Math.max(0, Math.floor(query.offset) || 0);
  const limit = Math.min(MAX_FILES_QUERY_PAGE, Math.max(0, Math.floor(query.limit) || 0));
  const order = fileOrder(snapshot, query.search ?? '', query.sort ?? 'index', !!query.descending);
  const projection = new FileProjection(snapshot);
  const available = projection.statsColumns.map((c) => c.name);
  const byName = new Map(available.map((n, k) => [n, k]));
  const chosen = (query.statsColumns ?? available.slice(0, DEFAULT_STATS_COLUMNS)).filter((c) => byName.has(c));
  const chosenIdx = chosen.map((c) => byName.get(c)!);
  const rows: FileViewRow[] = [];
  const end = Math.min(order.length, offset + limit);
  for (let k = offset; k < end; k++) {
    const f = projection.row(order[k], chosenIdx);
    rows.push({
      index: f.index,
      path: f.path,
      partitionValues: f.partitionText,
      size: f.size,
      numRecords: f.numRecords,
      dvCardinality: f.deletionVector ? f.deletedRecords : null,
      modificationTime: f.modificationTime,
      stats: f.stats ? f.stats.map((s) => ({ min: statText(s.min), max: statText(s.max), nullCount: s.nullCount ?? null })) : null,
      tightBounds: f.tightBounds,
    });
  }
  return {
    version: snapshot.version,
    offset,
    total: snapshot.files.length,
    matched: order.length,
    partitionColumns: projection.partitionColumns.map((c) => c.name),
    availableColumns: available,
    statsColumns: chosen,
    rows,
  };
}
