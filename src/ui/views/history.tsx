/**
 * The table's history, in the spirit of `DESCRIBE HISTORY`. A chart shows rows and bytes
 * added/removed per version (clicking a version travels there). Below it, by default, every
 * commit in the result grid over the worker-held history (`history-grid.tsx`: pages from the
 * worker, sorts, filters, pins, profiles, copies; each row's actions open at that version, compare,
 * show its Change Data Feed, copy, and show the commit's actions and raw JSON). One switch away
 * (`?layout=list`), the commit list: version, times, user, operation, parameters, cluster, read
 * version, isolation level, blind append and engine in one table (TanStack Table) with one filter
 * box across operation, user, engine and parameters, the writer's time marked where it differs from
 * the commit time, the version shown highlighted, and a row opening into its commit inline. It
 * stays because the grid filters per column only and does not mark those two.
 */
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type FilterFn,
  type SortingState,
} from '@tanstack/react-table';
import { Component, Fragment, lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import type { HistoryRow } from '../../workers/api.ts';
import { CommitDetail } from './commit-detail.tsx';
import './history.css';
import { formatBytes, formatCount, formatRelative, formatTimestamp, plural } from '../../explore/format.ts';
import { fileTimesReset, RESET_THRESHOLD_MS, writerTimestamp } from './history-times.ts';

/** A span of ms in the largest whole unit: `3 days`, `14 hours`. */
function formatRelativeSpan(ms: number): string {
  return formatRelative(0, ms).replace(/ ago$/, '');
}
import type { ViewProps } from './view-props.ts';

const HistoryChart = lazy(() => import('./history-chart.tsx'));
const HistoryGrid = lazy(() => import('./history-grid.tsx').then((m) => ({ default: m.HistoryGrid })));

/** Rows shown before "show all" (the full list can hold thousands of commits). */
const FIRST_ROWS = 200;

const column = createColumnHelper<HistoryRow>();

/** Matches the filter text against operation, user, engine and parameters (case-insensitive). */
const textFilter: FilterFn<HistoryRow> = (row, _id, value: string) => {
  const q = value.trim().toLowerCase();
  if (!q) return true;
  const r = row.original;
  const hay = [r.operation, r.userName, r.userId, r.engineInfo, r.operationParameters ? JSON.stringify(r.operationParameters) : null, String(r.version)]
    .filter(Boolean)
    .join('\u0000')
    .toLowerCase();
  return hay.includes(q);
};

const shortJson = (o: Record<string, unknown> | null) => {
  if (!o || !Object.keys(o).length) return '';
  const text = Object.entries(o)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

/** How History lists commits: the result grid (default) or the commit list (`?layout=list`). */
export type HistoryLayout = 'grid' | 'list';

type HistoryViewProps = Pick<ViewProps, 'client' | 'table' | 'summary' | 'onTravel' | 'onNavigate'> & {
  rows: HistoryRow[];
  /** The version opened (`?commit=`), and setting it. */
  openVersion: number | null;
  onOpen: (version: number | null) => void;
  /** The layout shown (`?layout=`), and setting it. */
  layout: HistoryLayout;
  onLayout: (layout: HistoryLayout) => void;
};

export function HistoryView({ client, table, summary, rows, onTravel, onNavigate, openVersion, onOpen, layout, onLayout }: HistoryViewProps) {
  const reset = useMemo(() => fileTimesReset(rows), [rows]);
  return (
    <section className="panel history" data-testid="history" data-layout={layout}>
      <h2>
        History <span className="muted small">({plural(rows.length, 'commit')})</span>
      </h2>
      <ChartBoundary>
        <Suspense fallback={<p className="muted small">Loading chart…</p>}>
          <HistoryChart rows={rows} current={summary.version} onTravel={onTravel} />
        </Suspense>
      </ChartBoundary>
      {reset && (
        <div className="notice warn" role="note" data-testid="history-times-reset">
          <strong>The commit files' times look reset</strong> (a copied or restored table?): for {plural(reset.commits, 'commit')} of {formatCount(reset.compared)},
          the file time differs from the writer's <code>commitInfo.timestamp</code> by more than an hour (up to {formatRelativeSpan(reset.maxDifferenceMs)}). The
          protocol times commits by their files here (no in-commit timestamps), so time travel by time follows the files' clock; the writers' times are in the
          {layout === 'grid' ? <> <code>commitInfo.timestamp</code> column</> : ' column beside'}.
        </div>
      )}
      <div className="history-tools">
        <div className="segmented" role="group" aria-label="History layout">
          <button type="button" aria-pressed={layout === 'grid'} onClick={() => onLayout('grid')} data-testid="history-as-grid" title="Every commit in the result grid, with row actions: sort, filter, resize, pin, profile and copy">
            Grid
          </button>
          <button type="button" aria-pressed={layout === 'list'} onClick={() => onLayout('list')} data-testid="history-as-list" title="The commit list: one filter box across fields, the writer's time marked where it differs, commits opened inline">
            List
          </button>
        </div>
        <span className="muted small" data-testid="history-count" data-value={rows.length}>
          {plural(rows.length, 'commit')}
        </span>
      </div>
      {layout === 'grid' ? (
        <Suspense fallback={<p className="muted small">Loading the grid…</p>}>
          <HistoryGrid client={client} tableId={table.tableId} summary={summary} rows={rows} openVersion={openVersion} onOpen={onOpen} onTravel={onTravel} onNavigate={onNavigate} />
        </Suspense>
      ) : (
        <HistoryList client={client} table={table} summary={summary} rows={rows} onTravel={onTravel} opened={openVersion} setOpened={onOpen} />
      )}
    </section>
  );
}

/** The commit list (`?layout=list`): every commit in one TanStack table, opened inline. */
function HistoryList({
  client,
  table,
  summary,
  rows,
  onTravel,
  opened,
  setOpened,
}: Pick<ViewProps, 'client' | 'table' | 'summary' | 'onTravel'> & { rows: HistoryRow[]; opened: number | null; setOpened: (v: number | null) => void }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: 'version', desc: true }]);
  const [filter, setFilter] = useState('');
  const [showAll, setShowAll] = useState(false);
  const now = Date.now();

  const columns = useMemo(
    () => [
      column.accessor('version', {
        header: 'Version',
        meta: { num: true },
        cell: (c) => (
          <button
            type="button"
            className="link version-link"
            data-testid="history-travel"
            title={`Travel to version ${c.getValue()}`}
            onClick={(e) => {
              e.stopPropagation();
              onTravel(c.getValue());
            }}
          >
            {c.getValue()}
          </button>
        ),
      }),
      column.accessor('timestampMs', {
        header: 'Commit time (UTC)',
        cell: (c) => (
          <span title={`${formatTimestamp(c.getValue())} (${c.row.original.timestampSource === 'inCommitTimestamp' ? 'in-commit timestamp' : 'commit file modification time'})`}>
            {formatTimestamp(c.getValue())}
            <span className="muted small"> · {formatRelative(c.getValue(), now)}</span>
          </span>
        ),
      }),
      column.accessor((r) => writerTimestamp(r) ?? -1, {
        id: 'writerTime',
        header: 'commitInfo.timestamp',
        cell: (c) => {
          const w = c.getValue();
          if (w < 0) return <span className="muted">—</span>;
          const far = Math.abs(w - c.row.original.timestampMs) > RESET_THRESHOLD_MS;
          return (
            <span className={far ? 'time-differs' : 'muted'} title={far ? 'Differs from the commit time by more than an hour' : "The writer's clock"} data-testid="history-writer-time">
              {formatTimestamp(w)}
            </span>
          );
        },
      }),
      column.accessor((r) => r.userName ?? r.userId ?? '', { id: 'user', header: 'User', cell: (c) => c.getValue() || <span className="muted">—</span> }),
      column.accessor((r) => r.operation ?? '', {
        id: 'operation',
        header: 'Operation',
        cell: (c) => <span data-testid="history-operation">{c.getValue() || <span className="muted">—</span>}</span>,
      }),
      column.accessor((r) => shortJson(r.operationParameters), { id: 'parameters', header: 'Parameters', enableSorting: false, cell: (c) => <span className="muted small">{c.getValue()}</span> }),
      column.accessor((r) => r.actionCounts.add, { id: 'filesAdded', header: 'Files +', meta: { num: true } }),
      column.accessor((r) => r.actionCounts.remove, { id: 'filesRemoved', header: 'Files −', meta: { num: true } }),
      column.accessor('bytesAdded', { header: 'Bytes +', meta: { num: true }, cell: (c) => formatBytes(c.getValue()) }),
      column.accessor((r) => r.readVersion ?? -1, { id: 'readVersion', header: 'Read version', meta: { num: true }, cell: (c) => (c.getValue() < 0 ? '' : c.getValue()) }),
      column.accessor((r) => r.isolationLevel ?? '', { id: 'isolation', header: 'Isolation', cell: (c) => <span className="small">{c.getValue()}</span> }),
      column.accessor((r) => (r.isBlindAppend === null ? '' : r.isBlindAppend ? 'yes' : 'no'), { id: 'blindAppend', header: 'Blind append' }),
      column.accessor((r) => r.clusterId ?? '', { id: 'cluster', header: 'Cluster', cell: (c) => <span className="small">{c.getValue()}</span> }),
      column.accessor((r) => r.engineInfo ?? '', { id: 'engine', header: 'Engine', cell: (c) => <span className="muted small">{c.getValue()}</span> }),
    ],
    [onTravel, now],
  );

  const tableModel = useReactTable({
    data: rows,
    columns,
    state: { sorting, globalFilter: filter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setFilter,
    globalFilterFn: textFilter,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getRowId: (r) => String(r.version),
  });
  const all = tableModel.getRowModel().rows;
  const shown = showAll ? all : all.slice(0, FIRST_ROWS);
  const numCols = tableModel.getVisibleLeafColumns().length;

  return (
    <>
      <div className="history-tools">
        <input
          type="search"
          placeholder="Filter by operation, user, engine, parameters…"
          aria-label="Filter history"
          data-testid="history-filter"
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
        />
        <span className="muted small" data-testid="history-list-count" data-value={all.length}>
          {all.length === rows.length ? plural(rows.length, 'commit') : `${formatCount(all.length)} of ${plural(rows.length, 'commit')} match`}
        </span>
      </div>
      <div className="table-scroll">
        <table className="grid history-grid">
          <thead>
            {tableModel.getHeaderGroups().map((g) => (
              <tr key={g.id}>
                {g.headers.map((h) => {
                  const num = (h.column.columnDef.meta as { num?: boolean } | undefined)?.num;
                  const sorted = h.column.getIsSorted();
                  return (
                    <th key={h.id} className={num ? 'num' : undefined} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}>
                      {h.column.getCanSort() ? (
                        <button type="button" className="sort-button" data-testid={`history-sort-${h.column.id}`} onClick={h.column.getToggleSortingHandler()}>
                          {flexRender(h.column.columnDef.header, h.getContext())}
                          <span className="sort-mark" aria-hidden="true">
                            {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                          </span>
                        </button>
                      ) : (
                        flexRender(h.column.columnDef.header, h.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {shown.map((row) => {
              const v = row.original.version;
              const isOpen = opened === v;
              return (
                <Fragment key={row.id}>
                  <tr
                    data-testid="history-row"
                    data-version={v}
                    className={`clickable${v === summary.version ? ' current' : ''}${isOpen ? ' open' : ''}`}
                    data-open={isOpen}
                    onClick={() => setOpened(isOpen ? null : v)}
                  >
                    {row.getVisibleCells().map((c) => {
                      const num = (c.column.columnDef.meta as { num?: boolean } | undefined)?.num;
                      return (
                        <td key={c.id} className={num ? 'num' : undefined}>
                          {flexRender(c.column.columnDef.cell, c.getContext())}
                        </td>
                      );
                    })}
                  </tr>
                  {isOpen && (
                    <tr className="detail-row">
                      <td colSpan={numCols}>
                        <CommitDetail client={client} tableId={table.tableId} row={row.original} onTravel={onTravel} current={summary.version} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {all.length === 0 && <p className="muted">No commit matches “{filter}”.</p>}
      {!showAll && all.length > FIRST_ROWS && (
        <button type="button" className="link" onClick={() => setShowAll(true)}>
          Show all {formatCount(all.length)} commits
        </button>
      )}
    </>
  );
}

/** Keeps a chart failure (e.g. its code failing to load) in place: the table below stays usable. */
class ChartBoundary extends Component<{ children: ReactNode }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  override render() {
    if (this.state.error) {
      return (
        <p className="notice warn small" data-testid="history-chart-error">
          The chart could not be shown: {this.state.error}. Reload the page to try again.
        </p>
      );
    }
    return this.props.children;
  }
}
