/**
 * "Count rows" where the log cannot say: a table whose files lack `numRecords` in their stats has
 * no row count in its metadata, so the views that show counts give a neutral empty state with
 * this action. It counts through the data plane (DuckDB over the version's data files, deletion
 * vectors applied: `SELECT count(*) FROM t`, or grouped by partition), on request only, and the
 * result is labelled as counted, never passed off as a number from stats.
 */
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo, WorkerProgress } from '../../workers/api.ts';
import { formatCount } from '../../explore/format.ts';
import { errorInfoOf, type ExplorerClient } from '../worker-client.ts';
import { ProgressLine } from './progress-line.tsx';

/** Where a count stands: not asked, running, counted (text rows of the count query), failed. */
export type CountState =
  | { kind: 'idle' }
  | { kind: 'counting'; progress: WorkerProgress | null }
  | { kind: 'done'; rows: (string | null)[][]; version: number }
  | { kind: 'error'; error: ErrorInfo };

/** A count query, run on request against version `version` of the table; reset when the version changes. */
export function useCountQuery(client: ExplorerClient, tableId: string, version: number, sql: string) {
  const [state, setState] = useState<CountState>({ kind: 'idle' });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => {
    setState({ kind: 'idle' });
    return () => controller.current?.abort();
  }, [tableId, version, sql]);
  const run = async () => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setState({ kind: 'counting', progress: null });
    try {
      const r = await client.sql(tableId, sql, { version, maxRows: 100_000 }, { signal: c.signal, onProgress: (p) => controller.current === c && setState({ kind: 'counting', progress: p }) });
      const { decodeRows } = await import('../data/decode.ts');
      if (controller.current === c) setState({ kind: 'done', rows: decodeRows(r.ipc), version: r.version });
    } catch (e) {
      if (controller.current === c) setState({ kind: 'error', error: errorInfoOf(e) });
    }
  };
  const cancel = () => controller.current?.abort();
  return { state, run, cancel };
}

/** The "counted, not from stats" tag next to a counted number. */
export function CountedTag() {
  return (
    <span className="counted-tag small" title="Counted by reading the data files (deletion vectors applied), not taken from the log's stats">
      counted
    </span>
  );
}

/**
 * The table's row count when the log's stats cannot give it: an explanation, a "Count rows"
 * button, then the count with its label. `filesWithStats` of `numFiles` files have `numRecords`.
 */
export function CountRows({ client, tableId, version, numFiles, filesWithStats, logOnly }: { client: ExplorerClient; tableId: string; version: number; numFiles: number; filesWithStats: number; logOnly?: boolean }) {
  const { state, run, cancel } = useCountQuery(client, tableId, version, 'SELECT count(*) AS n FROM t');
  if (state.kind === 'done') {
    const n = state.rows[0]?.[0];
    return (
      <span data-testid="count-rows-result" data-value={n ?? undefined}>
        {n === null || n === undefined ? '—' : formatCount(Number(n))} <CountedTag />
      </span>
    );
  }
  return (
    <span className="count-rows" data-testid="count-rows">
      <span className="muted">
        not in the log: {formatCount(numFiles - filesWithStats)} of {formatCount(numFiles)} files have no <code>numRecords</code> stats.
      </span>{' '}
      {state.kind === 'counting' ? (
        <ProgressLine label="Counting rows" progress={state.progress} onCancel={cancel} />
      ) : logOnly ? null : (
        <button type="button" className="small-button" data-testid="count-rows-button" onClick={() => void run()}>
          Count rows
        </button>
      )}
      {state.kind === 'error' && (
        <span className="error-text small" role="alert" data-testid="count-rows-error">
          {state.error.code === 'CANCELLED' ? 'Cancelled.' : `Could not count: ${state.error.message}`}
        </span>
      )}
    </span>
  );
}
