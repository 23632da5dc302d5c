/**
 * A virtualized grid over a WHOLE query result held in the worker (`SqlRequest.hold`): TanStack
 * Table for the column model (sizes, resizing, pinning), TanStack Virtual to render only the rows
 * in view, and pages of {@link PAGE_ROWS} rows fetched from the worker as they scroll into view.
 * Sorting (click a header; Shift+click adds a key) and filtering (one box per column, see
 * `ResultFilter` for the syntax) run in the worker over all rows; so do column profiles and column
 * copies. Every value is rendered as React text (never as HTML).
 *
 * Keyboard: the grid is one Tab stop; arrows (and PageUp/PageDown/Home/End) move the selected cell,
 * Ctrl/⌘+C copies it (or the selected row as tab-separated text after clicking its row number).
 * With `rowActions`, each row number carries a button that opens the row's actions (the History
 * tab's commit actions), and Enter (or Space) on the selected row does the same.
 * The default export lets the panel load it lazily (with TanStack) on the first result.
 */
import { getCoreRowModel, useReactTable, type ColumnDef, type ColumnPinningState, type ColumnSizingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ColumnProfile, ResultColumn, ResultFilter, ResultSort } from '../../workers/api.ts';
import { formatCount, formatPercent } from '../../explore/format.ts';
import type { ExplorerClient } from '../worker-client.ts';
import type { TextRows } from './decode.ts';

const ROW_HEIGHT = 26;
/** Rows per page fetched from the worker. */
export const PAGE_ROWS = 500;
/** Rows the scroll area can hold (browsers cap an element's height near 33.5 million px). */
const MAX_SCROLL_ROWS = Math.floor(33_000_000 / ROW_HEIGHT);
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;
const ROWNUM_WIDTH_PLAIN = 64;
/** The row-number column with a row-actions button. */
const ROWNUM_ACTIONS_WIDTH = 92;

/** What the grid shows: the result's columns and first rows, and its id in the worker. */
export interface GridResult {
  /** Id of the whole result held in the worker; without it only `firstRows` are shown. */
  resultId?: string;
  columns: ResultColumn[];
  /** Rows of the whole result. */
  numRows: number;
  /** The first rows, in the result's order (shown before any page is fetched). */
  firstRows: TextRows;
}

export interface ResultGridProps {
  client?: ExplorerClient;
  result: GridResult;
  height?: number;
  /** Test id of the grid (default `sql-grid`). */
  testId?: string;
  /** The grid's accessible name (default "Query result"). */
  label?: string;
  /** Actions on a row: a button by each row number, and Enter/Space on the selected row. */
  rowActions?: RowActions;
}

/** How a grid opens a row's actions (shown by the caller, outside the grid). */
export interface RowActions {
  /** The button's accessible name for a row, e.g. "Actions for version 3". */
  label: (row: (string | null)[]) => string;
  /** Opens the row's actions (`index`: the row's position in the current view). */
  open: (row: (string | null)[], index: number) => void;
  /** Whether a row's actions are open (marks the row). */
  isOpen?: (row: (string | null)[]) => boolean;
  /** Whether a row is the current one (e.g. the version shown): marked and `aria-current`. */
  isCurrent?: (row: (string | null)[]) => boolean;
}

/** Column width from the header and the longest of the first values, within bounds (px). */
function widthOf(col: ResultColumn, k: number, rows: TextRows): number {
  // The header holds the name (or type) and three small buttons (~64 px).
  const head = Math.max(col.name.length, Math.min(col.type.length, 14)) * 8 + 80;
  let chars = 4;
  for (let r = 0; r < Math.min(rows.length, 200); r++) chars = Math.max(chars, rows[r][k]?.length ?? 4);
  return Math.max(96, Math.min(360, Math.max(head, chars * 8 + 24)));
}

/** Writes text to the clipboard; false when the browser refuses. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** A tab-separated line (tabs and newlines in values become spaces; NULL is empty). */
function tsv(values: (string | null)[]): string {
  return values.map((v) => (v ?? '').replace(/[\t\n\r]/g, ' ')).join('\t');
}

type Meta = { type: string; numeric: boolean; index: number };

export default function ResultGrid({ client, result, height = 460, testId = 'sql-grid', label = 'Query result', rowActions }: ResultGridProps) {
  const rownumWidth = rowActions ? ROWNUM_ACTIONS_WIDTH : ROWNUM_WIDTH_PLAIN;
  const { columns, resultId, firstRows } = result;
  const paged = !!(client && resultId);
  const [sort, setSort] = useState<ResultSort[]>([]);
  const [filterDraft, setFilterDraft] = useState<Record<number, string>>({});
  const [filters, setFilters] = useState<ResultFilter[]>([]);
  const viewKey = JSON.stringify([sort, filters]);
  const natural = sort.length === 0 && filters.length === 0;
  /** Rows of the view (after filters); null while the first page of a new view loads. */
  const [viewRows, setViewRows] = useState<number | null>(result.numRows);
  const pages = useRef(new Map<number, TextRows>());
  const inFlight = useRef(new Set<number>());
  const [, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sel, setSel] = useState<{ row: number; col: number; wholeRow?: boolean } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [profile, setProfile] = useState<{ column: number; data: ColumnProfile | null; error?: string } | null>(null);
  const [sizing, setSizing] = useState<ColumnSizingState>({});
  const [pinning, setPinning] = useState<ColumnPinningState>({ left: [] });

  // A new view (sort or filter): forget the pages; the natural order starts from the rows we have.
  useEffect(() => {
    pages.current = new Map();
    inFlight.current = new Set();
    if (natural) {
      for (let p = 0; p * PAGE_ROWS < firstRows.length; p++) pages.current.set(p, firstRows.slice(p * PAGE_ROWS, (p + 1) * PAGE_ROWS));
      setViewRows(paged ? result.numRows : firstRows.length);
    } else setViewRows(null);
    setTick((n) => n + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [viewKey, resultId, firstRows]);

  // Filters apply shortly after typing stops.
  useEffect(() => {
    const t = setTimeout(() => {
      const next = Object.entries(filterDraft)
        .filter(([, text]) => text.trim() !== '')
        .map(([c, text]) => ({ column: Number(c), text }));
      setFilters((old) => (JSON.stringify(old) === JSON.stringify(next) ? old : next));
    }, 250);
    return () => clearTimeout(t);
  }, [filterDraft]);

  const fetchPage = useCallback(
    (p: number) => {
      if (!client || !resultId || pages.current.has(p) || inFlight.current.has(p)) return;
      const key = viewKey;
      inFlight.current.add(p);
      setBusy(true);
      client
        .resultPage(resultId, { offset: p * PAGE_ROWS, limit: PAGE_ROWS, sort, filters })
        .then((page) => {
          if (key !== viewKeyRef.current) return;
          pages.current.set(p, page.rows);
          setViewRows(page.numRows);
          setProblem(null);
        })
        .catch((e: unknown) => {
          if (key === viewKeyRef.current) setProblem(e instanceof Error ? e.message : String(e));
        })
        .finally(() => {
          inFlight.current.delete(p);
          if (key === viewKeyRef.current) {
            setBusy(inFlight.current.size > 0);
            setTick((n) => n + 1);
          }
        });
    },
    [client, resultId, viewKey, sort, filters],
  );
  const viewKeyRef = useRef(viewKey);
  viewKeyRef.current = viewKey;

  const defs = useMemo<ColumnDef<unknown>[]>(
    () =>
      columns.map((c, k) => ({
        id: String(k),
        header: c.name,
        size: widthOf(c, k, firstRows),
        minSize: 48,
        maxSize: 1200,
        meta: { type: c.type, numeric: NUMERIC.test(c.type), index: k } satisfies Meta,
      })),
    [columns, firstRows],
  );
  const table = useReactTable({
    data: [],
    columns: defs,
    getCoreRowModel: getCoreRowModel(),
    columnResizeMode: 'onChange',
    enableColumnResizing: true,
    state: { columnSizing: sizing, columnPinning: pinning },
    onColumnSizingChange: setSizing,
    onColumnPinningChange: setPinning,
  });
  const leaf = [...table.getLeftVisibleLeafColumns(), ...table.getCenterVisibleLeafColumns()];
  const totalWidth = rownumWidth + leaf.reduce((s, c) => s + c.getSize(), 0);
  const leftOf = (c: (typeof leaf)[number]) => rownumWidth + c.getStart('left');

  const count = Math.min(viewRows ?? 0, MAX_SCROLL_ROWS);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;

  // Fetch the pages in view (and the first page of a new view).
  useEffect(() => {
    if (!paged) return;
    if (viewRows === null) return fetchPage(0);
    for (let p = Math.floor(firstIndex / PAGE_ROWS); p <= Math.floor(lastIndex / PAGE_ROWS); p++) fetchPage(p);
  }, [paged, firstIndex, lastIndex, viewRows, fetchPage]);

  const rowAt = (i: number): (string | null)[] | undefined => pages.current.get(Math.floor(i / PAGE_ROWS))?.[i % PAGE_ROWS];

  const say = (text: string) => {
    setStatus(text);
    setTimeout(() => setStatus((s) => (s === text ? null : s)), 2500);
  };

  const copySelection = async () => {
    if (!sel) return;
    const row = rowAt(sel.row);
    if (!row) return say('That row is still loading.');
    const ok = sel.wholeRow ? await copyText(tsv(row)) : await copyText(row[sel.col] ?? '');
    say(ok ? (sel.wholeRow ? `Copied row ${formatCount(sel.row + 1)}.` : 'Copied the cell.') : 'The browser refused the clipboard.');
  };

  const copyColumn = async (k: number) => {
    if (!client || !resultId) {
      const ok = await copyText(firstRows.map((r) => r[k] ?? '').join('\n'));
      return say(ok ? `Copied ${formatCount(firstRows.length)} values of ${columns[k].name}.` : 'The browser refused the clipboard.');
    }
    try {
      const c = await client.resultColumn(resultId, k, { sort, filters });
      const ok = await copyText(c.text);
      say(ok ? `Copied ${formatCount(c.values)} values of ${columns[k].name}${c.capped ? ' (the first ones only)' : ''}.` : 'The browser refused the clipboard.');
    } catch (e) {
      say(e instanceof Error ? e.message : String(e));
    }
  };

  const showProfile = (k: number) => {
    if (profile?.column === k) return setProfile(null);
    if (!client || !resultId) return setProfile({ column: k, data: null, error: 'Profiles need the whole result; run the query again.' });
    setProfile({ column: k, data: null });
    client
      .resultProfile(resultId, k)
      .then((data) => setProfile((p) => (p?.column === k ? { column: k, data } : p)))
      .catch((e: unknown) => setProfile((p) => (p?.column === k ? { column: k, data: null, error: e instanceof Error ? e.message : String(e) } : p)));
  };

  const toggleSort = (k: number, add: boolean) => {
    setSort((old) => {
      const at = old.findIndex((s) => s.column === k);
      const cur = at >= 0 ? old[at] : undefined;
      const next: ResultSort | null = !cur ? { column: k } : !cur.desc ? { column: k, desc: true } : null;
      if (add) {
        const rest = old.filter((s) => s.column !== k);
        return next ? [...rest, next] : rest;
      }
      return next ? [next] : [];
    });
  };

  const move = (row: number, col: number) => {
    const r = Math.max(0, Math.min(count - 1, row));
    const c = Math.max(0, Math.min(leaf.length - 1, col));
    setSel({ row: r, col: Number(leaf[c]?.id ?? 0) });
    virtualizer.scrollToIndex(r, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.target as HTMLElement).tagName === 'INPUT' || (e.target as HTMLElement).tagName === 'BUTTON') return;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      void copySelection();
      return;
    }
    if (!count) return;
    if (rowActions && sel && (e.key === 'Enter' || e.key === ' ')) {
      const row = rowAt(sel.row);
      if (!row) return;
      e.preventDefault();
      rowActions.open(row, sel.row);
      return;
    }
    const r = sel?.row ?? 0;
    const c = sel ? leaf.findIndex((x) => Number(x.id) === sel.col) : 0;
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 2);
    const moves: Record<string, [number, number]> = {
      ArrowDown: [r + 1, c],
      ArrowUp: [r - 1, c],
      ArrowRight: [r, c + 1],
      ArrowLeft: [r, c - 1],
      PageDown: [r + page, c],
      PageUp: [r - page, c],
      Home: e.ctrlKey ? [0, c] : [r, 0],
      End: e.ctrlKey ? [count - 1, c] : [r, leaf.length - 1],
    };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    move(m[0], m[1]);
  };

  const sortOf = (k: number) => {
    const at = sort.findIndex((s) => s.column === k);
    return at < 0 ? null : { desc: !!sort[at].desc, rank: at + 1 };
  };
  const shown = viewRows ?? 0;

  return (
    <div className="result-grid-wrap" data-testid={`${testId}-wrap`}>
      <div className="rg-toolbar small">
        <span data-testid={`${testId}-count`} data-rows={viewRows ?? ''}>
          {viewRows === null ? 'Sorting and filtering…' : filters.length ? `${formatCount(shown)} of ${formatCount(result.numRows)} rows match` : `${formatCount(shown)} rows`}
          {!paged && result.numRows > firstRows.length ? ` (first ${formatCount(firstRows.length)} shown)` : ''}
          {shown > MAX_SCROLL_ROWS ? ` — the first ${formatCount(MAX_SCROLL_ROWS)} can be scrolled; sort or filter to reach the others` : ''}
        </span>
        {busy && <span className="muted"> · loading rows…</span>}
        {sort.length > 0 && (
          <button type="button" className="link" onClick={() => setSort([])} data-testid="grid-clear-sort">
            Clear sort
          </button>
        )}
        {filters.length > 0 && (
          <button type="button" className="link" onClick={() => setFilterDraft({})} data-testid="grid-clear-filters">
            Clear filters
          </button>
        )}
        <span className="muted">
          {paged ? 'Click a header to sort (Shift+click: more keys) · filter: text, =v, >v, <v, null · Ctrl+C copies' : 'Ctrl+C copies the selected cell'}
          {rowActions ? ' · Enter: the row’s actions' : ''}
        </span>
        <span role="status" aria-live="polite" className="rg-status" data-testid="grid-status">
          {status ?? ''}
        </span>
      </div>
      {problem && (
        <p className="sql-error small" role="alert" data-testid="grid-problem">
          {problem}
        </p>
      )}
      <div
        className="result-grid"
        ref={scrollRef}
        style={{ maxHeight: height }}
        data-testid={testId}
        data-rows={viewRows ?? ''}
        role="grid"
        aria-label={label}
        aria-rowcount={count + 2}
        aria-colcount={columns.length + 1}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div className="rg-head" role="rowgroup" style={{ width: totalWidth }}>
          <div className="rg-headrow" role="row" aria-rowindex={1}>
            <div className="rg-cell rg-th rg-rownum pinned" role="columnheader" style={{ width: rownumWidth, left: 0 }}>
              #
            </div>
            {leaf.map((col) => {
              const meta = col.columnDef.meta as Meta;
              const k = meta.index;
              const s = sortOf(k);
              const pinned = col.getIsPinned() === 'left';
              return (
                <div
                  key={col.id}
                  role="columnheader"
                  aria-sort={s ? (s.desc ? 'descending' : 'ascending') : 'none'}
                  className={`rg-cell rg-th${meta.numeric ? ' num' : ''}${pinned ? ' pinned' : ''}`}
                  style={{ width: col.getSize(), left: pinned ? leftOf(col) : undefined }}
                  data-testid="sql-header"
                  data-column={columns[k].name}
                >
                  <button
                    type="button"
                    className="rg-sort"
                    disabled={!paged}
                    title={paged ? `Sort by ${columns[k].name} (${meta.type})` : `${columns[k].name} (${meta.type})`}
                    onClick={(e) => toggleSort(k, e.shiftKey)}
                    data-testid="grid-sort"
                  >
                    <span className="rg-name">{columns[k].name}</span>
                    <span className="rg-type">{meta.type}</span>
                    {s && <span className="rg-sortmark" aria-hidden="true" data-mark={`${s.desc ? '▼' : '▲'}${sort.length > 1 ? s.rank : ''}`} />}
                  </button>
                  <span className="rg-tools">
                    <button type="button" title={`Profile of ${columns[k].name}`} aria-label={`Profile of ${columns[k].name}`} aria-pressed={profile?.column === k} onClick={() => showProfile(k)} data-testid="grid-profile">
                      <Icon d="M2 13h2V8H2zm4 0h2V3H6zm4 0h2V6h-2z" />
                    </button>
                    <button type="button" title={pinned ? 'Unpin' : 'Pin to the left'} aria-label={`${pinned ? 'Unpin' : 'Pin'} ${columns[k].name}`} aria-pressed={pinned} onClick={() => col.pin(pinned ? false : 'left')} data-testid="grid-pin">
                      <Icon d="M2 2h2v12H2zm4 5h8v2H6z" />
                    </button>
                    <button type="button" title={`Copy the column ${columns[k].name}`} aria-label={`Copy the column ${columns[k].name}`} onClick={() => void copyColumn(k)} data-testid="grid-copy-column">
                      <Icon d="M5 1h9v10H5zm1.5 1.5v7h6v-7zM2 5h2v8.5h7V15H2z" />
                    </button>
                  </span>
                  <div
                    className={`rg-resize${col.getIsResizing() ? ' active' : ''}`}
                    role="separator"
                    aria-orientation="vertical"
                    aria-label={`Resize ${columns[k].name}`}
                    onMouseDown={table.getHeaderGroups()[0].headers.find((h) => h.column.id === col.id)?.getResizeHandler()}
                    onTouchStart={table.getHeaderGroups()[0].headers.find((h) => h.column.id === col.id)?.getResizeHandler()}
                    onDoubleClick={() => col.resetSize()}
                    data-testid="grid-resize"
                  />
                </div>
              );
            })}
          </div>
          <div className="rg-filterrow" role="row" aria-rowindex={2}>
            <div className="rg-cell rg-rownum pinned" role="columnheader" style={{ width: rownumWidth, left: 0 }}>
              <span className="visually-hidden">Filters</span>
            </div>
            {leaf.map((col) => {
              const k = (col.columnDef.meta as Meta).index;
              const pinned = col.getIsPinned() === 'left';
              return (
                <div key={col.id} role="columnheader" className={`rg-cell rg-filter${pinned ? ' pinned' : ''}`} style={{ width: col.getSize(), left: pinned ? leftOf(col) : undefined }}>
                  <input
                    type="text"
                    value={filterDraft[k] ?? ''}
                    placeholder="filter"
                    aria-label={`Filter ${columns[k].name}`}
                    disabled={!paged}
                    onChange={(e) => {
                      const text = e.currentTarget.value;
                      setFilterDraft((d) => ({ ...d, [k]: text }));
                    }}
                    data-testid="grid-filter"
                  />
                </div>
              );
            })}
          </div>
        </div>
        <div className="rg-body" role="rowgroup" style={{ height: virtualizer.getTotalSize(), width: totalWidth }}>
          {items.map((v) => {
            const row = rowAt(v.index);
            const rowSelected = sel?.row === v.index;
            const rowOpen = !!(row && rowActions?.isOpen?.(row));
            const rowCurrent = !!(row && rowActions?.isCurrent?.(row));
            return (
              <div
                key={v.index}
                role="row"
                aria-rowindex={v.index + 3}
                aria-selected={rowSelected && sel?.wholeRow ? true : undefined}
                className={`rg-row${rowSelected && sel?.wholeRow ? ' selected' : ''}${rowOpen ? ' open' : ''}${rowCurrent ? ' current' : ''}`}
                data-open={rowOpen || undefined}
                aria-current={rowCurrent || undefined}
                data-testid="sql-row"
                data-index={v.index}
                style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, width: totalWidth }}
              >
                <div role="rowheader" className="rg-cell rg-rownum pinned" style={{ width: rownumWidth, left: 0 }} onClick={() => setSel({ row: v.index, col: sel?.col ?? 0, wholeRow: true })} data-testid="grid-rownum">
                  {formatCount(v.index + 1)}
                  {rowActions && row && (
                    <button
                      type="button"
                      className="rg-row-actions"
                      tabIndex={-1}
                      aria-label={rowActions.label(row)}
                      title={rowActions.label(row)}
                      aria-expanded={rowOpen}
                      onClick={(e) => {
                        e.stopPropagation();
                        setSel({ row: v.index, col: sel?.col ?? 0 });
                        rowActions.open(row, v.index);
                      }}
                      data-testid="grid-row-actions"
                    >
                      <Icon d="M2 7h3v2H2zm4.5 0h3v2h-3zM11 7h3v2h-3z" />
                    </button>
                  )}
                </div>
                {leaf.map((col) => {
                  const meta = col.columnDef.meta as Meta;
                  const k = meta.index;
                  const value = row ? row[k] : undefined;
                  const pinned = col.getIsPinned() === 'left';
                  const selected = rowSelected && !sel?.wholeRow && sel?.col === k;
                  return (
                    <div
                      key={col.id}
                      role="gridcell"
                      aria-selected={selected || undefined}
                      className={`rg-cell${meta.numeric ? ' num' : ''}${pinned ? ' pinned' : ''}${selected ? ' selected' : ''}`}
                      style={{ width: col.getSize(), left: pinned ? leftOf(col) : undefined }}
                      title={value === undefined ? 'loading' : (value ?? 'NULL')}
                      onClick={() => setSel({ row: v.index, col: k })}
                      data-testid="sql-cell"
                    >
                      {value === undefined ? <span className="muted">…</span> : value === null ? <span className="null">NULL</span> : value}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
        {viewRows === 0 && <div className="rg-empty muted">{filters.length ? 'No row matches the filters.' : 'No rows.'}</div>}
      </div>
      {profile && <ProfileCard column={columns[profile.column]} profile={profile.data} error={profile.error} onClose={() => setProfile(null)} />}
    </div>
  );
}

/** A 16×16 glyph (no text: header texts stay the column's name and type). */
function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
      <path d={d} fill="currentColor" fillRule="evenodd" />
    </svg>
  );
}

/** The profile of one column: counts, min/max, top values, and a histogram with a text alternative. */
function ProfileCard({ column, profile, error, onClose }: { column: ResultColumn; profile: ColumnProfile | null; error?: string; onClose: () => void }) {
  const max = profile?.histogram ? Math.max(1, ...profile.histogram.map((b) => b.count)) : 1;
  return (
    <section className="rg-profile panel" aria-label={`Profile of ${column.name}`} data-testid="grid-profile-card">
      <header className="row">
        <strong>{column.name}</strong> <span className="muted small">{column.type}</span>
        <button type="button" className="link" onClick={onClose}>
          Close
        </button>
      </header>
      {error ? (
        <p className="muted small">{error}</p>
      ) : !profile ? (
        <p className="muted small">Computing over all rows…</p>
      ) : (
        <>
          <dl className="rg-profile-stats small">
            <dt>Rows</dt>
            <dd data-testid="profile-rows">{formatCount(profile.rows)}</dd>
            <dt>NULLs</dt>
            <dd data-testid="profile-nulls" data-value={profile.nulls}>
              {formatCount(profile.nulls)} ({formatPercent(profile.rows ? profile.nulls / profile.rows : 0)})
            </dd>
            <dt>Distinct</dt>
            <dd data-testid="profile-distinct" data-value={profile.distinct}>
              {profile.distinctCapped ? `more than ${formatCount(profile.distinct)}` : formatCount(profile.distinct)}
            </dd>
            <dt>Min</dt>
            <dd data-testid="profile-min">{profile.min ?? '—'}</dd>
            <dt>Max</dt>
            <dd data-testid="profile-max">{profile.max ?? '—'}</dd>
          </dl>
          {profile.top && (
            <p className="small">
              <span className="muted">Most frequent: </span>
              {profile.top.map((t) => `${t.value} (${formatCount(t.count)})`).join(', ')}
            </p>
          )}
          {profile.histogram && (
            <figure className="rg-hist">
              <div className="rg-hist-bars" role="img" aria-label={`Histogram of ${column.name}: ${profile.histogram.map((b) => `${b.lo.toPrecision(4)} to ${b.hi.toPrecision(4)}: ${b.count}`).join('; ')}`}>
                {profile.histogram.map((b, i) => (
                  <span key={i} className="rg-hist-bar" style={{ height: `${Math.max(2, (b.count / max) * 100)}%` }} title={`${b.lo.toPrecision(6)} – ${b.hi.toPrecision(6)}: ${formatCount(b.count)}`} />
                ))}
              </div>
              <figcaption className="muted small">
                {profile.histogram.length} equal-width bins from {profile.min} to {profile.max}
              </figcaption>
            </figure>
          )}
        </>
      )}
    </section>
  );
}
