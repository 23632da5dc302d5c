/**
 * The shapes of a Change Data Feed plan (what `planChanges` returns: per commit, which rows of
 * which files are read as what change) and the row filters an executor applies. After
 * delta-kernel-rs `table_changes/scan_file.rs` (the per-file "scan file" a reader is handed).
 *
 * Pure TypeScript; plain data (structured-clone safe).
 */
import type { Metadata, Protocol } from '../actions.ts';
import { isRowDeleted, type DeletionVectorDescriptor } from '../deletion-vectors.ts';
import type { HistoryEntry } from '../history.ts';
import type { ColumnMappingMode, PartitionColumn, StructType } from '../schema.ts';

/** The values of the `_change_type` column (protocol "Reader Requirements for AddCDCFile"). */
export type CdfChangeType = 'insert' | 'delete' | 'update_preimage' | 'update_postimage';

/**
 * Which physical rows of a data file a read keeps. Row indexes are 0-based positions in the
 * Parquet file (as in deletion vectors), sorted ascending, without duplicates.
 *
 * - `all`: every row of the file.
 * - `exclude`: every row except `rows` (a deletion vector applied as for a normal scan).
 * - `only`: just `rows` (the difference of two deletion vectors).
 */
export type RowFilter =
  | { kind: 'all' }
  | { kind: 'exclude'; rows: Float64Array }
  | { kind: 'only'; rows: Float64Array };

/**
 * Why a file is read:
 * - `cdc`: a change data file (`cdc` action); change types come from its `_change_type` column;
 * - `add` / `remove`: a data file added / removed with `dataChange = true` (rows not in its DV);
 * - `dvDelete` / `dvRestore`: an `add` + `remove` pair of one path in one commit: the rows newly in
 *   its deletion vector (deleted) / newly out of it (restored, read as inserted).
 */
export type ChangeReadSource = 'cdc' | 'add' | 'remove' | 'dvDelete' | 'dvRestore';

/** One read of one file: which rows, and as what change. Times in ms since the epoch, sizes in bytes. */
export interface ChangeFileRead {
  /** `_commit_version` of every row this read yields. */
  version: number;
  /** `_commit_timestamp` of every row this read yields, ms since the epoch (UTC). */
  commitTimestampMs: number;
  source: ChangeReadSource;
  /**
   * `_change_type` of every row: `insert` for `add` / `dvRestore`, `delete` for `remove` /
   * `dvDelete`; `null` for `cdc` files, whose rows carry their own `_change_type` column.
   */
  changeType: 'insert' | 'delete' | null;
  /** The file's path as written in the log (URI-encoded, relative to the table root or absolute). */
  path: string;
  /**
   * The path to give the table's {@link ObjectStore}: `path` percent-decoded. Absolute URIs
   * (shallow clones) are left absolute; the executor decides whether it can reach them.
   */
  storePath: string;
  /**
   * Raw serialized partition values of the file, keyed as in the log (physical names under column
   * mapping; see {@link ChangePlan.partitionColumns}); `null` is a null value.
   */
  partitionValues: Record<string, string | null>;
  /** The rows to keep, by physical row index. */
  rows: RowFilter;
  /** File size from the action, bytes (null when a `remove` omits it). */
  sizeBytes: number | null;
  /** Rows in the physical file, from the action's stats (null when unknown; `cdc` actions have none). */
  numRecords: number | null;
  /**
   * Rows this read yields: exact for `only` filters, else `numRecords` less the excluded rows;
   * null when `numRecords` is unknown.
   */
  estimatedRows: number | null;
  /** The deletion vector(s) behind `rows`, for display (`add` / `remove`: the action's own). */
  deletionVector?: DeletionVectorDescriptor | null;
}

/** One commit of the range. */
export interface ChangeVersion {
  version: number;
  /** `_commit_timestamp`, ms since the epoch. */
  timestampMs: number;
  timestampSource: HistoryEntry['timestampSource'];
  /** `commitInfo.operation`, when present (for display). */
  operation: string | null;
  /** True when the commit has `cdc` actions (then only they are read). */
  hasCdcFiles: boolean;
  /**
   * Set when the commit's file actions are deliberately ignored: `noOpMerge` is Spark's guard for a
   * MERGE whose metrics report 0 rows inserted, updated and deleted (it may rewrite files with
   * `dataChange = true` without changing a row).
   */
  skipped?: 'noOpMerge';
  /** The reads, in log order (a DV pair gives its `dvDelete` read before its `dvRestore` read). */
  reads: ChangeFileRead[];
}

/**
 * The change data feed of versions `startVersion..endVersion` (inclusive) as reads.
 *
 * The read schema is the table schema at `endVersion` (Spark's and kernel's choice); every schema
 * in force within the range was checked to be readable as it (see {@link planChanges}).
 */
export interface ChangePlan {
  startVersion: number;
  /** Inclusive. Below `startVersion` only for an empty timestamp window (then `versions` is empty). */
  endVersion: number;
  /** How each bound was given. */
  resolvedFrom: { start: 'version' | 'timestamp'; end: 'version' | 'timestamp' | 'latest' };
  /** Protocol and metadata in force at `endVersion`. */
  protocol: Protocol;
  metadata: Metadata;
  /** The logical schema at `endVersion`: the feed's columns, before the three CDF columns. */
  schema: StructType;
  columnMappingMode: ColumnMappingMode;
  /** Partition columns at `endVersion`: logical name, type and their key in `partitionValues`. */
  partitionColumns: PartitionColumn[];
  /** One entry per commit, ascending. */
  versions: ChangeVersion[];
  /** Total reads over all versions. */
  numReads: number;
}

/** Options of {@link planChanges}. Give each bound as a version or a timestamp, not both. */
export interface PlanChangesOptions {
  /** First version, inclusive. */
  startVersion?: number;
  /** Last version, inclusive; latest when neither it nor `endTimestamp` is given. */
  endVersion?: number;
  /**
   * Start at the first version whose commit timestamp is at or after this time (ms since the
   * epoch, or ISO-8601 as {@link parseTimestamp} reads it).
   */
  startTimestamp?: number | string;
  /** End at the last version whose commit timestamp is at or before this time. */
  endTimestamp?: number | string;
  /** The table history (as {@link loadHistory} / `DeltaTable.history()` give it) to resolve timestamps without re-reading the log. */
  history?: HistoryEntry[];
  /** Parallel reads of commits and deletion vectors (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
}

// ---------------------------------------------------------------------------------------------
// Row filters
// ---------------------------------------------------------------------------------------------

/** True when a {@link RowFilter} keeps physical row `row` (binary search for `exclude` / `only`). */
export function rowFilterKeeps(filter: RowFilter, row: number): boolean {
  if (filter.kind === 'all') return true;
  const hit = isRowDeleted(filter.rows, row);
  return filter.kind === 'only' ? hit : !hit;
}

/**
 * The kept row indexes of a file with `numRows` rows, ascending (for executors that select by
 * index). Indexes at or beyond `numRows` in an `only` filter are dropped.
 */
export function rowFilterIndexes(filter: RowFilter, numRows: number): Float64Array {
  if (filter.kind === 'only') {
    let n = filter.rows.length;
    while (n > 0 && filter.rows[n - 1] >= numRows) n--;
    return filter.rows.subarray(0, n);
  }
  const out: number[] = [];
  let k = 0;
  const ex = filter.kind === 'exclude' ? filter.rows : new Float64Array(0);
  for (let r = 0; r < numRows; r++) {
    while (k < ex.length && ex[k] < r) k++;
    if (k < ex.length && ex[k] === r) continue;
    out.push(r);
  }
  return Float64Array.from(out);
}
