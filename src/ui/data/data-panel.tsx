/**
 * The Data panel: a SQL editor over the open table (`t` is the version shown), a Run button
 * (Ctrl/Cmd+Enter), the first rows of the result in a virtualized grid, what the query read, and
 * exports of the whole result (CSV, JSON Lines, Parquet) downloaded through a Blob URL.
 *
 * Nothing here runs until the user asks: the SQL engine (DuckDB-WASM, ~18 MB) is started by the
 * worker on the first Run or export. apache-arrow (to decode the rows) and the grid (TanStack) are
 * loaded with the first result. Cancel stops planning and file reads; a query DuckDB is already
 * running cannot be interrupted, so its result is then discarded when it arrives.
 */
import { lazy, Suspense, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ErrorInfo, ExportFormat, OpenedTable, QueryResult, SnapshotSummary, WorkerProgress } from '../../workers/api.ts';
import { ProgressLine } from '../components/progress-line.tsx';
import { describeError } from '../errors.ts';
import { formatBytes, formatCount, formatDuration, plural } from '../format.ts';
import { errorInfoOf, type ExplorerClient } from '../worker-client.ts';
import type { TextRows } from './decode.ts';

const ResultGrid = lazy(() => import('./result-grid.tsx'));

/** The query the editor starts with. */
export const DEFAULT_QUERY = 'SELECT * FROM t LIMIT 100';
/** Rows fetched for the grid (the status line gives the full count). */
const GRID_ROWS = 1_000;

const EXPORTS: { format: ExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'jsonl', label: 'JSONL' },
  { format: 'parquet', label: 'Parquet' },
];

/** A result on screen: the worker's answer without its bytes, and the decoded rows. */
interface Shown {
  meta: Omit<QueryResult, 'ipc'>;
  rows: TextRows;
  query: string;
}

interface Busy {
  what: 'query' | ExportFormat;
  progress: WorkerProgress | null;
  controller: AbortController;
}

/** Saves bytes as a file through a temporary Blob URL. */
function download(bytes: Uint8Array, mime: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started by now; give slow browsers a moment before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export function DataPanel({
  client,
  table,
  version,
  latestVersion,
  initialQuery,
  onRun,
}: {
  client: ExplorerClient;
  table: OpenedTable;
  /** The snapshot shown (its schema feeds the editor's completion). */
  summary?: SnapshotSummary;
  version: number;
  latestVersion: number;
  /** The editor's first text (e.g. from `?sql=`); {@link DEFAULT_QUERY} when absent. */
  initialQuery?: string;
  /** Called with the query text when it is run (the app keeps it in `?sql=`). */
  onRun?: (query: string) => void;
}) {
  const [query, setQuery] = useState(initialQuery || DEFAULT_QUERY);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const busyRef = useRef<Busy | null>(null);

  // Leaving the table (or the page) cancels what is in flight.
  useEffect(() => () => busyRef.current?.controller.abort(), []);

  const start = (what: Busy['what']): Busy => {
    busyRef.current?.controller.abort();
    const b: Busy = { what, progress: null, controller: new AbortController() };
    busyRef.current = b;
    setBusy(b);
    setError(null);
    setNote(null);
    return b;
  };
  const finish = (b: Busy) => {
    if (busyRef.current !== b) return false;
    busyRef.current = null;
    setBusy(null);
    return true;
  };
  const onProgress = (b: Busy) => (p: WorkerProgress) => {
    if (busyRef.current === b) setBusy({ ...b, progress: p });
  };
  const failed = (b: Busy, e: unknown) => {
    if (!finish(b)) return;
    const info = errorInfoOf(e);
    if (info.code === 'CANCELLED') setNote('Cancelled.');
    else setError(info);
  };

  const run = async () => {
    const text = query;
    if (!text.trim()) return;
    onRun?.(text);
    const b = start('query');
    try {
      const r = await client.sql(table.tableId, text, { version, maxRows: GRID_ROWS }, { signal: b.controller.signal, onProgress: onProgress(b) });
      const { decodeRows } = await import('./decode.ts');
      const rows = decodeRows(r.ipc);
      if (!finish(b)) return;
      const { ipc: _bytes, ...meta } = r;
      setShown({ meta, rows, query: text });
    } catch (e) {
      if (busyRef.current === b) setShown(null);
      failed(b, e);
    }
  };

  const exportAs = async (format: ExportFormat) => {
    const text = query;
    if (!text.trim()) return;
    const b = start(format);
    try {
      const r = await client.exportQuery(table.tableId, text, format, { version }, { signal: b.controller.signal, onProgress: onProgress(b) });
      if (!finish(b)) return;
      download(r.bytes, r.mime, r.fileName);
      setNote(`Exported ${plural(r.numRows, 'row')} to ${r.fileName} (${formatBytes(r.bytes.byteLength)}).`);
    } catch (e) {
      failed(b, e);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void run();
    }
  };

  const m = shown?.meta;
  return (
    <section className="panel data-panel" data-testid="data-panel">
      <h2>Data</h2>
      <p className="muted small">
        SQL (DuckDB) over <code>t</code>, version {version}
        {version !== latestVersion ? ` (latest ${latestVersion})` : ''}. Also <code>"t@v0"</code>, <code>"t$history"</code>, <code>"t$files"</code>,{' '}
        <code>"t$partitions"</code>, <code>table_changes(0, {latestVersion})</code>. The SQL engine (about 18 MB) loads on the first run.
      </p>
      <textarea
        className="sql-editor"
        data-testid="sql-editor"
        aria-label="SQL query"
        spellCheck={false}
        rows={4}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="sql-actions">
        <button type="button" className="primary" data-testid="sql-run" onClick={() => void run()} disabled={!query.trim()} title="Run (Ctrl+Enter or ⌘+Enter)">
          Run
        </button>
        <span className="muted small">Ctrl/⌘+Enter</span>
        <span className="sql-exports">
          <span className="muted small">Export the whole result:</span>
          {EXPORTS.map((x) => (
            <button key={x.format} type="button" data-testid={`export-${x.format}`} onClick={() => void exportAs(x.format)} disabled={!query.trim()}>
              {x.label}
            </button>
          ))}
        </span>
      </div>

      {busy && (
        <div className="sql-busy">
          <ProgressLine
            label={busy.what === 'query' ? 'Query' : `Export ${busy.what.toUpperCase()}`}
            progress={busy.progress}
            onCancel={() => busy.controller.abort()}
          />
          <p className="muted small">Cancel stops planning and file reads; a query DuckDB is already running cannot be interrupted, its result is discarded.</p>
        </div>
      )}

      {error && <SqlError error={error} />}

      {note && !busy && (
        <p className="muted small" data-testid="sql-note">
          {note}
        </p>
      )}

      {shown && m && (
        <>
          <p className="sql-status small" data-testid="sql-status" data-rows={m.numRows} data-files-read={m.plans.filesRead} data-version={m.version}>
            <strong>{plural(m.numRows, 'row')}</strong>
            {m.truncated ? ` (first ${formatCount(shown.rows.length)} shown)` : ''} · {formatDuration(m.durationMs)} ·{' '}
            {m.plans.totalFiles === 0 ? (
              'no data files read'
            ) : (
              <>
                read {formatCount(m.plans.filesRead)} of {plural(m.plans.totalFiles, 'file')} ({formatBytes(m.plans.bytesRead)}
                {m.plans.totalBytes > m.plans.bytesRead ? ` of ${formatBytes(m.plans.totalBytes)}` : ''})
              </>
            )}
            {m.engineStartMs !== undefined ? ` · SQL engine started in ${formatDuration(m.engineStartMs)}` : ''} · v{m.version}
          </p>
          <Suspense fallback={<p className="muted small">Loading the grid…</p>}>
            <ResultGrid columns={m.columns} rows={shown.rows} />
          </Suspense>
        </>
      )}
    </section>
  );
}

/** A failed query, in place: code, message, hint. */
function SqlError({ error }: { error: ErrorInfo }) {
  const { title, next } = describeError(error);
  return (
    <div className="sql-error" role="alert" data-testid="sql-error" data-code={error.code}>
      <p>
        <strong>{title}</strong> <code data-testid="sql-error-code">{error.code}</code>
      </p>
      <pre className="sql-error-message" data-testid="sql-error-message">
        {error.message}
      </pre>
      {error.path !== undefined && (
        <p className="muted small">
          File: <code>{error.path}</code>
          {error.version !== undefined ? ` · version ${error.version}` : ''}
        </p>
      )}
      <p className="hint small" data-testid="sql-error-hint">
        {next}
      </p>
    </div>
  );
}
