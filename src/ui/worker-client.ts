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
import { bundleOrder } from '../delta/storage/browser-files.ts';
import type { ErrorInfo, ExplorerApi, ProgressCallback, Result } from '../workers/api.ts';

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

/** Worker methods that are the client's own plumbing (cancelling, staging a folder), not part of its interface. */
type Plumbing = 'cancel' | 'stageFiles';

/**
 * How many trailing parameters of each worker method exist only for the wire — a progress callback
 * (a Comlink proxy), the request id `cancel` names, a staging id, the clock — and become one
 * `options?: CallOptions` in the client (0: the method is the same but for unwrapping its
 * `Result`). `satisfies` checks that every method of {@link ExplorerApi} is listed and nothing
 * else; `wrapExplorer` must then call the worker with the client's parameters, in order.
 */
const WIRE_TAIL = {
  openFiles: 2,
  openDirectoryHandle: 2,
  openUrl: 1,
  openCandidate: 0,
  snapshot: 2,
  snapshotStats: 1,
  history: 2,
  filesPage: 0,
  filesQuery: 0,
  filesTable: 0,
  historyTable: 2,
  partitions: 0,
  fileSizes: 0,
  versionChecksum: 0,
  variantShredding: 0,
  schemaHistory: 2,
  sql: 2,
  resultPage: 0,
  resultProfile: 0,
  resultColumn: 0,
  releaseResult: 0,
  exportQuery: 2,
  changes: 2,
  commitActions: 1,
  compare: 2,
  close: 0,
  closeSource: 0,
  connectS3: 1,
  browseRemote: 1,
  openRemote: 1,
  connectLakeFs: 1,
  lakeFsRepositories: 1,
  lakeFsRefs: 1,
  compareTables: 2,
  rowDiff: 2,
  closeConnection: 0,
  createShareLink: 1,
  openShare: 2,
} as const satisfies Record<Exclude<keyof ExplorerApi, Plumbing>, 0 | 1 | 2>;

/** The worker API as the UI thread sees it through Comlink. */
type WireApi = Comlink.Remote<ExplorerApi>;
/** A tuple without its last element (optional elements and names kept). */
type DropLast<T extends unknown[]> = T extends [...infer H, unknown] ? H : T extends [...infer H, unknown?] ? H : T;
/** A tuple without its last `N` elements. */
type DropN<T extends unknown[], N extends number, Dropped extends unknown[] = []> = Dropped['length'] extends N ? T : DropN<DropLast<T>, N, [...Dropped, unknown]>;
/** A worker answer as the client returns it: the value of a {@link Result} (failures are thrown). */
type Unwrapped<R> = [R] extends [Result<unknown>] ? (Extract<R, { ok: true }> extends { value: infer T } ? T : never) : R;
/** One client method from a worker method with `N` wire-only trailing parameters. */
type ClientMethod<F, N extends number> = F extends (...args: infer A) => Promise<infer R>
  ? N extends 0
    ? (...args: A) => Promise<Unwrapped<R>>
    : (...args: [...DropN<A, N>, options?: CallOptions]) => Promise<Unwrapped<R>>
  : never;

/**
 * The typed client the UI uses, derived from the worker API (a mapped type over Comlink's
 * `Remote<ExplorerApi>`, so a change to a worker method changes the client): each method throws
 * {@link ExplorerError} on failure instead of returning a `Result`, and long calls take
 * `{ onProgress, signal }` in place of the wire's progress proxy and request id. Method docs are
 * those of {@link ExplorerApi}.
 */
export type ExplorerClient = {
  [K in keyof Pick<WireApi, keyof typeof WIRE_TAIL>]: ClientMethod<WireApi[K], (typeof WIRE_TAIL)[K]>;
} & {
  /** Stops the worker; every later call fails. */
  terminate(): void;
};

let requestCounter = 0;

/**
 * Handing a folder to the worker: files in the first message, and the time each later message
 * should take to post (cloning a `File` the first time costs this thread 0.2–1 ms in Chromium:
 * the browser is asked for its size and modification time).
 */
const FIRST_SLICE = 8;
const SLICE_MS = 10;

/** Resolves in a new task of this thread (a message to itself: not clamped as nested timers are). */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

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
      // The small log files last, newest first: the worker bundles and reads them as they arrive
      // (see `ExplorerApi.stageFiles`).
      files = bundleOrder(files);
      let i = 0;
      // Slices are not awaited one by one (the worker is busy reading the ones before): the page
      // only yields between them; the worker answers every slice before it sees `openFiles`.
      const sent: Promise<void>[] = [];
      let perFile = 0.005;
      for (let n = FIRST_SLICE; files.length - i > n; ) {
        if (options?.signal?.aborted) throw cancelled();
        const t0 = performance.now();
        const slice = remote.stageFiles(stageId, files.slice(i, i + n));
        slice.catch(() => {}); // awaited below, with the others
        sent.push(slice);
        // The dearest file so far: the browser's answers slow down while the worker reads.
        perFile = Math.max(perFile, (performance.now() - t0) / n);
        i += n;
        await Promise.race([yieldToPage(), failed]);
        // Grows at most twofold per slice: a cheap first slice says little about the next files.
        n = Math.max(FIRST_SLICE, Math.min(2 * n, 256, Math.floor(SLICE_MS / perFile)));
      }
      await Promise.race([Promise.all(sent), failed]);
      if (options?.signal?.aborted) throw cancelled();
      return long(options, (_p, id) => remote.openFiles(files.slice(i), label, id, stageId));
    },
    openDirectoryHandle: (handle, options) => long(options, (p, id) => remote.openDirectoryHandle(handle, p, id)),
    openUrl: (url, options) => long(options, (_p, id) => remote.openUrl(url, id)),
    openCandidate: (sourceId, path) => unwrap(remote.openCandidate(sourceId, path)),
    snapshot: (tableId, request = {}, options) => long(options, (p, id) => remote.snapshot(tableId, request, p, id)),
    snapshotStats: (tableId, version, options) => long(options, (_p, id) => remote.snapshotStats(tableId, version, id)),
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
