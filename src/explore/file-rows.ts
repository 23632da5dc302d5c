/**
 * The one file-row projection: what the explorer says about each active file of a snapshot — its
 * decoded path, size, modification time, partition values (raw, typed and as text), record count,
 * deletion vector and deleted rows, per-column statistics, tags and row tracking fields. The Files
 * view (worker `filesQuery`), the CLI `files` command, the `"t$files"` SQL table and Compare all
 * read files through it, so they show the same numbers.
 *
 * Reads the snapshot's columnar batches (`files.forEach(batch, row)`); an object is created only
 * for the rows asked for ({@link FileProjection.row}). Protocol sections: "Add File and Remove
 * File", "Per-file Statistics", "Partition Value Serialization", "Deletion Vectors", "Row Tracking".
 */
import type { FileActionBatch } from '../delta/actions.ts';
import type { DeletionVectorDescriptor } from '../delta/deletion-vectors.ts';
import {
  deltaTypeName,
  formatPartitionValue,
  leafColumns,
  parsePartitionValue,
  type DataType,
  type LeafColumn,
  type PartitionColumn,
  type PartitionValue,
} from '../delta/schema.ts';
import { numRecordsAt, safeDecode, statsAt, type Snapshot } from '../delta/snapshot.ts';
import { quotedPath } from './clustering.ts';

/** A partition column of the projection. */
export interface FilePartitionColumn {
  /** Logical name. */
  name: string;
  /** Key in `partitionValues` (the physical name under column mapping). */
  key: string;
  /** Delta type name (`string` when the schema cannot be read). */
  type: string;
  dataType: DataType;
}

/** A leaf column that may have statistics (top-level partition columns excluded). */
export interface FileStatsColumn {
  /** Dotted logical path, segments holding `.` or a backtick quoted in backticks. */
  name: string;
  logicalPath: string[];
  /** Keys in the stats (physical names under column mapping). */
  physicalPath: string[];
  /** Delta type name. */
  type: string;
}

/** Statistics of one column of one file, as the log holds them (JSON values; binary as bytes); `undefined` where the stats have no entry. */
export interface ColumnStatsValues {
  min: unknown;
  max: unknown;
  /** `nullCount` as a number (null when not a number), undefined when absent. */
  nullCount: number | null | undefined;
}

/** One active file. Sizes in bytes, times in ms since the epoch. */
export interface FileFacts {
  /** Position in the snapshot's active files (log order). */
  index: number;
  /** Decoded path, relative to the table root (or absolute / a URI, as written). */
  path: string;
  size: number;
  modificationTime: number | null;
  /** Raw serialized values in {@link FileProjection.partitionColumns} order (null = null value). */
  partitionRaw: (string | null)[];
  /** Typed values (see `PartitionValue`); the raw string where it does not parse as its type. */
  partitionValues: PartitionValue[];
  /** Formatted typed values (`formatPartitionValue`), the raw string where it does not parse; null for a null value. */
  partitionText: (string | null)[];
  /** `numRecords` from the stats (rows in the data file, deleted ones included), or null. */
  numRecords: number | null;
  /** Rows hidden by the deletion vector (its cardinality), 0 without one. */
  deletedRecords: number;
  /** `numRecords − deletedRecords`, or null when `numRecords` is unknown. */
  liveRecords: number | null;
  deletionVector: DeletionVectorDescriptor | null;
  /** Per {@link FileProjection.statsColumns} column, in that order; null when the file has no stats. */
  stats: ColumnStatsValues[] | null;
  /** False when min/max may be wider than the data (deletion vectors); null without stats. */
  tightBounds: boolean | null;
  tags: Record<string, string> | null;
  baseRowId: number | null;
  defaultRowCommitVersion: number | null;
}

/** Every active file as columns, for the `"t$files"` SQL table (one entry per file, log order). */
export interface FileColumns {
  path: string[];
  /** Logical partition column → the formatted value (as the Files view shows it), null for a null value. */
  partitionValues: Map<string, string | null>[];
  size: number[];
  modificationTime: (number | null)[];
  numRecords: (number | null)[];
  deletedRecords: number[];
  hasDeletionVector: boolean[];
  /** The stats as the log holds them (see {@link FileProjection.rawStats}). */
  stats: (string | null)[];
}

/** Decoded path of a batch row. */
export function decodedPathAt(batch: FileActionBatch, row: number): string {
  const raw = batch.path[row];
  return raw.includes('%') ? safeDecode(raw) : raw;
}

/** Rows hidden by a batch row's deletion vector (its cardinality), 0 without one. */
export function deletedRecordsAt(batch: FileActionBatch, row: number): number {
  const card = batch.dvCardinality?.[row];
  return card !== undefined && !Number.isNaN(card) ? card : 0;
}

/** The stats of a batch row as the log holds them: the JSON `stats` string, else the checkpoint's `stats_parsed` as JSON (longs as numbers); null without stats. */
export function rawStatsAt(batch: FileActionBatch, row: number): string | null {
  const json = batch.stats.get(row);
  if (json) return json;
  const parsed = batch.statsParsed?.get(row);
  return parsed === null || parsed === undefined ? null : JSON.stringify(parsed, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
}

/** Reconciliation key of a batch row, as the replay keys it: decoded path, plus the DV unique id when it has one. */
export function reconciliationKeyAt(batch: FileActionBatch, row: number): string {
  const path = decodedPathAt(batch, row);
  const dv = batch.dvStorageType === undefined ? '' : batch.dvUniqueId(row);
  return dv ? `${path}\u0000${dv}` : path;
}

function atPath(obj: Record<string, unknown> | undefined, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function countOrUndefined(v: unknown): number | null | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v))) return Number(v);
  return null;
}

const NAN_NULL = (n: number | undefined): number | null => (n === undefined || Number.isNaN(n) ? null : n);

/**
 * The projection of one snapshot's active files. Partition columns and stats columns are resolved
 * once; a schema that cannot be read leaves the partition columns as raw keys of type `string` and
 * no stats columns. Partition values that do not parse as their type are kept raw and listed in
 * {@link badPartitionValues} (never silently dropped), or refused with `strict`.
 */
export class FileProjection {
  readonly partitionColumns: FilePartitionColumn[];
  readonly statsColumns: FileStatsColumn[];
  /** `column=value` of partition values seen by {@link row} that do not parse as their column's type. */
  readonly badPartitionValues = new Set<string>();
  private readonly resolved: PartitionColumn[] | null;

  /**
   * @param options.strict throw instead of degrading (the CLI's choice): `INVALID_PARTITION_VALUE`
   *   (naming the column, version and file) for a partition value that does not parse, the schema's
   *   errors (`INVALID_SCHEMA`, `INVALID_LOG`) when partition or stats columns cannot be resolved.
   */
  constructor(
    readonly snapshot: Snapshot,
    private readonly options: { strict?: boolean } = {},
  ) {
    let resolved: PartitionColumn[] | null = null;
    try {
      resolved = snapshot.partitionColumns;
    } catch (e) {
      if (options.strict) throw e;
      resolved = null;
    }
    this.resolved = resolved;
    const names = snapshot.metadata.partitionColumns ?? [];
    this.partitionColumns = resolved
      ? resolved.map((c) => ({ name: c.name, key: c.key, type: deltaTypeName(c.type), dataType: c.type }))
      : names.map((n) => ({ name: n, key: n, type: 'string', dataType: { type: 'string' } }));
    let leaves: LeafColumn[] = [];
    try {
      leaves = leafColumns(snapshot.schema, snapshot.columnMappingMode);
    } catch (e) {
      if (options.strict) throw e;
      leaves = [];
    }
    const partitionNames = new Set(this.partitionColumns.map((c) => c.name));
    this.statsColumns = leaves
      .filter((l) => !(l.logicalPath.length === 1 && partitionNames.has(l.logicalPath[0])))
      .map((l) => ({ name: quotedPath(l.logicalPath), logicalPath: l.logicalPath, physicalPath: l.physicalPath, type: deltaTypeName(l.type) }));
  }

  /** Active files. */
  get count(): number {
    return this.snapshot.files.length;
  }

  /**
   * The typed value and its text of a raw partition value of column `k`.
   * @param path the file, for the error of a strict projection.
   */
  partitionValue(raw: string | null | undefined, k: number, path?: string): { value: PartitionValue; text: string | null } {
    if (raw === null || raw === undefined) return { value: null, text: null };
    const col = this.resolved?.[k];
    if (!col) return { value: raw, text: raw };
    try {
      const v = parsePartitionValue(raw, col.type, { column: col.name, version: this.snapshot.version, path });
      return v === null ? { value: null, text: null } : { value: v, text: formatPartitionValue(v, col.type) };
    } catch (e) {
      if (this.options.strict) throw e;
      this.badPartitionValues.add(`${col.name}=${raw}`);
      return { value: raw, text: raw };
    }
  }

  /**
   * File `i` (log order) as {@link FileFacts}.
   * @param statsColumns indexes into {@link statsColumns} whose stats to include (default: all).
   */
  row(i: number, statsColumns?: readonly number[]): FileFacts {
    const { batch, row } = this.snapshot.files.locate(i);
    const path = decodedPathAt(batch, row);
    const partitionRaw = this.partitionColumns.map((c) => batch.partitionValues.get(c.key)?.[row] ?? null);
    const partitionValues: PartitionValue[] = [];
    const partitionText: (string | null)[] = [];
    partitionRaw.forEach((raw, k) => {
      const p = this.partitionValue(raw, k, path);
      partitionValues.push(p.value);
      partitionText.push(p.text);
    });
    const st = statsAt(batch, row);
    const cols = statsColumns ? statsColumns.map((k) => this.statsColumns[k]) : this.statsColumns;
    const numRecords = numRecordsAt(batch, row);
    const deletedRecords = deletedRecordsAt(batch, row);
    const dv = batch.deletionVector(row);
    return {
      index: i,
      path,
      size: batch.size[row],
      modificationTime: NAN_NULL(batch.modificationTime[row]),
      partitionRaw,
      partitionValues,
      partitionText,
      numRecords,
      deletedRecords,
      liveRecords: numRecords === null ? null : numRecords - deletedRecords,
      deletionVector: dv
        ? { storageType: dv.storageType, pathOrInlineDv: dv.pathOrInlineDv, ...(dv.offset !== undefined ? { offset: dv.offset } : {}), sizeInBytes: dv.sizeInBytes, cardinality: dv.cardinality }
        : null,
      stats: st
        ? cols.map((c) => ({
            min: atPath(st.minValues, c.physicalPath),
            max: atPath(st.maxValues, c.physicalPath),
            nullCount: countOrUndefined(atPath(st.nullCount, c.physicalPath)),
          }))
        : null,
      tightBounds: st?.tightBounds ?? null,
      tags: batch.tags?.[row] ?? null,
      baseRowId: NAN_NULL(batch.baseRowId?.[row]),
      defaultRowCommitVersion: NAN_NULL(batch.defaultRowCommitVersion?.[row]),
    };
  }

  /** The stats of file `i` as the log holds them: the JSON `stats` string, else the checkpoint's `stats_parsed` as JSON; null without stats. */
  rawStats(i: number): string | null {
    const { batch, row } = this.snapshot.files.locate(i);
    return rawStatsAt(batch, row);
  }

  /** Every active file as {@link FileColumns}, in one pass over the batches. */
  columns(): FileColumns {
    const out: FileColumns = { path: [], partitionValues: [], size: [], modificationTime: [], numRecords: [], deletedRecords: [], hasDeletionVector: [], stats: [] };
    const cols = this.partitionColumns;
    this.snapshot.files.forEach((batch, row) => {
      const path = decodedPathAt(batch, row);
      out.path.push(path);
      out.partitionValues.push(new Map(cols.map((c, k) => [c.name, this.partitionValue(batch.partitionValues.get(c.key)?.[row] ?? null, k, path).text])));
      out.size.push(batch.size[row]);
      out.modificationTime.push(NAN_NULL(batch.modificationTime[row]));
      out.numRecords.push(numRecordsAt(batch, row));
      out.deletedRecords.push(deletedRecordsAt(batch, row));
      out.hasDeletionVector.push(!!batch.dvStorageType?.[row]);
      out.stats.push(rawStatsAt(batch, row));
    });
    return out;
  }

  /** Indexes of every active file sorted by decoded path (ties in log order). */
  byPath(): number[] {
    const paths: string[] = [];
    this.snapshot.files.forEach((batch, row) => paths.push(decodedPathAt(batch, row)));
    return paths.map((_, i) => i).sort((a, b) => (paths[a] < paths[b] ? -1 : paths[a] > paths[b] ? 1 : a - b));
  }
}
