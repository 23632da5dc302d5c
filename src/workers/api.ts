/**
 * The one interface the explorer worker exposes to the UI thread (over Comlink).
 *
 * Everything that crosses this boundary is a plain, structured-clone-safe value: no class
 * instances, no `Map`s, no functions except the `onProgress` callbacks (which the caller wraps in
 * `Comlink.proxy`). The worker keeps the state (open sources and tables, snapshots cached by
 * version); the UI holds ids.
 *
 * ## Errors
 * No method rejects for an expected failure. Every method resolves to a {@link Result}: either
 * `{ ok: true, value }` or `{ ok: false, error }` where `error` is an {@link ErrorInfo} made by
 * `toErrorInfo` (stable `code`, one-line `message`, and `path`, `version`, `hint` when known).
 * Comlink would otherwise flatten a thrown error to its message and lose the code. Non-Delta
 * failures (bugs) arrive with code `INTERNAL`. `src/ui/worker-client.ts` unwraps results and
 * throws an `ExplorerError` carrying the `ErrorInfo`.
 *
 * ## Progress
 * Long calls take an optional `onProgress` callback, wrapped with `Comlink.proxy(fn)` by the
 * caller. The worker calls it without awaiting (at most about every 50 ms, plus the last report
 * of each phase) and releases the proxy when the call settles.
 *
 * ## Cancellation
 * Long calls take an optional `requestId`, a string the caller chooses (unique per call).
 * `cancel(requestId)` aborts that call's `AbortController`; the call then resolves to
 * `{ ok: false, error: { code: 'CANCELLED', ... } }`. Cancelling an unknown or finished id does
 * nothing. Comlink delivers messages in order, so a `cancel` sent after a call always finds it.
 *
 * ## Data calls and transfers
 * `sql`, `exportQuery` and `changes` run DuckDB-WASM inside the worker (started on first use, see
 * {@link ExplorerApi.sql}). Their bytes (`ipc`, `bytes`) are transferred to the caller with
 * `Comlink.transfer`, not copied: the worker keeps no reference to them.
 *
 * Units: sizes in bytes (`...Bytes`, `size`), times in ms since the Unix epoch (`...Ms`, `...Time`),
 * durations in ms (`...Ms`).
 */
import type { S3StoreConfig } from '../delta/storage/s3.ts';
import type { AddFile, DomainMetadata, Txn } from '../delta/actions.ts';
import type { ErrorInfo } from '../delta/errors.ts';
import type { FeatureKind } from '../delta/features.ts';
import type { HistoryEntry } from '../delta/history.ts';
import type { RelativeFile } from '../delta/storage/browser-files.ts';
import type { SnapshotTotals } from '../delta/snapshot.ts';
import type { ChangeRange, ChangeVersionSummary } from '../query/changes.ts';
import type { ExportFormat } from '../query/export.ts';
import type { FileSizeHistogram, PartitionSummary } from '../explore/aggregates.ts';
import type { FilesQuery, FilesQueryPage } from '../explore/files-page.ts';
import type { SchemaTimeline } from '../explore/schema-timeline.ts';
import type { SchemaView } from '../explore/schema-tree.ts';
import type { HealthHint, TableHealth } from '../explore/health.ts';
import type { CompareColumnChange, CompareFiles, CompareResult, ProtocolInfo } from '../explore/compare.ts';
import type { ChecksumReport, ChecksumTotals } from '../delta/checksum.ts';
import type { VariantShreddingSummary } from '../explore/variant-shredding.ts';

export type { ChecksumReport, VariantShreddingSummary };

export type { FileSizeHistogram, FilesQuery, FilesQueryPage, PartitionSummary, SchemaTimeline, SchemaView };

// View-model types computed in `src/explore/` (one projection each; see that folder).
export type { CompareColumnChange, CompareFiles, CompareResult, HealthHint, TableHealth, ProtocolInfo };
export { COMPARE_MAX_PATHS } from '../explore/compare.ts';

export type { ChangeRange, ChangeVersionSummary, ErrorInfo, ExportFormat, RelativeFile };

/** The envelope of every answer: a value, or a structured error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** A progress report of a long call: `done` of `total` units (log files, commits) of a phase. */
export interface WorkerProgress {
  /**
   * `open`: walking a directory handle; `listing`: listing `_delta_log/`; `commits`: reading commit
   * files after the checkpoint; `checkpoint`: reading checkpoint parts and sidecars; `replay`:
   * reconciling actions; `history`: reading every commit's `commitInfo`; `engine`: starting the
   * SQL engine (DuckDB-WASM, fetched and compiled on the first data call: 0/1, then 1/1); `query`:
   * planning, reading data files and running a query (no total until planned; then, with `unit`
   * `bytes`, the bytes read so far of the planned files' size).
   */
  phase: 'open' | 'listing' | 'commits' | 'checkpoint' | 'replay' | 'history' | 'engine' | 'query';
  done: number;
  /** 0 when not known yet. */
  total: number;
  /**
   * While a snapshot loads: the totals of the version's checksum file (`<version>.crc`), once read —
   * the writer's numbers, not yet checked (the replay checks them; a disagreement is a summary
   * warning). See `LoadProgress.checksum`.
   */
  checksum?: ChecksumTotals;
  /** What `done` and `total` count: `bytes`, or (absent) parts (files, commits, entries). */
  unit?: 'bytes';
}

/** A progress callback; pass it as `Comlink.proxy(fn)`. */
export type ProgressCallback = (p: WorkerProgress) => void;

/** A table the worker has opened and can answer about. */
export interface OpenedTable {
  kind: 'table';
  /** Id to pass to the other calls. */
  tableId: string;
  /** What the user opened: the dropped or picked folder's name, or the last path segment of an opened URL. */
  label: string;
  /**
   * The URL that was opened (the folder's URL when the table is one of several in it), without
   * query string or credentials; absent for a local folder.
   */
  url?: string;
  /**
   * The table root inside what was opened, `/`-separated; `''` when the opened folder is the table.
   * Set when a folder holding one table (or the user's pick among several) was opened.
   */
  root: string;
  /** Id of the opened folder (for {@link ExplorerApi.closeSource}, or to pick another table of it). */
  sourceId: string;
  /** Where a remote table lives (no credentials); absent for a local folder. */
  remote?: RemoteLocation;
  /** The table can be shared by a link: remote tables whose store can presign URLs, or public URLs. */
  shareable?: boolean;
  /**
   * Number of files under the table root (log and data files) of a local folder; for a URL, the
   * number of `_delta_log/` entries listed (or probed) when opening.
   */
  numFiles: number;
  /** True when only a `_delta_log` folder was opened (no data files): metadata views work, data reads cannot. */
  logOnly: boolean;
}

/** A sub-folder that holds a `_delta_log/`, offered when an opened folder holds several tables. */
export interface TableCandidate {
  /** Path of the table root inside the opened folder, `/`-separated, never empty. */
  path: string;
  /** Number of files in its `_delta_log/` (commits, checkpoints, checksums ...). */
  numLogFiles: number;
  /** Highest version named by a commit or checkpoint file, or null when none. */
  latestVersion: number | null;
  /** Whether the log holds at least one checkpoint file. */
  hasCheckpoint: boolean;
}

/** An opened folder that holds several tables: pick one with {@link ExplorerApi.openCandidate}. */
export interface TableCandidates {
  kind: 'candidates';
  /** Id of the opened folder, for {@link ExplorerApi.openCandidate}. */
  sourceId: string;
  label: string;
  /** The folder's URL when it was opened by URL (see {@link OpenedTable.url}). */
  url?: string;
  /** Sorted by path. */
  candidates: TableCandidate[];
}

/**
 * What opening a folder gives: the table, or the tables it holds. A folder with no `_delta_log/`
 * anywhere is an error with code `NOT_A_TABLE`. A folder holding exactly one table in a sub-folder
 * opens that table (`root` says where it is).
 */
export type OpenResult = OpenedTable | TableCandidates;

/**
 * Where a remote table lives, without any credential: enough to show it, to pin it in a share
 * link, and to reconnect (after the user gives credentials again).
 */
export type RemoteLocation =
  | { kind: 'http'; url: string }
  | {
      kind: 's3';
      /** Endpoint of an S3-compatible store (e.g. `http://127.0.0.1:9000`); absent for AWS S3. */
      endpoint?: string;
      region: string;
      bucket: string;
      /** Key prefix of the opened folder, no leading or trailing `/` (`''` for the bucket root). */
      prefix: string;
    }
  | {
      kind: 'lakefs';
      /** The lakeFS server (e.g. `https://lakefs.example.com`), no `/api/v1`. */
      endpoint: string;
      repository: string;
      /** Branch, tag or commit id as the user picked it. */
      ref: string;
      /** The commit id the ref pointed at when opened (share links pin it). */
      commitId?: string;
      /** Path of the opened folder inside the ref, no leading or trailing `/`. */
      path: string;
    }
  | {
      kind: 'share';
      /** When the link's presigned URLs stop working, ms since the epoch. */
      expiresAtMs: number;
      /** Where the shared table lives (no credentials). */
      origin: RemoteLocation;
    };

/**
 * Settings of an S3 or S3-compatible store (fields as {@link S3StoreConfig}: endpoint, region, bucket,
 * prefix, access key id, secret access key, session token). The secret key and session token stay
 * in the worker's memory; they are never put in a URL, a share link, a log line or an error message.
 */
export type S3ConnectionConfig = Omit<S3StoreConfig, 'fetch'>;

/**
 * Settings of a lakeFS server. The secret stays in the worker's memory (an HTTP basic auth header
 * on each API call); it is never put in a URL, a share link, a log line or an error message.
 */
export interface LakeFsConnectionConfig {
  /**
   * The lakeFS server, e.g. `https://lakefs.example.com`, or `/lakefs` (resolved against the app)
   * behind `delta-explorer serve --lakefs`. lakeFS sends no CORS headers: it must be reachable from
   * the app's own origin. A trailing `/api/v1` is dropped.
   */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** A lakeFS repository (`GET /repositories`). */
export interface LakeFsRepositoryInfo {
  id: string;
  defaultBranch: string;
  /** e.g. `s3://bucket/prefix`. */
  storageNamespace: string;
  /** ms since the epoch. */
  createdMs: number;
}

/** A lakeFS branch or tag and the commit it points at. */
export interface LakeFsRefInfo {
  name: string;
  commitId: string;
}

/** A lakeFS commit (`GET /repositories/{repository}/refs/{ref}/commits`). */
export interface LakeFsCommitInfo {
  id: string;
  message: string;
  committer: string;
  /** ms since the epoch. */
  createdMs: number;
  parents: string[];
}

/** The refs of a lakeFS repository: branches, tags and the recent commits of its default branch. */
export interface LakeFsRefs {
  repository: string;
  defaultBranch: string;
  /** Sorted by name (at most 1,000). */
  branches: LakeFsRefInfo[];
  /** Sorted by name (at most 1,000). */
  tags: LakeFsRefInfo[];
  /** The newest commits (at most 50) reachable from the default branch, newest first. */
  commits: LakeFsCommitInfo[];
  /** More branches or tags exist than listed. */
  truncated: boolean;
  /** The repository's storage presigns URLs (data files are then read from the storage directly). */
  presign: boolean;
}

/** A live connection to a remote store (S3 or lakeFS), as the UI sees it: no secrets. */
export interface RemoteConnection {
  connectionId: string;
  kind: 's3' | 'lakefs';
  /** e.g. `s3://bucket/prefix` or `lakefs://endpoint`. */
  label: string;
  /** The endpoint requests go to (AWS S3: the regional endpoint). */
  endpoint: string;
}

/** A place inside a connection: S3 uses `prefix` only; lakeFS also `repository` and `ref`. */
export interface RemoteBrowsePlace {
  repository?: string;
  ref?: string;
  /** Folder path, no leading `/`; `''` for the top. */
  prefix: string;
}

/** One sub-folder of a browsed folder. */
export interface RemoteFolder {
  /** Full path of the folder (relative to the bucket, or to the ref for lakeFS), no trailing `/`. */
  path: string;
  /** Last path segment. */
  name: string;
  /** The folder holds a `_delta_log/` (it is a Delta table root). */
  isTable: boolean;
}

/** The answer of {@link ExplorerApi.browseRemote}. */
export interface RemoteListing {
  place: RemoteBrowsePlace;
  /** The browsed folder itself is a table root. */
  isTable: boolean;
  /** Sub-folders, sorted by name. */
  folders: RemoteFolder[];
  /** Number of plain objects directly in the folder (not listed one by one). */
  objectCount: number;
  /** The store had more entries than were listed (first 1,000 shown). */
  truncated: boolean;
}

/** Options of {@link ExplorerApi.createShareLink}. */
export interface ShareOptions {
  /** The version to share (default: the latest loaded). */
  version?: number;
  /** How long the link works, seconds (1 ... 604,800 = 7 days; S3 caps presigned URLs at 7 days). */
  expiresInSeconds: number;
  /**
   * Where the manifest of presigned URLs goes: in the link's fragment (`'fragment'`, refused when too
   * big), or an object written beside the table (`'object'`, needs write access), or `'auto'`:
   * the fragment when it fits, else an error asking to allow the write.
   */
  storage: 'fragment' | 'object' | 'auto';
}

/** A share link's payload, to put after `#` in the app URL (with the view state in the query string). */
export interface ShareLink {
  /** Fragment text, e.g. `share=<base64url>` or `share-url=<encoded URL>`. */
  fragment: string;
  /** When the link stops working, ms since the epoch. */
  expiresAtMs: number;
  /** Files the manifest names (log and data files). */
  files: number;
  /** Where the manifest is: in the fragment, or in an object beside the table. */
  storage: 'fragment' | 'object';
  /** Length of the fragment in characters. */
  length: number;
}

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
  /** Counts over the active files (bytes, rows). */
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

/** Rows a data call sends back when the caller does not say ({@link SqlRequest.maxRows}). */
export const DEFAULT_MAX_ROWS = 1_000;
/** Largest `maxRows` honoured (more rows are counted, not sent). */
export const MAX_RESULT_ROWS = 100_000;

/** Options of {@link ExplorerApi.sql}. */
export interface SqlRequest {
  /** The version the name `t` stands for (default: the latest). `"t@v3"` etc. still work inside the SQL. */
  version?: number;
  /** At most this many rows are sent back (default {@link DEFAULT_MAX_ROWS}, capped at {@link MAX_RESULT_ROWS}). */
  maxRows?: number;
  /**
   * Keep the whole result in the worker for {@link ExplorerApi.resultPage} (sorted, filtered pages),
   * {@link ExplorerApi.resultProfile} and {@link ExplorerApi.resultColumn}; its id is
   * {@link QueryResult.resultId}. Release it with {@link ExplorerApi.releaseResult}.
   */
  hold?: boolean;
}

export type { ColumnProfile, ResultFilter, ResultPage, ResultPageRequest, ResultSort } from './results.ts';
import type { RowDiffRequest, RowDiffResult } from './row-diff-call.ts';
export type { RowDiffCounts, RowDiffRequest, RowDiffResult } from './row-diff-call.ts';

/** One column of a result: its name and DuckDB type name (`BIGINT`, `VARCHAR`, `DECIMAL(10,2)`, `STRUCT(...)`...). */
export interface ResultColumn {
  name: string;
  type: string;
}

/**
 * What a data call read, summed over the scans it planned (one per table reference; Change Data
 * Feed reads included). Sizes come from the log.
 */
export interface ReadSummary {
  /** Data files (and change data files) given to DuckDB. */
  filesRead: number;
  /** Active files of the snapshots scanned (plus the change feed's reads), before pruning. */
  totalFiles: number;
  /** Sum of the sizes of the files read: what DuckDB reads at most (it reads only the column chunks it needs). */
  bytesRead: number;
  /** Sum of the sizes of `totalFiles`. */
  totalBytes: number;
  /** Files skipped by partition values, by statistics, by a LIMIT. */
  prunedByPartition: number;
  prunedByStats: number;
  prunedByLimit: number;
  /**
   * Bytes this call copied from storage into the engine. Files are loaded once per session, and
   * DuckDB reads a dropped folder's files itself by range, so this is often 0.
   */
  bytesFetched: number;
}

/** The answer of {@link ExplorerApi.sql}. */
export interface QueryResult {
  /** The version `t` stood for. */
  version: number;
  columns: ResultColumn[];
  /** Rows of the whole result (the worker holds them all while encoding). */
  numRows: number;
  /** True when `numRows` exceeds the rows in `ipc`. */
  truncated: boolean;
  /**
   * The first `maxRows` rows as an Arrow IPC stream (decode with apache-arrow `tableFromIPC`).
   * Its buffer is transferred, not copied. Variant columns arrive as JSON text.
   */
  ipc: Uint8Array;
  plans: ReadSummary;
  /** Time in the query session: planning, reading files, running the query, encoding, ms. */
  durationMs: number;
  /** Time this call spent starting the SQL engine (first data call of the worker only), ms. */
  engineStartMs?: number;
  /** With {@link SqlRequest.hold}: the id of the whole result, held in the worker. */
  resultId?: string;
}

/** The answer of {@link ExplorerApi.exportQuery}: a whole result as a file. */
export interface ExportResult {
  /** The file's bytes (UTF-8 for CSV and JSON Lines); the buffer is transferred. */
  bytes: Uint8Array;
  /** MIME type of the format. */
  mime: string;
  /** A suggested file name, e.g. `my_table_v3.csv`. */
  fileName: string;
  numRows: number;
  durationMs: number;
}

/** The answer of {@link ExplorerApi.changes}. */
export interface ChangesResult {
  startVersion: number;
  endVersion: number;
  /** One entry per commit of the range: files and rows per change type. */
  summary: ChangeVersionSummary[];
  /** The feed's rows: the table's columns, `_change_type`, `_commit_version`, `_commit_timestamp`. */
  columns: ResultColumn[];
  numRows: number;
  truncated: boolean;
  /** At most `maxRows` rows as an Arrow IPC stream (transferred). */
  ipc: Uint8Array;
  plans: ReadSummary;
  durationMs: number;
  engineStartMs?: number;
  /** With `hold` in the request: the id of all the feed's rows, held for the grid (as {@link QueryResult.resultId}). */
  resultId?: string;
}

/** The worker's API. Every method resolves (never rejects for an expected failure); see the module doc. */
export interface ExplorerApi {
  /**
   * Opens a folder given as files with paths relative to it (from `<input webkitdirectory>` or a
   * walked drop). Detects the table root: the folder itself when it holds `_delta_log/`; the one
   * sub-folder holding a table; otherwise the list of candidates. A dropped `_delta_log` folder
   * alone opens as a log-only table.
   * @param label the folder's name, shown to the user.
   * Errors: `NOT_A_TABLE` (empty folder, or no `_delta_log/` anywhere), `CANCELLED`.
   */
  openFiles(files: RelativeFile[], label: string, requestId?: string, stageId?: string): Promise<Result<OpenResult>>;

  /**
   * Hands the worker part of a folder's files ahead of {@link openFiles}, so that a folder of many
   * files crosses in several messages: cloning a `File` into a message costs the sending thread
   * about half a millisecond (Chromium), so one message of a hundred files or more is a long task
   * on the page. The next `openFiles` naming the same `stageId` opens the staged files followed by
   * its own; `files: null` discards what was staged (an open that was cancelled).
   */
  stageFiles(stageId: string, files: RelativeFile[] | null): Promise<void>;

  /**
   * Same as {@link openFiles} for a `FileSystemDirectoryHandle` (File System Access API, or a drop's
   * `getAsFileSystemHandle()`); walks it in the worker, reporting `open` progress (files found).
   */
  openDirectoryHandle(
    handle: FileSystemDirectoryHandle,
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<OpenResult>>;

  /**
   * Opens a table (or a folder of tables) at an absolute `http(s)://` URL through `HttpStore`:
   * ranged reads, the server's S3 `ListObjectsV2` listing when it answers one, else probing
   * `_delta_log/` by `_last_checkpoint` and HEAD requests. The UI resolves relative URLs against the
   * page before calling. A URL ending in `/_delta_log` opens its parent. When the URL has no
   * `_delta_log/` and the server lists, sub-folders holding `_delta_log/` are offered as candidates
   * (one is opened directly). Reads only the listing, not the snapshot: call {@link snapshot} next.
   * Errors: `INVALID_ARGUMENT` (not an absolute http(s) URL, or one with a query string),
   * `NOT_A_TABLE` (no `_delta_log/` there, with a hint to give the table root), `ACCESS_DENIED`
   * (401/403), `STORAGE_ERROR` (network failure, CORS refusal, mixed content, other HTTP errors),
   * `CANCELLED`.
   */
  openUrl(url: string, requestId?: string): Promise<Result<OpenResult>>;

  /**
   * Opens one of the candidates of a folder holding several tables.
   * Errors: `INVALID_ARGUMENT` (unknown source or path).
   */
  openCandidate(sourceId: string, path: string): Promise<Result<OpenedTable>>;

  /**
   * Loads (or returns from cache) a snapshot and summarizes it. Tables needing reader features this
   * reader lacks still load; `readSupportProblems` says why their data cannot be read.
   * Errors: `INVALID_ARGUMENT` (unknown table, both version and timestamp), `NOT_A_TABLE`,
   * `VERSION_NOT_FOUND`, `MISSING_COMMIT`, `TIMESTAMP_OUT_OF_RANGE`, `CORRUPT_COMMIT`,
   * `CORRUPT_CHECKPOINT`, `FILE_NOT_FOUND`, `INVALID_LOG`, `STORAGE_ERROR`, `CANCELLED`.
   */
  snapshot(
    tableId: string,
    request: SnapshotRequest,
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<SnapshotSummary>>;

  /**
   * Every retained commit, newest first, with its timestamp and `commitInfo` (cached per latest version).
   * Errors: as {@link snapshot}.
   */
  history(tableId: string, onProgress?: ProgressCallback, requestId?: string): Promise<Result<HistoryRow[]>>;

  /**
   * Active files `[offset, offset + limit)` of the snapshot at `version` (loaded if not cached).
   * `limit` is capped at {@link MAX_FILES_PAGE}.
   * Errors: as {@link snapshot}, `INVALID_ARGUMENT` for a negative offset or limit.
   */
  filesPage(tableId: string, version: number, offset: number, limit: number): Promise<Result<FilesPage>>;

  /**
   * Active files of the snapshot at `version` matching `query.search` (decoded path or
   * `column=value` substring), sorted, one page at a time, with per-column stats as text (see
   * `src/explore/files-page.ts`). The matching order is computed once per snapshot and query, then paged.
   * Errors: as {@link snapshot}.
   */
  filesQuery(tableId: string, version: number, query: FilesQuery): Promise<Result<FilesQueryPage>>;
  /**
   * The active files of `version` matching `query.search` as one table held in the worker for the
   * result grid (`src/explore/files-table.ts` gives the columns): pages, sorts, filters and profiles
   * through {@link resultPage} etc. Errors: as {@link snapshot}.
   */
  filesTable(tableId: string, version: number, query?: import('../explore/files-table.ts').FilesTableQuery): Promise<Result<import('./held-table.ts').HeldTable>>;
  /**
   * The retained history (as {@link history}) as one table held in the worker for the result grid
   * (`src/explore/history-table.ts` gives the columns). Errors: as {@link history}.
   */
  historyTable(tableId: string, onProgress?: ProgressCallback, requestId?: string): Promise<Result<import('./held-table.ts').HeldTable>>;

  /** Files, records, bytes and deleted rows per partition of the snapshot at `version`, largest first. Errors: as {@link snapshot}. */
  partitions(tableId: string, version: number): Promise<Result<PartitionSummary>>;

  /** Active files of the snapshot at `version` on power-of-two size bins. Errors: as {@link snapshot}. */
  fileSizes(tableId: string, version: number): Promise<Result<FileSizeHistogram>>;

  /**
   * The version checksum (`_delta_log/<version>.crc`, protocol "Version Checksum File") of the
   * snapshot at `version`, compared with the log replay: status `missing` / `malformed` / `match` /
   * `mismatch` with every disagreeing field, and the writer's file-size and deleted-record-counts
   * histograms for the health view (see `src/delta/checksum.ts`). Errors: as {@link snapshot}.
   */
  versionChecksum(tableId: string, version: number): Promise<Result<ChecksumReport>>;

  /**
   * The variant columns of the snapshot at `version` and how sampled data files shred them
   * (`typed_value` layouts from their Parquet footers), for the schema view; see
   * `src/explore/variant-shredding.ts`. Errors: as {@link snapshot}, plus storage errors of the footer reads.
   */
  variantShredding(tableId: string, version: number): Promise<Result<VariantShreddingSummary>>;

  /**
   * Which version added, renamed, changed or dropped each column, from the `metaData` of every
   * retained commit (reported as `history` progress; cached per latest version). Errors: as {@link history}.
   */
  schemaHistory(tableId: string, onProgress?: ProgressCallback, requestId?: string): Promise<Result<SchemaTimeline>>;

  /**
   * Runs SQL (DuckDB dialect) over the table: `t` is the snapshot at `request.version` (default the
   * latest); `"t@v3"`, `"t$history"`, `"t$files"`, `table_changes(a, b)` ... as `src/query/session.ts`
   * documents. Each open table keeps one query session per version, created on the first data call;
   * the SQL engine (DuckDB-WASM, ~18 MB) is started on the first data call of the worker, reported
   * as `engine` progress. Cancelling stops the planning and the file reads; a query DuckDB is already
   * running cannot be stopped (the call still resolves `CANCELLED`, once DuckDB is done).
   * Errors: as {@link snapshot}, `UNSUPPORTED_READER_FEATURE` (checked before anything is read),
   * `QUERY_ERROR` (DuckDB's message; also when the engine cannot start), `INVALID_ARGUMENT` (empty
   * query), `FILE_NOT_FOUND` (a data or deletion vector file, named), `CORRUPT_DELETION_VECTOR`,
   * `CDF_NOT_ENABLED`, `CDF_INCOMPATIBLE_SCHEMA`, `CANCELLED`.
   */
  sql(tableId: string, query: string, request?: SqlRequest, onProgress?: ProgressCallback, requestId?: string): Promise<Result<QueryResult>>;
  /**
   * Rows of a held result (see {@link SqlRequest.hold}) seen through sorts and filters, as text
   * cells (`src/workers/results.ts`). Errors: `INVALID_ARGUMENT` (result no longer held, bad column).
   */
  resultPage(resultId: string, request: import('./results.ts').ResultPageRequest): Promise<Result<import('./results.ts').ResultPage>>;
  /** Nulls, distinct values, min/max, top values and a histogram of one column of a held result. */
  resultProfile(resultId: string, column: number): Promise<Result<import('./results.ts').ColumnProfile>>;
  /** A whole column of a held result's view as text lines (for copying). */
  resultColumn(
    resultId: string,
    column: number,
    view: { sort?: import('./results.ts').ResultSort[]; filters?: import('./results.ts').ResultFilter[] },
  ): Promise<Result<{ text: string; values: number; capped: boolean }>>;
  /** Frees a held result. */
  releaseResult(resultId: string): Promise<void>;

  /**
   * Runs SQL as {@link sql} and returns the whole result as a file (see `src/query/export.ts` for
   * the formats). Errors: as {@link sql}; `INVALID_ARGUMENT` for an unknown format.
   */
  exportQuery(
    tableId: string,
    query: string,
    format: ExportFormat,
    request?: { version?: number },
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<ExportResult>>;

  /**
   * The Change Data Feed of a range (`{ from, to }` versions, or timestamps; no end = the latest):
   * a per-version summary, and the rows (at most `maxRows`; all of them held for the grid with `hold`).
   * Errors: as {@link sql}, `CDF_NOT_ENABLED`, `VERSION_NOT_FOUND`, `TIMESTAMP_OUT_OF_RANGE`, `MISSING_COMMIT`.
   */
  changes(
    tableId: string,
    range: ChangeRange,
    request?: { maxRows?: number; hold?: boolean },
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<ChangesResult>>;

  /**
   * The raw JSON lines of commit `version` (at most {@link MAX_COMMIT_LINES}) and counts per action kind.
   * Errors: `VERSION_NOT_FOUND` when the commit file is gone, `NOT_FOUND` for an unknown table.
   */
  commitActions(tableId: string, version: number, requestId?: string): Promise<Result<CommitActions>>;

  /**
   * Compares the snapshots at `versionA` and `versionB` (both loaded through the snapshot cache):
   * files added and removed, record delta, schema, property and protocol changes.
   * Errors: as {@link snapshot}.
   */
  compare(tableId: string, versionA: number, versionB: number, onProgress?: ProgressCallback, requestId?: string): Promise<Result<CompareResult>>;

  /** Aborts the call started with `requestId`, if it is still running. */
  cancel(requestId: string): Promise<void>;

  /**
   * Forgets a table, its cached snapshots and query sessions, and its source unless that holds several tables
   * (the user may pick another one; see {@link closeSource}).
   */
  close(tableId: string): Promise<void>;

  /** Forgets an opened folder and every table opened from it. */
  closeSource(sourceId: string): Promise<void>;

  // ---- Remote stores (S3, lakeFS), share links ----

  /**
   * Connects to an S3 bucket (AWS or S3-compatible) and checks the credentials with one listing of
   * the prefix. The credentials stay in the worker's memory until {@link closeConnection}.
   * Errors: `WRONG_CREDENTIALS`, `ACCESS_DENIED`, `EXPIRED` (temporary credentials), `CORS_REFUSED`
   * (with the bucket CORS configuration to apply in `hint`), `STORAGE_ERROR` (unreachable, no such bucket).
   */
  connectS3(config: S3ConnectionConfig, requestId?: string): Promise<Result<RemoteConnection>>;

  /**
   * Lists the sub-folders of a folder of a connection and tells which are Delta tables (hold `_delta_log/`).
   * Errors: as {@link connectS3}, `INVALID_ARGUMENT` for an unknown connection.
   */
  browseRemote(connectionId: string, place: RemoteBrowsePlace, requestId?: string): Promise<Result<RemoteListing>>;

  /**
   * Opens the table (or the folder of tables) at a place of a connection; then call {@link snapshot}.
   * Errors: `NOT_A_TABLE`, store errors as {@link connectS3}.
   */
  openRemote(connectionId: string, place: RemoteBrowsePlace, requestId?: string): Promise<Result<OpenResult>>;

  /**
   * Connects to a lakeFS server with an access key (HTTP basic auth on every call from the worker)
   * and checks it with one `GET /repositories`. Browse it with {@link browseRemote} and open tables
   * with {@link openRemote}, giving `repository` and `ref` in the place (a table opens at the commit
   * the ref points at then; its location pins that commit id).
   * Errors: `INVALID_ARGUMENT` (missing field, bad endpoint), `WRONG_CREDENTIALS`, `CORS_REFUSED`
   * (lakeFS sends no CORS headers: serve the app from its origin, or use `serve --lakefs`),
   * `STORAGE_ERROR` (unreachable, not a lakeFS API).
   */
  connectLakeFs(config: LakeFsConnectionConfig, requestId?: string): Promise<Result<RemoteConnection>>;

  /**
   * The repositories the key can see (`GET /repositories`, every page, at most 10,000), by id.
   * Errors: `INVALID_ARGUMENT` (unknown or not a lakeFS connection), errors as {@link connectLakeFs}.
   */
  lakeFsRepositories(connectionId: string, requestId?: string): Promise<Result<LakeFsRepositoryInfo[]>>;

  /**
   * Branches, tags and recent commits of a repository (`GET .../branches`, `.../tags`,
   * `.../refs/{default branch}/commits`, `GET /config` for presigning).
   * Errors: `STORAGE_ERROR` (no such repository), `ACCESS_DENIED`, errors as {@link lakeFsRepositories}.
   */
  lakeFsRefs(connectionId: string, repository: string, requestId?: string): Promise<Result<LakeFsRefs>>;

  /**
   * Compares two open tables (e.g. one table opened at two lakeFS refs): the snapshot of `tableIdA`
   * at `versionA` with that of `tableIdB` at `versionB` (`undefined`: the latest), as {@link compare}
   * does for two versions of one table (`versionA`/`versionB` of the result are each table's version).
   * Errors: as {@link snapshot}.
   */
  compareTables(
    tableIdA: string,
    versionA: number | undefined,
    tableIdB: string,
    versionB: number | undefined,
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<CompareResult>>;

  /**
   * Row-level diff (`src/query/row-diff.ts`): the rows added, removed and changed from side A to
   * side B (two versions of one table, or two open tables such as one table at two lakeFS refs), by
   * `request.key` or as whole rows, computed by DuckDB; rows per side checked against the log and,
   * for one table, counts against the Change Data Feed. The differing rows come back as `sql` does
   * (first rows in `ipc`; all held with `hold`). Errors: `INVALID_ARGUMENT` (bad key or version, a
   * key that is not unique), `DATA_INTEGRITY`, errors as {@link sql}.
   */
  rowDiff(request: RowDiffRequest, onProgress?: ProgressCallback, requestId?: string): Promise<Result<RowDiffResult>>;

  /** Forgets a connection and its credentials (tables opened from it stay open until closed). */
  closeConnection(connectionId: string): Promise<void>;

  /**
   * Makes a read-only share link of an open remote table at a version: a manifest of presigned GET
   * URLs of the log files that version needs and of its data and deletion vector files.
   * Errors: `INVALID_ARGUMENT` (not shareable, bad expiry, manifest too big for the fragment with
   * `storage: 'fragment'`), `ACCESS_DENIED` (writing the manifest object refused), store errors.
   */
  createShareLink(tableId: string, options: ShareOptions, requestId?: string): Promise<Result<ShareLink>>;

  /**
   * Opens a share link's table from its fragment (`share=...` or `share-url=...`), with no credentials.
   * `nowMs` is the page's clock (ms since the epoch) for the expiry check (default: the worker's).
   * Errors: `EXPIRED` (the link's time is over, or a URL in it was refused as expired),
   * `INVALID_ARGUMENT` (not a share link), store errors.
   */
  openShare(fragment: string, nowMs?: number, requestId?: string): Promise<Result<OpenResult>>;
}
