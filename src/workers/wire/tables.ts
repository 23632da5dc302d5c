/**
 * Wire types of the metadata calls over one snapshot: the snapshot summary, history rows, commit
 * actions, file pages. View models computed in `src/explore/` are re-exported by `../api.ts`.
 *
 * Part of the worker API (`../api.ts`, which re-exports every name): plain, structured-clone-safe
 * values. Units: sizes in bytes, times in ms since the Unix epoch, durations in ms.
 */
import type { AddFile, DomainMetadata, Txn } from '../../delta/actions.ts';
import type { FeatureKind } from '../../delta/features.ts';
import type { HistoryEntry } from '../../delta/history.ts';
import type { SnapshotTotals } from '../../delta/snapshot.ts';
import type { TableHealth } from '../../explore/health.ts';
import type { SchemaView } from '../../explore/schema-tree.ts';

/** Which snapshot to load: latest (both absent), a version, or the version current at a timestamp. */
export interface SnapshotRequest {
  version?: number;
  /** ms since the epoch, or an ISO-8601 string (UTC when it has no zone). */
  timestamp?: number | string;
}

/** One table feature in force, with its explanation. */
export interface FeatureInfo {
  name: string;
  /** `reader-writer` features constrain readers; `writer` features only writers. Undefined when unknown to this reader. */
  kind?: FeatureKind;
  description: string;
  /** False for a reader feature this reader does not implement. */
  supported: boolean;
}

/** The checkpoint a snapshot was built from. */
export interface CheckpointInfo {
  version: number;
  kind: 'classic' | 'multi-part' | 'v2';
  format: 'json' | 'parquet';
  /** Number of checkpoint files (parts); sidecars of a V2 checkpoint are not counted. */
  parts: number;
  /** Total size of the parts. */
  sizeBytes: number;
}

/**
 * A snapshot as the UI sees it: metadata and counts, never per-file data (use
 * {@link ExplorerApi.filesPage} for files).
 */
export interface SnapshotSummary {
  tableId: string;
  version: number;
  /** The newest version in the log (greater than `version` when time travelling). */
  latestVersion: number;
  protocol: {
    minReaderVersion: number;
    minWriterVersion: number;
    /** As written (null when the protocol has no explicit lists). */
    readerFeatures: string[] | null;
    writerFeatures: string[] | null;
  };
  /** Features in force (explicit or implied by legacy versions), reader features first. */
  features: FeatureInfo[];
  metadata: {
    id: string;
    name: string | null;
    description: string | null;
    /** `format.provider`, normally `parquet`. */
    provider: string;
    partitionColumns: string[];
    configuration: Record<string, string>;
    /** ms since the epoch, or null when not written. */
    createdTime: number | null;
  };
  /** The raw `metaData.schemaString` (JSON), for display and hand-off; views read {@link schema}, never parse this. */
  schemaString: string;
  /** The schema as rows with Delta type names, column metadata, partition and clustering roles, constraints and clustering columns (`src/explore/schema-tree.ts`). */
  schema: SchemaView;
  /** Top-level columns of the schema, or null when the schema cannot be parsed (see `warnings`). */
  numColumns: number | null;
  /**
   * Counts over the active files (bytes, rows). The summary is built without checkpoint stats:
   * when `totals.statsPending`, `numRecords` / `numFilesWithStats` and the stats-derived health
   * hints (status `pending`) wait for {@link SnapshotStatsSummary} (`ExplorerApi.snapshotStats`).
   */
  totals: SnapshotTotals;
  /** `remove` actions still retained as tombstones. */
  numTombstones: number;
  /** Latest `txn` per application id. */
  txns: Txn[];
  /** Live domain metadata (removed domains are absent). */
  domainMetadata: DomainMetadata[];
  /** The checkpoint the snapshot was built from, or null when it replayed commits from version 0. */
  checkpoint: CheckpointInfo | null;
  /** Versions replayed after the checkpoint (`version - checkpoint.version`, or `version + 1` without one). */
  commitsSinceCheckpoint: number;
  /** Log files read after the checkpoint (a compaction file stands for several commits). */
  deltaFilesRead: number;
  /**
   * Commit files listed at or below `version`. The listing starts at the checkpoint named by
   * `_last_checkpoint` when that is usable, so older commits may not be counted (use history for all).
   */
  numCommitFiles: number;
  /**
   * Total size of the log files listed (commits, checkpoints, compactions, checksums), bytes; from
   * the same listing as `numCommitFiles`, so this is what the snapshot had to consider, not the whole log.
   */
  logSizeBytes: number;
  /** What `_delta_log/_last_checkpoint` said and whether it was usable. */
  lastCheckpoint: { status: 'missing' | 'valid' | 'stale' | 'corrupt' | 'ignored'; version: number | null; message: string | null };
  /** Non-fatal problems seen while loading. */
  warnings: string[];
  /** Why data of this snapshot cannot be read (unsupported reader features); empty when it can. */
  readSupportProblems: string[];
  /** Wall time to build the snapshot (0 when served from the worker's cache), ms. */
  loadDurationMs: number;
  /** Health hints computed from the active files, tombstones and log listing (see `health.ts`). */
  health: TableHealth;
}

/**
 * What a snapshot's file stats give, once its checkpoint stats are loaded (see
 * `ExplorerApi.snapshotStats`): the totals with `numRecords` and the health hints computed again.
 */
export interface SnapshotStatsSummary {
  tableId: string;
  version: number;
  totals: SnapshotTotals;
  health: TableHealth;
}

/** The raw actions of one commit file (see {@link ExplorerApi.commitActions}). */
export interface CommitActions {
  version: number;
  /** The first lines of the commit file, as written (JSON text, one action each). */
  lines: string[];
  /** Lines in the file. */
  totalLines: number;
  /** Lines left out (beyond the cap). */
  truncated: number;
  /** Actions per kind (`add`, `remove`, `commitInfo`...) over the whole file. */
  counts: Record<string, number>;
  sizeBytes: number;
}

/** Lines {@link ExplorerApi.commitActions} sends at most. */
export const MAX_COMMIT_LINES = 500;

/** One row of the table's history: a plain {@link HistoryEntry} (newest first in lists). */
export type HistoryRow = HistoryEntry;

/** One active file: the `add` action plus what the worker derived from it. */
export interface FileRow extends AddFile {
  /** Position of the file in the snapshot's active files (stable for one snapshot). */
  index: number;
  /** `numRecords` from the file's stats, or null when it has none. */
  numRecords: number | null;
}

/** A page of a snapshot's active files. */
export interface FilesPage {
  version: number;
  offset: number;
  /** Number of active files in the snapshot. */
  total: number;
  rows: FileRow[];
}

/** Largest `limit` {@link ExplorerApi.filesPage} honours. */
export const MAX_FILES_PAGE = 10_000;
