/**
 * The Files view: the selected version's active files in the result grid (`result-grid.tsx`, the
 * SQL results' grid): the files matching the search (decoded path or `column=value`) are held in
 * the worker as one table (`filesTable`, columns in `src/explore/files-table.ts`), so the grid
 * scrolls all of them and sorts, filters, resizes, pins, profiles and copies them; with per-column
 * min/max/null counts for the statistics columns picked, and a file-size histogram on log-scale
 * bins (computed in the worker).
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { FileSizeHistogram, FilesQueryPage } from '../../workers/api.ts';
import type { GridResult } from '../data/result-grid.tsx';
import { formatBytes, formatCount, plural } from '../../explore/format.ts';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import type { ViewProps } from './view-props.ts';
import './views.css';

const ResultGrid = lazy(() => import('../data/result-grid.tsx'));

interface Query {
  search: string;
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

export function FilesView(props: ViewProps) {
  const { client, table, summary } = props;
  const version = summary.version;
  const [searchText, setSearchText] = useState(() => props.param('search') ?? '');
  const [query, setQuery] = useState<Query>(() => ({ search: props.param('search') ?? '', columns: null }));
  // Debounced search.
  useEffect(() => {
    const t = setTimeout(() => {
      setQuery((q) => (q.search === searchText ? q : { ...q, search: searchText }));
      if ((props.param('search') ?? '') !== searchText) props.setParam('search', searchText || null);
    }, 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- props.param/setParam are new each render
  }, [searchText]);

  const key = `${table.tableId}\u0000${version}\u0000${JSON.stringify(query)}`;
  /** What the search matched (counts, partition and stats columns), and the files held in the worker for the grid. */
  const listed = useWorkerLoad(
    async () => {
      const stats = query.columns ? { statsColumns: query.columns } : {};
      const head = await client.filesQuery(table.tableId, version, { offset: 0, limit: 0, search: query.search, ...stats });
      const t = await client.filesTable(table.tableId, version, { search: query.search, ...stats });
      const { decodeRows } = await import('../data/decode.ts');
      return { key, head, grid: { resultId: t.resultId, columns: t.columns, numRows: t.numRows, firstRows: decodeRows(t.ipc) } as GridResult };
    },
    [client, table.tableId, version, key],
    { release: (l) => void client.releaseResult(l.grid.resultId!).catch(() => undefined) },
  );
  const list = listed.value;
  const error = listed.error;
  // The file-size histogram (its failure is shown, not swallowed).
  const hist = useWorkerLoad(() => client.fileSizes(table.tableId, version), [client, table.tableId, version]);

  const current = list?.key === key ? list : null;
  const first = current?.head;
  const matched = first?.matched ?? 0;
  const statsColumns = first?.statsColumns ?? list?.head.statsColumns ?? [];
  const available = first?.availableColumns ?? list?.head.availableColumns ?? [];
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
      {hist.value && !hist.busy && hist.value.bins.length > 0 && <SizeHistogram data={hist.value} />}
      {hist.error && <div className="notice warn" data-testid="file-sizes-error">The file-size histogram cannot be computed: {hist.error.message}</div>}
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
      {error && <div className="notice warn">The files cannot be listed: {error.message}</div>}
      {current && matched > 0 && (
        <Suspense fallback={<p className="muted small">Loading the grid…</p>}>
          <ResultGrid client={client} result={current.grid} height={Math.min(480, matched * 26 + 110)} testId="files-grid" />
        </Suspense>
      )}
      {first && matched === 0 && <p className="muted" data-testid="files-empty">{query.search ? 'No file matches the search.' : 'This version has no active files.'}</p>}
    </section>
  );
}
