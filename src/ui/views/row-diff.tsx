/**
 * Row-level diff panel (issue #13 item 4): pick key columns (or none: whole rows), run the diff in
 * the worker (`client.rowDiff`, DuckDB over both snapshots, see `src/query/row-diff.ts`), and see
 * counts per change kind, what was verified (rows against the log, counts against the Change Data
 * Feed), and the differing rows in the result grid (the whole diff is held in the worker, so the
 * grid sorts, filters and scrolls all of it). Used by the Compare tab (two versions of a table) and
 * by the lakeFS ref comparison (one table on two refs). Nothing runs until the user asks: the diff
 * reads every data file of both snapshots.
 */
import type { SchemaView } from '../../explore/schema-tree.ts';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../workers/api.ts';
import type { RowDiffResult } from '../../workers/row-diff-call.ts';
import type { TextRows } from '../data/decode.ts';
import { formatCount, formatDuration, plural } from '../../explore/format.ts';
import { errorInfoOf, type ExplorerClient } from '../worker-client.ts';
import { InlineError } from '../components/error-panel.tsx';

const ResultGrid = lazy(() => import('../data/result-grid.tsx'));

export interface RowDiffPanelProps {
  client: ExplorerClient;
  a: { tableId: string; version?: number };
  b: { tableId: string; version?: number };
  /** Names for A and B in the text ("version 3", "main"). */
  labelA: string;
  labelB: string;
  /** Columns to offer as the key (top-level columns of B), or null when unknown (then a text box). */
  columns: string[] | null;
}

interface Shown {
  r: Omit<RowDiffResult, 'ipc'>;
  rows: TextRows;
}

/** Top-level column names of a snapshot's schema (from the worker's `summary.schema`), or null when it cannot be parsed. */
export function schemaColumns(schema: SchemaView): string[] | null {
  return schema.numColumns === null ? null : schema.rows.filter((r) => r.depth === 0).map((r) => r.name);
}

/** A column that looks like an id (offered as the default key). */
function likelyKey(columns: string[] | null): string[] {
  const c = columns?.find((n) => /^(id|key|pk|.*_id)$/i.test(n));
  return c ? [c] : [];
}

export function RowDiffPanel({ client, a, b, labelA, labelB, columns }: RowDiffPanelProps) {
  const [key, setKey] = useState<string[]>(() => likelyKey(columns));
  const [keyText, setKeyText] = useState(() => likelyKey(columns).join(', '));
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [busy, setBusy] = useState<AbortController | null>(null);
  const held = useRef<string | undefined>(undefined);
  const sides = JSON.stringify([a, b]);

  const release = () => {
    if (held.current) void client.releaseResult(held.current).catch(() => undefined);
    held.current = undefined;
  };
  // A new pair of sides: the old diff no longer applies.
  useEffect(() => {
    busy?.abort();
    setBusy(null);
    setShown(null);
    setError(null);
    release();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sides]);
  useEffect(() => () => release(), []); // eslint-disable-line react-hooks/exhaustive-deps

  const keyCols = columns ? key : keyText.split(',').map((s) => s.trim()).filter(Boolean);

  const run = async () => {
    busy?.abort();
    const c = new AbortController();
    setBusy(c);
    setError(null);
    setShown(null);
    release();
    try {
      const r = await client.rowDiff({ a, b, key: keyCols, hold: true }, { signal: c.signal });
      held.current = r.resultId;
      const { decodeRows } = await import('../data/decode.ts');
      const rows = decodeRows(r.ipc);
      const { ipc: _ipc, ...rest } = r;
      void _ipc;
      if (!c.signal.aborted) setShown({ r: rest, rows });
    } catch (e) {
      if (!c.signal.aborted) setError(errorInfoOf(e));
    } finally {
      setBusy((x) => (x === c ? null : x));
    }
  };

  const r = shown?.r;
  return (
    <div className="row-diff" data-testid="rowdiff">
      <fieldset className="rowdiff-key">
        <legend>Key columns</legend>
        {columns ? (
          <div className="rowdiff-columns">
            {columns.map((c) => (
              <label key={c} className="small">
                <input
                  type="checkbox"
                  checked={key.includes(c)}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    setKey((k) => (on ? [...k, c] : k.filter((x) => x !== c)));
                  }}
                  data-testid="rowdiff-key"
                  data-column={c}
                />{' '}
                <span className="cc-value">{c}</span>
              </label>
            ))}
          </div>
        ) : (
          <label className="small">
            Key columns (comma-separated){' '}
            <input type="text" value={keyText} onChange={(e) => setKeyText(e.currentTarget.value)} data-testid="rowdiff-key-text" />
          </label>
        )}
        <p className="muted small">
          {keyCols.length
            ? `Rows are matched by (${keyCols.join(', ')}): a key only in ${labelB} is added, only in ${labelA} removed, in both with other values changed.`
            : 'No key: whole rows are compared as multisets (an updated row shows as one removed and one added row).'}
        </p>
      </fieldset>
      <div className="sql-actions">
        <button type="button" className="primary" data-testid="rowdiff-run" onClick={() => void run()} disabled={!!busy}>
          Compare rows
        </button>
        <span className="muted small">Reads every data file of both sides in the SQL engine.</span>
        {busy && (
          <>
            <span className="muted small" role="status">
              Comparing rows…
            </span>
            <button type="button" onClick={() => busy.abort()} data-testid="rowdiff-cancel">
              Cancel
            </button>
          </>
        )}
      </div>
      {error && <InlineError error={error} testId="rowdiff-error" />}
      {r && shown && (
        <div data-testid="rowdiff-result" data-a={r.versionA} data-b={r.versionB} data-key={r.key?.join(',') ?? ''}>
          <div className="compare-cards">
            <Count kind="added" n={r.counts.added} text={`rows only in ${labelB}`} />
            <Count kind="removed" n={r.counts.removed} text={`rows only in ${labelA}`} />
            <Count kind="changed" n={r.counts.changed} text={r.key ? 'keys with other values (two rows each below)' : 'needs a key'} />
            <Count kind="unchanged" n={r.counts.unchanged} text={`${formatCount(r.counts.rowsA)} → ${formatCount(r.counts.rowsB)} rows`} />
          </div>
          {(r.onlyInA.length > 0 || r.onlyInB.length > 0) && (
            <p className="small notice" data-testid="rowdiff-columns-note">
              Compared on the columns both sides have.{r.onlyInA.length ? ` Only in ${labelA}: ${r.onlyInA.join(', ')}.` : ''}
              {r.onlyInB.length ? ` Only in ${labelB}: ${r.onlyInB.join(', ')}.` : ''}
            </p>
          )}
          <ul className="rowdiff-checks small" data-testid="rowdiff-checks" aria-label="What was checked">
            {r.checks.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ul>
          <p className="muted small" data-testid="rowdiff-status" data-rows={r.numRows}>
            {plural(r.numRows, 'row')} differ · {formatDuration(r.durationMs)} · columns <code>_diff</code>, <code>_side</code> (A or B: whose values) and <code>_changed_columns</code> come first
          </p>
          {r.numRows > 0 && (
            <Suspense fallback={<p className="muted small">Loading the grid…</p>}>
              <ResultGrid client={client} result={{ resultId: r.resultId, columns: r.columns, numRows: r.numRows, firstRows: shown.rows }} height={380} testId="rowdiff-grid" />
            </Suspense>
          )}
        </div>
      )}
    </div>
  );
}

function Count({ kind, n, text }: { kind: string; n: number; text: string }) {
  return (
    <div className={`compare-card ${kind === 'changed' ? '' : kind}`} data-testid={`rowdiff-${kind}`} data-value={n}>
      <div className="muted small">{kind[0].toUpperCase() + kind.slice(1)}</div>
      <div className="big">{formatCount(n)}</div>
      <div className="muted small">{text}</div>
    </div>
  );
}

