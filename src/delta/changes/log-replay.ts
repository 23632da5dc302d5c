/**
 * Change Data Feed log replay, per commit of the range (after delta-kernel-rs
 * `table_changes/log_replay.rs`): which protocol and metadata are in force at each version and
 * whether the feed may be read there ({@link featuresInForce}), and which files of a commit are read
 * as what change ({@link planVersion}):
 *
 * 1. if the commit has `cdc` actions, only those files are read (their `_change_type` column holds
 *    the change types);
 * 2. otherwise `add` / `remove` actions with `dataChange = true` are inserted / deleted rows, except
 *    in a MERGE that changed no row (Spark's `shouldSkipFileActionsInCommit`);
 * 3. an `add` and a `remove` of one path in one commit are a deletion-vector pair: only the rows
 *    whose deletion state changed are read (`resolve-dvs.ts`).
 *
 * Protocol sections: "Add CDC File", "Reader Requirements for AddCDCFile", "Change Data Files",
 * "Add File and Remove File", "Deletion Vectors".
 */
import type { ActionSet, Metadata, Protocol } from '../actions.ts';
import type { DeletionVectorDescriptor } from '../deletion-vectors.ts';
import { DeltaError } from '../errors.ts';
import { checkReadSupport } from '../features.ts';
import type { CommitFile } from '../log/listing.ts';
import { numRecordsAt, safeDecode } from '../snapshot.ts';
import type { ChangeFileRead, ChangeVersion, RowFilter } from './plan.ts';
import { NO_ROWS, rowsNewlyIn, type DvLoader } from './resolve-dvs.ts';

/** Table property that turns the Change Data Feed on. */
export const CDF_KEY = 'delta.enableChangeDataFeed';

const ALL: RowFilter = Object.freeze({ kind: 'all' }) as RowFilter;

/** What is in force over a range: the last protocol, the metadata at each version, the schemas met. */
export interface InForce {
  /** Protocol in force at the end of the range. */
  protocol: Protocol;
  /** Metadata in force at each version of the range (index 0 = start). */
  metadataAt: Metadata[];
  /** The start metadata, then every `metaData` action of the range, with its version. */
  schemas: { version: number; metadata: Metadata }[];
}

/**
 * Walks the protocol and metadata from the start snapshot's through every commit of the range:
 * each protocol must be readable (`UNSUPPORTED_READER_FEATURE`, `checkReadSupport`) and the
 * Change Data Feed enabled at every version (`CDF_NOT_ENABLED` naming each version without it).
 * @param sets the range's commits, read, `sets[i]` being version `start + i`.
 */
export function featuresInForce(
  start: number,
  end: number,
  startState: { protocol: Protocol; metadata: Metadata },
  sets: ActionSet[],
  rangeCommits: CommitFile[],
): InForce {
  let protocol = startState.protocol;
  let metadata = startState.metadata;
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
  return { protocol, metadataAt, schemas };
}

/**
 * Fills `cv.reads` for one commit (in log order; a DV pair gives its `dvDelete` read before its
 * `dvRestore` read); row filters that need deletion vectors are completed by the tasks pushed to
 * `pending`. @throws DeltaError `INVALID_LOG` for a `remove` of a partitioned table without
 * partition values (no extended file metadata).
 */
export function planVersion(
  cv: ChangeVersion,
  set: ActionSet,
  metadata: Metadata,
  timestampMs: number,
  commit: CommitFile,
  loadDv: DvLoader,
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
      const del: ChangeFileRead = { ...common, source: 'dvDelete', changeType: 'delete', rows: { kind: 'only', rows: NO_ROWS }, estimatedRows: 0, deletionVector: addDv };
      const ins: ChangeFileRead = { ...common, source: 'dvRestore', changeType: 'insert', rows: { kind: 'only', rows: NO_ROWS }, estimatedRows: 0, deletionVector: rmDv };
      cv.reads.push(del, ins);
      if (addDv || rmDv) {
        pending.push(async () => {
          const { deleted, restored } = await rowsNewlyIn(loadDv, addDv, rmDv, version, storePath);
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

/** A log path percent-decoded (the path to give the store). */
export function decodePath(raw: string): string {
  return raw.includes('%') ? safeDecode(raw) : raw;
}

function numOrNull(n: number): number | null {
  return Number.isNaN(n) ? null : n;
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
