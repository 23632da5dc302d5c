/**
 * Summaries behind the Schema, Partitions and Files views, computed where the snapshot lives (the
 * worker) over its columnar state and sent to the UI as small plain values:
 *
 * - {@link schemaTimeline}: which version added, renamed, changed (type, nullability, comment) or
 *   dropped each column, from the `metaData` actions of every retained commit.
 * - {@link partitionSummary}: files, records, bytes and deleted rows per partition value (typed and
 *   formatted), from one pass over the active files (`src/delta/aggregates.ts`).
 * - {@link filesQuery}: a page of active files, filtered by path or partition value and sorted, with
 *   per-column statistics; the matching order is computed once per snapshot and query, then paged.
 * - {@link fileSizeHistogram}: active files on log-scale (power-of-two) size bins.
 *
 * Nothing here creates an object per file except for the rows of the page asked for.
 */
import { partitionAggregates, sizeHistogram } from '../delta/aggregates.ts';
import type { CommitInfo, Metadata } from '../delta/actions.ts';
import { throwIfAborted } from '../delta/errors.ts';
import {
  fieldInfo,
  formatPartitionValue,
  formatType,
  leafColumns,
  parsePartitionValue,
  parseSchema,
  type DataType,
  type LeafColumn,
  type PartitionColumn,
  type StructField,
  type StructType,
} from '../delta/schema.ts';
import { mapLimit, numRecordsAt, readDelta, safeDecode, statsAt, type Snapshot } from '../delta/snapshot.ts';
import type { DeltaTable } from '../delta/table.ts';

// ---------------------------------------------------------------------------------------------
// Schema timeline
// ---------------------------------------------------------------------------------------------

/** One change of one column between two consecutive schemas. */
export interface SchemaChange {
  kind: 'added' | 'dropped' | 'renamed' | 'type' | 'nullability' | 'comment';
  /** Dotted logical path of the column (after the change; before it for `dropped`). */
  column: string;
  /** For `renamed`: the path before. */
  previousColumn?: string;
  /** Before / after, as text: a Spark type string, `nullable`/`not null`, or a comment (absent = none). */
  from?: string;
  to?: string;
}

/** A version whose `metaData` changed the schema (or the first version retained). */
export interface SchemaVersionChange {
  version: number;
  /** The commit's timestamp (in-commit timestamp, `commitInfo.timestamp`, else the file's time), ms. */
  timestampMs: number | null;
  operation: string | null;
  /** Top-level columns after this version. */
  numColumns: number;
  /** True for the first schema of the retained history (all its columns are listed as `added`). */
  initial: boolean;
  changes: SchemaChange[];
}

/** The schema changes over the retained history, oldest first. */
export interface SchemaTimeline {
  /** The oldest retained commit (the first entry describes the schema as of it). */
  firstVersion: number;
  latestVersion: number;
  /** How the columns were matched between versions. */
  matchedBy: 'columnMappingId' | 'physicalName' | 'name';
  entries: SchemaVersionChange[];
  /** Schemas that could not be parsed (their versions are skipped). */
  warnings: string[];
}

interface FlatColumn {
  path: string;
  name: string;
  type: string;
  nullable: boolean;
  comment?: string;
}

/** A type with nested structs reduced to `struct`: the parent of a changed nested column does not change. */
function shapeOf(t: DataType): string {
  switch (t.type) {
    case 'struct':
      return 'struct';
    case 'array':
      return `array<${shapeOf(t.elementType)}>`;
    case 'map':
      return `map<${shapeOf(t.keyType)},${shapeOf(t.valueType)}>`;
    default:
      return formatType(t);
  }
}

/** Every field of a schema (nested ones too, through arrays and maps) keyed for matching across versions. */
export function flattenSchema(schema: StructType): { columns: Map<string, FlatColumn>; matchedBy: SchemaTimeline['matchedBy'] } {
  const columns = new Map<string, FlatColumn>();
  let matchedBy: SchemaTimeline['matchedBy'] = 'name';
  const walkType = (t: DataType, parentKey: string, parentPath: string) => {
    if (t.type === 'struct') walkStruct(t, parentKey, parentPath);
    else if (t.type === 'array') walkType(t.elementType, `${parentKey}/element`, `${parentPath}.element`);
    else if (t.type === 'map') {
      walkType(t.keyType, `${parentKey}/key`, `${parentPath}.key`);
      walkType(t.valueType, `${parentKey}/value`, `${parentPath}.value`);
    }
  };
  const walkStruct = (s: StructType, parentKey: string, parentPath: string) => {
    for (const f of s.fields) {
      const info = fieldInfo(f);
      let key: string;
      if (info.columnMappingId !== undefined) {
        key = `id:${info.columnMappingId}`;
        matchedBy = 'columnMappingId';
      } else if (info.physicalName !== undefined) {
        key = `${parentKey}/p:${info.physicalName}`;
        if (matchedBy === 'name') matchedBy = 'physicalName';
      } else key = `${parentKey}/n:${f.name}`;
      const path = parentPath ? `${parentPath}.${f.name}` : f.name;
      const col: FlatColumn = { path, name: f.name, type: shapeOf(f.type), nullable: f.nullable };
      if (info.comment !== undefined) col.comment = info.comment;
      columns.set(key, col);
      walkType(f.type, key, path);
    }
  };
  walkStruct(schema, '', '');
  return { columns, matchedBy };
}

/** The changes from schema `before` to `after` (flattened by {@link flattenSchema}). */
export function diffSchemas(before: Map<string, FlatColumn>, after: Map<string, FlatColumn>): SchemaChange[] {
  const out: SchemaChange[] = [];
  // Columns whose key changed (column mapping turned on assigns ids and physical names) are
  // matched by their logical path instead.
  const unmatchedBefore = new Map<string, string>();
  for (const [key, b] of before) if (!after.has(key)) unmatchedBefore.set(b.path, key);
  const matched = new Set<string>();
  for (const [key, a] of after) {
    let b = before.get(key);
    if (!b) {
      const old = unmatchedBefore.get(a.path);
      if (old !== undefined && !matched.has(old)) {
        matched.add(old);
        b = before.get(old);
      }
    }
    if (!b) {
      out.push({ kind: 'added', column: a.path, to: a.type });
      continue;
    }
    if (b.name !== a.name) out.push({ kind: 'renamed', column: a.path, previousColumn: b.path, from: b.name, to: a.name });
    if (b.type !== a.type) out.push({ kind: 'type', column: a.path, from: b.type, to: a.type });
    if (b.nullable !== a.nullable) out.push({ kind: 'nullability', column: a.path, from: b.nullable ? 'nullable' : 'not null', to: a.nullable ? 'nullable' : 'not null' });
    if (b.comment !== a.comment) {
      const c: SchemaChange = { kind: 'comment', column: a.path };
      if (b.comment !== undefined) c.from = b.comment;
      if (a.comment !== undefined) c.to = a.comment;
      out.push(c);
    }
  }
  for (const [key, b] of before) if (!after.has(key) && !matched.has(key)) out.push({ kind: 'dropped', column: b.path, from: b.type });
  return out;
}

const timelineCache = new WeakMap<DeltaTable, { latestVersion: number; value: SchemaTimeline }>();

/**
 * The schema timeline of a table: reads every retained commit, keeps the versions whose `metaData`
 * changed the schema, and diffs consecutive schemas by column mapping id, else physical name, else
 * name. When the oldest retained commit has no `metaData` (history cleaned up after a checkpoint),
 * the schema as of that version is loaded from its snapshot. Cached per table and latest version.
 * @throws DeltaError as `loadHistory` and `loadSnapshot` do.
 */
export async function schemaTimeline(
  table: DeltaTable,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<SchemaTimeline> {
  const { signal, onProgress } = options;
  const commits = await table.commits(signal);
  const latestVersion = commits.length ? commits[commits.length - 1].version : 0;
  const cached = timelineCache.get(table);
  if (cached && cached.latestVersion === latestVersion) return cached.value;
  let done = 0;
  const found = await mapLimit(commits, 16, async (c) => {
    throwIfAborted(signal);
    const set = await readDelta(table.store, c, signal);
    onProgress?.(++done, commits.length);
    return { version: c.version, metaData: set.metaData, commitInfo: set.commitInfo, fileTimeMs: c.lastModifiedMs };
  });
  const metas: { version: number; metaData: Metadata; commitInfo?: CommitInfo; fileTimeMs: number | null }[] = [];
  for (const f of found) if (f.metaData) metas.push({ version: f.version, metaData: f.metaData, commitInfo: f.commitInfo, fileTimeMs: f.fileTimeMs });
  const firstVersion = commits.length ? commits[0].version : 0;
  if (!metas.length || metas[0].version !== firstVersion) {
    const snap = await table.snapshot({ version: firstVersion }, { allowUnsupported: true, stats: false, signal });
    const first = found[0];
    metas.unshift({ version: firstVersion, metaData: snap.metadata, commitInfo: first?.commitInfo, fileTimeMs: first?.fileTimeMs ?? null });
  }
  const warnings: string[] = [];
  const entries: SchemaVersionChange[] = [];
  let prev: Map<string, FlatColumn> | undefined;
  let prevString: string | undefined;
  let matchedBy: SchemaTimeline['matchedBy'] = 'name';
  for (const m of metas) {
    const text = m.metaData.schemaString || '{"type":"struct","fields":[]}';
    if (text === prevString) continue;
    let schema: StructType;
    try {
      schema = parseSchema(text, { version: m.version });
    } catch (e) {
      warnings.push(`Version ${m.version}: ${(e as Error).message}`);
      continue;
    }
    const flat = flattenSchema(schema);
    if (flat.matchedBy !== 'name') matchedBy = flat.matchedBy;
    const changes = diffSchemas(prev ?? new Map(), flat.columns);
    const ci = m.commitInfo;
    const ts = typeof ci?.inCommitTimestamp === 'number' ? ci.inCommitTimestamp : typeof ci?.timestamp === 'number' ? ci.timestamp : m.fileTimeMs;
    if (!prev || changes.length) {
      entries.push({
        version: m.version,
        timestampMs: ts ?? null,
        operation: typeof ci?.operation === 'string' ? ci.operation : null,
        numColumns: schema.fields.length,
        initial: !prev,
        changes,
      });
    }
    prev = flat.columns;
    prevString = text;
  }
  const value: SchemaTimeline = { firstVersion, latestVersion, matchedBy, entries, warnings };
  timelineCache.set(table, { latestVersion, value });
  return value;
}

// ---------------------------------------------------------------------------------------------
// Partitions
// ---------------------------------------------------------------------------------------------

/** A partition column as the views show it. */
export interface PartitionColumnInfo {
  /** Logical name. */
  name: string;
  /** Key in `partitionValues` (the physical name under column mapping). */
  key: string;
  /** Spark type string. */
  type: string;
}

/** One partition's aggregates. */
export interface PartitionRow {
  /** Formatted typed values in column order; `null` for a null partition value. */
  values: (string | null)[];
  numFiles: number;
  sizeInBytes: number;
  /** Sum of `numRecords` before deletion vectors; null when a file lacks stats. */
  numRecords: number | null;
  numDeletedRecords: number;
  maxModificationTime: number | null;
}

/** The Partitions view's data. */
export interface PartitionSummary {
  version: number;
  /** Empty for an unpartitioned table. */
  columns: PartitionColumnInfo[];
  numPartitions: number;
  /** The largest partitions by bytes (at most the limit asked for). */
  rows: PartitionRow[];
  /** True when `rows` holds fewer partitions than `numPartitions`. */
  truncated: boolean;
  /** Values that could not be parsed as their column's type (shown raw). */
  warnings: string[];
}

/** Largest number of partitions {@link partitionSummary} returns. */
export const MAX_PARTITION_ROWS = 5000;

function partitionColumnsOf(snapshot: Snapshot): PartitionColumn[] | null {
  try {
    return snapshot.partitionColumns;
  } catch {
    return null;
  }
}

/** Text of a raw partition value: typed and formatted, or raw when it does not parse. */
function formatRawPartition(raw: string | null | undefined, col: PartitionColumn | undefined, bad: Set<string>): string | null {
  if (raw === null || raw === undefined) return null;
  if (!col) return raw;
  try {
    const v = parsePartitionValue(raw, col.type, { column: col.name });
    return v === null ? null : formatPartitionValue(v, col.type);
  } catch {
    bad.add(`${col.name}=${raw}`);
    return raw;
  }
}

/** Per-partition aggregates of a snapshot (one pass over the active files), largest first. */
export function partitionSummary(snapshot: Snapshot, limit = MAX_PARTITION_ROWS): PartitionSummary {
  const names = snapshot.metadata.partitionColumns ?? [];
  if (!names.length) return { version: snapshot.version, columns: [], numPartitions: 0, rows: [], truncated: false, warnings: [] };
  const resolved = partitionColumnsOf(snapshot);
  const agg = partitionAggregates(snapshot, Math.min(limit, MAX_PARTITION_ROWS));
  const columns: PartitionColumnInfo[] = agg.keys.map((key, k) => {
    const c = resolved?.[k];
    return c ? { name: c.name, key: c.key, type: formatType(c.type) } : { name: names[k] ?? key, key, type: 'string' };
  });
  const bad = new Set<string>();
  const rows: PartitionRow[] = agg.partitions.map((p) => ({
    values: agg.keys.map((key, k) => formatRawPartition(p.values[key], resolved?.[k], bad)),
    numFiles: p.numFiles,
    sizeInBytes: p.sizeInBytes,
    numRecords: p.numRecords,
    numDeletedRecords: p.numDeletedRecords,
    maxModificationTime: p.maxModificationTime,
  }));
  const warnings = bad.size ? [`Partition values that do not parse as their column's type: ${[...bad].slice(0, 5).join(', ')}${bad.size > 5 ? ' …' : ''}`] : [];
  return { version: snapshot.version, columns, numPartitions: agg.numPartitions, rows, truncated: rows.length < agg.numPartitions, warnings };
}

// ---------------------------------------------------------------------------------------------
// File size histogram
// ---------------------------------------------------------------------------------------------

/** One bin of {@link FileSizeHistogram}: files with `startBytes <= size < endBytes`. */
export interface SizeBin {
  startBytes: number;
  endBytes: number;
  count: number;
  totalBytes: number;
}

/** Active files by size on power-of-two bins (log scale). */
export interface FileSizeHistogram {
  version: number;
  numFiles: number;
  bins: SizeBin[];
  /** Files without a valid size. */
  unknown: number;
}

/** The size histogram of a snapshot's active files. `sum(bins.count) + unknown === numFiles`. */
export function fileSizeHistogram(snapshot: Snapshot): FileSizeHistogram {
  const h = sizeHistogram(snapshot);
  const bins = h.bucketStartBytes.map((start, i) => ({
    startBytes: start,
    endBytes: start === 0 ? 2 : start * 2,
    count: h.counts[i],
    totalBytes: h.totalBytes[i],
  }));
  return { version: snapshot.version, numFiles: snapshot.files.length, bins, unknown: h.unknown };
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

export type FileSortKey = 'index' | 'path' | 'size' | 'records' | 'modified';

/** A request for a page of active files. */
export interface FilesQuery {
  offset: number;
  limit: number;
  /** Case-insensitive substring of the decoded path, or of `column=value` of a partition value. */
  search?: string;
  sort?: FileSortKey;
  descending?: boolean;
  /** Dotted logical names of the columns whose stats to return (default: the first {@link DEFAULT_STATS_COLUMNS}). */
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
  /** Every leaf column (dotted logical names) that may have stats. */
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
    const cols = partitionColumnsOf(snapshot);
    const keys = cols ? cols.map((c) => c.key) : snapshot.metadata.partitionColumns;
    const labels = cols ? cols.map((c) => c.name.toLowerCase()) : keys.map((k) => k.toLowerCase());
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

/** Text of a statistics value (strings verbatim, numbers as JS prints them, nested values as JSON). */
function statText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  } catch {
    return String(v);
  }
}

function atPath(obj: Record<string, unknown> | undefined, path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** A page of the active files matching `query` (see {@link FilesQuery}). */
export function filesQuery(snapshot: Snapshot, query: FilesQuery): FilesQueryPage {
  const offset = Math.max(0, Math.floor(query.offset) || 0);
  const limit = Math.min(MAX_FILES_QUERY_PAGE, Math.max(0, Math.floor(query.limit) || 0));
  const order = fileOrder(snapshot, query.search ?? '', query.sort ?? 'index', !!query.descending);
  const pcols = partitionColumnsOf(snapshot);
  const partitionNames = pcols ? pcols.map((c) => c.name) : [...snapshot.metadata.partitionColumns];
  const partitionKeys = pcols ? pcols.map((c) => c.key) : [...snapshot.metadata.partitionColumns];
  let leaves: LeafColumn[] = [];
  try {
    leaves = leafColumns(snapshot.schema, snapshot.columnMappingMode);
  } catch {
    leaves = [];
  }
  const partitionSet = new Set(partitionNames);
  const statLeaves = leaves.filter((l) => !(l.logicalPath.length === 1 && partitionSet.has(l.logicalPath[0])));
  const available = statLeaves.map((l) => l.logicalPath.join('.'));
  const byName = new Map(statLeaves.map((l) => [l.logicalPath.join('.'), l]));
  const chosen = (query.statsColumns ?? available.slice(0, DEFAULT_STATS_COLUMNS)).filter((c) => byName.has(c));
  const chosenLeaves = chosen.map((c) => byName.get(c)!);
  const bad = new Set<string>();
  const rows: FileViewRow[] = [];
  const end = Math.min(order.length, offset + limit);
  for (let k = offset; k < end; k++) {
    const i = order[k];
    const { batch, row } = snapshot.files.locate(i);
    const stats = statsAt(batch, row);
    const card = batch.dvCardinality?.[row];
    const mtime = batch.modificationTime[row];
    rows.push({
      index: i,
      path: safeDecode(batch.path[row]),
      partitionValues: partitionKeys.map((key, c) => formatRawPartition(batch.partitionValues.get(key)?.[row], pcols?.[c], bad)),
      size: batch.size[row],
      numRecords: numRecordsAt(batch, row),
      dvCardinality: card === undefined || Number.isNaN(card) ? null : card,
      modificationTime: Number.isNaN(mtime) ? null : mtime,
      stats: stats
        ? chosenLeaves.map((l) => {
            const nc = atPath(stats.nullCount, l.physicalPath);
            return {
              min: statText(atPath(stats.minValues, l.physicalPath)),
              max: statText(atPath(stats.maxValues, l.physicalPath)),
              nullCount: typeof nc === 'number' ? nc : typeof nc === 'string' && nc !== '' && !Number.isNaN(Number(nc)) ? Number(nc) : null,
            };
          })
        : null,
      tightBounds: stats?.tightBounds ?? null,
    });
  }
  return {
    version: snapshot.version,
    offset,
    total: snapshot.files.length,
    matched: order.length,
    partitionColumns: partitionNames,
    availableColumns: available,
    statsColumns: chosen,
    rows,
  };
}

/** Re-exported for the schema tree's field details. */
export type { StructField };
