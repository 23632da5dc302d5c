/**
 * Scan planning: which data files of a {@link Snapshot} a read needs, and the DuckDB SQL that turns
 * them into the table's logical rows.
 *
 * Protocol rules applied (delta-io/delta `PROTOCOL.md`):
 * - "Column Mapping": files store physical names (Spark writes the physical name as the Parquet
 *   column name in `name` AND `id` mode); columns are resolved by physical name, nested struct fields
 *   included, and renamed to logical names. Files written by an id-mode writer that relies on Parquet
 *   field ids alone (no physical names) are NOT supported: DuckDB 0.9.1 has no field-id mapping.
 * - "Partition Value Serialization": partition columns come from `add.partitionValues` (typed per the
 *   schema, nulls included; constants in the SQL, one `read_parquet` per distinct value), never from
 *   `key=value/` folders (`hive_partitioning=false`), and a copy of the partition column inside the
 *   file (materialized partition columns) is ignored.
 * - "Deletion Vectors": rows whose `file_row_number` is in the file's DV (inline or on disk) are
 *   removed with an anti-join against a small table of (file, row index).
 * - Schema evolution: a column missing from a file (added later) reads as NULL; "Type Widening": a
 *   narrower file type is CAST to the table type; extra file columns (e.g. `_change_type`) are ignored.
 *
 * Only the bytes a query needs, in this order, before DuckDB sees any file:
 * (a) partition pruning: every top-level conjunct of the predicate that binds against the partition
 *     columns alone is evaluated by DuckDB over a small table of per-file partition values;
 * (b) statistics pruning: conjuncts `col op literal` (=, <, <=, >, >=, <>, IS [NOT] NULL, IN,
 *     BETWEEN) on top-level primitive data columns skip files whose min/max/nullCount exclude them;
 * (c) `LIMIT n` without a predicate: files in log order until their `numRecords` (minus deleted rows)
 *     reach n;
 * (d) projection: only the requested columns are selected (DuckDB reads only those column chunks
 *     when it reads files by range).
 * Chosen files reach DuckDB through the table's `ObjectStore` (`store.get` → `registerBuffer`), or,
 * with `fileAccess: 'direct'`, through a handle the store offers (a local path, an HTTP URL, a `File`).
 */
import * as arrow from 'apache-arrow';
import type { FileActionBatch } from '../delta/actions.ts';
import { loadDeletionVector, type DeletionVectorDescriptor } from '../delta/deletion-vectors.ts';
import { DeltaError, throwIfAborted } from '../delta/errors.ts';
import {
  columnMappingMode,
  parsePartitionValue,
  parsePartitionValues,
  partitionColumnInfo,
  physicalName,
  type ColumnMappingMode,
  type DataType,
  type PartitionColumn,
  type PartitionValue,
  type StructField,
  type StructType,
} from '../delta/schema.ts';
import { mapLimit, numRecordsAt, safeDecode, statsAt, type Snapshot } from '../delta/snapshot.ts';
import type { ObjectStore } from '../delta/storage/object-store.ts';
import { quoteIdent, quoteString, type SqlEngine } from './engine.ts';
import { decodeIntoTable, dropFallbackSql } from './fallback-decoder.ts';
import { cachedFooter, duckdbReadProblem, parseFooter, rethrowNamed, summarizeFooter, type DataFileFooter } from './parquet-footer.ts';
import { parseSimpleComparison, splitConjuncts, type SimpleComparison } from './sql-text.ts';
import { canonicalValue, castCanonical, convertExpr, duckType, nullOf } from './types.ts';

/** What to read. */
export interface ScanOptions {
  /** Logical top-level column names, in output order (default: every column of the schema). */
  columns?: string[];
  /** A SQL predicate over logical column names (DuckDB syntax), used for pruning and filtering. */
  where?: string;
  /** At most this many rows (pruning by `numRecords` when there is no `where`). */
  limit?: number;
  signal?: AbortSignal;
}

/** One output column of a scan. */
export interface ScanColumn {
  /** Logical name. */
  name: string;
  field: StructField;
  /** True for a partition column (value from the log). */
  partition: boolean;
  /** Name in data files and in `partitionValues` (physical name under column mapping). */
  physicalName: string;
}

/** A data file chosen by a plan. */
export interface PlannedFile {
  /** Index in `snapshot.files`. */
  index: number;
  /** Store-relative, URI-decoded path. */
  path: string;
  /** Bytes, from the log. */
  sizeBytes: number;
  /** `stats.numRecords`, or null when the file has no stats. */
  numRecords: number | null;
  /** Rows deleted by the file's DV (its cardinality), 0 without a DV. */
  deletedRows: number;
  deletionVector: DeletionVectorDescriptor | null;
  /** Typed partition values keyed by logical column name. */
  partitionValues: Record<string, PartitionValue>;
}

/** How many files each pruning step removed. */
export interface PruningReport {
  totalFiles: number;
  /** Sum of `size` of all active files, bytes. */
  totalBytes: number;
  /** Sum of `size` of the chosen files, bytes. */
  selectedBytes: number;
  byPartition: number;
  byStats: number;
  byLimit: number;
  /** Conjuncts evaluated against partition values. */
  partitionConjuncts: string[];
  /** Conjuncts evaluated against file statistics. */
  statsConjuncts: string[];
}

/** The result of {@link planScan}: which files to read and how to present them. */
export interface ScanPlan {
  version: number;
  mode: ColumnMappingMode;
  schema: StructType;
  columns: ScanColumn[];
  partitionColumns: PartitionColumn[];
  files: PlannedFile[];
  where?: string;
  limit?: number;
  pruning: PruningReport;
}

let uniq = 0;
/** A process-unique suffix for helper table names. */
export function nextId(): number {
  return ++uniq;
}

/** Stats-pruning eligible Delta types (floats are not: NaN ordering differs between writers). */
function statsEligible(t: DataType): boolean {
  switch (t.type) {
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'date':
    case 'timestamp':
    case 'timestamp_ntz':
    case 'string':
    case 'boolean':
      return true;
    case 'decimal':
      return t.precision <= 15;
    default:
      return false;
  }
}

/** Longest string statistic trusted as an upper bound (Delta Spark truncates string stats at 32 chars). */
const MAX_TRUSTED_STRING_STAT = 31;

/**
 * Canonical text (see `castCanonical`) of a min/max statistic, widened for truncation: timestamp
 * stats are written with millisecond precision, so min − 1 ms and max + 1 ms; a long string max may
 * be a truncated prefix and is dropped. Returns null for unknown or unusable values.
 */
function canonicalStat(v: unknown, t: DataType, which: 'min' | 'max'): string | null {
  if (v === null || v === undefined) return null;
  switch (t.type) {
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      if (typeof v === 'bigint') return String(v);
      if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : null;
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return v;
      return null;
    case 'decimal':
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return v;
      return null;
    case 'boolean':
      return typeof v === 'boolean' ? String(v) : null;
    case 'string':
      if (typeof v !== 'string') return null;
      if (which === 'max' && [...v].length > MAX_TRUSTED_STRING_STAT) return null;
      return v;
    case 'date':
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
      if (v instanceof Date) return v.toISOString().slice(0, 10);
      return null;
    case 'timestamp':
    case 'timestamp_ntz': {
      let micros: bigint | undefined;
      try {
        if (typeof v === 'string') {
          const s = t.type === 'timestamp_ntz' ? v.replace(/Z$/, '') : v;
          const p = parsePartitionValue(s, t);
          if (typeof p === 'bigint') micros = p;
        } else if (v instanceof Date) {
          micros = BigInt(v.getTime()) * 1000n;
        }
      } catch {
        return null;
      }
      if (micros === undefined) return null;
      return String(which === 'min' ? micros - 1000n : micros + 1000n);
    }
    default:
      return null;
  }
}

/** Looks up a value in stats keyed by physical names. */
function statValue(obj: Record<string, unknown> | undefined, key: string): unknown {
  if (!obj) return undefined;
  return obj[key];
}

/** Resolves the requested logical columns against the schema. */
function resolveColumns(schema: StructType, mode: ColumnMappingMode, partitionCols: PartitionColumn[], names?: string[]): ScanColumn[] {
  const partNames = new Set(partitionCols.map((p) => p.name));
  const all = schema.fields.map((f) => ({ name: f.name, field: f, partition: partNames.has(f.name), physicalName: physicalName(f, mode) }));
  if (!names) return all;
  return names.map((n) => {
    const c = all.find((x) => x.name === n) ?? all.find((x) => x.name.toLowerCase() === n.toLowerCase());
    if (!c) {
      throw new DeltaError('QUERY_ERROR', `Column "${n}" is not in the table schema (columns: ${all.map((a) => a.name).join(', ')}).`);
    }
    return c;
  });
}

/** Options of {@link planScan} beyond {@link ScanOptions}. */
export interface PlanContext {
  /** Engine used to evaluate pruning predicates (required when `where` is given). */
  engine?: SqlEngine;
  /** DuckDB schema for temporary helper tables (default `main`). */
  scratchSchema?: string;
  /**
   * The table's store: with it, `LIMIT n` over files without `numRecords` reads their footers' row
   * counts, in log order, only as far as n rows (instead of reading every file).
   */
  store?: ObjectStore;
}

/**
 * Plans a scan of `snapshot`: resolves columns, prunes files (partition values, statistics, limit)
 * and returns the chosen files in log order.
 *
 * @throws DeltaError `UNSUPPORTED_READER_FEATURE` (the table needs a reader feature this reader
 *   lacks), `QUERY_ERROR` (unknown column; a predicate DuckDB rejects outright is NOT an error
 *   here, it just prunes nothing), `INVALID_PARTITION_VALUE`, `CANCELLED`.
 */
export async function planScan(snapshot: Snapshot, options: ScanOptions = {}, ctx: PlanContext = {}): Promise<ScanPlan> {
  snapshot.assertReadable();
  const mode = columnMappingMode(snapshot.metadata.configuration, snapshot.protocol);
  const schema = snapshot.schema;
  const partitionColumns = partitionColumnInfo(schema, snapshot.metadata.partitionColumns ?? [], mode, { version: snapshot.version });
  const columns = resolveColumns(schema, mode, partitionColumns, options.columns);
  const n = snapshot.files.length;
  const where = options.where?.trim() || undefined;
  const limit = options.limit !== undefined && options.limit >= 0 ? Math.floor(options.limit) : undefined;

  let totalBytes = 0;
  snapshot.files.forEach((b, r) => (totalBytes += Number.isNaN(b.size[r]) ? 0 : b.size[r]));
  const report: PruningReport = {
    totalFiles: n,
    totalBytes,
    selectedBytes: 0,
    byPartition: 0,
    byStats: 0,
    byLimit: 0,
    partitionConjuncts: [],
    statsConjuncts: [],
  };

  let keep: Uint8Array = new Uint8Array(n).fill(1);
  if (where && n > 0) {
    if (!ctx.engine) throw new DeltaError('INVALID_ARGUMENT', 'planScan needs an engine to prune with a predicate.');
    keep = await pruneWithPredicate(snapshot, where, partitionColumns, mode, ctx.engine, ctx.scratchSchema ?? 'main', report, options.signal);
  }
  if (!where && limit !== undefined) {
    let rows = 0;
    let i = 0;
    snapshot.files.forEach((b, r) => {
      if (rows >= limit) {
        keep[i] = 0;
        report.byLimit++;
      } else {
        const nr = numRecordsAt(b, r);
        const del = b.dvCardinality && !Number.isNaN(b.dvCardinality[r]) ? b.dvCardinality[r] : 0;
        if (nr !== null) rows += Math.max(0, nr - del);
      }
      i++;
    });
  }

  const files: PlannedFile[] = [];
  snapshot.files.forEach((b, r, i) => {
    if (!keep[i]) return;
    files.push(plannedFile(snapshot, b, r, i, partitionColumns));
  });
  if (!where && limit !== undefined && ctx.store && files.some((f) => f.numRecords === null)) {
    const kept = await filesForLimit(ctx.store, snapshot.version, files, limit, options.signal);
    report.byLimit += files.length - kept;
    files.length = kept;
  }
  report.selectedBytes = files.reduce((s, f) => s + f.sizeBytes, 0);
  return { version: snapshot.version, mode, schema, columns, partitionColumns, files, where, limit, pruning: report };
}

/**
 * How many of `files` (in log order) a `LIMIT n` read needs: row counts from `numRecords`, or from
 * the file's footer where the log has no statistics, read in growing batches (1, 2, 4, 8 files)
 * and only until n rows are reached.
 * @throws DeltaError from reading a footer (`FILE_NOT_FOUND`, `DATA_INTEGRITY`, store errors), `CANCELLED`.
 */
async function filesForLimit(store: ObjectStore, version: number, files: PlannedFile[], limit: number, signal?: AbortSignal): Promise<number> {
  let rows = 0;
  let k = 0;
  let batch = 1;
  while (k < files.length && rows < limit) {
    throwIfAborted(signal);
    const chunk = files.slice(k, k + batch);
    const counts = await Promise.all(
      chunk.map((f) => (f.numRecords !== null ? f.numRecords : cachedFooter(store, { path: f.path, sizeBytes: f.sizeBytes, version }, signal).then((ft) => ft.numRows))),
    );
    for (let j = 0; j < chunk.length && rows < limit; j++, k++) rows += Math.max(0, counts[j] - chunk[j].deletedRows);
    batch = Math.min(batch * 2, 8);
  }
  return k;
}

function plannedFile(snapshot: Snapshot, b: FileActionBatch, r: number, i: number, partitionColumns: PartitionColumn[]): PlannedFile {
  const raw = b.path[r];
  const path = storePath(raw.includes('%') ? safeDecode(raw) : raw, snapshot.store);
  const dv = b.deletionVector(r);
  return {
    index: i,
    path,
    sizeBytes: Number.isNaN(b.size[r]) ? 0 : b.size[r],
    numRecords: numRecordsAt(b, r),
    deletedRows: dv ? dv.cardinality : 0,
    deletionVector: dv,
    partitionValues: partitionColumns.length
      ? parsePartitionValues(b.partitionValuesAt(r), partitionColumns, { version: snapshot.version, path: raw })
      : {},
  };
}

/**
 * Maps a decoded `add.path` (or `cdc.path`) to a store path: relative paths as they are; absolute
 * `file:` URIs or paths under the store's root (its `description`) made relative.
 * @throws DeltaError `FILE_NOT_FOUND` for an absolute location outside the table root.
 */
export function storePath(path: string, store: ObjectStore): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) && !path.startsWith('/')) return path;
  let abs = path.replace(/^file:\/\/(localhost)?/i, '').replace(/^file:/i, '');
  const root = store.description.replace(/\/+$/, '');
  if (abs.startsWith(root + '/')) return abs.slice(root.length + 1);
  throw new DeltaError('FILE_NOT_FOUND', `Data file ${path} lies outside the table root ${store.description}; this reader only reads files under the table.`, {
    path,
    hint: 'Open the table through a location that contains its data files (shallow clones reference files of another table).',
  });
}

/** One stats-pruning column: its schema column and the comparisons on it. */
interface StatsColumn {
  key: string;
  type: DataType;
  slot: number;
}

/**
 * Evaluates the predicate's prunable conjuncts over a helper table of per-file partition values and
 * statistics. Returns a keep-mask over `snapshot.files`.
 */
async function pruneWithPredicate(
  snapshot: Snapshot,
  where: string,
  partitionColumns: PartitionColumn[],
  mode: ColumnMappingMode,
  engine: SqlEngine,
  scratch: string,
  report: PruningReport,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const n = snapshot.files.length;
  const keep = new Uint8Array(n).fill(1);
  const conjuncts = splitConjuncts(where);
  if (!conjuncts.length) return keep;
  const partNames = new Set(partitionColumns.map((p) => p.name.toLowerCase()));

  // Statistics candidates: simple comparisons on top-level primitive data columns.
  const statsCols = new Map<string, StatsColumn>();
  const comparisons: { conjunct: string; cmp: SimpleComparison; col: StatsColumn }[] = [];
  for (const c of conjuncts) {
    const cmp = parseSimpleComparison(c);
    if (!cmp) continue;
    const lname = cmp.column.toLowerCase();
    if (partNames.has(lname)) continue;
    const field = snapshot.schema.fields.find((f) => f.name === cmp.column) ?? snapshot.schema.fields.find((f) => f.name.toLowerCase() === lname);
    if (!field || !statsEligible(field.type)) continue;
    const key = physicalName(field, mode);
    let col = statsCols.get(key);
    if (!col) {
      col = { key, type: field.type, slot: statsCols.size };
      statsCols.set(key, col);
    }
    comparisons.push({ conjunct: c, cmp, col });
  }

  // The helper table: canonical text of partition values and stats, one row per active file.
  const idx = new Int32Array(n);
  const pv: (string | null)[][] = partitionColumns.map(() => new Array(n));
  const nrec = new Float64Array(n);
  const mins: (string | null)[][] = [...statsCols.values()].map(() => new Array(n));
  const maxs: (string | null)[][] = [...statsCols.values()].map(() => new Array(n));
  const nulls: Float64Array[] = [...statsCols.values()].map(() => new Float64Array(n));
  snapshot.files.forEach((b, r, i) => {
    idx[i] = i;
    if (partitionColumns.length) {
      const values = parsePartitionValues(b.partitionValuesAt(r), partitionColumns, { version: snapshot.version, path: b.path[r] });
      partitionColumns.forEach((p, k) => (pv[k][i] = canonicalValue(values[p.name])));
    }
    if (!statsCols.size) {
      nrec[i] = numRecordsAt(b, r) ?? NaN;
      return;
    }
    const st = statsAt(b, r);
    nrec[i] = st?.numRecords ?? NaN;
    for (const col of statsCols.values()) {
      mins[col.slot][i] = canonicalStat(statValue(st?.minValues, col.key), col.type, 'min');
      maxs[col.slot][i] = canonicalStat(statValue(st?.maxValues, col.key), col.type, 'max');
      const nc = statValue(st?.nullCount, col.key);
      nulls[col.slot][i] = typeof nc === 'number' ? nc : typeof nc === 'bigint' ? Number(nc) : NaN;
    }
  });
  const cols: Record<string, arrow.Vector> = {
    __idx: arrow.makeVector(idx),
    __n: nanToNull(nrec),
  };
  partitionColumns.forEach((_p, k) => (cols[`__p${k}`] = arrow.vectorFromArray(pv[k], new arrow.Utf8())));
  for (const col of statsCols.values()) {
    cols[`__min${col.slot}`] = arrow.vectorFromArray(mins[col.slot], new arrow.Utf8());
    cols[`__max${col.slot}`] = arrow.vectorFromArray(maxs[col.slot], new arrow.Utf8());
    cols[`__nulls${col.slot}`] = nanToNull(nulls[col.slot]);
  }
  const tmp = `__prune_${nextId()}`;
  const tmpRef = `${quoteIdent(scratch)}.${quoteIdent(tmp)}`;
  await engine.insertArrow(tmp, new arrow.Table(cols), { schema: scratch });
  try {
    throwIfAborted(signal);
    const sel = [
      '__idx',
      '__n',
      ...partitionColumns.map((p, k) => `${castCanonical(`__p${k}`, p.type)} AS ${quoteIdent(p.name)}`),
      ...[...statsCols.values()].flatMap((c) => [
        `${castCanonical(`__min${c.slot}`, c.type)} AS __min${c.slot}`,
        `${castCanonical(`__max${c.slot}`, c.type)} AS __max${c.slot}`,
        `__nulls${c.slot}`,
      ]),
    ];
    const inner = `(SELECT ${sel.join(', ')} FROM ${tmpRef}) AS __c`;
    const partConds: string[] = [];
    if (partitionColumns.length) {
      for (const c of conjuncts) {
        if (comparisons.some((x) => x.conjunct === c)) continue;
        try {
          await engine.query(`SELECT 1 FROM ${inner} WHERE (${c}) LIMIT 0`);
          partConds.push(`(${c})`);
          report.partitionConjuncts.push(c);
        } catch {
          // references data columns (or is not valid SQL): not a partition filter
        }
      }
    }
    const statConds: string[] = [];
    for (const { conjunct, cmp, col } of comparisons) {
      const cond = statsKeepCondition(cmp, col.slot);
      if (!cond) continue;
      statConds.push(cond);
      report.statsConjuncts.push(conjunct);
    }
    if (!partConds.length && !statConds.length) return keep;
    const keptBy = async (conds: string[]): Promise<Set<number>> => {
      const res = await engine.query(`SELECT __idx FROM ${inner} WHERE ${conds.join(' AND ')}`);
      const col = res.getChild('__idx')!;
      const s = new Set<number>();
      for (let k = 0; k < res.numRows; k++) s.add(Number(col.get(k)));
      return s;
    };
    let afterPart: Set<number> | undefined;
    if (partConds.length) {
      try {
        afterPart = await keptBy(partConds);
      } catch {
        afterPart = undefined; // evaluation failed (e.g. a cast error on a value): prune nothing
      }
    }
    let afterStats: Set<number> | undefined;
    if (statConds.length) {
      try {
        afterStats = await keptBy(statConds);
      } catch {
        afterStats = undefined;
      }
    }
    for (let i = 0; i < n; i++) {
      if (afterPart && !afterPart.has(i)) {
        keep[i] = 0;
        report.byPartition++;
      } else if (afterStats && !afterStats.has(i)) {
        keep[i] = 0;
        report.byStats++;
      }
    }
    return keep;
  } finally {
    await engine.query(`DROP TABLE IF EXISTS ${tmpRef}`).catch(() => undefined);
  }
}

function nanToNull(values: Float64Array): arrow.Vector {
  return arrow.vectorFromArray(Array.from(values, (v) => (Number.isNaN(v) ? null : v)), new arrow.Float64());
}

/**
 * SQL that is TRUE unless the file's statistics prove no row satisfies the comparison. Statistics
 * columns: `__min<slot>`, `__max<slot>` (typed), `__nulls<slot>`, and `__n` (numRecords); NULL means
 * unknown and never prunes.
 */
function statsKeepCondition(cmp: SimpleComparison, slot: number): string | undefined {
  const mn = `__min${slot}`;
  const mx = `__max${slot}`;
  const nl = `__nulls${slot}`;
  const allNull = `(${nl} IS NOT NULL AND __n IS NOT NULL AND ${nl} >= __n)`;
  const [a, b] = cmp.literals;
  let prune: string;
  switch (cmp.op) {
    case '=':
      prune = `${allNull} OR ${mn} > ${a} OR ${mx} < ${a}`;
      break;
    case '<':
      prune = `${allNull} OR ${mn} >= ${a}`;
      break;
    case '<=':
      prune = `${allNull} OR ${mn} > ${a}`;
      break;
    case '>':
      prune = `${allNull} OR ${mx} <= ${a}`;
      break;
    case '>=':
      prune = `${allNull} OR ${mx} < ${a}`;
      break;
    case '<>':
      prune = `${allNull} OR (${mn} = ${a} AND ${mx} = ${a})`;
      break;
    case 'IS NULL':
      prune = `${nl} = 0`;
      break;
    case 'IS NOT NULL':
      prune = allNull;
      break;
    case 'IN':
      prune = `${allNull} OR (${cmp.literals.map((l) => `(${mn} > ${l} OR ${mx} < ${l})`).join(' AND ')})`;
      break;
    case 'BETWEEN':
      prune = `${allNull} OR ${mn} > ${b} OR ${mx} < ${a}`;
      break;
    default:
      return undefined;
  }
  return `NOT COALESCE(${prune}, FALSE)`;
}

// ---------------------------------------------------------------------------------------------
// Registering files
// ---------------------------------------------------------------------------------------------

/**
 * Age after which a file registered by a presigned URL is registered again with a fresh URL
 * (ms): well inside the shortest lifetime stores hand out (10 minutes; lakeFS presigns for 15).
 */
export const URL_REFRESH_MS = 5 * 60_000;

/** How data bytes reach DuckDB: always through `store.get` (`'buffer'`, the default), or through a handle the store offers (`'direct'`). */
export type FileAccess = 'buffer' | 'direct';

/**
 * Rows per value of an INTEGER index column (a scan's `__dx_file`, a change feed's `__rid`):
 * `out[i]` = rows whose index is i, for i in [0, size). NULLs are not counted.
 */
export function countIndexes(v: arrow.Vector, size: number): Float64Array {
  const counts = new Float64Array(size);
  for (const d of v.data) {
    const vals = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) if (d.getValid(i)) counts[vals[i]]++;
  }
  return counts;
}

/** What a registered DuckDB file name stands for. */
export interface RegisteredFile {
  /** The file's path in the store (relative to the table root). */
  path: string;
  /** The table version that read it first. */
  version: number;
  /** `Data file`, `Change data file`, ... */
  what: string;
  /** Bytes, from the log, when known. */
  sizeBytes?: number;
}

/** A store that can hand out browser `File`s (see `FileListStore.fileAt`). */
interface FileHandleStore {
  fileAt(path: string): Blob | undefined;
}

/**
 * Registers data files with an engine once and remembers their DuckDB names. Owned by a query
 * session; {@link FileRegistry.dropAll} forgets every file.
 */
export class FileRegistry {
  private readonly names = new Map<string, string>();
  /** Files registered by a URL valid for a limited time (presigned), by path: refreshed by {@link refreshUrls}. */
  private readonly expiring = new Map<string, { name: string; sizeBytes?: number; atMs: number }>();
  /** Registered name → DuckDB table holding the file as decoded by the fallback decoder. */
  private readonly decoded = new Map<string, string>();
  /** Registered name → why DuckDB does not read the file itself (files routed to the fallback decoder). */
  readonly fallbackReasons = new Map<string, string>();
  /** Registered name → the file's footer (row count, codecs, encodings). */
  readonly footers = new Map<string, DataFileFooter>();
  /** Registered name → the file it stands for. */
  protected readonly registered = new Map<string, RegisteredFile>();
  private counter = 0;
  /** The engine generation the registrations belong to (see `SqlEngine.generation`). */
  private generation: number;
  /** Bytes read through `store.get` so far. */
  bytesRead = 0;
  /**
   * Read every file's footer before registering it: check its row count against `numRecords` and
   * route files DuckDB cannot read to the fallback decoder (default true; off only for tests whose
   * stores hold no real files).
   */
  checkFooters = true;

  /**
   * @param prefix a unique prefix for DuckDB file names (e.g. `dx3`).
   * @param fileAccess see {@link FileAccess}.
   * @param concurrency how many files to read at once (default 8).
   */
  constructor(
    readonly engine: SqlEngine,
    readonly store: ObjectStore,
    readonly prefix: string,
    readonly fileAccess: FileAccess = 'buffer',
    readonly concurrency = 8,
  ) {
    this.generation = engine.generation ?? 0;
  }

  /** The DuckDB name of a registered file, if any. */
  nameOf(path: string): string | undefined {
    return this.names.get(path);
  }

  /** True when the registered name stands for a file decoded by the fallback decoder. */
  isDecoded(name: string): boolean {
    return this.decoded.has(name);
  }

  /**
   * The FROM item (without alias) that reads the registered files `names` as DuckDB's
   * `read_parquet` does, with its `filename` / `file_row_number` columns when asked: one
   * `read_parquet` call over parquet files, or the table of a file decoded by the fallback decoder
   * (which always carries both columns). A decoded file must be read on its own (one name).
   */
  readSql(names: string[], options: { filename?: boolean; rowNumber?: boolean } = {}): string {
    const decoded = names.filter((n) => this.decoded.has(n));
    if (decoded.length) {
      if (names.length !== 1) throw new DeltaError('QUERY_ERROR', 'Internal: a file decoded by the fallback decoder must be read on its own.');
      return quoteIdent(this.decoded.get(decoded[0])!);
    }
    const list = `[${names.map(quoteString).join(', ')}]`;
    return `read_parquet(${list}, hive_partitioning=false${options.filename ? ', filename=true' : ''}${options.rowNumber ? ', file_row_number=true' : ''})`;
  }

  /**
   * Registers every path not yet registered and returns path → DuckDB file name.
   * @throws DeltaError `FILE_NOT_FOUND` naming the data file (and `version`), store errors, `CANCELLED`.
   */
  async ensure(paths: string[], version: number, signal?: AbortSignal): Promise<Map<string, string>> {
    return this.ensureFiles(
      paths.map((path) => ({ path, version })),
      signal,
    );
  }

  /**
   * Like {@link ensure}, with the version (and a label such as `Change data file`, default
   * `Data file`) given per file for the `FILE_NOT_FOUND` message. A path listed twice is
   * registered once (the first entry names it).
   *
   * Before registering a file, its footer is read (see `parquet-footer.ts`): its row count must
   * equal `numRecords` when given (the statistic from the log), else `DATA_INTEGRITY`; a file
   * DuckDB 0.9.1 would refuse or decode wrongly is decoded by the fallback decoder instead (see
   * `fallback-decoder.ts`), transparently for {@link readSql}.
   *
   * @throws DeltaError `FILE_NOT_FOUND` naming the file, its kind and version; `DATA_INTEGRITY`
   *   (row count or size differs from the log, not a parquet file); `FILE_TOO_LARGE` (a fallback
   *   file above its limit); store errors; `CANCELLED`.
   */
  async ensureFiles(
    files: { path: string; version: number; what?: string; sizeBytes?: number | null; numRecords?: number | null }[],
    signal?: AbortSignal,
  ): Promise<Map<string, string>> {
    this.syncGeneration();
    const todo = new Map<string, { version: number; what?: string; sizeBytes?: number | null; numRecords?: number | null }>();
    for (const f of files) if (!this.names.has(f.path) && !todo.has(f.path)) todo.set(f.path, f);
    await mapLimit([...todo], this.concurrency, async ([path, f]) => {
      throwIfAborted(signal);
      const name = `${this.prefix}_${++this.counter}.parquet`;
      await this.register(path, name, f.version, signal, f.what, f.sizeBytes ?? undefined, f.numRecords ?? null);
      this.names.set(path, name);
    });
    const out = new Map<string, string>();
    for (const f of files) out.set(f.path, this.names.get(f.path)!);
    return out;
  }

  /** After the engine restarted (a trap), everything registered before is gone: forget it. */
  private syncGeneration(): void {
    const g = this.engine.generation ?? 0;
    if (g === this.generation) return;
    this.generation = g;
    this.names.clear();
    this.expiring.clear();
    this.decoded.clear();
    this.fallbackReasons.clear();
    this.footers.clear();
    this.registered.clear();
  }

  /**
   * The registered parquet file (not yet decoded by the fallback) a `QUERY_ERROR` of DuckDB names,
   * if any: a file the footer rules did not route but DuckDB failed to read.
   */
  failedFile(e: unknown): string | undefined {
    if (!(e instanceof DeltaError) || e.code !== 'QUERY_ERROR') return undefined;
    const text = `${e.message} ${e.cause instanceof Error ? e.cause.message : ''}`;
    return (text.match(this.namePattern()) ?? []).find((n) => this.registered.has(n) && !this.decoded.has(n));
  }

  /** The data file a registered DuckDB name stands for, if any. */
  fileOf(name: string): RegisteredFile | undefined {
    return this.registered.get(name);
  }

  /** Matches this registry's DuckDB file names (`dx3_17.parquet`) in a text (global). */
  protected namePattern(): RegExp {
    return new RegExp(`${this.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_\\d+\\.parquet`, 'g');
  }

  /**
   * The safety net behind the footer rules: a file DuckDB failed to read is decoded by the fallback
   * decoder instead, under the same name, so the next attempt reads it exactly.
   * @throws as {@link ensureFiles}.
   */
  async reroute(name: string, reason: string, signal?: AbortSignal): Promise<void> {
    const f = this.registered.get(name);
    if (!f) return;
    const footer = this.footers.get(name) ?? (await cachedFooter(this.store, { path: f.path, version: f.version, what: f.what, sizeBytes: f.sizeBytes }, signal));
    await this.engine.dropFile(name);
    const table = `${this.prefix}_fb_${this.counter}_${nextId()}`;
    await decodeIntoTable(this.engine, { store: this.store, path: f.path, version: f.version, what: f.what, footer, reason, name, table, signal });
    this.decoded.set(name, table);
    this.fallbackReasons.set(name, reason);
  }

  private async register(
    path: string,
    name: string,
    version: number,
    signal?: AbortSignal,
    what = 'Data file',
    sizeBytes?: number,
    numRecords: number | null = null,
  ): Promise<void> {
    const notFound = (e: unknown): never => rethrowNamed(e, what, path, version);
    this.registered.set(name, { path, version, what, sizeBytes });
    const direct = this.fileAccess === 'direct';
    // Buffer access reads the file whole anyway: its footer comes from those bytes.
    let bytes: Uint8Array | undefined;
    if (!direct) {
      bytes = await this.store.get(path, signal).catch(notFound);
      this.bytesRead += bytes.byteLength;
      if (this.checkFooters && sizeBytes !== undefined && bytes.byteLength !== sizeBytes) {
        throw new DeltaError('DATA_INTEGRITY', `${what} ${path} of table version ${version} is ${bytes.byteLength} bytes long where the log states ${sizeBytes}.`, {
          path,
          version,
          hint: 'The file does not match the Delta log: it may be damaged, truncated or replaced outside Delta. Restore it, or open a version that does not use it.',
        });
      }
    }
    if (this.checkFooters) {
      const footer = bytes ? footerOfBytes(bytes, { path, version, what }) : await cachedFooter(this.store, { path, version, what, sizeBytes }, signal);
      this.footers.set(name, footer);
      checkRowCount(footer, { path, version, what, numRecords });
      const problem = duckdbReadProblem(footer);
      if (problem) {
        const table = `${this.prefix}_fb_${this.counter}_${nextId()}`;
        await decodeIntoTable(this.engine, { store: this.store, path, version, what, footer, reason: problem, name, table, bytes, signal });
        this.decoded.set(name, table);
        this.fallbackReasons.set(name, problem);
        return;
      }
    }
    if (direct) {
      const handles = this.store as unknown as Partial<FileHandleStore>;
      if (this.engine.capabilities.fileHandles && typeof handles.fileAt === 'function') {
        const file = handles.fileAt(path);
        if (!file) notFound(new DeltaError('FILE_NOT_FOUND', `File not found: ${path}`, { path }));
        await this.engine.registerFile(name, file!);
        return;
      }
      const url = await this.store.url?.(path);
      if (url && /^https?:\/\//i.test(url) && this.engine.capabilities.urls) {
        // With the size from the log, DuckDB reads by range without a HEAD (which presigned URLs refuse).
        if (sizeBytes !== undefined && this.engine.capabilities.sizedUrls) {
          await this.engine.registerUrl(name, url, sizeBytes);
          if (this.store.capabilities.getOnlyUrls) this.expiring.set(path, { name, sizeBytes, atMs: Date.now() });
          return;
        }
        if (!this.store.capabilities.getOnlyUrls) {
          await this.engine.registerUrl(name, url);
          return;
        }
      }
      if (url && (url.startsWith('/') || /^[A-Za-z]:[\\/]/.test(url)) && this.engine.capabilities.localPaths) {
        await this.store.head(path, signal).catch(notFound);
        await this.engine.registerLocalPath(name, url);
        return;
      }
      bytes = await this.store.get(path, signal).catch(notFound);
      this.bytesRead += bytes.byteLength;
    }
    await this.engine.registerBuffer(name, bytes!);
  }

  /**
   * Registers again, with a fresh URL from the store, every file registered by a presigned URL more
   * than {@link URL_REFRESH_MS} ago (at `nowMs`, ms since the epoch), so a session kept open longer
   * than a URL lives keeps reading. Stores hand out URLs valid for at least 10 minutes.
   * @throws store errors, `QUERY_ERROR` from the engine, `CANCELLED`.
   */
  async refreshUrls(signal?: AbortSignal, nowMs = Date.now()): Promise<number> {
    let n = 0;
    for (const [path, f] of this.expiring) {
      if (nowMs - f.atMs <= URL_REFRESH_MS) continue;
      throwIfAborted(signal);
      const url = await this.store.url!(path);
      if (!url) continue;
      await this.engine.dropFile(f.name);
      await this.engine.registerUrl(f.name, url, f.sizeBytes);
      f.atMs = nowMs;
      n++;
    }
    return n;
  }

  /** Drops every registered file (and fallback table) from the engine. */
  async dropAll(): Promise<void> {
    this.syncGeneration();
    this.expiring.clear();
    for (const name of this.names.values()) {
      const table = this.decoded.get(name);
      if (table) await this.engine.query(dropFallbackSql(table)).catch(() => undefined);
      else await this.engine.dropFile(name);
    }
    this.names.clear();
    this.decoded.clear();
    this.fallbackReasons.clear();
    this.footers.clear();
    this.registered.clear();
  }
}

/**
 * The footer of a file read whole.
 * @throws DeltaError `DATA_INTEGRITY` when the bytes are not a parquet file.
 */
function footerOfBytes(bytes: Uint8Array, where: { path: string; version: number; what: string }): DataFileFooter {
  try {
    return summarizeFooter(parseFooter(bytes), bytes.byteLength);
  } catch (e) {
    throw new DeltaError('DATA_INTEGRITY', `${where.what} ${where.path} of table version ${where.version} is not a readable parquet file: ${e instanceof Error ? e.message : String(e)}.`, {
      path: where.path,
      version: where.version,
      cause: e,
      hint: 'The file is damaged or not a parquet file. Restore it, or open a version that does not use it.',
    });
  }
}

/**
 * The count invariant at the file level: a data file holds exactly `numRecords` rows (its
 * statistic in the log, PROTOCOL.md "Per-file Statistics") when the log has one.
 * @throws DeltaError `DATA_INTEGRITY` naming the file, version, expected and actual counts.
 */
export function checkRowCount(footer: DataFileFooter, f: { path: string; version: number; what?: string; numRecords: number | null }): void {
  if (f.numRecords === null || footer.numRows === f.numRecords) return;
  throw new DeltaError(
    'DATA_INTEGRITY',
    `${f.what ?? 'Data file'} ${f.path} of table version ${f.version} holds ${footer.numRows} rows, but the log's statistics say numRecords = ${f.numRecords}.`,
    {
      path: f.path,
      version: f.version,
      hint: 'The file does not match the Delta log: it may have been rewritten outside Delta. No rows are shown rather than wrong ones.',
    },
  );
}

// ---------------------------------------------------------------------------------------------
// SQL
// ---------------------------------------------------------------------------------------------

/** Where {@link buildScanSql} registers files and helper tables. */
export interface ScanSqlContext {
  engine: SqlEngine;
  store: ObjectStore;
  registry: FileRegistry;
  /** DuckDB schema for helper tables (partition values, deletion vectors); must exist. */
  schema: string;
  signal?: AbortSignal;
  /** Parallel DV loads (default 8). */
  concurrency?: number;
  /**
   * Most `read_parquet` branches with partition values written as constants (default
   * {@link MAX_CONSTANT_BRANCHES}); beyond it, or with 0, partition values are joined per row from
   * a helper table (same rows, slower).
   */
  maxConstantBranches?: number;
  /**
   * Add a column `__dx_file` (INTEGER) holding each row's file as an index into
   * {@link ScanSql.fileNames} (the registered name), for the
   * per-file row counts of the count invariant (see `QuerySession.scan`). Default false.
   */
  fileColumn?: boolean;
}

/** SQL for a plan plus the helper tables it needs. */
export interface ScanSql {
  /** A SELECT producing the plan's columns (logical names, logical types), without WHERE/LIMIT. */
  sql: string;
  /** Helper tables created for this SQL (qualified names); drop them when the SQL is no longer used. */
  helperTables: string[];
  /** With `fileColumn`: the registered file name of each `__dx_file` value (index 0 unused). */
  fileNames?: string[];
}

/** A parquet_schema row, for grouping files by physical layout. */
type SchemaRow = string;

/**
 * Registers the plan's files (and DVs) with the engine and returns SQL that reads them as the
 * table's logical rows: a UNION ALL with one `read_parquet` call per group of files with the same
 * Parquet schema and, when partition columns are selected, the same partition values, which the
 * branch selects as typed constants (DuckDB folds filters on them and never joins per row). With
 * more than {@link ScanSqlContext.maxConstantBranches} such groups, or a partition value longer than
 * {@link MAX_CONSTANT_CHARS}, files are grouped by schema only and partition values are joined
 * from a helper table by file name. Rows of files with deletion vectors are removed with an anti
 * join on (file name, `file_row_number`).
 *
 * @throws DeltaError `FILE_NOT_FOUND` (data file or DV file, named), `CORRUPT_DELETION_VECTOR`,
 *   `QUERY_ERROR` (a file DuckDB cannot read), `CANCELLED`.
 */
export async function buildScanSql(plan: ScanPlan, ctx: ScanSqlContext): Promise<ScanSql> {
  const { engine, schema } = ctx;
  const cols = plan.columns;
  const helperTables: string[] = [];
  const fileCol = ctx.fileColumn ? ', CAST(NULL AS INTEGER) AS __dx_file' : '';
  const fileNames: string[] = [''];
  if (!plan.files.length) {
    const sel = cols.length ? cols.map((c) => `${nullOf(c.field.type)} AS ${quoteIdent(c.name)}`).join(', ') : 'NULL AS __row';
    return { sql: `SELECT ${sel}${fileCol} WHERE false`, helperTables };
  }
  const names = await ctx.registry.ensureFiles(
    plan.files.map((f) => ({ path: f.path, version: plan.version, sizeBytes: f.sizeBytes, numRecords: f.numRecords })),
    ctx.signal,
  );
  throwIfAborted(ctx.signal);

  // Deletion vectors.
  const withDv = plan.files.filter((f) => f.deletionVector);
  const dvRows = await mapLimit(withDv, ctx.concurrency ?? 8, (f) =>
    loadDeletionVector(ctx.store, f.deletionVector!, { dataFile: f.path, version: plan.version, signal: ctx.signal }),
  );
  withDv.forEach((f, j) => checkDeletionVectorRows(f.path, plan.version, dvRows[j], ctx.registry.footers.get(names.get(f.path)!)?.numRows ?? f.numRecords));
  let dvTable: string | undefined;
  const id = nextId();
  if (withDv.length) {
    const total = dvRows.reduce((s, r) => s + r.length, 0);
    const fname: string[] = new Array(total);
    const rows = new BigInt64Array(total);
    let k = 0;
    withDv.forEach((f, j) => {
      const nm = names.get(f.path)!;
      for (const r of dvRows[j]) {
        fname[k] = nm;
        rows[k++] = BigInt(r);
      }
    });
    const name = `__dv_${id}`;
    await engine.insertArrow(name, new arrow.Table({ __fname: arrow.vectorFromArray(fname, new arrow.Utf8()), __row: arrow.makeVector(rows) }), { schema });
    dvTable = `${quoteIdent(schema)}.${quoteIdent(name)}`;
    helperTables.push(dvTable);
  }

  // Group files by physical schema, then (with partition columns selected) by partition values.
  const partCols = cols.filter((c) => c.partition);
  const byName = new Map(plan.files.map((f) => [names.get(f.path)!, f]));
  const groups = (await groupByPhysicalSchema(engine, [...byName.keys()], ctx.registry)).map((g) => g.map((n) => byName.get(n)!));
  const branches = groups.map((files) => (partCols.length ? groupByPartitionValues(files, partCols) : [files]));
  const constants =
    branches.reduce((s, b) => s + b.length, 0) <= (ctx.maxConstantBranches ?? MAX_CONSTANT_BRANCHES) &&
    branches.every((b) => b.every((files) => partCols.every((c) => (canonicalValue(files[0].partitionValues[c.name] ?? null)?.length ?? 0) <= MAX_CONSTANT_CHARS)));

  // Many distinct partition values: one helper table of typed values per file, joined per row.
  let filesTable: string | undefined;
  if (partCols.length && !constants) {
    const raw: Record<string, arrow.Vector> = {
      __fname: arrow.vectorFromArray(plan.files.map((f) => names.get(f.path)!), new arrow.Utf8()),
    };
    partCols.forEach((c, k) => (raw[`__p${k}`] = arrow.vectorFromArray(plan.files.map((f) => canonicalValue(f.partitionValues[c.name] ?? null)), new arrow.Utf8())));
    const rawName = `__pvraw_${id}`;
    await engine.insertArrow(rawName, new arrow.Table(raw), { schema });
    const rawRef = `${quoteIdent(schema)}.${quoteIdent(rawName)}`;
    filesTable = `${quoteIdent(schema)}.${quoteIdent(`__pv_${id}`)}`;
    await engine.query(
      `CREATE TABLE ${filesTable} AS SELECT __fname, ${partCols.map((c, k) => `${castCanonical(`__p${k}`, c.field.type)} AS ${quoteIdent(c.name)}`).join(', ')} FROM ${rawRef}; DROP TABLE ${rawRef}`,
    );
    helperTables.push(filesTable);
  }

  const selects: string[] = [];
  for (const [g, files] of groups.entries()) {
    const { exprs } = await logicalColumnSql(engine, names.get(files[0].path)!, cols, plan.mode, 'f', ctx.registry);
    for (const part of constants ? branches[g] : [files]) {
      const hasDv = dvTable !== undefined && part.some((f) => f.deletionVector);
      const partNames = part.map((f) => names.get(f.path)!);
      // One file per branch: its index is a constant; several: its position in the branch's list.
      const needName = hasDv || filesTable !== undefined || (!!ctx.fileColumn && partNames.length > 1);
      let fileExpr = '';
      if (ctx.fileColumn) {
        const base = fileNames.length - 1;
        fileNames.push(...partNames);
        fileExpr = partNames.length === 1 ? `, CAST(${base + 1} AS INTEGER) AS __dx_file` : `, CAST(${base} + list_position([${partNames.map(quoteString).join(', ')}], d.filename) AS INTEGER) AS __dx_file`;
      }
      let from = `${ctx.registry.readSql(part.map((f) => names.get(f.path)!), { filename: needName, rowNumber: hasDv })} AS d`;
      if (filesTable) from += ` JOIN ${filesTable} AS f ON f.__fname = d.filename`;
      if (hasDv) from += ` ANTI JOIN ${dvTable} AS x ON x.__fname = d.filename AND x.__row = d.file_row_number`;
      // Partition values as typed constants of this branch: DuckDB folds filters and casts on them.
      const sel = constants ? cols.map((c, k) => (c.partition ? `${partitionLiteral(part[0].partitionValues[c.name] ?? null, c.field.type)} AS ${quoteIdent(c.name)}` : exprs[k])) : exprs;
      selects.push(`${sel.length ? sel.join(', ') : 'NULL AS __row'}${fileExpr} FROM ${from}`);
    }
  }
  const named = ctx.fileColumn ? { fileNames } : {};
  if (selects.length === 1) return { sql: `SELECT ${selects[0]}`, helperTables, ...named };
  // Every branch starts with a constant column the outer SELECT drops: a query that needs no
  // column (count(*)) then reads no column chunk, where DuckDB would otherwise keep (and decode)
  // the first column of each branch of a UNION ALL.
  const out = (cols.length ? cols.map((c) => quoteIdent(c.name)).join(', ') : '__row') + (ctx.fileColumn ? ', __dx_file' : '');
  return { sql: `SELECT ${out} FROM (${unionAll(selects.map((s) => `SELECT NULL AS __dx_lead, ${s}`))}) AS __u`, helperTables, ...named };
}

/**
 * The count invariant for deletion vectors: every row a DV deletes exists in its data file (row
 * indexes below the file's row count, PROTOCOL.md "Deletion Vectors"), so the rows read are exactly
 * the file's rows minus the DV's cardinality.
 * @throws DeltaError `DATA_INTEGRITY` naming the data file, version, the row index and the file's row count.
 */
export function checkDeletionVectorRows(path: string, version: number, rows: ArrayLike<number | bigint>, fileRows: number | null): void {
  if (fileRows === null || !rows.length) return;
  let max = -1;
  for (let i = 0; i < rows.length; i++) {
    const r = Number(rows[i]);
    if (r > max) max = r;
  }
  if (max >= fileRows) {
    throw new DeltaError('DATA_INTEGRITY', `The deletion vector of data file ${path} (table version ${version}) deletes row ${max}, but the file holds ${fileRows} rows.`, {
      path,
      version,
      hint: 'The deletion vector does not belong to this file: the table was changed outside Delta. No rows are shown rather than wrong ones.',
    });
  }
}

/**
 * Most `read_parquet` branches a scan's UNION ALL may have before partition values are joined
 * from a helper table instead of written as constants. Each branch costs DuckDB a pipeline
 * (about 1 ms of planning and start-up in DuckDB-WASM), and DuckDB-WASM 1.28 runs out of stack
 * near 100 left-nested UNION ALL branches (hence also the balanced nesting of {@link unionAll}).
 */
export const MAX_CONSTANT_BRANCHES = 32;

/**
 * Longest partition value (characters of its canonical text) written into SQL as a constant; a
 * longer one (values of megabytes are legal) makes the scan join the helper table instead, since
 * DuckDB-WASM 1.28 fails on SQL literals of a few MB ("memory access out of bounds").
 */
export const MAX_CONSTANT_CHARS = 4096;

/**
 * Splits files (one physical schema) into runs with equal values of the partition columns `cols`
 * (compared by canonical text, NULL distinct from every value), in order of first appearance.
 */
function groupByPartitionValues(files: PlannedFile[], cols: ScanColumn[]): PlannedFile[][] {
  const out = new Map<string, PlannedFile[]>();
  for (const f of files) {
    const key = JSON.stringify(cols.map((c) => canonicalValue(f.partitionValues[c.name] ?? null)));
    let g = out.get(key);
    if (!g) out.set(key, (g = []));
    g.push(f);
  }
  return [...out.values()];
}

/**
 * A partition value as a SQL constant of its column's DuckDB type: the same {@link castCanonical}
 * conversion the helper table applies, over a string literal (a typed NULL for null).
 */
export function partitionLiteral(v: PartitionValue, t: DataType): string {
  const text = canonicalValue(v);
  return text === null ? nullOf(t) : castCanonical(quoteString(text), t);
}

/**
 * Combines SELECTs with UNION ALL, nested as a balanced tree (`(a UNION ALL b) UNION ALL (c UNION
 * ALL d)`) so the plan's depth grows with log2 of the branch count. Empty input is not allowed.
 */
export function unionAll(selects: string[]): string {
  if (selects.length === 1) return selects[0];
  const mid = selects.length >> 1;
  const side = (s: string[]) => (s.length === 1 ? `(${s[0]})` : `(${unionAll(s)})`);
  return `${side(selects.slice(0, mid))}\nUNION ALL\n${side(selects.slice(mid))}`;
}

/**
 * Groups registered Parquet files by physical schema (the rows `parquet_schema` gives for each),
 * so each group can be read by one `read_parquet` call. Groups and the files in them keep the
 * order of `fileNames`; duplicate names are read once.
 */
export async function groupByPhysicalSchema(engine: SqlEngine, fileNames: string[], registry?: FileRegistry): Promise<string[][]> {
  const all = [...new Set(fileNames)];
  // Files decoded by the fallback decoder are tables, not parquet files: each is a group of its own.
  const decoded = registry ? all.filter((n) => registry.isDecoded(n)) : [];
  const unique = decoded.length ? all.filter((n) => !registry!.isDecoded(n)) : all;
  if (!unique.length) return decoded.map((n) => [n]);
  const schemaRows = await engine.query(
    `SELECT file_name, name, type, repetition_type, num_children, converted_type, logical_type, scale, precision FROM parquet_schema([${unique.map(quoteString).join(', ')}])`,
  );
  const sig = new Map<string, SchemaRow[]>();
  const get = (c: string) => schemaRows.getChild(c)!;
  const cFile = get('file_name');
  const parts = ['name', 'type', 'repetition_type', 'num_children', 'converted_type', 'logical_type', 'scale', 'precision'].map(get);
  for (let r = 0; r < schemaRows.numRows; r++) {
    const f = String(cFile.get(r));
    let list = sig.get(f);
    if (!list) sig.set(f, (list = []));
    list.push(parts.map((p) => String(p.get(r))).join('\u0001'));
  }
  const groups = new Map<string, string[]>();
  for (const f of unique) {
    const key = (sig.get(f) ?? []).join('\u0002');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  // Groups in log order of their first file (decoded files stand where they are in the log).
  const first = new Map(all.map((n, i) => [n, i]));
  return [...groups.values(), ...decoded.map((n) => [n])].sort((x, y) => first.get(x[0])! - first.get(y[0])!);
}

/**
 * The SELECT expressions that turn the columns of a data file read as alias `d` into the logical
 * columns `cols` (`expr AS "logical name"`), resolved against the physical schema of `sampleFile`
 * (a registered file name): columns by physical name (exact, then case-insensitive), nested fields
 * mapped and renamed, narrower types widened (see `convertExpr`), columns missing from the file as
 * typed NULLs. Partition columns come from alias `partitionAlias` (a helper table of typed values
 * with one column per logical partition column name). Also returns the file's Arrow fields.
 */
export async function logicalColumnSql(
  engine: SqlEngine,
  sampleFile: string,
  cols: ScanColumn[],
  mode: ColumnMappingMode,
  partitionAlias: string,
  registry?: FileRegistry,
): Promise<{ exprs: string[]; fields: arrow.Field[] }> {
  const from = registry ? registry.readSql([sampleFile]) : `read_parquet(${quoteString(sampleFile)}, hive_partitioning=false)`;
  const sample = await engine.query(`SELECT * FROM ${from} LIMIT 0`);
  const fields = sample.schema.fields;
  const exprs = cols.map((c) => {
    if (c.partition) return `${partitionAlias}.${quoteIdent(c.name)} AS ${quoteIdent(c.name)}`;
    const src = fields.find((x) => x.name === c.physicalName) ?? fields.find((x) => x.name.toLowerCase() === c.physicalName.toLowerCase());
    if (!src) return `${nullOf(c.field.type)} AS ${quoteIdent(c.name)}`;
    const conv = convertExpr(`d.${quoteIdent(src.name)}`, src.type, c.field.type, mode);
    return `${conv.sql} AS ${quoteIdent(c.name)}`;
  });
  return { exprs, fields };
}

/**
 * The output columns of a whole-table read of `schema`: every top-level field, in schema order,
 * flagged as partition column when listed in `partitionColumns`, with its physical name.
 */
export function tableColumns(schema: StructType, mode: ColumnMappingMode, partitionColumns: PartitionColumn[]): ScanColumn[] {
  return resolveColumns(schema, mode, partitionColumns);
}

/** The DuckDB types of the plan's columns, by logical name (for empty results and documentation). */
export function planColumnTypes(plan: ScanPlan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of plan.columns) out[c.name] = c.field.type.type === 'void' ? 'NULL' : duckType(c.field.type);
  return out;
}
