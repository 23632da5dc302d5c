/**
 * Change Data Feed (CDF) planning: which rows of which files make up the row-level changes of a
 * range of table versions, and as what change type — without reading any data file.
 *
 * Protocol sections (delta-io/delta `PROTOCOL.md`): "Add CDC File" and "Reader Requirements for
 * AddCDCFile", "Change Data Files", "Add File and Remove File" (`dataChange`, `extendedFileMetadata`),
 * "Deletion Vectors", "In-Commit Timestamps". Behaviour follows Spark's `table_changes` (Delta
 * `CDCReader`) and delta-kernel-rs `table_changes` (log replay, `resolve_dvs`):
 *
 * 1. Per version, if the commit has `cdc` actions, only those files are read; each row's change
 *    type comes from the file's own `_change_type` column (`insert`, `delete`, `update_preimage`,
 *    `update_postimage`).
 * 2. Otherwise `add` actions with `dataChange = true` are inserted rows and `remove` actions with
 *    `dataChange = true` deleted rows; `dataChange = false` actions (OPTIMIZE, ...) give nothing.
 * 3. Deletion vectors: an `add` and a `remove` of the same path in one commit (both `dataChange`)
 *    differ only by their DVs; the rows in the new DV but not the old one are deleted, the rows in
 *    the old DV but not the new one are restored (inserted), nothing else changed. A lone `add` with
 *    a DV inserts the rows not in its DV; a lone `remove` with a DV deletes the rows not in its DV.
 * 4. Every row gets `_commit_version` and `_commit_timestamp` (the in-commit timestamp when in-commit
 *    timestamps hold for the version, else the commit file's modification time made monotonic,
 *    exactly as {@link loadHistory} computes it).
 *
 * Pure TypeScript (no DOM, no DuckDB): the plan is plain data (structured-clone safe) that an
 * executor (the query worker, or the tests' Parquet reader) applies.
 */
import type { ActionSet, Metadata, Protocol } from './actions.ts';
import { isRowDeleted, loadDeletionVector, type DeletionVectorDescriptor } from './deletion-vectors.ts';
import { DeltaError, throwIfAborted } from './errors.ts';
import { checkReadSupport } from './features.ts';
import {
  commitTimestamps,
  ictSettings,
  loadHistory,
  parseTimestamp,
  versionAtTimestamp,
  type HistoryEntry,
} from './history.ts';
import { LOG_DIR, listAllCommits, padVersion, type CommitFile } from './log/listing.ts';
import {
  columnMappingMode,
  parseSchema,
  partitionColumnInfo,
  METADATA_KEYS,
  type ColumnMappingMode,
  type DataType,
  type PartitionColumn,
  type StructType,
} from './schema.ts';
import { loadSnapshot, mapLimit, numRecordsAt, readDelta, safeDecode } from './snapshot.ts';
import type { ObjectStore } from './storage/object-store.ts';

// ---------------------------------------------------------------------------------------------
// Plan shapes
// ---------------------------------------------------------------------------------------------

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
// planChanges
// ---------------------------------------------------------------------------------------------

const CDF_KEY = 'delta.enableChangeDataFeed';
const ALL: RowFilter = Object.freeze({ kind: 'all' }) as RowFilter;

/**
 * Plans the Change Data Feed of a version range (Spark's `table_changes(table, start, end)`).
 *
 * Range: versions, or timestamps resolved against the commit timestamps as Spark does for
 * `table_changes` / `startingTimestamp` / `endingTimestamp`: the start is the first version whose
 * commit timestamp is at or after `startTimestamp` (the earliest commit when it is earlier still);
 * the end is the last version whose commit timestamp is at or before `endTimestamp`. When both are
 * timestamps and no commit falls between them, the plan is empty (`versions: []`), as in Spark.
 *
 * Checks, in this order (nothing is read from data files):
 * - arguments: a bound given twice, a negative or fractional version, a start after the end →
 *   `INVALID_ARGUMENT`; a version after the latest, or before the oldest retained commit →
 *   `VERSION_NOT_FOUND`; a timestamp after the latest commit (start) or before the first (end) →
 *   `TIMESTAMP_OUT_OF_RANGE`; a gap in the commits → `MISSING_COMMIT`;
 * - every protocol in force in the range (the start snapshot's and each `protocol` action) must be
 *   readable → `UNSUPPORTED_READER_FEATURE` (`checkReadSupport`);
 * - `delta.enableChangeDataFeed = true` in the metadata in force at every version (the start
 *   snapshot's, then each `metaData` action) → `CDF_NOT_ENABLED` naming every version without it;
 * - schema: each schema in force in the range must be readable as the end schema (Spark's
 *   `checkBatchCdfReadSchemaIncompatibility`): under column mapping no column may be dropped or
 *   renamed (same physical name, other logical name); in any mode no column may disappear, change
 *   type, or go from nullable to not nullable. Added columns are fine (older rows read them as null).
 *   Otherwise `CDF_INCOMPATIBLE_SCHEMA` naming the version.
 *   (delta-kernel-rs is stricter: it requires every schema in the range to equal the end schema.)
 *   Type widening is not treated specially: a widened column is refused.
 * - a `remove` read from a partitioned table must carry its partition values (Spark refuses a
 *   `remove` without `extendedFileMetadata`) → `INVALID_LOG`.
 *
 * Deletion vectors of DV pairs and of DV-carrying adds/removes are loaded (their row indexes are
 * the plan's row filters); their errors (`CORRUPT_DELETION_VECTOR`, `FILE_NOT_FOUND`) pass through.
 *
 * @throws DeltaError as listed, plus `CORRUPT_COMMIT` / `FILE_NOT_FOUND` from reading the log,
 *   `NOT_A_TABLE` when `_delta_log/` has no commit, and `CANCELLED`.
 */
export async function planChanges(store: ObjectStore, options: PlanChangesOptions): Promise<ChangePlan> {
  const { signal } = options;
  const concurrency = options.concurrency ?? 8;
  validateOptions(options);

  const commits = await listAllCommits(store, signal);
  if (!commits.length) {
    throw new DeltaError('NOT_A_TABLE', `No Delta log found: ${LOG_DIR} holds no commit files.`, {
      path: LOG_DIR,
      hint: 'Open the folder that contains _delta_log (the table root).',
    });
  }
  const byVersion = new Map(commits.map((c) => [c.version, c]));
  const first = commits[0].version;
  const latest = commits[commits.length - 1].version;

  // ---- Resolve the range.
  let startV = options.startVersion;
  let endV = options.endVersion;
  const resolvedFrom: ChangePlan['resolvedFrom'] = {
    start: options.startTimestamp !== undefined ? 'timestamp' : 'version',
    end: options.endTimestamp !== undefined ? 'timestamp' : options.endVersion !== undefined ? 'version' : 'latest',
  };
  let startTs: number | undefined;
  let endTs: number | undefined;
  if (options.startTimestamp !== undefined || options.endTimestamp !== undefined) {
    startTs = options.startTimestamp !== undefined ? parseTimestamp(options.startTimestamp) : undefined;
    endTs = options.endTimestamp !== undefined ? parseTimestamp(options.endTimestamp) : undefined;
    if (startTs !== undefined && endTs !== undefined && startTs > endTs) {
      throw new DeltaError(
        'INVALID_ARGUMENT',
        `The change feed range is empty: the start time ${iso(startTs)} is after the end time ${iso(endTs)}.`,
        { hint: 'Give a start time before the end time.' },
      );
    }
    const history = options.history ?? (await historyFor(store, commits, signal));
    if (startTs !== undefined) startV = firstVersionAtOrAfter(history, startTs);
    if (endTs !== undefined) endV = versionAtTimestamp(history, endTs, first);
  }
  const start: number = startV!;
  const end: number = endV ?? latest;

  if (start > latest) {
    throw new DeltaError('VERSION_NOT_FOUND', `Start version ${start} does not exist: the latest version is ${latest}.`, {
      version: start,
      hint: `Choose a start version up to ${latest}.`,
    });
  }
  if (end > latest) {
    throw new DeltaError('VERSION_NOT_FOUND', `End version ${end} does not exist: the latest version is ${latest}.`, {
      version: end,
      hint: `Choose an end version up to ${latest}, or leave it empty for the latest.`,
    });
  }
  if (start > end) {
    if (startTs !== undefined && endTs !== undefined && end === start - 1) {
      // Both times fall between two commits (Spark returns an empty feed).
      return emptyPlan(store, start, end, resolvedFrom, signal);
    }
    throw new DeltaError('INVALID_ARGUMENT', `The change feed range is invalid: start version ${start} is after end version ${end}.`, {
      version: start,
      hint: 'Give a start version at or before the end version.',
    });
  }
  if (start < first) {
    throw new DeltaError(
      'VERSION_NOT_FOUND',
      `Version ${start} is no longer in the log: the oldest retained commit is version ${first}, so changes can only be read from there.`,
      { version: start, hint: `Choose a start version from ${first}.` },
    );
  }
  const rangeCommits: CommitFile[] = [];
  for (let v = start; v <= end; v++) {
    const c = byVersion.get(v);
    if (!c) {
      throw new DeltaError('MISSING_COMMIT', `Commit ${padVersion(v)}.json is missing: the log has a gap at version ${v}, inside the change feed range ${start}–${end}.`, {
        version: v,
        path: `${LOG_DIR}${padVersion(v)}.json`,
        hint: 'The log is incomplete; read the change feed on a range without the gap.',
      });
    }
    rangeCommits.push(c);
  }

  // ---- Protocol and metadata in force at the start, then every commit of the range.
  const startSnap = await loadSnapshot(store, { version: start, allowUnsupported: true, stats: false, concurrency, signal });
  const sets = await mapLimit(rangeCommits, concurrency, (c) => readDelta(store, c, signal));
  throwIfAborted(signal);

  let protocol = startSnap.protocol;
  let metadata = startSnap.metadata;
  checkReadSupport(protocol, { version: start });
  const notEnabled: number[] = [];
  const schemas: { version: number; metadata: Metadata }[] = [{ version: start, metadata }];
  const metadataAt: Metadata[] = [];
  sets.forEach((set, i) => {
    const v = start + i;
    if (v > start) {
      if (set.protocol) {
        protocol = set.protocol;
        checkReadSupport(protocol, { version: v, path: rangeCommits[i].path });
      }
      if (set.metaData) {
        metadata = set.metaData;
        schemas.push({ version: v, metadata });
      }
    }
    if (!cdfEnabled(metadata)) notEnabled.push(v);
    metadataAt.push(metadata);
  });
  if (notEnabled.length) {
    throw new DeltaError(
      'CDF_NOT_ENABLED',
      `The Change Data Feed was not enabled at ${describeVersions(notEnabled)} of the range ${start}–${end}: ${CDF_KEY} is not true in the table metadata in force there.`,
      {
        version: notEnabled[0],
        hint: `Choose a range where ${CDF_KEY} is true throughout (Change Data Feed records changes only while it is enabled).`,
      },
    );
  }
  const readMetadata = metadata;
  const readMode = columnMappingMode(readMetadata.configuration);
  const readSchema = parseSchema(readMetadata.schemaString || '{"type":"struct","fields":[]}', { version: end });
  for (const s of schemas) {
    if (s.metadata.schemaString === readMetadata.schemaString) continue;
    const older = parseSchema(s.metadata.schemaString || '{"type":"struct","fields":[]}', { version: s.version });
    const problem = schemaReadIncompatibility(older, columnMappingMode(s.metadata.configuration), readSchema, readMode);
    if (problem) {
      throw new DeltaError(
        'CDF_INCOMPATIBLE_SCHEMA',
        `The change feed ${start}–${end} cannot be read with the schema of version ${end}: the schema in force at version ${s.version} is not compatible (${problem}).`,
        {
          version: s.version,
          hint: `Read the change feed in ranges that do not cross the schema change (for example up to version ${Math.max(s.version - 1, start)}, then from ${s.version}).`,
        },
      );
    }
  }

  // ---- Commit timestamps (history.ts rules: in-commit timestamps where they hold, else monotonic file times).
  const ict = ictSettings(readMetadata);
  const ictFrom = ict.enabled ? (ict.enablementVersion ?? 0) : Infinity;
  const prior = commits.filter((c) => c.version < start && c.version < ictFrom);
  const ictMap = new Map<number, number | undefined>();
  sets.forEach((set, i) => {
    const ci = set.commitInfo;
    ictMap.set(start + i, set.commitInfoFirst && typeof ci?.inCommitTimestamp === 'number' ? ci.inCommitTimestamp : undefined);
  });
  const times = commitTimestamps([...prior, ...rangeCommits], ictMap, ict).slice(prior.length);

  // ---- Reads.
  const dvCache = new Map<string, Promise<Float64Array>>();
  const loadDv = (dv: DeletionVectorDescriptor, version: number, dataFile: string): Promise<Float64Array> => {
    const key = `${dv.storageType}${dv.pathOrInlineDv}@${dv.offset ?? ''}`;
    let p = dvCache.get(key);
    if (!p) {
      p = loadDeletionVector(store, dv, { version, dataFile, signal });
      dvCache.set(key, p);
    }
    return p;
  };
  const pending: (() => Promise<void>)[] = [];
  const versions: ChangeVersion[] = sets.map((set, i) => {
    const version = start + i;
    const ts = times[i];
    const cv: ChangeVersion = {
      version,
      timestampMs: ts.timestampMs,
      timestampSource: ts.source,
      operation: typeof set.commitInfo?.operation === 'string' ? set.commitInfo.operation : null,
      hasCdcFiles: set.cdcs.length > 0,
      reads: [],
    };
    planVersion(cv, set, metadataAt[i], ts.timestampMs, rangeCommits[i], loadDv, pending);
    return cv;
  });
  await mapLimit(pending, concurrency, (task) => task());
  throwIfAborted(signal);

  let numReads = 0;
  for (const cv of versions) {
    cv.reads = cv.reads.filter((r) => !(r.rows.kind === 'only' && r.rows.rows.length === 0));
    numReads += cv.reads.length;
  }
  return {
    startVersion: start,
    endVersion: end,
    resolvedFrom,
    protocol,
    metadata: readMetadata,
    schema: readSchema,
    columnMappingMode: readMode,
    partitionColumns: partitionColumnInfo(readSchema, readMetadata.partitionColumns, readMode, { version: end }),
    versions,
    numReads,
  };
}

/** Fills `cv.reads` for one commit; DV-dependent row filters are completed by `pending` tasks. */
function planVersion(
  cv: ChangeVersion,
  set: ActionSet,
  metadata: Metadata,
  timestampMs: number,
  commit: CommitFile,
  loadDv: (dv: DeletionVectorDescriptor, version: number, dataFile: string) => Promise<Float64Array>,
  pending: (() => Promise<void>)[],
): void {
  const version = cv.version;
  const base = { version, commitTimestampMs: timestampMs };

  if (set.cdcs.length) {
    const b = set.cdcs;
    for (let r = 0; r < b.length; r++) {
      cv.reads.push({
        ...base,
        source: 'cdc',
        changeType: null,
        path: b.path[r],
        storePath: decodePath(b.path[r]),
        partitionValues: b.partitionValuesAt(r) ?? {},
        rows: ALL,
        sizeBytes: numOrNull(b.size[r]),
        numRecords: null,
        estimatedRows: null,
      });
    }
    return;
  }
  if (isNoOpMerge(set.commitInfo)) {
    cv.skipped = 'noOpMerge';
    return;
  }

  const adds = set.adds;
  const removes = set.removes;
  // Removes with dataChange, by decoded path (kernel: `remove_dvs`, kept only when an add of the
  // same path with dataChange exists in the commit).
  const removeByPath = new Map<string, number>();
  for (let r = 0; r < removes.length; r++) if (removes.dataChange[r]) removeByPath.set(decodePath(removes.path[r]), r);
  const addPaths = new Set<string>();
  for (let a = 0; a < adds.length; a++) if (adds.dataChange[a]) addPaths.add(decodePath(adds.path[a]));
  const partitioned = metadata.partitionColumns.length > 0;

  // Walk adds and removes in log order.
  let i = 0;
  let j = 0;
  while (i < adds.length || j < removes.length) {
    const takeAdd = j >= removes.length || (i < adds.length && adds.ordinal[i] <= removes.ordinal[j]);
    if (takeAdd) {
      const a = i++;
      if (!adds.dataChange[a]) continue;
      const storePath = decodePath(adds.path[a]);
      const pairedRemove = removeByPath.get(storePath);
      const numRecords = numRecordsAt(adds, a);
      const common = {
        ...base,
        path: adds.path[a],
        storePath,
        partitionValues: adds.partitionValuesAt(a) ?? {},
        sizeBytes: numOrNull(adds.size[a]),
        numRecords,
      };
      const addDv = adds.deletionVector(a);
      if (pairedRemove === undefined) {
        const read: ChangeFileRead = { ...common, source: 'add', changeType: 'insert', rows: ALL, estimatedRows: numRecords, deletionVector: addDv };
        cv.reads.push(read);
        if (addDv) {
          read.estimatedRows = numRecords === null ? null : Math.max(0, numRecords - addDv.cardinality);
          pending.push(async () => {
            const rows = await loadDv(addDv, version, storePath);
            read.rows = rows.length ? { kind: 'exclude', rows } : ALL;
          });
        }
        continue;
      }
      // A DV pair: only the rows whose deletion state changed.
      const rmDv = removes.deletionVector(pairedRemove);
      const del: ChangeFileRead = { ...common, source: 'dvDelete', changeType: 'delete', rows: { kind: 'only', rows: EMPTY }, estimatedRows: 0, deletionVector: addDv };
      const ins: ChangeFileRead = { ...common, source: 'dvRestore', changeType: 'insert', rows: { kind: 'only', rows: EMPTY }, estimatedRows: 0, deletionVector: rmDv };
      cv.reads.push(del, ins);
      if (addDv || rmDv) {
        pending.push(async () => {
          const [newRows, oldRows] = await Promise.all([
            addDv ? loadDv(addDv, version, storePath) : EMPTY,
            rmDv ? loadDv(rmDv, version, storePath) : EMPTY,
          ]);
          const deleted = sortedDifference(newRows, oldRows);
          const restored = sortedDifference(oldRows, newRows);
          del.rows = { kind: 'only', rows: deleted };
          del.estimatedRows = deleted.length;
          ins.rows = { kind: 'only', rows: restored };
          ins.estimatedRows = restored.length;
        });
      }
    } else {
      const r = j++;
      if (!removes.dataChange[r]) continue;
      const storePath = decodePath(removes.path[r]);
      if (addPaths.has(storePath)) continue; // resolved with the add of the same path (DV pair)
      const pv = removes.partitionValuesAt(r);
      if (pv === null && partitioned) {
        throw new DeltaError(
          'INVALID_LOG',
          `The remove action of ${removes.path[r]} in version ${version} has no partition values (no extended file metadata), so its rows cannot be returned as deleted rows of the change feed.`,
          {
            version,
            path: commit.path,
            hint: 'The writer did not record extendedFileMetadata; read the change feed from a later version.',
          },
        );
      }
      const numRecords = numRecordsAt(removes, r);
      const rmDv = removes.deletionVector(r);
      const read: ChangeFileRead = {
        ...base,
        source: 'remove',
        changeType: 'delete',
        path: removes.path[r],
        storePath,
        partitionValues: pv ?? {},
        rows: ALL,
        sizeBytes: numOrNull(removes.size[r]),
        numRecords,
        estimatedRows: numRecords === null ? null : rmDv ? Math.max(0, numRecords - rmDv.cardinality) : numRecords,
        deletionVector: rmDv,
      };
      cv.reads.push(read);
      if (rmDv) {
        pending.push(async () => {
          const rows = await loadDv(rmDv, version, storePath);
          read.rows = rows.length ? { kind: 'exclude', rows } : ALL;
        });
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Summary for charts
// ---------------------------------------------------------------------------------------------

/** Reads of one kind in one version: how many, and how many rows they yield (estimated). */
export interface ChangeTypeCount {
  /** Number of reads (a DV pair counts once per kind it yields). */
  files: number;
  /** Rows, from stats and DV cardinalities; null when any read's row count is unknown. */
  estimatedRows: number | null;
}

/** Per-version summary of a {@link ChangePlan}, for a chart. */
export interface ChangeTypeCounts {
  version: number;
  /** `_commit_timestamp`, ms since the epoch. */
  timestampMs: number;
  /** Reads of inserted rows (`add`, `dvRestore`). */
  insert: ChangeTypeCount;
  /** Reads of deleted rows (`remove`, `dvDelete`). */
  delete: ChangeTypeCount;
  /**
   * Change data files: their rows' types (`insert`, `delete`, `update_preimage`,
   * `update_postimage`) are only known by reading them; `cdc` actions carry no stats, so
   * `estimatedRows` is null whenever `files` is not 0.
   */
  cdc: ChangeTypeCount;
  /** Sum of the three, or null when any is unknown. */
  estimatedRows: number | null;
}

/**
 * Counts a plan's reads per version and kind (no I/O). Versions without reads are included with
 * zero counts so a chart shows every commit of the range.
 */
export function changeTypeCounts(plan: ChangePlan): ChangeTypeCounts[] {
  return plan.versions.map((v) => {
    const counts = { insert: { files: 0, estimatedRows: 0 as number | null }, delete: { files: 0, estimatedRows: 0 as number | null }, cdc: { files: 0, estimatedRows: 0 as number | null } };
    for (const r of v.reads) {
      const c = r.source === 'cdc' ? counts.cdc : r.changeType === 'delete' ? counts.delete : counts.insert;
      c.files++;
      c.estimatedRows = c.estimatedRows === null || r.estimatedRows === null ? null : c.estimatedRows + r.estimatedRows;
    }
    const parts = [counts.insert.estimatedRows, counts.delete.estimatedRows, counts.cdc.estimatedRows];
    return {
      version: v.version,
      timestampMs: v.timestampMs,
      ...counts,
      estimatedRows: parts.some((p) => p === null) ? null : parts.reduce<number>((s, p) => s + p!, 0),
    };
  });
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
  const ex = filter.kind === 'exclude' ? filter.rows : EMPTY;
  for (let r = 0; r < numRows; r++) {
    while (k < ex.length && ex[k] < r) k++;
    if (k < ex.length && ex[k] === r) continue;
    out.push(r);
  }
  return Float64Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const EMPTY = new Float64Array(0);

function validateOptions(o: PlanChangesOptions): void {
  const bad = (msg: string) => new DeltaError('INVALID_ARGUMENT', msg);
  if (o.startVersion !== undefined && o.startTimestamp !== undefined) throw bad('Give the change feed start as a version or a timestamp, not both.');
  if (o.endVersion !== undefined && o.endTimestamp !== undefined) throw bad('Give the change feed end as a version or a timestamp, not both.');
  if (o.startVersion === undefined && o.startTimestamp === undefined) throw bad('The change feed needs a start version or a start timestamp.');
  for (const [name, v] of [
    ['start', o.startVersion],
    ['end', o.endVersion],
  ] as const) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw bad(`Invalid ${name} version ${v}: versions are whole numbers from 0.`);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** History of every listed commit, with in-commit-timestamp settings from the latest metadata. */
async function historyFor(store: ObjectStore, commits: CommitFile[], signal?: AbortSignal): Promise<HistoryEntry[]> {
  const latest = await loadSnapshot(store, { allowUnsupported: true, stats: false, signal });
  return loadHistory(store, { commits, metadata: latest.metadata, signal });
}

/**
 * The first version (ascending) whose commit timestamp is at or after `ms` (Spark's
 * `getStartingVersionFromTimestamp`). @throws `TIMESTAMP_OUT_OF_RANGE` when every commit is older.
 */
function firstVersionAtOrAfter(history: Pick<HistoryEntry, 'version' | 'timestampMs'>[], ms: number): number {
  const sorted = [...history].sort((a, b) => a.version - b.version);
  const hit = sorted.find((h) => h.timestampMs >= ms);
  if (!hit) {
    const last = sorted[sorted.length - 1];
    throw new DeltaError(
      'TIMESTAMP_OUT_OF_RANGE',
      `${iso(ms)} is after the latest commit${last ? ` (version ${last.version} at ${iso(last.timestampMs)})` : ''}: there are no changes from then on.`,
      { version: last?.version, hint: 'Choose an earlier start time.' },
    );
  }
  return hit.version;
}

async function emptyPlan(
  store: ObjectStore,
  start: number,
  end: number,
  resolvedFrom: ChangePlan['resolvedFrom'],
  signal?: AbortSignal,
): Promise<ChangePlan> {
  const snap = await loadSnapshot(store, { version: end, allowUnsupported: true, stats: false, signal });
  const mode = columnMappingMode(snap.metadata.configuration);
  return {
    startVersion: start,
    endVersion: end,
    resolvedFrom,
    protocol: snap.protocol,
    metadata: snap.metadata,
    schema: snap.schema,
    columnMappingMode: mode,
    partitionColumns: partitionColumnInfo(snap.schema, snap.metadata.partitionColumns, mode, { version: end }),
    versions: [],
    numReads: 0,
  };
}

function cdfEnabled(m: Metadata): boolean {
  return String(m.configuration?.[CDF_KEY] ?? '').trim().toLowerCase() === 'true';
}

/** Spark's `shouldSkipFileActionsInCommit`: a MERGE whose metrics say it changed no row. */
function isNoOpMerge(ci: ActionSet['commitInfo']): boolean {
  if (!ci || ci.operation !== 'MERGE') return false;
  const m = ci.operationMetrics as Record<string, unknown> | undefined;
  if (!m) return false;
  return ['numTargetRowsInserted', 'numTargetRowsUpdated', 'numTargetRowsDeleted'].every((k) => m[k] === '0' || m[k] === 0);
}

function decodePath(raw: string): string {
  return raw.includes('%') ? safeDecode(raw) : raw;
}

function numOrNull(n: number): number | null {
  return Number.isNaN(n) ? null : n;
}

/** `a \ b` for sorted, duplicate-free arrays. */
function sortedDifference(a: Float64Array, b: Float64Array): Float64Array {
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    while (k < b.length && b[k] < x) k++;
    if (k < b.length && b[k] === x) continue;
    out.push(x);
  }
  return Float64Array.from(out);
}

/** "version 3", "versions 2–4 and 7". */
function describeVersions(vs: number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < vs.length) {
    let j = i;
    while (j + 1 < vs.length && vs[j + 1] === vs[j] + 1) j++;
    parts.push(i === j ? `${vs[i]}` : `${vs[i]}–${vs[j]}`);
    i = j + 1;
  }
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
  return `${vs.length === 1 ? 'version' : 'versions'} ${list}`;
}

// ---- Schema read compatibility (Spark `SchemaUtils.isReadCompatible` + column mapping changes).

function physicalOf(field: StructType['fields'][number], mode: ColumnMappingMode): string {
  const p = field.metadata?.[METADATA_KEYS.physicalName];
  return mode !== 'none' && typeof p === 'string' && p !== '' ? p : field.name;
}

/** physical path → logical path of every field, through structs, array elements and map values. */
function physicalNameMap(schema: StructType, mode: ColumnMappingMode): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (t: DataType, phys: string[], logical: string[]): void => {
    if (t.type === 'struct') {
      for (const f of t.fields) {
        const p = [...phys, physicalOf(f, mode)];
        const l = [...logical, f.name];
        out.set(JSON.stringify(p), l.join('.'));
        walk(f.type, p, l);
      }
    } else if (t.type === 'array') walk(t.elementType, [...phys, 'element'], [...logical, 'element']);
    else if (t.type === 'map') {
      walk(t.keyType, [...phys, 'key'], [...logical, 'key']);
      walk(t.valueType, [...phys, 'value'], [...logical, 'value']);
    }
  };
  walk(schema, [], []);
  return out;
}

/**
 * Why data written with `older` cannot be read as `read`, or null when it can: dropped or renamed
 * columns under column mapping, missing columns, changed types, tightened nullability.
 */
function schemaReadIncompatibility(older: StructType, olderMode: ColumnMappingMode, read: StructType, readMode: ColumnMappingMode): string | null {
  if (olderMode !== 'none' || readMode !== 'none') {
    const before = physicalNameMap(older, olderMode);
    const after = physicalNameMap(read, readMode);
    for (const [phys, logical] of before) {
      const now = after.get(phys);
      if (now === undefined) return `column "${logical}" was dropped`;
      if (now !== logical) return `column "${logical}" was renamed to "${now}"`;
    }
  }
  return typeIncompatibility(older, read, '');
}

function typeIncompatibility(o: DataType, r: DataType, path: string): string | null {
  const at = path ? ` of "${path}"` : '';
  if (o.type === 'struct' && r.type === 'struct') {
    for (const f of o.fields) {
      const name = path ? `${path}.${f.name}` : f.name;
      const rf = r.fields.find((x) => x.name === f.name) ?? r.fields.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
      if (!rf) return `column "${name}" is missing from the read schema`;
      if (f.nullable && !rf.nullable) return `column "${name}" became NOT NULL`;
      const p = typeIncompatibility(f.type, rf.type, name);
      if (p) return p;
    }
    return null;
  }
  if (o.type === 'array' && r.type === 'array') {
    if (o.containsNull && !r.containsNull) return `the elements${at} became NOT NULL`;
    return typeIncompatibility(o.elementType, r.elementType, `${path}.element`);
  }
  if (o.type === 'map' && r.type === 'map') {
    if (o.valueContainsNull && !r.valueContainsNull) return `the map values${at} became NOT NULL`;
    return typeIncompatibility(o.keyType, r.keyType, `${path}.key`) ?? typeIncompatibility(o.valueType, r.valueType, `${path}.value`);
  }
  if (o.type === 'decimal' && r.type === 'decimal') {
    return o.precision === r.precision && o.scale === r.scale ? null : `the type${at} changed from decimal(${o.precision},${o.scale}) to decimal(${r.precision},${r.scale})`;
  }
  if (o.type === 'unknown' && r.type === 'unknown') return o.name === r.name ? null : `the type${at} changed from ${o.name} to ${r.name}`;
  if (o.type === r.type && o.type !== 'struct' && o.type !== 'array' && o.type !== 'map' && o.type !== 'decimal' && o.type !== 'unknown') return null;
  return `the type${at} changed from ${typeLabel(o)} to ${typeLabel(r)}`;
}

function typeLabel(t: DataType): string {
  if (t.type === 'decimal') return `decimal(${t.precision},${t.scale})`;
  if (t.type === 'unknown') return t.name;
  return t.type;
}

