/**
 * The Files view: the selected version's active files in a virtualized table (TanStack Virtual),
 * fetched from the worker page by page as they scroll into view, searched (decoded path or
 * `column=value`) and sorted in the worker, with per-column min/max/null counts for the columns
 * picked, and a file-size histogram on log-scale bins (computed in the worker).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FileSizeHistogram, FilesQueryPage } from '../../workers/api.ts';
import type { FileSortKey, FileViewRow } from '../../explore/files-page.ts';
import { formatBytes, formatCount, formatTimestamp, plural } from '../format.ts';
import { errorInfoOf } from '../worker-client.ts';
import type { ViewProps } from './view-props.ts';
import './views.css';

const PAGE = 200;
const ROW_HEIGHT = 30;

interface Query {
  search: string;
  sort: FileSortKey;
  descending: boolean;
  /** Null: the worker's default columns. */
  columns: string[] | null;
}

const SizeHistogramChart = lazy(() => import('./bar-charts.tsx').then((m) => ({ default: m.SizeHistogramChart })));

function SizeHistogram({ data }: { data: FileSizeHistogram }) {
  return (
    <figure className="chart" data-testid="size-histogram" data-files={data.bins.reduce((n, b) => n + b.count, 0) + data.unknown}>
      <figcaption className="muted small">File sizes (bins double in size)</figcaption>
      <Suspense fallback={<div style={{ height: 180 }} />}>
        <SizeHistogramChart data={data} />
      </Suspense>
    </figure>
  );
}

function Nullable({ v }: { v: string | null }) {
  return v === null ? <span className="null-value">null</span> : <>{v}</>;
}

export function FilesView(props: ViewProps) {
  const { client, table, summary } = props;
  const version = summary.version;
  const [searchText, setSearchText] = useState(() => props.param('search') ?? '');
  const [query, setQuery] = useState<Query>(() => ({ search: props.param('search') ?? '', sort: 'index', descending: false, columns: null }));
  // Debounced search.
  useEffect(() => {
    const t = setTimeout(() => {
      setQuery((q) => (q.search === searchText ? q : { ...q, search: searchText }));
      if ((props.param('search') ?? '') !== searchText) props.setParam('search', searchText || null);
    }, 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- props.param/setParam are new each render
  }, [searchText]);

  /** Pages by number for the current (version, query); replaced when either changes. */
  const [pages, setPages] = useState<{ key: string; pages: Map<number, FilesQueryPage>; error: string | null }>({ key: '', pages: new Map(), error: null });
  const key = `${table.tableId}\u0000${version}\u0000${JSON.stringify(query)}`;
  const inFlight = useRef(new Set<string>());
  const current = pages.key === key ? pages : { key, pages: new Map<number, FilesQueryPage>(), error: null };
  const first = current.pages.get(0) ?? [...current.pages.values()][0];

  const load = useCallback(
    (n: number) => {
      const id = `${key}\u0000${n}`;
      if (inFlight.current.has(id)) return;
      inFlight.current.add(id);
      client
        .filesQuery(table.tableId, version, {
          offset: n * PAGE,
          limit: PAGE,
          search: query.search,
          sort: query.sort,
          descending: query.descending,
          ...(query.columns ? { statsColumns: query.columns } : {}),
        })
        .then(
          (page) =>
            setPages((p) => {
              const base = p.key === key ? p.pages : new Map<number, FilesQueryPage>();
              const next = new Map(base);
              next.set(n, page);
              return { key, pages: next, error: null };
            }),
          (e) => setPages((p) => ({ key, pages: p.key === key ? p.pages : new Map(), error: errorInfoOf(e).message })),
        )
        .finally(() => inFlight.current.delete(id));
    },
    [client, table.tableId, version, query, key],
  );
  useEffect(() => {
    // After an error, wait for the query or version to change (no retry loop).
    if (!current.pages.has(0) && !current.error) load(0);
  }, [key, load, current.pages, current.error]);

  const [hist, setHist] = useState<{ version: number; data: FileSizeHistogram } | null>(null);
  useEffect(() => {
    let live = true;
    client.fileSizes(table.tableId, version).then(
      (data) => live && setHist({ version, data }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client, table.tableId, version]);

  const matched = first?.matched ?? 0;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: matched, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  useEffect(() => {
    if (!items.length || current.error) return;
    const need = new Set<number>();
    need.add(Math.floor(items[0].index / PAGE));
    need.add(Math.floor(items[items.length - 1].index / PAGE));
    for (const n of need) if (!current.pages.has(n)) load(n);
  }, [items, current.pages, current.error, load]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [key]);

  const rowAt = (i: number): FileViewRow | undefined => {
    const p = current.pages.get(Math.floor(i / PAGE));
    return p?.rows[i - Math.floor(i / PAGE) * PAGE];
  };

  const partitionColumns = first?.partitionColumns ?? [];
  const statsColumns = first?.statsColumns ?? [];
  const available = first?.availableColumns ?? [];
  const template = useMemo(
    () =>
      [
        'minmax(14rem, 3fr)',
        ...partitionColumns.map(() => 'minmax(4.5rem, 0.6fr)'),
        '5.5rem',
        '5.5rem',
        '5rem',
        ...statsColumns.map(() => 'minmax(9rem, 1fr)'),
        '10.5rem',
      ].join(' '),
    [partitionColumns, statsColumns],
  );

  const sortHeader = (label: string, sort: FileSortKey | null, cls = '') => {
    if (!sort) return <div role="columnheader" className={`cell head ${cls}`}>{label}</div>;
    const active = query.sort === sort;
    return (
      <div role="columnheader" className={`cell head ${cls}`} aria-sort={active ? (query.descending ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          className="sort-button"
          data-sort={sort}
          onClick={() => setQuery((q) => ({ ...q, sort, descending: q.sort === sort ? !q.descending : sort !== 'path' }))}
        >
          {label}
          <span className="sort-mark">{active ? (query.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </div>
    );
  };

  const toggleColumn = (c: string) =>
    setQuery((q) => {
      const cur = q.columns ?? statsColumns;
      const next = cur.includes(c) ? cur.filter((x) => x !== c) : [...cur, c];
      return { ...q, columns: available.filter((x) => next.includes(x)) };
    });

  return (
    <section className="panel view-files" data-testid="view-files" data-version={version}>
      <header className="view-head">
        <h2>Files</h2>
        <span className="muted small">
          version {version} · {plural(summary.totals.numFiles, 'active file')} · {formatBytes(summary.totals.sizeInBytes)}
        </span>
      </header>
      {hist?.version === version && hist.data.bins.length > 0 && <SizeHistogram data={hist.data} />}
      <div className="files-toolbar">
        <input
          type="search"
          placeholder="Search path or column=value"
          aria-label="Search files"
          data-testid="files-search"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
        />
        <span className="small" data-testid="files-matched" data-value={first ? matched : ''}>
          {first ? (query.search ? `${formatCount(matched)} of ${plural(first.total, 'file')} match` : plural(first.total, 'file')) : 'Loading…'}
        </span>
        {available.length > 0 && (
          <details className="column-picker">
            <summary>Statistics columns ({statsColumns.length})</summary>
            <div className="column-picker-list">
              {available.map((c) => (
                <label key={c}>
                  <input type="checkbox" checked={statsColumns.includes(c)} onChange={() => toggleColumn(c)} /> {c}
                </label>
              ))}
            </div>
          </details>
        )}
      </div>
      {current.error && <div className="notice warn">The files cannot be listed: {current.error}</div>}
      <div className="vgrid" ref={scrollRef} data-testid="files-grid" style={{ height: `min(30rem, ${matched * ROW_HEIGHT + 48}px)` }}>
        <div className="vgrid-inner" role="table" aria-label="Active files" style={{ minWidth: 'max-content' }}>
          <div className="vrow vhead" role="row" style={{ gridTemplateColumns: template }}>
            {sortHeader('Path', 'path')}
            {partitionColumns.map((c) => (
              <div key={c} role="columnheader" className="cell head">{c}</div>
            ))}
            {sortHeader('Size', 'size', 'num')}
            {sortHeader('Records', 'records', 'num')}
            <div role="columnheader" className="cell head num" title="Rows deleted by the file's deletion vector">DV rows</div>
            {statsColumns.map((c) => (
              <div key={c} role="columnheader" className="cell head" title="min … max (nulls)">{c} <span className="muted small">min … max</span></div>
            ))}
            {sortHeader('Modified', 'modified')}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const r = rowAt(v.index);
              return (
                <div
                  key={v.key}
                  role="row"
                  className={`vrow ${v.index % 2 ? 'odd' : ''}`}
                  data-testid={r ? 'file-row' : undefined}
                  data-path={r?.path}
                  style={{ gridTemplateColumns: template, position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                >
                  {r ? (
                    <>
                      <div role="cell" className="cell path" title={r.path}>{r.path}</div>
                      {r.partitionValues.map((p, k) => (
                        <div key={k} role="cell" className="cell"><Nullable v={p} /></div>
                      ))}
                      <div role="cell" className="cell num">{formatBytes(r.size)}</div>
                      <div role="cell" className="cell num">{r.numRecords === null ? <span className="muted">—</span> : formatCount(r.numRecords)}</div>
                      <div role="cell" className="cell num">{r.dvCardinality === null ? <span className="muted">—</span> : formatCount(r.dvCardinality)}</div>
                      {statsColumns.map((c, k) => {
                        const s = r.stats?.[k];
                        if (!s) return <div key={c} role="cell" className="cell muted">—</div>;
                        const text = `${s.min ?? 'null'} … ${s.max ?? 'null'}`;
                        return (
                          <div key={c} role="cell" className="cell stat" title={`${text}${s.nullCount !== null ? ` (${s.nullCount} nulls)` : ''}${r.tightBounds === false ? ' (bounds may be wide)' : ''}`}>
                            <Nullable v={s.min} /> … <Nullable v={s.max} />
                            {s.nullCount !== null && s.nullCount > 0 && <span className="muted small"> ({formatCount(s.nullCount)} null)</span>}
                          </div>
                        );
                      })}
                      <div role="cell" className="cell small">{formatTimestamp(r.modificationTime)}</div>
                    </>
                  ) : (
                    <div role="cell" className="cell muted">…</div>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {first && matched === 0 && <p className="muted" data-testid="files-empty">{query.search ? 'No file matches the search.' : 'This version has no active files.'}</p>}
    </section>
  );
}
