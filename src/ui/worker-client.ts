/**
 * The UI thread's side of the worker boundary: starts `explorer.worker.ts`, wraps it with Comlink,
 * and turns the worker's {@link Result}s back into values or thrown {@link ExplorerError}s.
 *
 * Long calls take `{ onProgress, signal }`: the callback is passed as a Comlink proxy, and aborting
 * the signal sends `cancel(requestId)` to the worker, after which the call rejects with an
 * `ExplorerError` of code `CANCELLED`. If the worker itself dies (fails to load, crashes), every
 * pending and later call rejects with code `INTERNAL` instead of hanging.
 */
import * as Comlink from 'comlink';
import type {
  ChangeRange,
  ChangesResult,
  ColumnProfile,
  ResultFilter,
  ResultPage,
  ResultPageRequest,
  ResultSort,
  CompareResult,
  RowDiffRequest,
  RowDiffResult,
  CommitActions,
  ErrorInfo,
  ExplorerApi,
  ExportFormat,
  ExportResult,
  FilesPage,
  FileSizeHistogram,
  ChecksumReport,
  VariantShreddingSummary,
  FilesQuery,
  FilesQueryPage,
  PartitionSummary,
  SchemaTimeline,
  HistoryRow,
  OpenedTable,
  OpenResult,
  ProgressCallback,
  RelativeFile,
  QueryResult,
  Result,
  SnapshotRequest,
  SnapshotSummary,
  SqlRequest,
  RemoteBrowsePlace,
  RemoteConnection,
  RemoteListing,
  S3ConnectionConfig,
  ShareLink,
  ShareOptions,
  LakeFsConnectionConfig,
  LakeFsRefs,
  LakeFsRepositoryInfo,
} from '../workers/api.ts';

/** A failed worker call, with the structured error the worker sent. */
export class ExplorerError extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'ExplorerError';
    this.info = info;
  }
  get code(): ErrorInfo['code'] {
    return this.info.code;
  }
}

/** Turns anything thrown into an {@link ErrorInfo} for display. */
export function errorInfoOf(e: unknown): ErrorInfo {
  if (e instanceof ExplorerError) return e.info;
  if (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AbortError') {
    return { code: 'CANCELLED', message: 'Cancelled.' };
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** Options of a long call. */
export interface CallOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** The typed client the UI uses; each method throws {@link ExplorerError} on failure. */
export interface ExplorerClient {
  openFiles(files: RelativeFile[], label: string, options?: CallOptions): Promise<OpenResult>;
  openDirectoryHandle(handle: FileSystemDirectoryHandle, options?: CallOptions): Promise<OpenResult>;
  /** Opens a table (or folder of tables) at an absolute http(s) URL; resolve relative ones against the page first. */
  openUrl(url: string, options?: CallOptions): Promise<OpenResult>;
  openCandidate(sourceId: string, path: string): Promise<OpenedTable>;
  snapshot(tableId: string, request?: SnapshotRequest, options?: CallOptions): Promise<SnapshotSummary>;
  history(tableId: string, options?: CallOptions): Promise<HistoryRow[]>;
  filesPage(tableId: string, version: number, offset: number, limit: number): Promise<FilesPage>;
  /** A filtered, sorted page of active files with stats (see `ExplorerApi.filesQuery`). */
  filesQuery(tableId: string, version: number, query: FilesQuery): Promise<FilesQueryPage>;
  /** The matching active files as one table held in the worker for the grid. */
  filesTable(tableId: string, version: number, query?: import('../explore/files-table.ts').FilesTableQuery): Promise<import('../workers/held-table.ts').HeldTable>;
  /** The retained history as one table held in the worker for the grid. */
  historyTable(tableId: string, options?: CallOptions): Promise<import('../workers/held-table.ts').HeldTable>;
  /** Per-partition aggregates of a version. */
  partitions(tableId: string, version: number): Promise<PartitionSummary>;
  /** File-size histogram of a version. */
  fileSizes(tableId: string, version: number): Promise<FileSizeHistogram>;
  versionChecksum(tableId: string, version: number): Promise<ChecksumReport>;
  variantShredding(tableId: string, version: number): Promise<VariantShreddingSummary>;
  /** Schema changes over the retained history. */
  schemaHistory(tableId: string, options?: CallOptions): Promise<SchemaTimeline>;
  /** The raw JSON lines (capped) of one commit file. */
  commitActions(tableId: string, version: number, options?: CallOptions): Promise<CommitActions>;
  /** SQL over the table (see `ExplorerApi.sql`); aborting stops planning and reads, not a query DuckDB runs. */
  sql(tableId: string, query: string, request?: SqlRequest, options?: CallOptions): Promise<QueryResult>;
  /** A page of a held result (`SqlRequest.hold`), sorted and filtered in the worker. */
  resultPage(resultId: string, request: ResultPageRequest): Promise<ResultPage>;
  /** A small profile of one column of a held result. */
  resultProfile(resultId: string, column: number): Promise<ColumnProfile>;
  /** One column of a held result's view as text lines. */
  resultColumn(resultId: string, column: number, view: { sort?: ResultSort[]; filters?: ResultFilter[] }): Promise<{ text: string; values: number; capped: boolean }>;
  releaseResult(resultId: string): Promise<void>;
  /** A whole query result as a CSV, JSON Lines or Parquet file. */
  exportQuery(tableId: string, query: string, format: ExportFormat, request?: { version?: number }, options?: CallOptions): Promise<ExportResult>;
  /** The Change Data Feed of a range: per-version summary and (some) rows. */
  changes(tableId: string, range: ChangeRange, request?: { maxRows?: number; hold?: boolean }, options?: CallOptions): Promise<ChangesResult>;
  /** What changed from version A to version B: files, records, schema, properties, protocol. */
  compare(tableId: string, versionA: number, versionB: number, options?: CallOptions): Promise<CompareResult>;
  close(tableId: string): Promise<void>;
  closeSource(sourceId: string): Promise<void>;
  /** Connects to S3 (credentials go to the worker's memory only). */
  connectS3(config: S3ConnectionConfig, options?: CallOptions): Promise<RemoteConnection>;
  /** Sub-folders of a folder of a connection, tables marked. */
  browseRemote(connectionId: string, place: RemoteBrowsePlace, options?: CallOptions): Promise<RemoteListing>;
  /** Opens the table (or folder of tables) at a place of a connection. */
  openRemote(connectionId: string, place: RemoteBrowsePlace, options?: CallOptions): Promise<OpenResult>;
  closeConnection(connectionId: string): Promise<void>;
  /** A read-only share link of an open remote table. */
  createShareLink(tableId: string, options: ShareOptions, callOptions?: CallOptions): Promise<ShareLink>;
  /** Opens a share link's fragment (no credentials). */
  openShare(fragment: string, options?: CallOptions): Promise<OpenResult>;
  /** Connects to lakeFS (the secret goes to the worker's memory only). */
  connectLakeFs(config: LakeFsConnectionConfig, options?: CallOptions): Promise<RemoteConnection>;
  /** Repositories of a lakeFS connection. */
  lakeFsRepositories(connectionId: string, options?: CallOptions): Promise<LakeFsRepositoryInfo[]>;
  /** Branches, tags and recent commits of a lakeFS repository. */
  lakeFsRefs(connectionId: string, repository: string, options?: CallOptions): Promise<LakeFsRefs>;
  /** Compares two open tables (`undefined` version: the latest), e.g. one table on two lakeFS refs. */
  compareTables(tableIdA: string, versionA: number | undefined, tableIdB: string, versionB: number | undefined, options?: CallOptions): Promise<CompareResult>;
  /** Rows added, removed and changed between two sides (versions or open tables), by a key or whole rows. */
  rowDiff(request: RowDiffRequest, options?: CallOptions): Promise<RowDiffResult>;
  /** Stops the worker; every later call fails. */
  terminate(): void;
}

let requestCounter = 0;

/**
 * Handing a folder to the worker: files in the first message, and the time each later message
 * should take to post (cloning a `File` the first time costs this thread 0.2–1 ms in Chromium).
 */
const FIRST_SLICE = 8;
const SLICE_MS = 10;

/** Wraps a Comlink remote of {@link ExplorerApi} (exported for tests that bring their own endpoint). */
export function wrapExplorer(remote: Comlink.Remote<ExplorerApi>, failed: Promise<never>, terminate: () => void): ExplorerClient {
  const unwrap = async <T>(p: Promise<Result<T>>): Promise<T> => {
    const r = await Promise.race([p, failed]);
    if (!r.ok) throw new ExplorerError(r.error);
    return r.value;
  };

  /** Runs a cancellable call: a fresh request id, the progress proxy, and cancel on abort. */
  const long = async <T>(options: CallOptions | undefined, call: (progress: ProgressCallback | undefined, requestId: string) => Promise<Result<T>>): Promise<T> => {
    const signal = options?.signal;
    if (signal?.aborted) throw new ExplorerError({ code: 'CANCELLED', message: 'Cancelled.' });
    const requestId = `r${++requestCounter}`;
    const onAbort = () => void remote.cancel(requestId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const progress = options?.onProgress ? Comlink.proxy(options.onProgress) : undefined;
      return await unwrap(call(progress, requestId));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };

  return {
    openFiles: async (files, label, options) => {
      // A folder of many files crosses in slices, one message each (see `ExplorerApi.stageFiles`),
      // sized to take ~10 ms of this thread each; awaiting each slice gives the thread back.
      if (files.length <= FIRST_SLICE) return long(options, (_p, id) => remote.openFiles(files, label, id));
      const stageId = `stage${++requestCounter}`;
      const cancelled = () => {
        void remote.stageFiles(stageId, null).catch(() => {});
        return new ExplorerError({ code: 'CANCELLED', message: 'Cancelled.' });
      };
      // Not in the task of the event that picked the folder (it has its own work).
      await new Promise((r) => setTimeout(r, 0));
      let i = 0;
      for (let n = FIRST_SLICE; files.length - i > n; ) {
        if (options?.signal?.aborted) throw cancelled();
        const t0 = performance.now();
        const sent = remote.stageFiles(stageId, files.slice(i, i + n));
        const perFile = (performance.now() - t0) / n;
        i += n;
        await Promise.race([sent, failed]);
        // Grows at most twofold per slice: a cheap first slice says little about the next files.
        n = Math.max(FIRST_SLICE, Math.min(2 * n, 256, Math.floor(SLICE_MS / Math.max(perFile, 0.005))));
      }
      if (options?.signal?.aborted) throw cancelled();
      return long(options, (_p, id) => remote.openFiles(files.slice(i), label, id, stageId));
    },
    openDirectoryHandle: (handle, options) => long(options, (p, id) => remote.openDirectoryHandle(handle, p, id)),
    openUrl: (url, options) => long(options, (_p, id) => remote.openUrl(url, id)),
    openCandidate: (sourceId, path) => unwrap(remote.openCandidate(sourceId, path)),
    snapshot: (tableId, request = {}, options) => long(options, (p, id) => remote.snapshot(tableId, request, p, id)),
    history: (tableId, options) => long(options, (p, id) => remote.history(tableId, p, id)),
    filesPage: (tableId, version, offset, limit) => unwrap(remote.filesPage(tableId, version, offset, limit)),
    filesQuery: (tableId, version, query) => unwrap(remote.filesQuery(tableId, version, query)),
    filesTable: (tableId, version, query = {}) => unwrap(remote.filesTable(tableId, version, query)),
    historyTable: (tableId, options) => long(options, (p, id) => remote.historyTable(tableId, p, id)),
    partitions: (tableId, version) => unwrap(remote.partitions(tableId, version)),
    fileSizes: (tableId, version) => unwrap(remote.fileSizes(tableId, version)),
    versionChecksum: (tableId, version) => unwrap(remote.versionChecksum(tableId, version)),
    variantShredding: (tableId, version) => unwrap(remote.variantShredding(tableId, version)),
    schemaHistory: (tableId, options) => long(options, (p, id) => remote.schemaHistory(tableId, p, id)),
    commitActions: (tableId, version, options) => long(options, (_p, id) => remote.commitActions(tableId, version, id)),
    sql: (tableId, query, request = {}, options) => long(options, (p, id) => remote.sql(tableId, query, request, p, id)),
    resultPage: (resultId, request) => unwrap(remote.resultPage(resultId, request)),
    resultProfile: (resultId, column) => unwrap(remote.resultProfile(resultId, column)),
    resultColumn: (resultId, column, view) => unwrap(remote.resultColumn(resultId, column, view)),
    releaseResult: (resultId) => Promise.race([remote.releaseResult(resultId), failed]),
    exportQuery: (tableId, query, format, request = {}, options) => long(options, (p, id) => remote.exportQuery(tableId, query, format, request, p, id)),
    changes: (tableId, range, request = {}, options) => long(options, (p, id) => remote.changes(tableId, range, request, p, id)),
    compare: (tableId, versionA, versionB, options) => long(options, (p, id) => remote.compare(tableId, versionA, versionB, p, id)),
    close: (tableId) => Promise.race([remote.close(tableId), failed]),
    closeSource: (sourceId) => Promise.race([remote.closeSource(sourceId), failed]),
    connectS3: (config, options) => long(options, (_p, id) => remote.connectS3(config, id)),
    browseRemote: (connectionId, place, options) => long(options, (_p, id) => remote.browseRemote(connectionId, place, id)),
    openRemote: (connectionId, place, options) => long(options, (_p, id) => remote.openRemote(connectionId, place, id)),
    closeConnection: (connectionId) => Promise.race([remote.closeConnection(connectionId), failed]),
    createShareLink: (tableId, shareOptions, options) => long(options, (_p, id) => remote.createShareLink(tableId, shareOptions, id)),
    openShare: (fragment, options) => long(options, (_p, id) => remote.openShare(fragment, Date.now(), id)),
    connectLakeFs: (config, options) => long(options, (_p, id) => remote.connectLakeFs(config, id)),
    lakeFsRepositories: (connectionId, options) => long(options, (_p, id) => remote.lakeFsRepositories(connectionId, id)),
    lakeFsRefs: (connectionId, repository, options) => long(options, (_p, id) => remote.lakeFsRefs(connectionId, repository, id)),
    compareTables: (a, va, b, vb, options) => long(options, (p, id) => remote.compareTables(a, va, b, vb, p, id)),
    rowDiff: (request, options) => long(options, (p, id) => remote.rowDiff(request, p, id)),
    terminate,
  };
}

/** Starts the explorer worker and returns its client. */
export function createExplorerClient(): ExplorerClient {
  // A page opened with `?dx-net=attempts:3,stall:800,...` hands shorter (test) retry settings to its workers.
  const net = /[?&](dx-net=[a-z0-9:,]+)/i.exec(globalThis.location?.search ?? '')?.[1] ?? '';
  const worker = new Worker(new URL('../workers/explorer.worker.ts', import.meta.url), { type: 'module', name: `delta-explorer ${net}`.trim() });
  let fail!: (e: ExplorerError) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {}); // observed by every call; never an unhandled rejection
  worker.addEventListener('error', (e) => {
    fail(new ExplorerError({ code: 'INTERNAL', message: `The background worker failed: ${e.message || 'it could not be loaded'}.`, hint: 'Reload the page.' }));
  });
  worker.addEventListener('messageerror', () => {
    fail(new ExplorerError({ code: 'INTERNAL', message: 'A message from the background worker could not be read.', hint: 'Reload the page.' }));
  });
  const remote = Comlink.wrap<ExplorerApi>(worker);
  return wrapExplorer(remote, failed, () => {
    remote[Comlink.releaseProxy]();
    worker.terminate();
    fail(new ExplorerError({ code: 'INTERNAL', message: 'The background worker was stopped.' }));
  });
}
