/**
 * The Data panel: a SQL editor over the open table (`t` is the version shown; CodeMirror with
 * completion, see `sql-editor.tsx`), query tabs and a query history (`query-store.ts`), a Run
 * button (Ctrl/Cmd+Enter runs the selection, or everything), the WHOLE result in a paged,
 * sortable, filterable grid (`result-grid.tsx`; the result stays in the worker), what the query
 * read, and exports of the whole result (CSV, JSON Lines, Parquet) downloaded through a Blob URL.
 *
 * Nothing runs until the user asks, or a `sql=` link names a query (it runs when the panel opens):
 * the SQL engine (DuckDB-WASM, ~18 MB) is started by the worker on the first Run or export.
 * apache-arrow (to decode the first rows) and the grid (TanStack) are loaded with the first result.
 * Cancel stops planning, file reads and the query DuckDB runs.
 */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { TabBar } from '../components/tab-bar.tsx';
import { formatIso } from '../../explore/format.ts';
import { addHistory, closeTab, loadHistory, loadTabs, newTab, saveTabs, type HistoryEntry, type QueryTabs } from './query-store.ts';
import { DUCKDB_FUNCTIONS, schemaNodes, type CompletionInfo } from './sql-complete.ts';
import { SqlEditor, type SqlEditorHandle } from './sql-editor.tsx';
import type { FormatOutcome } from './sql-format.ts';
import type { ErrorInfo, ExportFormat, OpenedTable, QueryResult, SnapshotSummary, WorkerProgress } from '../../workers/api.ts';
import { ProgressLine } from '../components/progress-line.tsx';
import { describeError } from '../errors.ts';
import { formatBytes, formatCount, formatDuration, plural } from '../../explore/format.ts';
import { errorInfoOf, type ExplorerClient } from '../worker-client.ts';
import type { TextRows } from './decode.ts';
import { OpenInMenu } from '../components/open-in-menu.tsx';
import { dataQueryFromSql } from '../../explore/handoff.ts';
import { ChartSection } from './chart-section.tsx';

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

/** DuckDB's function names, asked once per page from the engine after its first query. */
let engineFunctions: readonly string[] | null = null;

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
  summary,
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
  const [tabs, setTabs] = useState<QueryTabs>(() => loadTabs(DEFAULT_QUERY, initialQuery || undefined));
  const [queryHistory, setQueryHistory] = useState<HistoryEntry[]>(() => loadHistory());
  const [showHistory, setShowHistory] = useState(false);
  const active = tabs.tabs.find((t) => t.id === tabs.active) ?? tabs.tabs[0];
  const query = active.text;
  const setQuery = (text: string) => setTabs((ts) => ({ ...ts, tabs: ts.tabs.map((t) => (t.id === ts.active ? { ...t, text } : t)) }));
  useEffect(() => saveTabs(tabs), [tabs]);
  const columns = useRef(schemaNodes(summary?.schema));
  columns.current = schemaNodes(summary?.schema);
  const completionInfo = (): CompletionInfo => ({ columns: columns.current, version, latestVersion, functions: engineFunctions ?? DUCKDB_FUNCTIONS });
  /** The held result shown, released when another replaces it or the panel goes. */
  const heldId = useRef<string | undefined>(undefined);
  const release = () => {
    if (heldId.current) void client.releaseResult(heldId.current).catch(() => {});
    heldId.current = undefined;
  };
  const [busy, setBusy] = useState<Busy | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const busyRef = useRef<Busy | null>(null);
  const editor = useRef<SqlEditorHandle | null>(null);
  /** Why the last Format left the text alone (null when it formatted, or none was asked). */
  const [formatNote, setFormatNote] = useState<string | null>(null);
  const formatted = (o: FormatOutcome) => setFormatNote(o.ok ? null : o.reason);
  useEffect(() => setFormatNote(null), [query]);

  // Leaving the table (or the page) cancels what is in flight and frees the held result.
  useEffect(
    () => () => {
      busyRef.current?.controller.abort();
      release();
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  // A `sql=` link runs when the panel opens.
  useEffect(() => {
    if (initialQuery && initialQuery.trim()) void run(initialQuery);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

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

  /** Runs `text` (default: the whole editor text). */
  const run = async (text: string = query) => {
    if (!text.trim()) return;
    onRun?.(text);
    const b = start('query');
    try {
      const r = await client.sql(table.tableId, text, { version, maxRows: GRID_ROWS, hold: true }, { signal: b.controller.signal, onProgress: onProgress(b) });
      const { decodeRows } = await import('./decode.ts');
      const rows = decodeRows(r.ipc);
      if (!finish(b)) {
        if (r.resultId) void client.releaseResult(r.resultId).catch(() => {});
        return;
      }
      release();
      heldId.current = r.resultId;
      const { ipc: _bytes, ...meta } = r;
      setShown({ meta, rows, query: text });
      setQueryHistory(addHistory(text, r.numRows));
      if (!engineFunctions) {
        client
          .sql(table.tableId, 'SELECT DISTINCT function_name FROM duckdb_functions() ORDER BY 1', { version, maxRows: 10_000 })
          .then(async (f) => {
            const { decodeRows: decode } = await import('./decode.ts');
            engineFunctions = decode(f.ipc)
              .map((row) => row[0])
              .filter((n): n is string => !!n && /^[a-z_][a-z0-9_]*$/.test(n));
          })
          .catch(() => {});
      }
    } catch (e) {
      if (busyRef.current === b) {
        setShown(null);
        release();
        setQueryHistory(addHistory(text, null));
      }
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

  const m = shown?.meta;
  return (
    <section className="panel data-panel" data-testid="data-panel">
      <h2>Data</h2>
      <p className="muted small">
        SQL (DuckDB) over <code>t</code>, version {version}
        {version !== latestVersion ? ` (latest ${latestVersion})` : ''}. Also <code>"t@v0"</code>, <code>"t$history"</code>, <code>"t$files"</code>,{' '}
        <code>"t$partitions"</code>, <code>table_changes(0, {latestVersion})</code>. The SQL engine (about 18 MB) loads on the first run.
      </p>
      <DataOpenIn table={table} sql={query} version={version} />
      <TabBar
        items={tabs.tabs.map((t) => ({ key: t.id, label: t.title, testId: 'query-tab' }))}
        selected={tabs.active}
        onSelect={(id) => setTabs((ts) => ({ ...ts, active: id }))}
        label="Query tabs"
        panelId="query-editor-panel"
        idPrefix="query-tab"
        className="query-tabs"
        testId="query-tabs"
        after={
          <span className="qt-actions">
            <button type="button" onClick={() => setTabs((ts) => newTab(ts, DEFAULT_QUERY))} aria-label="New query tab" data-testid="query-tab-new">
              + New
            </button>
            <button type="button" onClick={() => setTabs((ts) => closeTab(ts, ts.active))} disabled={tabs.tabs.length <= 1} aria-label={`Close ${active.title}`} data-testid="query-tab-close">
              Close
            </button>
            <button type="button" aria-expanded={showHistory} aria-controls="query-history" onClick={() => setShowHistory((x) => !x)} data-testid="query-history-toggle">
              History ({queryHistory.length})
            </button>
          </span>
        }
      />
      {showHistory && (
        <ul className="query-history" id="query-history" aria-label="Queries run" data-testid="query-history">
          {queryHistory.length === 0 && <li className="muted small">No query run yet.</li>}
          {queryHistory.map((h) => (
            <li key={h.text}>
              <button
                type="button"
                onClick={() => {
                  setQuery(h.text);
                  setShowHistory(false);
                }}
                data-testid="query-history-item"
              >
                <code>{h.text}</code>
                <span className="muted small">
                  {formatIso(h.atMs)} · {h.rows === null ? 'failed' : plural(h.rows, 'row')}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div role="tabpanel" id="query-editor-panel" aria-labelledby={`query-tab-${tabs.active}`}>
        <SqlEditor value={query} onChange={setQuery} onRun={(text) => void run(text)} completionInfo={completionInfo} handle={editor} onFormatted={formatted} />
      </div>
      <div className="sql-actions">
        <button type="button" className="primary" data-testid="sql-run" onClick={() => void run()} disabled={!query.trim()} title="Run (Ctrl+Enter or ⌘+Enter)">
          Run
        </button>
        <button type="button" data-testid="sql-format" onClick={() => void editor.current?.format().then(formatted)} disabled={!query.trim()} title="Format (Shift+Alt+F)">
          Format
        </button>
        <span className="muted small">Ctrl/⌘+Enter runs the selection (or everything) · Shift+Alt+F formats · Ctrl+Space completes</span>
        <span className="sql-exports">
          <span className="muted small">Export the whole result:</span>
          {EXPORTS.map((x) => (
            <button key={x.format} type="button" data-testid={`export-${x.format}`} onClick={() => void exportAs(x.format)} disabled={!query.trim()}>
              {x.label}
            </button>
          ))}
        </span>
      </div>

      {formatNote && (
        <p className="muted small" role="status" data-testid="sql-format-note">
          {formatNote}
        </p>
      )}

      {busy && (
        <div className="sql-busy" data-testid="sql-busy">
          <ProgressLine
            label={busy.what === 'query' ? 'Query' : `Export ${busy.what.toUpperCase()}`}
            progress={busy.progress}
            onCancel={() => busy.controller.abort()}
          />
          <p className="muted small">Cancel stops planning, file reads and the query in DuckDB.</p>
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
          <p className="sql-status small" data-testid="sql-status" data-query={shown.query} data-rows={m.numRows} data-files-read={m.plans.filesRead} data-version={m.version}>
            <strong>{plural(m.numRows, 'row')}</strong>
            {m.truncated && !m.resultId ? ` (first ${formatCount(shown.rows.length)} shown)` : ''} · {formatDuration(m.durationMs)} ·{' '}
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
            <ResultGrid client={client} result={{ resultId: m.resultId, columns: m.columns, numRows: m.numRows, firstRows: shown.rows }} />
          </Suspense>
          <ChartSection key={m.resultId ?? shown.query} client={client} resultId={m.resultId} columns={m.columns} numRows={m.numRows} firstRows={shown.rows} />
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

/** "Open in …" for the editor's query: a plain SELECT over `t` or `"t$rows"` (with row IDs) is carried over, anything else gives the version's rows. */
function DataOpenIn({ table, sql, version }: { table: OpenedTable; sql: string; version: number }) {
  const { query, translated } = dataQueryFromSql(sql, version);
  return (
    <OpenInMenu
      table={table}
      query={query}
      extraNote={translated ? undefined : `The editor's SQL is not carried over (only plain SELECT … FROM t or "t$rows" [WHERE …] [LIMIT n] is); this reads version ${version}.`}
    />
  );
}

