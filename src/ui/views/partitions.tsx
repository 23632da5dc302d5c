/**
 * The Partitions view: files, records, deleted rows and bytes per partition of the selected
 * version (aggregated in the worker in one pass over the active files), sortable, with a bar chart
 * of the largest partitions by bytes. Partition values are typed and formatted by the worker;
 * a null value shows as a styled `null`.
 */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import type { PartitionSummary } from '../../workers/api.ts';
import type { PartitionRow } from '../../workers/table-views.ts';
import { formatBytes, formatCount, formatTimestamp, plural } from '../format.ts';
import { errorInfoOf } from '../worker-client.ts';
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

const label = (values: (string | null)[]) => values.map((v) => (v === null ? 'null' : v)).join(' / ');

export function PartitionsView(props: ViewProps) {
  const { client, table, summary } = props;
  const [state, setState] = useState<{ version: number; data: PartitionSummary | null; error: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    client.partitions(table.tableId, summary.version).then(
      (data) => live && setState({ version: summary.version, data, error: null }),
      (e) => live && setState({ version: summary.version, data: null, error: errorInfoOf(e).message }),
    );
    return () => {
      live = false;
    };
  }, [client, table.tableId, summary.version]);

  const data = state?.version === summary.version ? state.data : null;
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
      num('records', 'Records', (r) => r.numRecords, formatCount),
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
  }, [data]);

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
  if (state?.error && state.version === summary.version) {
    return (
      <section className="panel" data-testid="view-partitions">
        {head}
        <div className="notice warn">The partitions cannot be computed: {state.error}</div>
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
