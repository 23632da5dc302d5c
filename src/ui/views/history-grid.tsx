/**
 * Every retained commit in the result grid (issue #13 item 2): the worker holds the history as
 * one table (`historyTable`, columns in `src/explore/history-table.ts`), so the grid scrolls all
 * commits and sorts, filters, resizes, pins, profiles and copies them there. Shown by the History
 * tab's "Grid" switch; the commit table (with commit details and travel) stays the default.
 */
import { lazy, Suspense, useEffect } from 'react';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import { ProgressLine } from '../components/progress-line.tsx';
import type { GridResult } from '../data/result-grid.tsx';
import type { ExplorerClient } from '../worker-client.ts';

const ResultGrid = lazy(() => import('../data/result-grid.tsx'));

export function HistoryGrid({ client, tableId }: { client: ExplorerClient; tableId: string }) {
  const { value, error, progress, busy } = useWorkerLoad<GridResult>(async (signal, onProgress) => {
    const t = await client.historyTable(tableId, { signal, onProgress });
    const { decodeRows } = await import('../data/decode.ts');
    return { resultId: t.resultId, columns: t.columns, numRows: t.numRows, firstRows: decodeRows(t.ipc) };
  }, [client, tableId]);
  const held = value?.resultId;
  useEffect(() => () => void (held && client.releaseResult(held).catch(() => undefined)), [client, held]);
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
          <ResultGrid client={client} result={value} height={Math.min(520, value.numRows * 26 + 110)} testId="history-grid" />
        </Suspense>
      )}
    </div>
  );
}
