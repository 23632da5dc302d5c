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
 * ## Where the types are
 * The wire types live in `wire/`: `calls.ts` (the {@link Result} envelope, progress), `sources.ts`
 * (opening folders, URLs and remote stores; share links), `tables.ts` (snapshot summary, history,
 * commit actions, file pages) and `data.ts` (SQL, export, change feed, held results, row diff).
 * View models are computed in `src/explore/` and re-exported here. Import any of them from this file.
 *
 * Units: sizes in bytes (`...Bytes`, `size`), times in ms since the Unix epoch (`...Ms`, `...Time`),
 * durations in ms (`...Ms`).
 */
import type { ChecksumReport } from '../delta/checksum.ts';
import type { ErrorInfo } from '../delta/errors.ts';
import type { FolderFile, RelativeFile } from '../delta/storage/browser-files.ts';
import type { FileSizeHistogram, PartitionSummary } from '../explore/aggregates.ts';
import type { CompareColumnChange, CompareFiles, CompareResult, ProtocolInfo } from '../explore/compare.ts';
import type { FilesQuery, FilesQueryPage } from '../explore/files-page.ts';
import type { HealthHint, TableHealth } from '../explore/health.ts';
import type { SchemaTimeline } from '../explore/schema-timeline.ts';
import type { SchemaView } from '../explore/schema-tree.ts';
import type { VariantShreddingSummary } from '../explore/variant-shredding.ts';
import type { ChangeRange, ChangeVersionSummary } from '../query/changes.ts';
import type { ExportFormat } from '../query/export.ts';
import type { RowDiffRequest, RowDiffResult } from './row-diff-call.ts';
import type { ProgressCallback, Result } from './wire/calls.ts';
import type { ChangesResult, ExportResult, QueryResult, SqlRequest } from './wire/data.ts';
import type { LakeFsConnectionConfig, LakeFsRefs, LakeFsRepositoryInfo, OpenResult, OpenedTable, RemoteBrowsePlace, RemoteConnection, RemoteListing, S3ConnectionConfig, ShareLink, ShareOptions } from './wire/sources.ts';
import type { CommitActions, FilesPage, HistoryRow, SnapshotRequest, SnapshotStatsSummary, SnapshotSummary } from './wire/tables.ts';

export type { ChecksumReport, VariantShreddingSummary };
export type { FileSizeHistogram, FilesQuery, FilesQueryPage, PartitionSummary, SchemaTimeline, SchemaView };
// View-model types computed in `src/explore/` (one projection each; see that folder).
export type { CompareColumnChange, CompareFiles, CompareResult, HealthHint, TableHealth, ProtocolInfo };
export { COMPARE_MAX_PATHS } from '../explore/compare.ts';
export type { ChangeRange, ChangeVersionSummary, ErrorInfo, ExportFormat, FolderFile, RelativeFile };
export * from './wire/calls.ts';
export * from './wire/sources.ts';
export * from './wire/tables.ts';
export * from './wire/data.ts';

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
  openFiles(files: FolderFile[], label: string, requestId?: string, stageId?: string): Promise<Result<OpenResult>>;

  /**
   * Hands the worker part of a folder's files ahead of {@link openFiles}, so that a folder of many
   * files crosses in several messages: cloning a `File` into a message costs the sending thread
   * about half a millisecond (Chromium), so one message of a hundred files or more is a long task
   * on the page. The small `_delta_log` files may cross bundled (`BundledFile`: a few `Blob`s
   * instead of thousands of `File`s, read whole in the worker). The next `openFiles` naming the same `stageId` opens the staged files followed by
   * its own; `files: null` discards what was staged (an open that was cancelled).
   */
  stageFiles(stageId: string, files: FolderFile[] | null): Promise<void>;

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
    request?: SnapshotRequest,
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<SnapshotSummary>>;

  /**
   * The record counts and stats-derived health of the snapshot at `version`, once its checkpoint
   * stats are loaded: {@link snapshot} paints without them (`totals.statsPending`) and starts their
   * load; this awaits it (only the `add.stats` column chunks of the checkpoint are fetched).
   * Errors: as {@link snapshot}; a failed stats load (`CORRUPT_CHECKPOINT`, storage errors) is
   * reported here, and the next call loads again.
   */
  snapshotStats(tableId: string, version: number, requestId?: string): Promise<Result<SnapshotStatsSummary>>;

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
