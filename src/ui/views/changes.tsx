/**
 * The Changes view: the Change Data Feed between two retained versions (`from`, `to` in the URL;
 * by default the last few versions up to the selected one). Shows the rows per change type per
 * version as a stacked bar chart and a table of counts, and the feed's rows (the table's columns,
 * `_change_type`, `_commit_version`, `_commit_timestamp`) in the virtualized result grid: all of
 * them are held in the worker, so the grid scrolls, sorts and filters the whole feed.
 *
 * The worker computes everything (`client.changes`, which starts the SQL engine on first use);
 * Recharts, apache-arrow and the grid load lazily with the first result. A range where the feed was
 * off shows `CDF_NOT_ENABLED` in place, with its hint and the versions involved.
 */
import { lazy, Suspense, useEffect, useMemo } from 'react';
import type { ChangesResult, ErrorInfo, HistoryRow } from '../../workers/api.ts';
import { ProgressLine } from '../components/progress-line.tsx';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import type { TextRows } from '../data/decode.ts';
import { describeError } from '../errors.ts';
import { formatCount, formatDuration, formatTimestamp, plural } from '../../explore/format.ts';
import './changes-compare.css';
import { OpenInMenu } from '../components/open-in-menu.tsx';
import type { ViewProps } from './view-props.ts';

const ResultGrid = lazy(() => import('../data/result-grid.tsx'));
const ChangesChart = lazy(() => import('./changes-chart.tsx'));

/** Versions in the default range (ending at the selected version). */
const DEFAULT_SPAN = 5;
/** Rows sent to the grid (the status line gives the full count). */
const GRID_ROWS = 1_000;
/** Most versions offered in the selects when the history is not known. */
const MAX_FALLBACK_VERSIONS = 1_000;

const TYPES = ['insert', 'update_preimage', 'update_postimage', 'delete'] as const;

/** Retained versions, oldest first: from the history when loaded, else the last versions up to the latest. */
export function retainedVersions(history: HistoryRow[] | null, latestVersion: number): number[] {
  if (history?.length) return [...new Set(history.map((h) => h.version))].filter((v) => v <= latestVersion).sort((a, b) => a - b);
  const out: number[] = [];
  for (let v = Math.max(0, latestVersion - MAX_FALLBACK_VERSIONS + 1); v <= latestVersion; v++) out.push(v);
  return out;
}

/** The range shown: the URL's `from`/`to` when they are whole numbers, else the default one. */
export function changeRange(versions: number[], selected: number, fromParam: string | null, toParam: string | null): { from: number; to: number } {
  const num = (s: string | null) => (s !== null && /^\d+$/.test(s) ? Number(s) : undefined);
  const upTo = versions.filter((v) => v <= selected);
  const defaultTo = upTo.length ? upTo[upTo.length - 1] : selected;
  const defaultFrom = upTo.length ? upTo[Math.max(0, upTo.length - DEFAULT_SPAN)] : selected;
  const to = num(toParam) ?? Math.max(defaultTo, num(fromParam) ?? 0);
  const from = num(fromParam) ?? Math.min(defaultFrom, to);
  return { from: Math.min(from, to), to };
}

interface Shown {
  meta: Omit<ChangesResult, 'ipc'>;
  rows: TextRows;
}

export function ChangesView({ client, table, summary, history, param, setParam }: ViewProps) {
  const versions = useMemo(() => retainedVersions(history, summary.latestVersion), [history, summary.latestVersion]);
  const { from, to } = changeRange(versions, summary.version, param('from'), param('to'));
  const { value: shown, error, progress, busy } = useWorkerLoad<Shown>(async (signal, onProgress) => {
    const r = await client.changes(table.tableId, { from, to }, { maxRows: GRID_ROWS, hold: true }, { signal, onProgress });
    const { decodeRows } = await import('../data/decode.ts');
    const rows = decodeRows(r.ipc);
    const { ipc: _bytes, ...meta } = r;
    return { meta, rows };
  }, [client, table.tableId, from, to]);

  // The feed's rows are held in the worker for the grid; free them when another range replaces them.
  const heldId = shown?.meta.resultId;
  useEffect(() => () => void (heldId && client.releaseResult(heldId).catch(() => undefined)), [client, heldId]);

  // Versions offered: the retained ones, plus the range itself (a URL may name one outside them).
  const options = useMemo(() => [...new Set([...versions, from, to])].sort((a, b) => a - b), [versions, from, to]);
  const pick = (which: 'from' | 'to', v: number) => {
    if (which === 'from') {
      setParam('from', String(v));
      setParam('to', String(Math.max(v, to)));
    } else {
      setParam('to', String(v));
      setParam('from', String(Math.min(v, from)));
    }
  };

  const m = shown?.meta;
  return (
    <section className="panel changes-view" data-testid="view-changes">
      <h2>Changes</h2>
      <p className="muted small">
        Change Data Feed between two versions, inclusive: inserted, deleted and updated rows as Spark's <code>table_changes</code> returns them.
      </p>
      <OpenInMenu table={table} query={{ kind: 'changes', startVersion: from, endVersion: to }} />
      <div className="cc-range">
        <label>
          From version{' '}
          <select data-testid="changes-from" value={from} onChange={(e) => pick('from', Number(e.target.value))}>
            {options.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label>
          to{' '}
          <select data-testid="changes-to" value={to} onChange={(e) => pick('to', Number(e.target.value))}>
            {options.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">
          {plural(to - from + 1, 'version')} · selected version {summary.version}
        </span>
      </div>

      {busy && <ProgressLine label="Reading the change feed" progress={progress} onCancel={() => busy.abort()} />}

      {error && <ChangesError error={error} from={from} to={to} cdfSet={summary.metadata.configuration['delta.enableChangeDataFeed'] === 'true'} />}

      {shown && m && !error && (
        <>
          <p className="small cc-status" data-testid="changes-status" data-rows={m.numRows} data-from={m.startVersion} data-to={m.endVersion}>
            <strong>{plural(m.numRows, 'change row')}</strong>
            {m.truncated && !m.resultId ? ` (first ${formatCount(shown.rows.length)} shown)` : ''} in versions {m.startVersion}–{m.endVersion} · read{' '}
            {plural(m.plans.filesRead, 'file')} · {formatDuration(m.durationMs)}
            {m.engineStartMs !== undefined ? ` · SQL engine started in ${formatDuration(m.engineStartMs)}` : ''}
          </p>
          {m.numRows > 0 && (
            <Suspense fallback={<p className="muted small">Loading the chart…</p>}>
              <ChangesChart summary={m.summary} />
            </Suspense>
          )}
          <CountsTable summary={m.summary} />
          <h3>Rows</h3>
          <div data-testid="changes-grid">
            <Suspense fallback={<p className="muted small">Loading the grid…</p>}>
              <ResultGrid client={client} result={{ resultId: m.resultId, columns: m.columns, numRows: m.resultId ? m.numRows : shown.rows.length, firstRows: shown.rows }} height={380} />
            </Suspense>
          </div>
        </>
      )}
    </section>
  );
}

/** Rows per change type per version, with totals; every version of the range is listed. */
function CountsTable({ summary }: { summary: ChangesResult['summary'] }) {
  const totals = Object.fromEntries(TYPES.map((t) => [t, summary.reduce((n, s) => n + s.rows[t], 0)])) as Record<(typeof TYPES)[number], number>;
  const other = summary.reduce((n, s) => n + Object.values(s.otherRows).reduce((a, b) => a + b, 0), 0);
  return (
    <div className="cc-scroll">
      <table className="cc-table" data-testid="changes-counts">
        <thead>
          <tr>
            <th>Version</th>
            <th>Time</th>
            <th>Operation</th>
            {TYPES.map((t) => (
              <th key={t} className="num">
                {t}
              </th>
            ))}
            {other > 0 && <th className="num">other</th>}
            <th className="num">total</th>
          </tr>
        </thead>
        <tbody>
          {summary.map((s) => (
            <tr key={s.version} data-testid="changes-version" data-version={s.version}>
              <td>{s.version}</td>
              <td className="nowrap">{formatTimestamp(s.timestampMs)}</td>
              <td className="cc-op" title={s.operation ?? ''}>
                {s.operation ?? '—'}
              </td>
              {TYPES.map((t) => (
                <td key={t} className="num" data-testid={`changes-count-${s.version}-${t}`} data-value={s.rows[t]}>
                  {formatCount(s.rows[t])}
                </td>
              ))}
              {other > 0 && (
                <td className="num" title={Object.entries(s.otherRows).map(([k, n]) => `${k}: ${n}`).join(', ')}>
                  {formatCount(Object.values(s.otherRows).reduce((a, b) => a + b, 0))}
                </td>
              )}
              <td className="num">{formatCount(s.totalRows)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={3}>Total</th>
            {TYPES.map((t) => (
              <td key={t} className="num" data-testid={`changes-total-${t}`} data-value={totals[t]}>
                {formatCount(totals[t])}
              </td>
            ))}
            {other > 0 && <td className="num">{formatCount(other)}</td>}
            <td className="num">{formatCount(summary.reduce((n, s) => n + s.totalRows, 0))}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/**
 * A failed feed read in place; `CDF_NOT_ENABLED` names the versions without the feed. A feed that
 * is simply absent is an expected state, not a failure: it is shown neutrally, with what to do
 * instead (Compare, SQL over two versions) and how to turn the feed on.
 */
function ChangesError({ error, from, to, cdfSet }: { error: ErrorInfo; from: number; to: number; cdfSet: boolean }) {
  const { title, next } = describeError(error);
  const absent = error.code === 'CDF_NOT_ENABLED';
  return (
    <div className={absent ? 'cc-empty' : 'cc-error'} role={absent ? 'status' : 'alert'} data-testid="changes-error" data-code={error.code}>
      {absent && (
        <p data-testid="changes-empty">
          <strong>{cdfSet ? 'No Change Data Feed for part of this range.' : 'This table does not record a Change Data Feed.'}</strong>{' '}
          {cdfSet
            ? 'The feed was enabled later than the start of the range: pick versions after it was turned on.'
            : 'To see what changed between two versions, use the Compare tab (files, records, schema), or SQL such as '}
          {!cdfSet && (
            <code>
              SELECT * FROM "t@v{to}" EXCEPT SELECT * FROM "t@v{Math.max(0, to - 1)}"
            </code>
          )}
          {!cdfSet && '. Writers record the feed from the moment delta.enableChangeDataFeed = true is set on the table.'}
        </p>
      )}
      <p>
        <strong>{title}</strong> <code data-testid="changes-error-code">{error.code}</code>
      </p>
      <p className="cc-error-message" data-testid="changes-error-message">
        {error.message}
      </p>
      <p className="muted small" data-testid="changes-error-versions">
        Range: versions {from}–{to}
        {error.version !== undefined ? ` · ${error.code === 'CDF_NOT_ENABLED' ? 'first version without the feed' : 'version'}: ${error.version}` : ''}
        {error.path !== undefined ? ` · file ${error.path}` : ''}
      </p>
      <p className="hint small" data-testid="changes-error-hint">
        {next}
      </p>
    </div>
  );
}
