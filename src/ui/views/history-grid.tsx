/**
 * Every retained commit in the result grid — the History tab's default view (issue #13): the
 * worker holds the history as one table (`historyTable`, columns in `src/explore/history-table.ts`),
 * so the grid pages, sorts, filters, resizes, pins, profiles and copies there; React holds only the
 * pages in view. Each row has actions (`history-actions.tsx`: open at this version, compare with
 * the previous or the latest, its Change Data Feed, copy version or time, the commit's actions and
 * raw JSON), opened by the button beside its row number or Enter on a selected row; the commit
 * opened is the URL's `commit=`.
 */
import { lazy, Suspense, useEffect, useMemo } from 'react';
import type { HistoryRow, SnapshotSummary } from '../../workers/api.ts';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import { ProgressLine } from '../components/progress-line.tsx';
import type { GridResult, RowActions } from '../data/result-grid.tsx';
import type { ExplorerClient } from '../worker-client.ts';
import { CommitActionsPanel } from './history-actions.tsx';
import type { ViewProps } from './view-props.ts';

const ResultGrid = lazy(() => import('../data/result-grid.tsx'));

export interface HistoryGridProps extends Pick<ViewProps, 'onTravel' | 'onNavigate'> {
  client: ExplorerClient;
  tableId: string;
  summary: SnapshotSummary;
  /** The history the shell loaded (for the opened commit's row and the retained versions). */
  rows: HistoryRow[];
  /** The commit whose actions are open (`?commit=`), and setting it. */
  openVersion: number | null;
  onOpen: (version: number | null) => void;
}

export function HistoryGrid({ client, tableId, summary, rows, openVersion, onOpen, onTravel, onNavigate }: HistoryGridProps) {
  const { value, error, progress, busy } = useWorkerLoad<GridResult>(async (signal, onProgress) => {
    const t = await client.historyTable(tableId, { signal, onProgress });
    const { decodeRows } = await import('../data/decode.ts');
    return { resultId: t.resultId, columns: t.columns, numRows: t.numRows, firstRows: decodeRows(t.ipc) };
  }, [client, tableId]);
  const held = value?.resultId;
  useEffect(() => () => void (held && client.releaseResult(held).catch(() => undefined)), [client, held]);

  const byVersion = useMemo(() => new Map(rows.map((r) => [r.version, r])), [rows]);
  const retained = useMemo(() => new Set(byVersion.keys()), [byVersion]);
  const shown = summary.version;
  const versionColumn = value ? value.columns.findIndex((c) => c.name === 'version') : -1;
  const rowActions = useMemo<RowActions | undefined>(() => {
    if (versionColumn < 0) return undefined;
    const versionOf = (row: (string | null)[]) => Number(row[versionColumn]);
    return {
      label: (row) => `Actions for version ${row[versionColumn]}`,
      open: (row) => onOpen(versionOf(row)),
      isOpen: (row) => versionOf(row) === openVersion,
      isCurrent: (row) => versionOf(row) === shown,
    };
  }, [versionColumn, openVersion, onOpen, shown]);
  const opened = openVersion !== null ? byVersion.get(openVersion) : undefined;

  return (
    <div data-testid="history-grid-view">
      {busy && <ProgressLine label="Reading the history" progress={progress} onCancel={() => busy.abort()} />}
      {error && (
        <p className="notice warn" role="alert">
          The history cannot be listed: {error.message}
        </p>
      )}
      {value && (
        <Suspense fallback={<p className="muted small">Loading the grid…</p>}>
          <ResultGrid client={client} result={value} height={Math.min(520, value.numRows * 26 + 110)} testId="history-grid" label="Commits" rowActions={rowActions} />
        </Suspense>
      )}
      {openVersion !== null && !opened && (
        <p className="notice warn" role="status" data-testid="history-actions-missing">
          Version {openVersion} is not in the retained history (versions {Math.min(...retained)}–{Math.max(...retained)}).
        </p>
      )}
      {opened && (
        <CommitActionsPanel
          key={opened.version}
          client={client}
          tableId={tableId}
          row={opened}
          summary={summary}
          retained={retained}
          onTravel={onTravel}
          onNavigate={onNavigate}
          onClose={() => onOpen(null)}
        />
      )}
    </div>
  );
}
