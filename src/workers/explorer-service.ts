/**
 * The implementation of {@link ExplorerApi}, free of Comlink and of worker globals so that it runs
 * (and is tested) in Node as well. `explorer.worker.ts` exposes one instance.
 *
 * State: opened sources (the files of a dropped folder, or an HTTP store over an opened URL), open
 * tables, and per table the last few snapshots by version. Nothing per file is copied: stores hold
 * the `File` handles, snapshots hold their columnar batches.
 *
 * Data calls (`sql`, `exportQuery`, `changes`) use one SQL engine per service, made by the
 * `engine` option on the first data call (the worker passes `openBrowserEngine`; Node tests
 * `createNodeEngine`), and one `QuerySession` per open table and version, opened lazily and kept
 * for the last few versions used. A dropped folder's files reach DuckDB as `File` handles
 * (`fileAccess: 'direct'`, read by range); a table opened by URL is read through the store
 * (`'buffer'`), because DuckDB's own HTTP reads start with a HEAD, which URLs presigned for GET refuse.
 */
import { DeltaError, throwIfAborted, toErrorInfo } from '../delta/errors.ts';
import type { Snapshot } from '../delta/snapshot.ts';
import { listLogFiles } from '../delta/log/listing.ts';
import { FileListStore, filesFromDirectoryHandle, type RelativeFile } from '../delta/storage/browser-files.ts';
import { HttpStore } from '../delta/storage/http.ts';
import { subStore, type ObjectMeta, type ObjectStore } from '../delta/storage/object-store.ts';
import { DeltaTable } from '../delta/table.ts';
import { checkVersionChecksum, type ChecksumReport } from '../delta/checksum.ts';
import { variantShredding, type VariantShreddingSummary } from '../explore/variant-shredding.ts';
import type { ChangePlan } from '../delta/changes.ts';
import type { ChangeRange } from '../query/changes.ts';
import type { SqlEngine } from '../query/engine.ts';
import { EXPORT_FORMATS, exportTable, type ExportFormat } from '../query/export.ts';
import type { FileAccess, ScanPlan } from '../query/scan.ts';
import { QuerySession } from '../query/session.ts';
import {
  DEFAULT_MAX_ROWS,
  MAX_FILES_PAGE,
  MAX_RESULT_ROWS,
  type ChangesResult,
  type CompareResult,
  type ExplorerApi,
  type ExportResult,
  type QueryResult,
  type ReadSummary,
  type SqlRequest,
  type FilesPage,
  type HistoryRow,
  type OpenedTable,
  type OpenResult,
  type ProgressCallback,
  type Result,
  type SnapshotRequest,
  type SnapshotSummary,
  type TableCandidate,
  type WorkerProgress,
  type RemoteBrowsePlace,
  type RemoteConnection,
  type RemoteListing,
  type RemoteLocation,
  type S3ConnectionConfig,
  type LakeFsConnectionConfig,
  type LakeFsRefs,
  type LakeFsRepositoryInfo,
  type ShareLink,
  type ShareOptions,
} from './api.ts';
import { compareSnapshots } from './compare.ts';
import { browseFolder, cleanPrefix, requireConnection, type RemoteConnectionImpl } from './remote.ts';
import { encodeRows, HeldResults, resultColumns, type ColumnProfile, type ResultFilter, type ResultPage, type ResultPageRequest, type ResultSort } from './results.ts';
import { fileRows, summarizeSnapshot } from './summary.ts';
import { MAX_COMMIT_LINES, type CommitActions } from './api.ts';
import { detectTableLayout } from './table-root.ts';
import { fileSizeHistogram, filesQuery, partitionSummary, schemaTimeline, type FileSizeHistogram, type FilesQuery, type FilesQueryPage, type PartitionSummary, type SchemaTimeline } from './table-views.ts';
import { parseTableUrl, urlLabel, withUrlHints } from './table-url.ts';

/** How many snapshots each open table keeps (besides none): the latest and a few time-travel targets. */
const SNAPSHOTS_PER_TABLE = 4;
/** How many query sessions (versions) each open table keeps. */
const SESSIONS_PER_TABLE = 3;
/** Minimum time between two progress reports of one call, ms. */
const PROGRESS_INTERVAL_MS = 50;

/** An opened folder: local files, or a remote store (an HTTP(S) URL, S3, lakeFS, a share link). */
type Source = {
  label: string;
  /** Tables opened from this source. */
  tables: Set<string>;
  /** True when the folder holds several tables (kept open so the user can pick another). */
  multi: boolean;
} & (
  | { kind: 'files'; files: RelativeFile[] }
  | {
      kind: 'url';
      /** The folder's URL (no trailing slash, no credentials), when it has a public one. */
      url?: string;
      store: ObjectStore;
      /** Where the store is (for share links): a public URL, an S3 or lakeFS location, a share. */
      remote?: RemoteLocation;
      /** Tables found under the URL when it is not one itself. */
      candidates: TableCandidate[];
      /** Entries of `_delta_log/` listed when the URL was opened (when it is the table). */
      logEntries: number;
    }
);

interface OpenTable {
  info: OpenedTable;
  sourceId: string;
  table: DeltaTable;
  /** Snapshots by version, least recently used first. */
  snapshots: Map<number, Snapshot>;
  latestVersion?: number;
  /** How data files reach DuckDB (see the module comment). */
  fileAccess: FileAccess;
  /** Query sessions by version, least recently used first. */
  sessions: Map<number, SessionEntry>;
}

/** A query session and the calls using it (it is closed when retired and idle). */
interface SessionEntry {
  session: Promise<QuerySession>;
  users: number;
  retired: boolean;
}

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

export class ExplorerService implements ExplorerApi {
  private readonly sources = new Map<string, Source>();
  /** Files handed over by `stageFiles`, by stage id, until `openFiles` takes them. */
  private readonly staged = new Map<string, RelativeFile[]>();
  /** Live S3 / lakeFS connections (they hold credentials, in memory only). */
  private readonly connections = new Map<string, RemoteConnectionImpl>();
  private readonly tables = new Map<string, OpenTable>();
  private readonly requests = new Map<string, AbortController>();
  /** Whole query results kept for the grid's pages (`SqlRequest.hold`). */
  private readonly results = new HeldResults();
  private nextId = 1;
  private readonly now: () => number;
  private readonly fetchFn?: typeof fetch;
  private readonly engineFactory?: () => Promise<SqlEngine>;
  private engineLoad?: Promise<SqlEngine>;
  private engineReady = false;
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
    this.now = options.now ?? (() => performance.now());
    this.fetchFn = options.fetch;
    this.engineFactory = options.engine;
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

  private id(prefix: string): string {
    return `${prefix}${this.nextId++}`;
  }

  private openTable(sourceId: string, root: string, logOnly: boolean): OpenedTable {
    const source = this.sources.get(sourceId)!;
    if (source.kind === 'url') return this.openUrlTable(sourceId, root);
    const prefix = root ? root + '/' : '';
    const files: RelativeFile[] = [];
    for (const f of source.files) {
      if (logOnly) files.push({ path: `_delta_log/${f.path}`, file: f.file });
      else if (!prefix) files.push(f);
      else if (f.path.startsWith(prefix)) files.push({ path: f.path.slice(prefix.length), file: f.file });
    }
    const description = root ? `${source.label}/${root}` : source.label;
    const tableId = this.id('t');
    const info: OpenedTable = { kind: 'table', tableId, sourceId, label: source.label, root, numFiles: files.length, logOnly };
    this.tables.set(tableId, {
      info,
      sourceId,
      table: new DeltaTable(new FileListStore(files, description)),
      snapshots: new Map(),
      fileAccess: 'direct',
      sessions: new Map(),
    });
    source.tables.add(tableId);
    return info;
  }

  private openSource(files: RelativeFile[], label: string): OpenResult {
    if (!files.length) {
      throw new DeltaError('NOT_A_TABLE', `The folder "${label}" is empty.`, {
        hint: 'Open the folder that contains the table\'s _delta_log folder.',
      });
    }
    const layout = detectTableLayout(
      files.map((f) => f.path),
      label,
    );
    if (layout.kind === 'none') {
      throw new DeltaError(
        'NOT_A_TABLE',
        `No Delta table in "${label}": neither it nor any of its sub-folders holds a _delta_log folder (${files.length} files looked at).`,
        { hint: 'Open the table\'s folder (the one that contains _delta_log), or a folder that holds tables.' },
      );
    }
    const sourceId = this.id('s');
    this.sources.set(sourceId, { kind: 'files', label, files, tables: new Set(), multi: layout.kind === 'nested' && layout.candidates.length > 1 });
    if (layout.kind === 'root') return this.openTable(sourceId, '', false);
    if (layout.kind === 'log-only') return this.openTable(sourceId, '', true);
    if (layout.candidates.length === 1) return this.openTable(sourceId, layout.candidates[0].path, false);
    return { kind: 'candidates', sourceId, label, candidates: layout.candidates };
  }

  openFiles(files: RelativeFile[], label: string, requestId?: string, stageId?: string): Promise<Result<OpenResult>> {
    const staged = stageId === undefined ? undefined : this.staged.get(stageId);
    if (stageId !== undefined) this.staged.delete(stageId);
    const all = staged ? staged.concat(files) : files;
    return this.run(requestId, undefined, async (signal) => {
      throwIfAborted(signal);
      return this.openSource(all, label);
    });
  }

  async stageFiles(stageId: string, files: RelativeFile[] | null): Promise<void> {
    if (files === null) {
      this.staged.delete(stageId);
      return;
    }
    const list = this.staged.get(stageId);
    if (list) list.push(...files);
    else this.staged.set(stageId, files.slice());
  }

  openDirectoryHandle(
    handle: FileSystemDirectoryHandle,
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<OpenResult>> {
    return this.run(requestId, onProgress, async (signal, progress) => {
      progress({ phase: 'open', done: 0, total: 0 });
      const files = await filesFromDirectoryHandle(handle, signal);
      progress({ phase: 'open', done: files.length, total: files.length });
      return this.openSource(files, handle.name);
    });
  }

  openCandidate(sourceId: string, path: string): Promise<Result<OpenedTable>> {
    return this.run(undefined, undefined, async () => {
      const source = this.sources.get(sourceId);
      if (!source) throw new DeltaError('INVALID_ARGUMENT', `Unknown source ${sourceId}: open the folder again.`);
      if (source.kind === 'url') {
        if (!source.candidates.some((c) => c.path === path)) {
          throw new DeltaError('INVALID_ARGUMENT', `"${path}" is not a table under ${source.label}.`);
        }
        return this.openUrlTable(sourceId, path);
      }
      const layout = detectTableLayout(
        source.files.map((f) => f.path),
        source.label,
      );
      if (layout.kind !== 'nested' || !layout.candidates.some((c) => c.path === path)) {
        throw new DeltaError('INVALID_ARGUMENT', `"${path}" is not a table in "${source.label}".`);
      }
      return this.openTable(sourceId, path, false);
    });
  }

  /** Registers a table of a URL source: the source's store, or a sub-folder of it. */
  private openUrlTable(sourceId: string, root: string): OpenedTable {
    const source = this.sources.get(sourceId)!;
    if (source.kind !== 'url') throw new Error('not a URL source');
    const tableId = this.id('t');
    const numFiles = root ? (source.candidates.find((c) => c.path === root)?.numLogFiles ?? 0) : source.logEntries;
    const remote = source.remote ? locationAt(source.remote, root) : undefined;
    const shareable = remote?.kind === 'http' || (remote !== undefined && remote.kind !== 'share' && !!source.store.presign);
    const info: OpenedTable = { kind: 'table', tableId, sourceId, label: source.label, url: source.url, remote, shareable, root, numFiles, logOnly: false };
    this.tables.set(tableId, {
      info,
      sourceId,
      table: new DeltaTable(root ? subStore(source.store, root) : source.store),
      snapshots: new Map(),
      // Ranged reads of URLs, sizes from the log (no HEAD): see sized-http.ts.
      fileAccess: 'direct',
      sessions: new Map(),
    });
    source.tables.add(tableId);
    return info;
  }

  /** See {@link ExplorerApi.openUrl}. Lists `_delta_log/` once to tell a table from a folder of tables. */
  openUrl(url: string, requestId?: string): Promise<Result<OpenResult>> {
    return this.run(requestId, undefined, async (signal) => {
      const base = parseTableUrl(url);
      const store = new HttpStore(base, this.fetchFn ? { fetch: this.fetchFn } : {});
      return withUrlHints(base, () => this.openStoreSource(store, { label: urlLabel(base), url: base, remote: { kind: 'http', url: base } }, signal));
    });
  }

  /**
   * Opens a remote store as a source: the table at its root, or the tables under it (when the store
   * lists). Used by every remote kind (HTTP(S), S3, lakeFS, share links).
   * @throws DeltaError `NOT_A_TABLE` when neither the root nor (for listing stores) a sub-folder holds `_delta_log/`; store errors.
   */
  async openStoreSource(
    store: ObjectStore,
    where: { label: string; url?: string; remote?: RemoteLocation },
    signal: AbortSignal,
  ): Promise<OpenResult> {
    const { label, url: base } = where;
    const shown = base ?? label;
    const log = await listLogFiles(store, '_delta_log/', { signal });
    throwIfAborted(signal);
    const register = (candidates: TableCandidate[], logEntries: number): string => {
      const sourceId = this.id('s');
      this.sources.set(sourceId, { kind: 'url', label, url: base, store, remote: where.remote, candidates, logEntries, tables: new Set(), multi: candidates.length > 1 });
      return sourceId;
    };
    if (log.length) return this.openUrlTable(register([], log.length), '');

    // Not a table root: a folder of tables? Only a store that lists can tell.
    let all: ObjectMeta[] | undefined;
    try {
      all = await store.list('', { signal });
    } catch (e) {
      // Only a refused listing is expected here; anything else (access, network) is the answer.
      if (!(e instanceof DeltaError) || e.code !== 'STORAGE_ERROR' || !/Cannot list/.test(e.message)) throw e;
    }
    throwIfAborted(signal);
    const layout = all ? detectTableLayout(all.map((m) => m.path), label) : { kind: 'none' as const };
    if (layout.kind === 'nested') {
      const sourceId = register(layout.candidates, 0);
      if (layout.candidates.length === 1) return this.openUrlTable(sourceId, layout.candidates[0].path);
      return { kind: 'candidates', sourceId, label, url: base, candidates: layout.candidates };
    }
    // A server without a listing answers list('') by probing _delta_log/ again: only a listing
    // gives files outside it, so "nor in its sub-folders" is said only when files were listed.
    const listedFiles = !!all?.length;
    throw new DeltaError('NOT_A_TABLE', `No Delta table at ${shown}: there is no _delta_log/ folder under it${listedFiles ? ', nor in its sub-folders' : ''}.`, {
      path: '_delta_log/',
      hint: listedFiles
        ? 'Give the table root: the folder that holds _delta_log/ (e.g. https://host/warehouse/my_table/).'
        : 'Give the table root: the folder that holds _delta_log/ (e.g. https://host/warehouse/my_table/). A folder of several tables can be opened only from a server that lists folders (S3 ListObjectsV2, delta-explorer serve).',
    });
  }

  private table(tableId: string): OpenTable {
    const t = this.tables.get(tableId);
    if (!t) throw new DeltaError('INVALID_ARGUMENT', `Unknown table ${tableId}: it was closed, or the worker restarted. Open the folder again.`);
    return t;
  }

  /** Loads a snapshot through the cache. Returns it and how long building took (0 when cached). */
  private async loadSnapshot(
    t: OpenTable,
    request: SnapshotRequest,
    signal: AbortSignal,
    progress: (p: WorkerProgress) => void,
  ): Promise<{ snapshot: Snapshot; durationMs: number }> {
    if (request.version !== undefined && request.timestamp !== undefined) {
      throw new DeltaError('INVALID_ARGUMENT', 'Give either a version or a timestamp, not both.');
    }
    if (request.version !== undefined && (!Number.isSafeInteger(request.version) || request.version < 0)) {
      throw new DeltaError('INVALID_ARGUMENT', `Invalid version: ${request.version}.`, { hint: 'Versions are whole numbers from 0.' });
    }
    let version = request.version;
    if (request.timestamp !== undefined) version = await t.table.versionAt(request.timestamp, signal);
    if (version === undefined) version = t.latestVersion;
    const cached = version !== undefined ? t.snapshots.get(version) : undefined;
    if (cached) {
      t.snapshots.delete(cached.version);
      t.snapshots.set(cached.version, cached);
      return { snapshot: cached, durationMs: 0 };
    }
    const started = this.now();
    const snapshot = await t.table.snapshot(version === undefined ? {} : { version }, {
      allowUnsupported: true,
      signal,
      onProgress: (p) => progress(p),
    });
    const durationMs = Math.round(this.now() - started);
    if (version === undefined || snapshot.version === snapshot.segment.latestVersion) t.latestVersion = snapshot.segment.latestVersion;
    t.snapshots.set(snapshot.version, snapshot);
    while (t.snapshots.size > SNAPSHOTS_PER_TABLE) t.snapshots.delete(t.snapshots.keys().next().value!);
    return { snapshot, durationMs };
  }

  snapshot(
    tableId: string,
    request: SnapshotRequest = {},
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<SnapshotSummary>> {
    return this.run(requestId, onProgress, async (signal, progress) => {
      const t = this.table(tableId);
      const { snapshot, durationMs } = await this.loadSnapshot(t, request ?? {}, signal, progress);
      return summarizeSnapshot(tableId, snapshot, durationMs);
    });
  }

  history(tableId: string, onProgress?: ProgressCallback, requestId?: string): Promise<Result<HistoryRow[]>> {
    return this.run(requestId, onProgress, async (signal, progress) => {
      const t = this.table(tableId);
      return t.table.history({ signal, onProgress: (done, total) => progress({ phase: 'history', done, total }) });
    });
  }

  commitActions(tableId: string, version: number, requestId?: string): Promise<Result<CommitActions>> {
    return this.run(requestId, undefined, async (signal) => {
      if (!Number.isSafeInteger(version) || version < 0) throw new DeltaError('INVALID_ARGUMENT', `Not a version: ${version}.`);
      const t = this.table(tableId);
      const path = `_delta_log/${String(version).padStart(20, '0')}.json`;
      let bytes: Uint8Array;
      try {
        bytes = await t.table.store.get(path, signal);
      } catch (e) {
        if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') {
          throw new DeltaError('VERSION_NOT_FOUND', `The commit file of version ${version} is not in the log (it may have been cleaned up).`, { version, path });
        }
        throw e;
      }
      const text = new TextDecoder().decode(bytes);
      const lines: string[] = [];
      const counts: Record<string, number> = {};
      let totalLines = 0;
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        totalLines++;
        if (lines.length < MAX_COMMIT_LINES) lines.push(line);
        const kind = /^\s*\{\s*"([^"]+)"/.exec(line)?.[1] ?? 'unknown';
        counts[kind] = (counts[kind] ?? 0) + 1;
      }
      return { version, lines, totalLines, truncated: totalLines - lines.length, counts, sizeBytes: bytes.length };
    });
  }

  filesPage(tableId: string, version: number, offset: number, limit: number): Promise<Result<FilesPage>> {
    return this.run(undefined, undefined, async (signal) => {
      if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit < 0) {
        throw new DeltaError('INVALID_ARGUMENT', `Invalid page: offset ${offset}, limit ${limit}.`);
      }
      const t = this.table(tableId);
      const { snapshot } = await this.loadSnapshot(t, { version }, signal, () => {});
      return {
        version: snapshot.version,
        offset,
        total: snapshot.files.length,
        rows: fileRows(snapshot, offset, Math.min(limit, MAX_FILES_PAGE)),
      };
    });
  }

  filesQuery(tableId: string, version: number, query: FilesQuery): Promise<Result<FilesQueryPage>> {
    return this.run(undefined, undefined, async (signal) => {
      const q = query ?? { offset: 0, limit: 0 };
      if (!Number.isSafeInteger(q.offset) || q.offset < 0 || !Number.isSafeInteger(q.limit) || q.limit < 0) {
        throw new DeltaError('INVALID_ARGUMENT', `Invalid page: offset ${q.offset}, limit ${q.limit}.`);
      }
      const { snapshot } = await this.loadSnapshot(this.table(tableId), { version }, signal, () => {});
      return filesQuery(snapshot, q);
    });
  }

  partitions(tableId: string, version: number): Promise<Result<PartitionSummary>> {
    return this.run(undefined, undefined, async (signal) => {
      const { snapshot } = await this.loadSnapshot(this.table(tableId), { version }, signal, () => {});
      return partitionSummary(snapshot);
    });
  }

  fileSizes(tableId: string, version: number): Promise<Result<FileSizeHistogram>> {
    return this.run(undefined, undefined, async (signal) => {
      const { snapshot } = await this.loadSnapshot(this.table(tableId), { version }, signal, () => {});
      return fileSizeHistogram(snapshot);
    });
  }

  versionChecksum(tableId: string, version: number): Promise<Result<ChecksumReport>> {
    return this.run(undefined, undefined, async (signal) => {
      const { snapshot } = await this.loadSnapshot(this.table(tableId), { version }, signal, () => {});
      return checkVersionChecksum(snapshot, signal);
    });
  }

  variantShredding(tableId: string, version: number): Promise<Result<VariantShreddingSummary>> {
    return this.run(undefined, undefined, async (signal) => {
      const { snapshot } = await this.loadSnapshot(this.table(tableId), { version }, signal, () => {});
      return variantShredding(snapshot, { signal });
    });
  }

  schemaHistory(tableId: string, onProgress?: ProgressCallback, requestId?: string): Promise<Result<SchemaTimeline>> {
    return this.run(requestId, onProgress, async (signal, progress) => {
      const t = this.table(tableId);
      return schemaTimeline(t.table, { signal, onProgress: (done, total) => progress({ phase: 'history', done, total }) });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Data calls
  // -------------------------------------------------------------------------------------------

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

  /**
   * The SQL engine, started on first use (`engine` progress while it loads). A failed start is
   * forgotten, so the next call tries again. Cancelling stops waiting, not the start.
   */
  private async sqlEngine(signal: AbortSignal, progress: (p: WorkerProgress) => void): Promise<{ engine: SqlEngine; startMs?: number }> {
    if (!this.engineFactory) {
      throw new DeltaError('QUERY_ERROR', 'No SQL engine is available in this environment.', { hint: 'Data views need the browser app (or an engine passed to ExplorerService).' });
    }
    if (this.engineReady && this.engineLoad) return { engine: await this.engineLoad };
    const started = this.now();
    progress({ phase: 'engine', done: 0, total: 1 });
    if (!this.engineLoad) {
      const load = this.engineFactory().catch((e: unknown) => {
        if (e instanceof DeltaError) throw e;
        throw new DeltaError('QUERY_ERROR', `The SQL engine could not start: ${e instanceof Error ? e.message : String(e)}`, {
          cause: e,
          hint: 'Reload the page; the browser may be out of memory or blocking WebAssembly.',
        });
      });
      this.engineLoad = load;
      load.then(
        () => (this.engineReady = true),
        () => {
          if (this.engineLoad === load) this.engineLoad = undefined;
        },
      );
    }
    const engine = await untilAborted(this.engineLoad, signal);
    progress({ phase: 'engine', done: 1, total: 1 });
    return { engine, startMs: Math.round(this.now() - started) };
  }

  /**
   * Runs `fn` with the table's query session for `version` (default the latest), opening it (and
   * the engine) when needed. Refuses tables whose data this reader cannot read.
   */
  private async withSession<T>(
    t: OpenTable,
    version: number | undefined,
    signal: AbortSignal,
    progress: (p: WorkerProgress) => void,
    fn: (session: QuerySession, engineStartMs: number | undefined) => Promise<T>,
  ): Promise<T> {
    const { snapshot } = await this.loadSnapshot(t, version === undefined ? {} : { version }, signal, progress);
    // UNSUPPORTED_READER_FEATURE before the engine is even started.
    snapshot.assertReadable();
    const { engine, startMs } = await this.sqlEngine(signal, progress);
    throwIfAborted(signal);
    let entry = t.sessions.get(snapshot.version);
    if (entry) {
      t.sessions.delete(snapshot.version);
      t.sessions.set(snapshot.version, entry);
    } else {
      const session = QuerySession.open(t.table, { engine, snapshot, fileAccess: t.fileAccess });
      const created: SessionEntry = { session, users: 0, retired: false };
      entry = created;
      t.sessions.set(snapshot.version, created);
      session.catch(() => {
        if (t.sessions.get(snapshot.version) === created) t.sessions.delete(snapshot.version);
      });
      while (t.sessions.size > SESSIONS_PER_TABLE) {
        const [oldest, old] = t.sessions.entries().next().value!;
        t.sessions.delete(oldest);
        retire(old);
      }
    }
    entry.users++;
    try {
      const session = await entry.session;
      progress({ phase: 'query', done: 0, total: 0 });
      return await fn(session, startMs);
    } finally {
      entry.users--;
      if (entry.retired && entry.users === 0) closeSession(entry);
    }
  }

  /** Closes a table's query sessions (each once its running calls are done). */
  private retireSessions(t: OpenTable): void {
    for (const entry of t.sessions.values()) retire(entry);
    t.sessions.clear();
  }

  sql(tableId: string, query: string, request: SqlRequest = {}, onProgress?: ProgressCallback, requestId?: string): Promise<Result<QueryResult>> {
    return this.runTransfer(
      requestId,
      onProgress,
      async (signal, progress) => {
        const text = checkQuery(query);
        const maxRows = checkMaxRows(request?.maxRows);
        const t = this.table(tableId);
        return this.withSession(t, request?.version, signal, progress, async (session, engineStartMs) => {
          const started = this.now();
          const fetchedBefore = session.bytesRead;
          const result = await session.sql(text, { signal });
          throwIfAborted(signal);
          const { ipc, truncated } = encodeRows(result, maxRows);
          const resultId = request?.hold ? this.results.hold(result) : undefined;
          const value: QueryResult = {
            version: session.snapshot.version,
            columns: resultColumns(result),
            numRows: result.numRows,
            truncated,
            ipc,
            plans: readSummary(session.lastPlans, session.lastChangePlans, session.bytesRead - fetchedBefore),
            durationMs: Math.round(this.now() - started),
          };
          if (engineStartMs !== undefined) value.engineStartMs = engineStartMs;
          if (resultId) value.resultId = resultId;
          return value;
        });
      },
      (v) => [v.ipc],
    );
  }

  // Held results (the grid pages through the whole result): see `results.ts`.
  resultPage(resultId: string, request: ResultPageRequest): Promise<Result<ResultPage>> {
    return this.run(undefined, undefined, async () => this.results.page(resultId, request));
  }
  resultProfile(resultId: string, column: number): Promise<Result<ColumnProfile>> {
    return this.run(undefined, undefined, async () => this.results.profile(resultId, column));
  }
  resultColumn(resultId: string, column: number, view: { sort?: ResultSort[]; filters?: ResultFilter[] }): Promise<Result<{ text: string; values: number; capped: boolean }>> {
    return this.run(undefined, undefined, async () => this.results.columnText(resultId, column, view ?? {}));
  }
  async releaseResult(resultId: string): Promise<void> {
    this.results.release(resultId);
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
      async (signal, progress) => {
        const text = checkQuery(query);
        const kind = Object.hasOwn(EXPORT_FORMATS, format) ? EXPORT_FORMATS[format] : undefined;
        if (!kind) {
          throw new DeltaError('INVALID_ARGUMENT', `Unknown export format "${String(format)}" (use csv, jsonl or parquet).`);
        }
        const t = this.table(tableId);
        return this.withSession(t, request?.version, signal, progress, async (session) => {
          const started = this.now();
          const result = await session.sql(text, { signal });
          throwIfAborted(signal);
          const bytes = ownBuffer(await exportTable(result, format));
          const base = exportBaseName(t, session.snapshot);
          return {
            bytes,
            mime: kind.mimeType,
            fileName: `${base}_v${session.snapshot.version}.${kind.extension}`,
            numRows: result.numRows,
            durationMs: Math.round(this.now() - started),
          };
        });
      },
      (v) => [v.bytes],
    );
  }

  changes(
    tableId: string,
    range: ChangeRange,
    request: { maxRows?: number } = {},
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<ChangesResult>> {
    return this.runTransfer(
      requestId,
      onProgress,
      async (signal, progress) => {
        const r = checkRange(range);
        const maxRows = checkMaxRows(request?.maxRows);
        const t = this.table(tableId);
        return this.withSession(t, undefined, signal, progress, async (session, engineStartMs) => {
          const started = this.now();
          const fetchedBefore = session.bytesRead;
          const summary = await session.changeSummary(r, { signal });
          const rows = await session.changes(r, { signal });
          throwIfAborted(signal);
          const plan = session.lastChangePlans[0];
          const { ipc, truncated } = encodeRows(rows, maxRows);
          const value: ChangesResult = {
            startVersion: plan?.startVersion ?? r.from ?? 0,
            endVersion: plan?.endVersion ?? r.to ?? session.snapshot.version,
            summary,
            columns: resultColumns(rows),
            numRows: rows.numRows,
            truncated,
            ipc,
            plans: readSummary([], session.lastChangePlans, session.bytesRead - fetchedBefore),
            durationMs: Math.round(this.now() - started),
          };
          if (engineStartMs !== undefined) value.engineStartMs = engineStartMs;
          return value;
        });
      },
      (v) => [v.ipc],
    );
  }

  /** See {@link ExplorerApi.compare}: both snapshots through the cache, then {@link compareSnapshots}. */
  compare(tableId: string, versionA: number, versionB: number, onProgress?: ProgressCallback, requestId?: string): Promise<Result<CompareResult>> {
    return this.run(requestId, onProgress, async (signal, progress) => {
      const t = this.table(tableId);
      const a = await this.loadSnapshot(t, { version: versionA }, signal, progress);
      const b = await this.loadSnapshot(t, { version: versionB }, signal, progress);
      throwIfAborted(signal);
      return compareSnapshots(a.snapshot, b.snapshot);
    });
  }

  async cancel(requestId: string): Promise<void> {
    this.requests.get(requestId)?.abort();
  }

  async close(tableId: string): Promise<void> {
    const t = this.tables.get(tableId);
    if (!t) return;
    this.tables.delete(tableId);
    this.retireSessions(t);
    const source = this.sources.get(t.sourceId);
    if (source) {
      source.tables.delete(tableId);
      if (!source.tables.size && !source.multi) this.sources.delete(t.sourceId);
    }
  }

  async closeSource(sourceId: string): Promise<void> {
    const source = this.sources.get(sourceId);
    if (!source) return;
    for (const id of source.tables) {
      const t = this.tables.get(id);
      if (t) this.retireSessions(t);
      this.tables.delete(id);
    }
    this.sources.delete(sourceId);
  }

  // ---- Remote stores and share links ----

  /** Registers a live connection and returns what the UI may see of it. */
  addConnection(conn: RemoteConnectionImpl): RemoteConnection {
    this.connections.set(conn.info.connectionId, conn);
    return conn.info;
  }

  /** A new connection id (`c1`, `c2` ...). */
  connectionId(): string {
    return this.id('c');
  }

  connectS3(config: S3ConnectionConfig, requestId?: string): Promise<Result<RemoteConnection>> {
    return this.run(requestId, undefined, async (signal) => {
      const { connectS3 } = await import('./s3-connection.ts');
      const conn = await connectS3(this.connectionId(), config, { fetch: this.fetchFn, signal });
      return this.addConnection(conn);
    });
  }

  /** See {@link ExplorerApi.connectLakeFs}: `lakefs-connection.ts`, registered like every connection. */
  connectLakeFs(config: LakeFsConnectionConfig, requestId?: string): Promise<Result<RemoteConnection>> {
    return this.run(requestId, undefined, async (signal) => {
      const { connectLakeFs } = await import('./lakefs-connection.ts');
      return this.addConnection(await connectLakeFs(this.connectionId(), config, { fetch: this.fetchFn, signal }));
    });
  }

  lakeFsRepositories(connectionId: string, requestId?: string): Promise<Result<LakeFsRepositoryInfo[]>> {
    return this.run(requestId, undefined, async (signal) => {
      const { asLakeFs } = await import('./lakefs-connection.ts');
      return asLakeFs(requireConnection(this.connections, connectionId)).repositories(signal);
    });
  }

  lakeFsRefs(connectionId: string, repository: string, requestId?: string): Promise<Result<LakeFsRefs>> {
    return this.run(requestId, undefined, async (signal) => {
      const { asLakeFs } = await import('./lakefs-connection.ts');
      return asLakeFs(requireConnection(this.connections, connectionId)).refs(repository, signal);
    });
  }

  /** See {@link ExplorerApi.compareTables}: both snapshots through their tables' caches, then {@link compareSnapshots}. */
  compareTables(
    tableIdA: string,
    versionA: number | undefined,
    tableIdB: string,
    versionB: number | undefined,
    onProgress?: ProgressCallback,
    requestId?: string,
  ): Promise<Result<CompareResult>> {
    return this.run(requestId, onProgress, async (signal, progress) => {
      const ta = this.table(tableIdA);
      const tb = this.table(tableIdB);
      const a = await this.loadSnapshot(ta, versionA === undefined ? {} : { version: versionA }, signal, progress);
      const b = await this.loadSnapshot(tb, versionB === undefined ? {} : { version: versionB }, signal, progress);
      throwIfAborted(signal);
      return compareSnapshots(a.snapshot, b.snapshot);
    });
  }

  browseRemote(connectionId: string, place: RemoteBrowsePlace, requestId?: string): Promise<Result<RemoteListing>> {
    return this.run(requestId, undefined, async (signal) => browseFolder(requireConnection(this.connections, connectionId), place, signal));
  }

  openRemote(connectionId: string, place: RemoteBrowsePlace, requestId?: string): Promise<Result<OpenResult>> {
    return this.run(requestId, undefined, async (signal) => {
      const conn = requireConnection(this.connections, connectionId);
      const placed = await conn.storeAt({ ...place, prefix: cleanPrefix(place.prefix) }, signal);
      return this.openStoreSource(placed.store, { label: placed.label, remote: placed.location }, signal);
    });
  }

  async closeConnection(connectionId: string): Promise<void> {
    this.connections.get(connectionId)?.close?.();
    this.connections.delete(connectionId);
  }

  createShareLink(tableId: string, options: ShareOptions, requestId?: string): Promise<Result<ShareLink>> {
    return this.run(requestId, undefined, async (signal, progress) => {
      const t = this.table(tableId);
      const { snapshot } = await this.loadSnapshot(t, options.version !== undefined ? { version: options.version } : {}, signal, progress);
      // The table's own location (a table picked inside an opened folder has its root appended).
      const location = t.info.remote;
      if (!location) throw new DeltaError('INVALID_ARGUMENT', 'Only tables opened from S3, lakeFS or a public URL can be shared by link.');
      const { createShareLink } = await import('./share.ts');
      return createShareLink(t.table.store, snapshot, location, options, signal);
    });
  }

  openShare(fragment: string, nowMs?: number, requestId?: string): Promise<Result<OpenResult>> {
    return this.run(requestId, undefined, async (signal) => {
      const { openShareStore } = await import('./share.ts');
      // The page's clock decides whether the link has expired; later reads keep time from there.
      const skew = nowMs !== undefined ? nowMs - Date.now() : 0;
      const { store, location, label } = await openShareStore(fragment, { fetch: this.fetchFn, now: () => Date.now() + skew, signal });
      return this.openStoreSource(store, { label, remote: location }, signal);
    });
  }
}


/** The location of a sub-folder `root` of a remote location. */
function locationAt(loc: RemoteLocation, root: string): RemoteLocation {
  if (!root) return loc;
  const join = (a: string) => (a ? `${a}/${root}` : root);
  switch (loc.kind) {
    case 'http':
      return { ...loc, url: `${loc.url}/${root}` };
    case 's3':
      return { ...loc, prefix: join(loc.prefix) };
    case 'lakefs':
      return { ...loc, path: join(loc.path) };
    case 'share':
      return { ...loc, origin: locationAt(loc.origin, root) };
  }
}

/** Marks a session retired, and closes it when no call is using it. */
function retire(entry: SessionEntry): void {
  entry.retired = true;
  if (entry.users === 0) closeSession(entry);
}

function closeSession(entry: SessionEntry): void {
  entry.session.then((s) => s.close()).catch(() => {});
}

/** Resolves as `p`, or rejects with `CANCELLED` as soon as `signal` aborts (`p` keeps running). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  throwIfAborted(signal);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeltaError('CANCELLED', 'Cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function checkQuery(query: unknown): string {
  if (typeof query !== 'string' || !query.trim()) {
    throw new DeltaError('INVALID_ARGUMENT', 'The query is empty.', { hint: 'Write a SQL query over the table t, e.g. SELECT * FROM t LIMIT 100.' });
  }
  return query;
}

function checkMaxRows(maxRows: number | undefined): number {
  if (maxRows === undefined) return DEFAULT_MAX_ROWS;
  if (!Number.isSafeInteger(maxRows) || maxRows < 0) throw new DeltaError('INVALID_ARGUMENT', `Invalid maxRows: ${maxRows}.`);
  return Math.min(maxRows, MAX_RESULT_ROWS);
}

function checkRange(range: ChangeRange | undefined): ChangeRange {
  const r = range ?? {};
  for (const k of ['from', 'to'] as const) {
    const v = r[k];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) {
      throw new DeltaError('INVALID_ARGUMENT', `Invalid change feed ${k === 'from' ? 'start' : 'end'} version: ${v}.`, { hint: 'Versions are whole numbers from 0.' });
    }
  }
  if (r.from !== undefined && r.to !== undefined && r.to < r.from) {
    throw new DeltaError('INVALID_ARGUMENT', `The change feed range ${r.from}..${r.to} ends before it starts.`);
  }
  return { from: r.from, to: r.to, fromTimestamp: r.fromTimestamp, toTimestamp: r.toTimestamp };
}

/** Sums what the scans and change feed reads of one call chose (see {@link ReadSummary}). */
export function readSummary(plans: ScanPlan[], changePlans: ChangePlan[], bytesFetched: number): ReadSummary {
  const out: ReadSummary = { filesRead: 0, totalFiles: 0, bytesRead: 0, totalBytes: 0, prunedByPartition: 0, prunedByStats: 0, prunedByLimit: 0, bytesFetched };
  for (const p of plans) {
    out.filesRead += p.files.length;
    out.totalFiles += p.pruning.totalFiles;
    out.bytesRead += p.pruning.selectedBytes;
    out.totalBytes += p.pruning.totalBytes;
    out.prunedByPartition += p.pruning.byPartition;
    out.prunedByStats += p.pruning.byStats;
    out.prunedByLimit += p.pruning.byLimit;
  }
  for (const c of changePlans) {
    for (const v of c.versions) {
      for (const r of v.reads) {
        out.filesRead++;
        out.totalFiles++;
        out.bytesRead += r.sizeBytes ?? 0;
        out.totalBytes += r.sizeBytes ?? 0;
      }
    }
  }
  return out;
}

/** `bytes` when it owns its whole (transferable) buffer, else a copy that does. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? bytes : bytes.slice();
}

/** A file-name-safe name for exports of a table: its metadata name, folder or URL segment. */
function exportBaseName(t: OpenTable, snapshot: Snapshot): string {
  const raw = snapshot.metadata.name || (t.info.root ? t.info.root.split('/').pop()! : t.info.label) || 'table';
  return raw.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'table';
}
