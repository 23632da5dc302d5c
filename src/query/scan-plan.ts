/**
 * Scan planning: which data files of a {@link Snapshot} a read needs (the plan half of the scan;
 * `file-registry.ts` registers the chosen files with DuckDB, `scan-sql.ts` writes the SQL that turns
 * them into the table's logical rows).
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
import type { DeletionVectorDescriptor } from '../delta/deletion-vectors.ts';
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
import { numRecordsAt, safeDecode, statsAt, type Snapshot } from '../delta/snapshot.ts';
import type { ObjectStore } from '../delta/storage/object-store.ts';
import { quoteIdent, type SqlEngine } from './engine.ts';
import { cachedFooter } from './parquet-footer.ts';
import { parseSimpleComparison, splitConjuncts, type SimpleComparison } from './sql-text.ts';
import { canonicalValue, castCanonical } from './types.ts';

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
  /** `add.baseRowId` (PROTOCOL.md "Row Tracking"), null when the action has none. */
  baseRowId: number | null;
  /** `add.defaultRowCommitVersion` (PROTOCOL.md "Row Tracking"), null when the action has none. */
  defaultRowCommitVersion: number | null;
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
    baseRowId: numberOrNull(b.baseRowId?.[r]),
    defaultRowCommitVersion: numberOrNull(b.defaultRowCommitVersion?.[r]),
  };
}

/** A sparse numeric action field (NaN or absent = not set) as a number or null. */
function numberOrNull(v: number | undefined): number | null {
  return v === undefined || Number.isNaN(v) ? null : v;
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

/**
 * The output columns of a whole-table read of `schema`: every top-level field, in schema order,
 * flagged as partition column when listed in `partitionColumns`, with its physical name.
 */
export function tableColumns(schema: StructType, mode: ColumnMappingMode, partitionColumns: PartitionColumn[]): ScanColumn[] {
  return resolveColumns(schema, mode, partitionColumns);
}
