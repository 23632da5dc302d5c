/**
 * A virtualized, read-only grid of query results: TanStack Table for the column model, TanStack
 * Virtual to render only the rows in view. Every value is rendered as React text (never as HTML).
 * The default export lets the panel load it lazily (with TanStack) on the first result.
 */
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import type { ResultColumn } from '../../workers/api.ts';
import type { TextRows } from './decode.ts';

type Row = (string | null)[];

const ROW_HEIGHT = 28;
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;

/** Column width from the header and the longest of the first values, within bounds (px). */
function widthOf(col: ResultColumn, k: number, rows: TextRows): number {
  let chars = Math.max(col.name.length, Math.min(col.type.length, 14));
  for (let r = 0; r < Math.min(rows.length, 200); r++) chars = Math.max(chars, rows[r][k]?.length ?? 4);
  return Math.max(72, Math.min(360, chars * 8 + 24));
}

export default function ResultGrid({ columns, rows, height = 420 }: { columns: ResultColumn[]; rows: TextRows; height?: number }) {
  const defs = useMemo<ColumnDef<Row, string | null>[]>(
    () =>
      columns.map((c, k) => ({
        id: String(k),
        header: c.name,
        accessorFn: (row) => row[k],
        size: widthOf(c, k, rows),
        meta: { type: c.type, numeric: NUMERIC.test(c.type) },
      })),
    [columns, rows],
  );
  const table = useReactTable({ data: rows, columns: defs, getCoreRowModel: getCoreRowModel() });
  const scrollRef = useRef<HTMLDivElement>(null);
  const modelRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: modelRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const totalWidth = table.getTotalSize();

  return (
    <div className="result-grid" ref={scrollRef} style={{ maxHeight: height }} data-testid="sql-grid" data-rows={rows.length} role="grid" aria-rowcount={rows.length + 1} aria-colcount={columns.length}>
      <div className="rg-head" role="row" style={{ width: totalWidth }}>
        {table.getHeaderGroups()[0].headers.map((h) => {
          const meta = h.column.columnDef.meta as { type: string; numeric: boolean };
          return (
            <div key={h.id} role="columnheader" className={`rg-cell rg-th${meta.numeric ? ' num' : ''}`} style={{ width: h.getSize() }} title={`${String(h.column.columnDef.header)} ${meta.type}`} data-testid="sql-header">
              <span className="rg-name">{flexRender(h.column.columnDef.header, h.getContext())}</span>
              <span className="rg-type">{meta.type}</span>
            </div>
          );
        })}
      </div>
      <div className="rg-body" style={{ height: virtualizer.getTotalSize(), width: totalWidth }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = modelRows[v.index];
          return (
            <div key={row.id} role="row" className="rg-row" data-testid="sql-row" data-index={v.index} style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, width: totalWidth }}>
              {row.getVisibleCells().map((cell) => {
                const value = cell.getValue() as string | null;
                const meta = cell.column.columnDef.meta as { numeric: boolean };
                return (
                  <div key={cell.id} role="gridcell" className={`rg-cell${meta.numeric ? ' num' : ''}`} style={{ width: cell.column.getSize() }} title={value ?? 'NULL'} data-testid="sql-cell">
                    {value === null ? <span className="null">NULL</span> : value}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
      {rows.length === 0 && <div className="rg-empty muted">No rows.</div>}
    </div>
  );
}
