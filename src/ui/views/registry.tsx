/**
 * The tab registry: how each tab renders from {@link ViewProps}. The Overview is in
 * the first chunk; every other view is a separate chunk, loaded when its tab is first shown (the
 * first start compiles and renders less; issue #6: no main-thread task over 50 ms).
 *
 * The tabs themselves (names, labels, order, the URL parameters each owns) are listed once, in
 * `tabs.ts`; this maps each to how it renders. Adding a tab: an entry there, a renderer here.
 */
import { lazy, type ReactNode } from 'react';
import type { ErrorInfo, HistoryRow, WorkerProgress } from '../../workers/api.ts';
import { ErrorPanel } from '../components/error-panel.tsx';
import { ProgressLine } from '../components/progress-line.tsx';
import type { ViewName } from './tabs.ts';
import { Overview } from './overview.tsx';
import type { ViewProps } from './view-props.ts';

const HistoryView = lazy(() => import('./history.tsx').then((m) => ({ default: m.HistoryView })));
const SchemaView = lazy(() => import('./schema.tsx').then((m) => ({ default: m.SchemaView })));
const PartitionsView = lazy(() => import('./partitions.tsx').then((m) => ({ default: m.PartitionsView })));
const FilesView = lazy(() => import('./files.tsx').then((m) => ({ default: m.FilesView })));
const DataPanel = lazy(() => import('../data/data-panel.tsx').then((m) => ({ default: m.DataPanel })));
const ChangesView = lazy(() => import('./changes.tsx').then((m) => ({ default: m.ChangesView })));
const CompareView = lazy(() => import('./compare.tsx').then((m) => ({ default: m.CompareView })));

/** The table's history as the shell loads it (after the snapshot). */
export type HistoryState =
  | { kind: 'none' }
  | { kind: 'loading'; progress: WorkerProgress | null }
  | { kind: 'ready'; rows: HistoryRow[] }
  | { kind: 'error'; error: ErrorInfo };

/** What a tab gets besides {@link ViewProps}: the history's load state and a way to cancel it. */
export interface TabContext {
  history: HistoryState;
  cancel: () => void;
}

/** How one tab renders (its name and label are in `tabs.ts`). */
export interface TabEntry {
  render: (props: ViewProps, ctx: TabContext) => ReactNode;
}

/** The history's progress or error in place of a view that needs it. */
function historyStatus(ctx: TabContext): ReactNode {
  const h = ctx.history;
  if (h.kind === 'loading') return <ProgressLine label="History" progress={h.progress} onCancel={ctx.cancel} />;
  if (h.kind === 'error') return <ErrorPanel error={h.error} />;
  return null;
}

/** Every tab's renderer, by name (`tabs.ts` gives the order). */
export const TABS: Record<ViewName, TabEntry> = {
  overview: {
    render: (props, ctx) => (
      <>
        <Overview client={props.client} table={props.table} summary={props.summary} history={props.history} />
        {ctx.history.kind === 'error' && historyStatus(ctx)}
      </>
    ),
  },
  history: {
    render: (props, ctx) => {
      if (ctx.history.kind !== 'ready') return historyStatus(ctx) ?? <p className="muted">History is not loaded.</p>;
      const commit = props.param('commit');
      return (
        <HistoryView
          client={props.client}
          table={props.table}
          summary={props.summary}
          rows={ctx.history.rows}
          onTravel={props.onTravel}
          onNavigate={props.onNavigate}
          openVersion={commit !== null && /^\d+$/.test(commit) ? Number(commit) : null}
          onOpen={(v) => props.setParam('commit', v === null ? null : String(v))}
          layout={props.param('layout') === 'list' ? 'list' : 'grid'}
          onLayout={(l) => props.setParam('layout', l === 'list' ? 'list' : null)}
        />
      );
    },
  },
  schema: { render: (props) => <SchemaView {...props} /> },
  partitions: { render: (props) => <PartitionsView {...props} /> },
  files: { render: (props) => <FilesView {...props} /> },
  data: {
    render: (props) => (
      <DataPanel
        key={props.table.tableId}
        client={props.client}
        table={props.table}
        summary={props.summary}
        version={props.summary.version}
        latestVersion={props.summary.latestVersion}
        initialQuery={props.param('sql') ?? undefined}
        onRun={(q) => props.setParam('sql', q)}
      />
    ),
  },
  changes: { render: (props) => <ChangesView {...props} /> },
  compare: { render: (props) => <CompareView {...props} /> },
};
