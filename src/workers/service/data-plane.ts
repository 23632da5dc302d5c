/**
 * The data half of the explorer service: the SQL engine (one per service, started on the first
 * data call), one `QuerySession` per open table and version (the last {@link SESSIONS_PER_TABLE}
 * used), the data calls `sql`, `exportQuery` and `changes`, and the held results the grid pages
 * through (`../results.ts`).
 *
 * Calls return plain values (the wire types of `../api.ts`) and throw `DeltaError`s; the facade
 * (`../explorer-service.ts`) wraps them in a `Result` and transfers their buffers.
 */
import { DeltaError, throwIfAborted } from '../../delta/errors.ts';
import type { ChangePlan } from '../../delta/changes.ts';
import type { Snapshot } from '../../delta/snapshot.ts';
import type { ChangeRange } from '../../query/changes.ts';
import type { SqlEngine } from '../../query/engine.ts';
import { EXPORT_FORMATS, exportTable, type ExportFormat } from '../../query/export.ts';
import type { ScanPlan } from '../../query/scan-plan.ts';
import { QuerySession } from '../../query/session.ts';
import {
  DEFAULT_MAX_ROWS,
  MAX_RESULT_ROWS,
  type ChangesResult,
  type ExportResult,
  type QueryResult,
  type ReadSummary,
  type SqlRequest,
} from '../api.ts';
import { encodeRows, HeldResults, resultColumns } from '../results.ts';
import { runRowDiff, type RowDiffRequest, type RowDiffResult } from '../row-diff-call.ts';
import type { OpenTable, Progress, TableCalls } from './tables.ts';

/** How many query sessions (versions) each open table keeps. */
export const SESSIONS_PER_TABLE = 3;

/** A query session and the calls using it (it is closed when retired and idle). */
export interface SessionEntry {
  session: Promise<QuerySession>;
  users: number;
  retired: boolean;
}

/**
 * The engine, the query sessions and the data calls. Snapshots come from {@link TableCalls} (the
 * same cache the metadata calls use); `now` times the calls.
 */
export class DataPlane {
  /** Whole query results kept for the grid's pages (`SqlRequest.hold`). */
  readonly results = new HeldResults();
  private engineLoad?: Promise<SqlEngine>;
  private engineReady = false;

  constructor(
    private readonly tables: TableCalls,
    private readonly now: () => number,
    private readonly engineFactory?: () => Promise<SqlEngine>,
  ) {}

  /**
   * The SQL engine, started on first use (`engine` progress while it loads). A failed start is
   * forgotten, so the next call tries again. Cancelling stops waiting, not the start.
   * @throws DeltaError `QUERY_ERROR` without an engine factory, or when the engine cannot start.
   */
  private async sqlEngine(signal: AbortSignal, progress: Progress): Promise<{ engine: SqlEngine; startMs?: number }> {
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
   * the engine) when needed. Refuses tables whose data this reader cannot read
   * (`UNSUPPORTED_READER_FEATURE`, before the engine is started).
   */
  private async withSession<T>(
    t: OpenTable,
    version: number | undefined,
    signal: AbortSignal,
    progress: Progress,
    fn: (session: QuerySession, engineStartMs: number | undefined) => Promise<T>,
  ): Promise<T> {
    const { snapshot } = await this.tables.loadSnapshot(t, version === undefined ? {} : { version }, signal, progress);
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
      const stop = reportReads(engine, session, progress);
      try {
        return await fn(session, startMs);
      } finally {
        stop();
      }
    } finally {
      entry.users--;
      if (entry.retired && entry.users === 0) closeSession(entry);
    }
  }

  /** Closes a table's query sessions (each once its running calls are done). */
  retireSessions(t: OpenTable): void {
    for (const entry of t.sessions.values()) retire(entry);
    t.sessions.clear();
  }

  /** See {@link ExplorerApi.sql}. */
  async sql(t: OpenTable, query: string, request: SqlRequest, signal: AbortSignal, progress: Progress): Promise<QueryResult> {
    const text = checkQuery(query);
    const maxRows = checkMaxRows(request?.maxRows);
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
  }

  /** See {@link ExplorerApi.rowDiff}: one session for one table, one per table otherwise (`../row-diff-call.ts`). */
  async rowDiff(ta: OpenTable, tb: OpenTable, request: RowDiffRequest, signal: AbortSignal, progress: Progress): Promise<RowDiffResult> {
    const maxRows = checkMaxRows(request?.maxRows);
    return this.withSession(ta, undefined, signal, progress, (sa) =>
      ta === tb
        ? runRowDiff(sa, sa, request, maxRows, this.results, signal, this.now)
        : this.withSession(tb, undefined, signal, progress, (sb) => runRowDiff(sa, sb, request, maxRows, this.results, signal, this.now)),
    );
  }

  /** See {@link ExplorerApi.exportQuery}. */
  async exportQuery(t: OpenTable, query: string, format: ExportFormat, request: { version?: number }, signal: AbortSignal, progress: Progress): Promise<ExportResult> {
    const text = checkQuery(query);
    const kind = Object.hasOwn(EXPORT_FORMATS, format) ? EXPORT_FORMATS[format] : undefined;
    if (!kind) {
      throw new DeltaError('INVALID_ARGUMENT', `Unknown export format "${String(format)}" (use csv, jsonl or parquet).`);
    }
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
  }

  /** See {@link ExplorerApi.changes}. */
  async changes(t: OpenTable, range: ChangeRange, request: { maxRows?: number; hold?: boolean }, signal: AbortSignal, progress: Progress): Promise<ChangesResult> {
    const r = checkRange(range);
    const maxRows = checkMaxRows(request?.maxRows);
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
      if (request?.hold) value.resultId = this.results.hold(rows);
      return value;
    });
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

/** How often a running data call reports the bytes read (ms). */
const READ_PROGRESS_MS = 200;

/**
 * Progress in bytes while a data call runs: every {@link READ_PROGRESS_MS}, the bytes read so far
 * (DuckDB's own reads, `SqlEngine.bytesRead`, plus the footers and buffered files the session read)
 * of the planned files' size (the call's scan and change plans). Nothing is reported before the call
 * has planned (the session still holds the previous call's plans), for a plan of no files, or where
 * the engine does not measure its reads (Node). Returns the function that stops reporting.
 */
function reportReads(engine: SqlEngine, session: QuerySession, progress: Progress): () => void {
  if (!engine.bytesRead) return () => {};
  const read = () => engine.bytesRead!() + session.bytesRead;
  const before = read();
  const plans0 = session.lastPlans;
  const changes0 = session.lastChangePlans;
  const timer = setInterval(() => {
    if (session.lastPlans === plans0 && session.lastChangePlans === changes0) return;
    const planned = readSummary(session.lastPlans, session.lastChangePlans, 0).bytesRead;
    if (planned > 0) progress({ phase: 'query', done: read() - before, total: planned, unit: 'bytes' });
  }, READ_PROGRESS_MS);
  return () => clearInterval(timer);
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
