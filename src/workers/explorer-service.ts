/**
 * The implementation of {@link ExplorerApi}, free of Comlink and of worker globals so that it runs
 * (and is tested) in Node as well. `explorer.worker.ts` exposes one instance.
 *
 * State: opened sources (the files of a dropped folder, or a remote store), open tables (each with
 * its `DeltaTable`, whose snapshot cache keeps the last few versions used) and their query sessions.
 * Nothing per file is copied: stores hold the `File` handles, snapshots hold their columnar batches.
 *
 * The service is a facade over three parts, each in `service/`:
 * - `sources.ts`: opened folders and remote stores, the tables found in them, live connections;
 * - `tables.ts`: open tables (through their snapshot cache) and the metadata calls over a snapshot;
 * - `data-plane.ts`: the SQL engine, query sessions, the data calls and held results.
 * This file turns their values and `DeltaError`s into {@link Result}s, registers each call's
 * abort signal under its request id, throttles progress, and marks buffers for transfer.
 *
 * Data calls (`sql`, `exportQuery`, `changes`) use one SQL engine per service, made by the
 * `engine` option on the first data call (the worker passes `openBrowserEngine`; Node tests
 * `createNodeEngine`), and one `QuerySession` per open table and version, opened lazily and kept
 * for the last few versions used. A dropped folder's files reach DuckDB as `File` handles
 * (`fileAccess: 'direct'`, read by range); a table opened by URL is read through the store
 * (`'buffer'`), because DuckDB's own HTTP reads start with a HEAD, which URLs presigned for GET refuse.
 */
import { throwIfAborted, toErrorInfo, DeltaError } from '../delta/errors.ts';
import { filesFromDirectoryHandle, type FolderFile } from '../delta/storage/browser-files.ts';
import type { ObjectStore } from '../delta/storage/object-store.ts';
import type { ChecksumReport } from '../delta/checksum.ts';
import type { VariantShreddingSummary } from '../explore/variant-shredding.ts';
import type { ChangeRange } from '../query/changes.ts';
import type { SqlEngine } from '../query/engine.ts';
import type { ExportFormat } from '../query/export.ts';
import type {
  ChangesResult,
  CommitActions,
  CompareResult,
  ExplorerApi,
  ExportResult,
  FileSizeHistogram,
  FilesPage,
  FilesQuery,
  FilesQueryPage,
  HistoryRow,
  LakeFsConnectionConfig,
  LakeFsRefs,
  LakeFsRepositoryInfo,
  OpenedTable,
  OpenResult,
  PartitionSummary,
  ProgressCallback,
  QueryResult,
  RemoteBrowsePlace,
  RemoteConnection,
  RemoteListing,
  RemoteLocation,
  Result,
  S3ConnectionConfig,
  SchemaTimeline,
  ShareLink,
  ShareOptions,
  SnapshotRequest,
  SnapshotStatsSummary,
  SnapshotSummary,
  SqlRequest,
  RowDiffRequest,
  RowDiffResult,
  WorkerProgress,
} from './api.ts';
import type { RemoteConnectionImpl } from './remote.ts';
import type { ColumnProfile, ResultFilter, ResultPage, ResultPageRequest, ResultSort } from './results.ts';
import { DataPlane } from './service/data-plane.ts';
import { filesTable, type FilesTableQuery } from '../explore/files-table.ts';
import { historyTable } from '../explore/history-table.ts';
import { holdTable, type HeldTable } from './held-table.ts';
import { Sources } from './service/sources.ts';
import { TableCalls } from './service/tables.ts';

export { readSummary } from './service/data-plane.ts';

/** Minimum time between two progress reports of one call, ms. */
const PROGRESS_INTERVAL_MS = 50;

/** Options of {@link ExplorerService}. */
export interface ExplorerServiceOptions {
  /** Clock for durations (tests pin it). Default `performance.now`. */
  now?: () => number;
  /** `fetch` for tables opened by URL (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Starts the SQL engine for data calls (called once, on the first one; again after a failure).
   * Without it, data calls fail with `QUERY_ERROR`.
   */
  engine?: () => Promise<SqlEngine>;
}

/** Wraps a progress callback: throttled per call, never throws, never waits for the UI thread. */
function progressReporter(cb: ProgressCallback | undefined): (p: WorkerProgress) => void {
  if (!cb) return () => {};
  let lastMs = 0;
  let lastPhase = '';
  return (p) => {
    const nowMs = Date.now();
    const final = p.total > 0 && p.done >= p.total;
    if (!final && p.phase === lastPhase && nowMs - lastMs < PROGRESS_INTERVAL_MS) return;
    lastMs = nowMs;
    lastPhase = p.phase;
    try {
      // Through Comlink the call returns a promise; a failure (UI gone) is not the load's problem.
      void Promise.resolve(cb(p)).catch(() => {});
    } catch {
      /* same */
    }
  };
}

/** The explorer API over sources, tables and the data plane (see the module comment). */
export class ExplorerService implements ExplorerApi {
  private readonly sources: Sources;
  private readonly tables: TableCalls;
  private readonly data: DataPlane;
  private readonly requests = new Map<string, AbortController>();
  /**
   * Frees a progress callback once its call has settled; the worker entry sets it to release the
   * Comlink proxy (and its MessageChannel). Undefined in Node tests, where callbacks are plain functions.
   */
  releaseProxy?: (cb: ProgressCallback) => void;
  /**
   * Marks the buffers of a successful answer for transfer instead of copy; the worker entry sets it
   * to `Comlink.transfer`. Undefined in Node tests (answers are returned as they are).
   */
  transfer?: <T>(value: T, buffers: Transferable[]) => T;

  constructor(options: ExplorerServiceOptions = {}) {
    const now = options.now ?? (() => performance.now());
    this.sources = new Sources(options.fetch);
    this.tables = new TableCalls(now);
    this.data = new DataPlane(this.tables, now, options.engine);
  }

  /** Runs `fn` with an abort signal registered under `requestId`, and wraps its outcome in a {@link Result}. */
  private async run<T>(
    requestId: string | undefined,
    onProgress: ProgressCallback | undefined,
    fn: (signal: AbortSignal, progress: (p: WorkerProgress) => void) => Promise<T>,
  ): Promise<Result<T>> {
    const controller = new AbortController();
    if (requestId !== undefined) {
      this.requests.get(requestId)?.abort();
      this.requests.set(requestId, controller);
    }
    const report = progressReporter(onProgress);
    try {
      const value = await fn(controller.signal, report);
      throwIfAborted(controller.signal);
      return { ok: true, value };
    } catch (e) {
      if (controller.signal.aborted) return { ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } };
      return { ok: false, error: toErrorInfo(e) };
    } finally {
      if (requestId !== undefined && this.requests.get(requestId) === controller) this.requests.delete(requestId);
      if (onProgress) this.releaseProxy?.(onProgress);
    }
  }

  /** Like {@link run}, and hands the buffers `buffersOf` names to {@link transfer} on success. */
  private async runTransfer<T>(
    requestId: string | undefined,
    onProgress: ProgressCallback | undefined,
    fn: (signal: AbortSignal, progress: (p: WorkerProgress) => void) => Promise<T>,
    buffersOf: (value: T) => Uint8Array[],
  ): Promise<Result<T>> {
    const result = await this.run(requestId, onProgress, fn);
    if (!result.ok || !this.transfer) return result;
    const buffers = buffersOf(result.value).map((b) => b.buffer as ArrayBuffer);
    return this.transfer(result, buffers);
  }

  async cancel(requestId: string): Promise<void> {
    this.requests.get(requestId)?.abort();
  }

  // ---- Sources: folders, URLs, remote stores, share links (service/sources.ts) ----

  openFiles(files: FolderFile[], label: string, requestId?: string, stageId?: string): Promise<Result<OpenResult>> {
    const all = this.sources.takeStaged(stageId, files);
    return this.run(requestId, undefined, async (signal) => {
      throwIfAborted(signal);
      return this.sources.openFiles(all.files, label, all.prefetch);
    });
  }

  async stageFiles(stageId: string, files: FolderFile[] | null): Promise<void> {
    this.sources.stage(stageId, files);
  }

  openDirectoryHandle(handle: FileSystemDirectoryHandle, onProgress?: ProgressCallback, requestId?: string): Promise<Result<OpenResult>> {
    return this.run(requestId, onProgress, async (signal, progress) => {
      progress({ phase: 'open', done: 0, total: 0 });
      const files = await filesFromDirectoryHandle(handle, signal);
      progress({ phase: 'open', done: files.length, total: files.length });
      return this.sources.openFiles(files, handle.name);
    });
  }

  openCandidate(sourceId: string, path: string): Promise<Result<OpenedTable>> {
    return this.run(undefined, undefined, async () => this.sources.openCandidate(sourceId, path));
  }

  /** See {@link ExplorerApi.openUrl}. Lists `_delta_log/` once to tell a table from a folder of tables. */
  openUrl(url: string, requestId?: string): Promise<Result<OpenResult>> {
    return this.run(requestId, undefined, (signal) => this.sources.openUrl(url, signal));
  }

  /** See {@link Sources.openStoreSource}: a remote store as a source (its table, or the tables under it). */
  openStoreSource(store: ObjectStore, where: { label: string; url?: string; remote?: RemoteLocation }, signal: AbortSignal): Promise<OpenResult> {
    return this.sources.openStoreSource(store, where, signal);
  }

  /** Registers a live connection and returns what the UI may see of it. */
  addConnection(conn: RemoteConnectionImpl): RemoteConnection {
    return this.sources.addConnection(conn);
  }

  /** A new connection id (`c1`, `c2` ...). */
  connectionId(): string {
    return this.sources.id('c');
  }

  connectS3(config: S3ConnectionConfig, requestId?: string): Promise<Result<RemoteConnection>> {
    return this.run(requestId, undefined, (signal) => this.sources.connectS3(config, signal));
  }

  /** See {@link ExplorerApi.connectLakeFs}: `lakefs-connection.ts`, registered like every connection. */
  connectLakeFs(config: LakeFsConnectionConfig, requestId?: string): Promise<Result<RemoteConnection>> {
    return this.run(requestId, undefined, (signal) => this.sources.connectLakeFs(config, signal));
  }

  lakeFsRepositories(connectionId: string, requestId?: string): Promise<Result<LakeFsRepositoryInfo[]>> {
    return this.run(requestId, undefined, (signal) => this.sources.lakeFsRepositories(connectionId, signal));
  }

  lakeFsRefs(connectionId: string, repository: string, requestId?: string): Promise<Result<LakeFsRefs>> {
    return this.run(requestId, undefined, (signal) => this.sources.lakeFsRefs(connectionId, repository, signal));
  }

  browseRemote(connectionId: string, place: RemoteBrowsePlace, requestId?: string): Promise<Result<RemoteListing>> {
    return this.run(requestId, undefined, (signal) => this.sources.browseRemote(connectionId, place, signal));
  }

  openRemote(connectionId: string, place: RemoteBrowsePlace, requestId?: string): Promise<Result<OpenResult>> {
    return this.run(requestId, undefined, (signal) => this.sources.openRemote(connectionId, place, signal));
  }

  async closeConnection(connectionId: string): Promise<void> {
    this.sources.closeConnection(connectionId);
  }

  createShareLink(tableId: string, options: ShareOptions, requestId?: string): Promise<Result<ShareLink>> {
    return this.run(requestId, undefined, async (signal, progress) => {
      const t = this.sources.table(tableId);
      const { snapshot } = await this.tables.loadSnapshot(t, options.version !== undefined ? { version: options.version } : {}, signal, progress);
      // The table's own location (a table picked inside an opened folder has its root appended).
      const location = t.info.remote;
      if (!location) throw new DeltaError('INVALID_ARGUMENT', 'Only tables opened from S3, lakeFS or a public URL can be shared by link.');
      const { createShareLink } = await import('./share.ts');
      return createShareLink(t.table.store, snapshot, location, options, signal);
    });
  }

  openShare(fragment: string, nowMs?: number, requestId?: string): Promise<Result<OpenResult>> {
    return this.run(requestId, undefined, (signal) => this.sources.openShare(fragment, nowMs, signal));
  }

  async close(tableId: string): Promise<void> {
    const t = this.sources.close(tableId);
    if (t) this.data.retireSessions(t);
  }

  async closeSource(sourceId: string): Promise<void> {
    for (const t of this.sources.closeSource(sourceId)) this.data.retireSessions(t);
  }

  // ---- Tables: snapshots and metadata calls (service/tables.ts) ----

  snapshot(tableId: string, request: SnapshotRequest = {}, onProgress?: ProgressCallback, requestId?: string): Promise<Result<SnapshotSummary>> {
    return this.run(requestId, onProgress, (signal, progress) => this.tables.summary(this.sources.table(tableId), request, signal, progress));
  }

  snapshotStats(tableId: string, version: number, requestId?: string): Promise<Result<SnapshotStatsSummary>> {
    return this.run(requestId, undefined, (signal) => this.tables.stats(this.sources.table(tableId), version, signal));
  }

  history(tableId: string, onProgress?: ProgressCallback, requestId?: string): Promise<Result<HistoryRow[]>> {
    return this.run(requestId, onProgress, async (signal, progress) => this.tables.history(this.sources.table(tableId), signal, progress));
  }

  /** See {@link ExplorerApi.historyTable}: the retained history as one table, held for the grid (`../explore/history-table.ts`). */
  historyTable(tableId: string, onProgress?: ProgressCallback, requestId?: string): Promise<Result<HeldTable>> {
    return this.runTransfer(
      requestId,
      onProgress,
      async (signal, progress) => holdTable(historyTable(await this.tables.history(this.sources.table(tableId), signal, progress)), this.data.results),
      (v) => [v.ipc],
    );
  }

  commitActions(tableId: string, version: number, requestId?: string): Promise<Result<CommitActions>> {
    return this.run(requestId, undefined, async (signal) => this.tables.commitActions(this.sources.table(tableId), version, signal));
  }

  filesPage(tableId: string, version: number, offset: number, limit: number): Promise<Result<FilesPage>> {
    return this.run(undefined, undefined, async (signal) => this.tables.filesPage(this.sources.table(tableId), version, offset, limit, signal));
  }

  filesQuery(tableId: string, version: number, query: FilesQuery): Promise<Result<FilesQueryPage>> {
    return this.run(undefined, undefined, async (signal) => this.tables.filesQuery(this.sources.table(tableId), version, query, signal));
  }

  /** See {@link ExplorerApi.filesTable}: the matching files as one table, held for the grid (`../explore/files-table.ts`). */
  filesTable(tableId: string, version: number, query: FilesTableQuery = {}): Promise<Result<HeldTable>> {
    return this.runTransfer(
      undefined,
      undefined,
      async (signal, progress) => {
        const { snapshot } = await this.tables.loadSnapshot(this.sources.table(tableId), { version }, signal, progress);
        return holdTable(filesTable(snapshot, { search: typeof query?.search === 'string' ? query.search : undefined, statsColumns: Array.isArray(query?.statsColumns) ? query.statsColumns.map(String) : undefined }), this.data.results);
      },
      (v) => [v.ipc],
    );
  }

  partitions(tableId: string, version: number): Promise<Result<PartitionSummary>> {
    return this.run(undefined, undefined, async (signal) => this.tables.partitions(this.sources.table(tableId), version, signal));
  }

  fileSizes(tableId: string, version: number): Promise<Result<FileSizeHistogram>> {
    return this.run(undefined, undefined, async (signal) => this.tables.fileSizes(this.sources.table(tableId), version, signal));
  }

  versionChecksum(tableId: string, version: number): Promise<Result<ChecksumReport>> {
    return this.run(undefined, undefined, async (signal) => this.tables.versionChecksum(this.sources.table(tableId), version, signal));
  }

  variantShredding(tableId: string, version: number): Promise<Result<VariantShreddingSummary>> {
    return this.run(undefined, undefined, async (signal) => this.tables.variantShredding(this.sources.table(tableId), version, signal));
  }

  schemaHistory(tableId: string, onProgress?: ProgressCallback, requestId?: string): Promise<Result<SchemaTimeline>> {
    return this.run(requestId, onProgress, async (signal, progress) => this.tables.schemaHistory(this.sources.table(tableId), signal, progress));
  }

  /** See {@link ExplorerApi.compare}: both snapshots through the cache, then `compareSnapshots`. */
  compare(tableId: string, versionA: number, versionB: number, onProgress?: ProgressCallback, requestId?: string): Promise<Result<CompareResult>> {
    return this.run(requestId, onProgress, async (signal, progress) => {
      const t = this.sources.table(tableId);
      return this.tables.compare(t, versionA, t, versionB, signal, progress);
    });
  }

  /** See {@link ExplorerApi.compareTables}: both snapshots through their tables' caches, then `compareSnapshots`. */
  compareTables(
    tableIdA: string,
    versionA: number | undefined,
    tableIdB: string,
    versionB: number | undefined,
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<CompareResult>> {
    return this.run(requestId, onProgress, async (signal, progress) => {
      const ta = this.sources.table(tableIdA);
      const tb = this.sources.table(tableIdB);
      return this.tables.compare(ta, versionA, tb, versionB, signal, progress);
    });
  }

  // ---- Data plane: SQL, export, change feed, held results (service/data-plane.ts) ----

  /** See {@link ExplorerApi.rowDiff}. */
  rowDiff(request: RowDiffRequest, onProgress?: ProgressCallback, requestId?: string): Promise<Result<RowDiffResult>> {
    return this.runTransfer(
      requestId,
      onProgress,
      async (signal, progress) => this.data.rowDiff(this.sources.table(request?.a?.tableId), this.sources.table(request?.b?.tableId), request, signal, progress),
      (v) => [v.ipc],
    );
  }

  sql(tableId: string, query: string, request: SqlRequest = {}, onProgress?: ProgressCallback, requestId?: string): Promise<Result<QueryResult>> {
    return this.runTransfer(requestId, onProgress, async (signal, progress) => this.data.sql(this.sources.table(tableId), query, request, signal, progress), (v) => [v.ipc]);
  }

  exportQuery(
    tableId: string,
    query: string,
    format: ExportFormat,
    request: { version?: number } = {},
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<ExportResult>> {
    return this.runTransfer(
      requestId,
      onProgress,
      async (signal, progress) => this.data.exportQuery(this.sources.table(tableId), query, format, request, signal, progress),
      (v) => [v.bytes],
    );
  }

  changes(tableId: string, range: ChangeRange, request: { maxRows?: number; hold?: boolean } = {}, onProgress?: ProgressCallback, requestId?: string): Promise<Result<ChangesResult>> {
    return this.runTransfer(requestId, onProgress, async (signal, progress) => this.data.changes(this.sources.table(tableId), range, request, signal, progress), (v) => [v.ipc]);
  }

  // Held results (the grid pages through the whole result): see `results.ts`.
  resultPage(resultId: string, request: ResultPageRequest): Promise<Result<ResultPage>> {
    return this.run(undefined, undefined, async () => this.data.results.page(resultId, request));
  }
  resultProfile(resultId: string, column: number): Promise<Result<ColumnProfile>> {
    return this.run(undefined, undefined, async () => this.data.results.profile(resultId, column));
  }
  resultColumn(resultId: string, column: number, view: { sort?: ResultSort[]; filters?: ResultFilter[] }): Promise<Result<{ text: string; values: number; capped: boolean }>> {
    return this.run(undefined, undefined, async () => this.data.results.columnText(resultId, column, view ?? {}));
  }
  async releaseResult(resultId: string): Promise<void> {
    this.data.results.release(resultId);
  }
}
