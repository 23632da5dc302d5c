/**
 * The Partitions view: files, records, deleted rows and bytes per partition of the selected
 * version (aggregated in the worker in one pass over the active files), sortable, with a bar chart
 * of the largest partitions by bytes. Partition values are typed and formatted by the worker;
 * a null value shows as a styled `null`.
 */
import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import { flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import type { PartitionSummary } from '../../workers/api.ts';
import type { PartitionRow } from '../../explore/aggregates.ts';
import { formatBytes, formatCount, formatTimestamp, plural } from '../../explore/format.ts';
import { ErrorPanel } from '../components/error-panel.tsx';
import { CountedTag, useCountQuery, type CountState } from '../components/count-rows.tsx';
import { ProgressLine } from '../components/progress-line.tsx';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import type { ViewProps } from './view-props.ts';
import './views.css';

const PartitionBytesChart = lazy(() => import('./bar-charts.tsx').then((m) => ({ default: m.PartitionBytesChart })));

/** Bars in the chart. */
const TOP_N = 20;
/** Rows rendered in the table (all are sortable; the rest are counted). */
const MAX_ROWS_SHOWN = 1000;

function ValueText({ v }: { v: string | null }) {
  return v === null ? <span className="null-value">null</span> : <span>{v}</span>;
}

/** A partition's identity for matching counted rows: its formatted values (null kept apart from "null"). */
const partitionKey = (values: (string | null)[]) => JSON.stringify(values);

/** `SELECT <partition columns as text>, count(*) FROM t GROUP BY ALL` (logical names, quoted). */
export function countByPartitionSql(columns: string[]): string {
  const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
  return `SELECT ${columns.map(q).join(', ')}, count(*) AS n FROM t GROUP BY ALL`;
}

/**
 * Counted rows by partition key from the count query's text rows (values first, count last). A
 * partition whose value text differs from the log's formatting (e.g. some timestamps) is not
 * matched: it stays without a count rather than getting another partition's.
 */
function countedByPartition(rows: (string | null)[][], k: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(partitionKey(r.slice(0, k)), Number(r[k]));
  return m;
}

/** The neutral note above the table when some partitions have no numRecords, with "Count rows". */
function PartitionCount({ state, unmatched, onCount, onCancel, logOnly }: { state: CountState; unmatched: number; onCount: () => void; onCancel: () => void; logOnly?: boolean }) {
  return (
    <div className="notice info" data-testid="partition-count-rows">
      {state.kind === 'done' ? (
        <p>
          Records of partitions whose files have no <code>numRecords</code> stats were counted from the data files of version {state.version} (deletion vectors applied), marked <CountedTag />.
          {unmatched > 0 && ` ${plural(unmatched, 'partition')} could not be matched to the counted values and show —.`}
        </p>
      ) : (
        <p>
          Some partitions' files have no <code>numRecords</code> stats, so the log does not say how many records they hold.{' '}
          {state.kind === 'counting' ? null : logOnly ? null : (
            <button type="button" className="small-button" data-testid="count-rows-button" onClick={onCount}>
              Count rows
            </button>
          )}
        </p>
      )}
      {state.kind === 'counting' && <ProgressLine label="Counting rows" progress={state.progress} onCancel={onCancel} />}
      {state.kind === 'error' && <ErrorPanel error={state.error} />}
    </div>
  );
}

const label = (values: (string | null)[]) => values.map((v) => (v === null ? 'null' : v)).join(' / ');

export function PartitionsView(props: ViewProps) {
  const { client, table, summary } = props;
  const load = useWorkerLoad(() => client.partitions(table.tableId, summary.version), [client, table.tableId, summary.version]);
  const data = load.value?.version === summary.version && !load.busy ? load.value : null;
  // "Count rows" for partitions whose files lack numRecords stats: one grouped count over the data.
  const needsCount = !!data && data.columns.length > 0 && data.rows.some((r) => r.numRecords === null);
  const countSql = needsCount ? countByPartitionSql(data.columns.map((c) => c.name)) : '';
  const count = useCountQuery(client, table.tableId, summary.version, countSql);
  const counted = useMemo(() => (count.state.kind === 'done' && data ? countedByPartition(count.state.rows, data.columns.length) : null), [count.state, data]);
  const recordsOf = (r: PartitionRow): { n: number | null; counted: boolean } => {
    if (r.numRecords !== null) return { n: r.numRecords, counted: false };
    const c = counted?.get(partitionKey(r.values));
    return c === undefined ? { n: null, counted: false } : { n: c, counted: true };
  };
  const recordsRef = useRef(recordsOf);
  recordsRef.current = recordsOf;

  const [sorting, setSorting] = useState<SortingState>([{ id: 'size', desc: true }]);

  const columns = useMemo((): ColumnDef<PartitionRow>[] => {
    if (!data) return [];
    const cols: ColumnDef<PartitionRow>[] = data.columns.map((c, k) => ({
      id: `p${k}`,
      header: () => (
        <span>
          {c.name} <span className="muted small">{c.type}</span>
        </span>
      ),
      accessorFn: (r) => r.values[k],
      cell: (info) => <ValueText v={info.getValue() as string | null} />,
      sortingFn: (a, b) => {
        const x = a.original.values[k];
        const y = b.original.values[k];
        if (x === y) return 0;
        if (x === null) return -1;
        if (y === null) return 1;
        const nx = Number(x);
        const ny = Number(y);
        if (c.type !== 'string' && !Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
        return x < y ? -1 : 1;
      },
    }));
    const num = (id: string, header: string, get: (r: PartitionRow) => number | null, fmt: (n: number) => string): ColumnDef<PartitionRow> => ({
      id,
      header,
      accessorFn: (r) => get(r) ?? -1,
      cell: (info) => {
        const v = get(info.row.original);
        return v === null ? <span className="muted">—</span> : fmt(v);
      },
      meta: { numeric: true },
    });
    cols.push(
      num('files', 'Files', (r) => r.numFiles, formatCount),
      {
        id: 'records',
        header: 'Records',
        accessorFn: (r) => recordsRef.current(r).n ?? -1,
        cell: (info) => {
          const { n, counted: c } = recordsRef.current(info.row.original);
          if (n === null) return <span className="muted">—</span>;
          return c ? (
            <span data-testid="partition-counted" data-value={n}>
              {formatCount(n)} <CountedTag />
            </span>
          ) : (
            formatCount(n)
          );
        },
        meta: { numeric: true },
      },
      num('deleted', 'Deleted rows', (r) => r.numDeletedRecords, formatCount),
      num('size', 'Size', (r) => r.sizeInBytes, formatBytes),
      {
        id: 'modified',
        header: 'Last modified',
        accessorFn: (r) => r.maxModificationTime ?? -1,
        cell: (info) => <span className="small">{formatTimestamp(info.row.original.maxModificationTime)}</span>,
      },
    );
    return cols;
  }, [data, counted]);

  const rows = useMemo(() => data?.rows ?? [], [data]);
  const reactTable = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });

  const chart = useMemo(
    () => (data ? data.rows.slice(0, TOP_N).map((r) => ({ name: label(r.values), bytes: r.sizeInBytes, files: r.numFiles })) : []),
    [data],
  );

  const head = (
    <header className="view-head">
      <h2>Partitions</h2>
      <span className="muted small">version {summary.version}</span>
    </header>
  );
  if (load.error) {
    return (
      <section className="panel" data-testid="view-partitions">
        {head}
        <ErrorPanel error={load.error} />
      </section>
    );
  }
  if (!data) {
    return (
      <section className="panel" data-testid="view-partitions">
        {head}
        <p className="muted">Computing partitions…</p>
      </section>
    );
  }
  if (!data.columns.length) {
    return (
      <section className="panel" data-testid="view-partitions" data-version={data.version}>
        {head}
        <p data-testid="unpartitioned">This table is not partitioned: its {plural(summary.totals.numFiles, 'file')} form one group.</p>
      </section>
    );
  }
  const sortedRows = reactTable.getRowModel().rows;
  const chartHeight = Math.max(120, chart.length * 22 + 40);
  return (
    <section className="panel" data-testid="view-partitions" data-version={data.version}>
      {head}
      <p className="small" data-testid="partition-count" data-value={data.numPartitions}>
        {plural(data.numPartitions, 'partition')} by {data.columns.map((c) => c.name).join(', ')}
        {data.truncated && <span className="muted"> · the {formatCount(data.rows.length)} largest are listed</span>}
      </p>
      {needsCount && (
        <PartitionCount state={count.state} unmatched={counted ? data.rows.filter((r) => r.numRecords === null && !counted.has(partitionKey(r.values))).length : 0} onCount={() => void count.run()} onCancel={count.cancel} logOnly={table.logOnly} />
      )}
      {data.warnings.map((w, i) => (
        <p key={i} className="notice warn">{w}</p>
      ))}
      <figure className="chart" data-testid="partition-chart">
        <figcaption className="muted small">Largest {Math.min(TOP_N, data.rows.length)} partitions by size</figcaption>
        <Suspense fallback={<div style={{ height: chartHeight }} />}>
          <PartitionBytesChart data={chart} height={chartHeight} />
        </Suspense>
      </figure>
      <div className="table-scroll tall">
        <table className="data-table" data-testid="partition-table">
          <thead>
            {reactTable.getHeaderGroups().map((hg) => (
              <tr key={hg.id}>
                {hg.headers.map((h) => {
                  const sorted = h.column.getIsSorted();
                  const numeric = (h.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  return (
                    <th key={h.id} className={numeric ? 'num' : ''} aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                      <button type="button" className="sort-button" onClick={h.column.getToggleSortingHandler()} data-column={h.column.id}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span className="sort-mark">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {sortedRows.slice(0, MAX_ROWS_SHOWN).map((r) => (
              <tr key={r.id} data-partition={label(r.original.values)} data-files={r.original.numFiles}>
                {r.getVisibleCells().map((c) => {
                  const numeric = (c.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  return (
                    <td key={c.id} className={numeric ? 'num' : ''}>
                      {flexRender(c.column.columnDef.cell, c.getContext())}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sortedRows.length > MAX_ROWS_SHOWN && <p className="muted small">{formatCount(MAX_ROWS_SHOWN)} of {formatCount(sortedRows.length)} rows shown.</p>}
    </section>
  );
}
