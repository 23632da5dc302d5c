/**
 * The app shell: open a local folder (drop or pick), show progress and errors, then the Overview and
 * the History of the table. Views take data and callbacks; this component owns the calls to the
 * worker client and the one operation in flight (a new one cancels the old one).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo, HistoryRow, OpenedTable, SnapshotSummary, TableCandidate, TableCandidates, WorkerProgress } from '../workers/api.ts';
import { ErrorPanel } from './components/error-panel.tsx';
import { ProgressLine } from './components/progress-line.tsx';
import { DropZone } from './sources/drop-zone.tsx';
import type { PickedFolder } from './sources/folder-walk.ts';
import { CandidateList } from './views/candidates.tsx';
import { HistoryTable } from './views/history.tsx';
import { Overview } from './views/overview.tsx';
import { errorInfoOf, type ExplorerClient } from './worker-client.ts';

/** What the main area shows. */
type View =
  | { kind: 'idle' }
  | { kind: 'opening'; label: string }
  | { kind: 'candidates'; result: TableCandidates }
  | { kind: 'loading'; table: OpenedTable; progress: WorkerProgress | null; candidates?: TableCandidates }
  | { kind: 'ready'; table: OpenedTable; summary: SnapshotSummary; candidates?: TableCandidates };

type HistoryState =
  | { kind: 'none' }
  | { kind: 'loading'; progress: WorkerProgress | null }
  | { kind: 'ready'; rows: HistoryRow[] }
  | { kind: 'error'; error: ErrorInfo };

/** One operation in flight; a newer one aborts it, and late answers of old ones are dropped. */
interface Operation {
  controller: AbortController;
}

export function App({ client }: { client: ExplorerClient }) {
  const [view, setView] = useState<View>({ kind: 'idle' });
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [history, setHistory] = useState<HistoryState>({ kind: 'none' });
  const [showAllHistory, setShowAllHistory] = useState(false);
  const op = useRef<Operation | null>(null);
  /** What the worker holds for us, to free when something else is opened. */
  const held = useRef<{ sourceId?: string; tableId?: string }>({});

  const begin = (): Operation => {
    op.current?.controller.abort();
    const o = { controller: new AbortController() };
    op.current = o;
    return o;
  };
  const isCurrent = (o: Operation) => op.current === o;

  useEffect(() => {
    document.title = view.kind === 'ready' ? `${titleOf(view.table, view.summary)} · Delta Explorer` : 'Delta Explorer';
  }, [view]);

  const loadTable = useCallback(
    async (table: OpenedTable, candidates?: TableCandidates) => {
      const o = begin();
      const signal = o.controller.signal;
      held.current.tableId = table.tableId;
      setError(null);
      setHistory({ kind: 'none' });
      setShowAllHistory(false);
      setView({ kind: 'loading', table, progress: null, candidates });
      let summary: SnapshotSummary;
      try {
        summary = await client.snapshot(table.tableId, {}, {
          signal,
          onProgress: (p) => isCurrent(o) && setView((v) => (v.kind === 'loading' ? { ...v, progress: p } : v)),
        });
      } catch (e) {
        if (!isCurrent(o)) return;
        setView(candidates ? { kind: 'candidates', result: candidates } : { kind: 'idle' });
        setError(errorInfoOf(e));
        return;
      }
      if (!isCurrent(o)) return;
      setView({ kind: 'ready', table, summary, candidates });
      setHistory({ kind: 'loading', progress: null });
      try {
        const rows = await client.history(table.tableId, {
          signal,
          onProgress: (p) => isCurrent(o) && setHistory((h) => (h.kind === 'loading' ? { kind: 'loading', progress: p } : h)),
        });
        if (isCurrent(o)) setHistory({ kind: 'ready', rows });
      } catch (e) {
        if (isCurrent(o)) setHistory({ kind: 'error', error: errorInfoOf(e) });
      }
    },
    [client],
  );

  const openFolder = useCallback(
    async (folder: PickedFolder) => {
      const o = begin();
      const previous = held.current.sourceId;
      held.current = {};
      if (previous) void client.closeSource(previous).catch(() => {});
      setError(null);
      setHistory({ kind: 'none' });
      setView({ kind: 'opening', label: folder.label });
      try {
        const result = await client.openFiles(folder.files, folder.label, { signal: o.controller.signal });
        if (!isCurrent(o)) return;
        held.current.sourceId = result.sourceId;
        if (result.kind === 'candidates') setView({ kind: 'candidates', result });
        else await loadTable(result);
      } catch (e) {
        if (!isCurrent(o)) return;
        setView({ kind: 'idle' });
        setError(errorInfoOf(e));
      }
    },
    [client, loadTable],
  );

  const pickCandidate = useCallback(
    async (result: TableCandidates, c: TableCandidate) => {
      const o = begin();
      if (held.current.tableId) void client.close(held.current.tableId).catch(() => {});
      held.current.tableId = undefined;
      setError(null);
      try {
        const table = await client.openCandidate(result.sourceId, c.path);
        if (isCurrent(o)) await loadTable(table, result);
      } catch (e) {
        if (isCurrent(o)) setError(errorInfoOf(e));
      }
    },
    [client, loadTable],
  );

  const cancel = () => op.current?.controller.abort();
  const hasTable = view.kind === 'ready' || view.kind === 'loading' || view.kind === 'candidates';

  return (
    <div className="app">
      <header className="topbar">
        <h1>Delta Explorer</h1>
        <span className="muted small">Delta Lake tables, read in your browser</span>
      </header>
      <main>
        <DropZone onFolder={openFolder} onError={(e) => setError(e)} compact={hasTable} />

        {view.kind === 'opening' && <ProgressLine label={view.label} progress={null} onCancel={cancel} />}
        {view.kind === 'loading' && (
          <ProgressLine label={view.table.root || view.table.label} progress={view.progress} onCancel={cancel} />
        )}

        {error && <ErrorPanel error={error} onDismiss={() => setError(null)} />}

        {view.kind === 'candidates' && <CandidateList result={view.result} onPick={(c) => void pickCandidate(view.result, c)} />}

        {view.kind === 'ready' && (
          <>
            {view.candidates && (
              <button
                type="button"
                className="link"
                data-testid="back-to-candidates"
                onClick={() => {
                  const candidates = view.candidates!;
                  begin();
                  if (held.current.tableId) void client.close(held.current.tableId).catch(() => {});
                  held.current.tableId = undefined;
                  setHistory({ kind: 'none' });
                  setView({ kind: 'candidates', result: candidates });
                }}
              >
                ← Other tables in {view.candidates.label}
              </button>
            )}
            <Overview table={view.table} summary={view.summary} />
            {history.kind === 'loading' && <ProgressLine label="History" progress={history.progress} />}
            {history.kind === 'error' && <ErrorPanel error={history.error} />}
            {history.kind === 'ready' && (
              <HistoryTable rows={history.rows} showAll={showAllHistory} onShowAll={() => setShowAllHistory(true)} />
            )}
          </>
        )}
      </main>
    </div>
  );
}

function titleOf(table: OpenedTable, summary: SnapshotSummary): string {
  return summary.metadata.name || (table.root ? table.root.split('/').pop()! : table.label);
}
