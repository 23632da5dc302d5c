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
 *
 * Laid out after delta-kernel-rs `table_changes/`, one listing of the log for everything:
 *
 * | module | kernel | what |
 * |-|-|-|
 * | `changes.ts` | `mod.rs` (`TableChanges`) | {@link planChanges}: range → start snapshot → replay → plan |
 * | `changes/range.ts` | `LogSegment::for_table_changes` | bounds (versions, timestamps) and the range's commits |
 * | `changes/log-replay.ts` | `log_replay.rs` | protocol/metadata in force, per-commit reads |
 * | `changes/resolve-dvs.ts` | `resolve_dvs.rs` | deletion vectors of the reads, DV-pair differences |
 * | `changes/schema-compat.ts` | (Spark `isReadCompatible`) | older schemas readable as the end schema |
 * | `changes/plan.ts` | `scan_file.rs` | plan shapes, row filters |
 * | `changes/counts.ts` | — | per-version counts for charts |
 */
import { DeltaError, throwIfAborted } from './errors.ts';
import { commitTimestamps, ictSettings } from './history.ts';
import { listWholeLog, segmentFromListing, type LogListing } from './log/listing.ts';
import { columnMappingMode, parseSchema, partitionColumnInfo } from './schema.ts';
import { mapLimit, readDelta, snapshotFromSegment } from './snapshot.ts';
import type { ObjectStore } from './storage/object-store.ts';
import { featuresInForce, planVersion } from './changes/log-replay.ts';
import type { ChangePlan, ChangeVersion, PlanChangesOptions } from './changes/plan.ts';
import { resolveRange, validateOptions } from './changes/range.ts';
import { dvLoader } from './changes/resolve-dvs.ts';
import { schemaReadIncompatibility } from './changes/schema-compat.ts';

export * from './changes/plan.ts';
export * from './changes/counts.ts';

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
  // One listing of the whole log: the range's commits, the start snapshot's segment and the history come from it.
  const listing = await listWholeLog(store, signal);
  const range = await resolveRange(store, listing, options);
  if (range.kind === 'empty') return emptyPlan(store, listing, range.start, range.end, range.resolvedFrom, signal);
  const { start, end, resolvedFrom, commits: rangeCommits } = range;
  const commits = listing.commits;

  // ---- Protocol and metadata in force at the start, then every commit of the range.
  const startSegment = await segmentFromListing(store, listing, { version: start, signal });
  const startSnap = await snapshotFromSegment(store, startSegment, { allowUnsupported: true, stats: false, concurrency, signal });
  const sets = await mapLimit(rangeCommits, concurrency, (c) => readDelta(store, c, signal));
  throwIfAborted(signal);

  const { protocol, metadataAt, schemas } = featuresInForce(start, end, startSnap, sets, rangeCommits);
  const readMetadata = metadataAt[metadataAt.length - 1];
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
  const loadDv = dvLoader(store, signal);
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

async function emptyPlan(
  store: ObjectStore,
  listing: LogListing,
  start: number,
  end: number,
  resolvedFrom: ChangePlan['resolvedFrom'],
  signal?: AbortSignal,
): Promise<ChangePlan> {
  const segment = await segmentFromListing(store, listing, { version: end, signal });
  const snap = await snapshotFromSegment(store, segment, { allowUnsupported: true, stats: false, signal });
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
