/**
 * The app shell: the sources bar (drop or pick a local folder, type a URL, press a sample button,
 * S3/lakeFS), progress and errors, then for an open table its header, the version picker and the
 * tabs (Overview, History, Schema, Partitions, Files, Data, Changes, Compare; `?view=`).
 *
 * The page URL is the state (see `url-state.ts`): `?url=<table URL>&version=N&view=history` opens
 * that table at that version on that tab (views add their own parameters, e.g. `sql=`, `commit=`;
 * the tab list in `views/tabs.ts` says which). Two hooks hold the work: `shell/use-table-loader.ts`
 * (the table shown, every way to open one, versions, the one operation in flight) and
 * `shell/use-url-sync.ts` (the tab and view parameters in the URL, back/forward). The tabs render
 * from `views/registry.tsx`; the frame (sources bar, table header, restore notice) is in `frame/`.
 */
import { useState } from 'react';
import { EarlyTotals } from './components/early-totals.tsx';
import { ErrorPanel } from './components/error-panel.tsx';
import { LazyBoundary } from './components/lazy-boundary.tsx';
import { ProgressLine } from './components/progress-line.tsx';
import { ShareBanner, SharePanel } from './components/share-panel.tsx';
import { TabBar } from './components/tab-bar.tsx';
import { FolderRestore } from './frame/folder-restore.tsx';
import { SourcesBar } from './frame/sources-bar.tsx';
import { TableHeader } from './frame/table-header.tsx';
import { useTableLoader } from './shell/use-table-loader.ts';
import { useUrlSync } from './shell/use-url-sync.ts';
import { CandidateList } from './views/candidates.tsx';
import { TABS } from './views/registry.tsx';
import { TAB_LIST } from './views/tabs.ts';
import { TimestampPicker, VersionPicker } from './views/version-picker.tsx';
import type { NavigateTarget } from './views/view-props.ts';
import type { ExplorerClient } from './worker-client.ts';

/** The whole app; `client` talks to the explorer worker (see `worker-client.ts`). */
export function App({ client }: { client: ExplorerClient }) {
  const loader = useTableLoader(client);
  const { view, error, setError, history, urlText, recent, restore, setRestore, notice, setNotice, shareExpiry, origin } = loader;
  const { openFolder, openUrl, openedRemote, pickCandidate, changeVersion, backToCandidates, reopenSaved, cancel, cancelVersion, travel } = loader;
  const { tab, selectTab, param, setParam } = useUrlSync(loader.follow);
  const [sharing, setSharing] = useState(false);
  const hasTable = view.kind === 'ready' || view.kind === 'loading' || view.kind === 'candidates';
  /** A view's link to another tab: the tab (pushed), its parameters, then the version (same entry when the tab changed). */
  const navigate = (to: NavigateTarget) => {
    const moved = to.view !== tab;
    selectTab(to.view);
    for (const [name, value] of Object.entries(to.params ?? {})) setParam(name, value);
    if (view.kind === 'ready' && to.version !== undefined && to.version !== view.summary.version) void changeVersion(to.version, moved ? 'replace' : 'push');
  };
  const oldestRetained = history.kind === 'ready' && history.rows.length ? Math.min(...history.rows.map((r) => r.version)) : 0;

  return (
    <div className="app">
      <header className="topbar">
        <h1>Delta Explorer</h1>
        <span className="muted small">Delta Lake tables, read in your browser</span>
      </header>
      <main>
        <SourcesBar
          client={client}
          collapsed={hasTable}
          urlText={urlText}
          recent={recent}
          onFolder={(f) => void openFolder(f)}
          onUrl={(url) => void openUrl(url, { mode: 'push' })}
          onRemote={(r) => void openedRemote(r)}
          onError={(e) => setError(e)}
        />
        {restore && !hasTable && <FolderRestore state={restore} onReopen={reopenSaved} onDismiss={() => setRestore(null)} />}

        {view.kind === 'opening' && <ProgressLine label={view.label} progress={null} onCancel={cancel} />}
        {view.kind === 'loading' && (
          <>
            <ProgressLine label={view.table.root || view.table.label} progress={view.progress} onCancel={cancel} />
            <EarlyTotals progress={view.progress} />
          </>
        )}

        {error && <ErrorPanel error={error} onDismiss={() => setError(null)} />}

        {view.kind === 'candidates' && <CandidateList result={view.result} onPick={(c) => void pickCandidate(view.result, c)} />}

        {view.kind === 'ready' && (
          <>
            {view.candidates && (
              <button
                type="button"
                className="link"
                data-testid="back-to-candidates"
                onClick={backToCandidates}
              >
                ← Other tables in {view.candidates.label}
              </button>
            )}
            <TableHeader table={view.table} summary={view.summary} history={history.kind === 'ready' ? history.rows : null} originNote={origin.current?.kind === 'local' && !origin.current.remote ? 'local folder' : undefined} />
            <div className="version-bar">
              <VersionPicker
                version={view.summary.version}
                latestVersion={view.summary.latestVersion}
                minVersion={oldestRetained}
                pending={view.switching ? (view.switching.version ?? view.summary.latestVersion) : undefined}
                onChange={(version) => void changeVersion(version, 'push')}
                onCancel={cancelVersion}
              />
              <TimestampPicker
                timestampMs={history.kind === 'ready' ? (history.rows.find((r) => r.version === view.summary.version)?.timestampMs ?? null) : null}
                onPick={(timestampMs) => void changeVersion({ timestampMs }, 'push')}
              />
              {view.table.shareable && (
                <button type="button" data-testid="share-open" onClick={() => setSharing((x) => !x)} aria-expanded={sharing}>
                  Share…
                </button>
              )}
            </div>
            {notice && (
              <div className="notice info" role="status" data-testid="version-notice">
                <p>{notice}</p>
                <button type="button" className="link" onClick={() => setNotice(null)}>
                  Dismiss
                </button>
              </div>
            )}
            {shareExpiry !== null && <ShareBanner expiresAtMs={shareExpiry} version={view.summary.version} />}
            {sharing && view.table.shareable && (
              <SharePanel client={client} table={view.table} version={view.summary.version} onClose={() => setSharing(false)} />
            )}
            <TabBar
              items={TAB_LIST.map((t) => ({ key: t.name, label: t.label, testId: `tab-${t.name}` }))}
              selected={tab}
              onSelect={selectTab}
              label="Views"
              panelId="view-panel"
              idPrefix="view-tab"
              testId="tabs"
            />
            <div role="tabpanel" id="view-panel" aria-labelledby={`view-tab-${tab}`} tabIndex={-1} data-testid={`tabpanel-${tab}`} data-view={tab} className="tabpanel">
              <LazyBoundary key={tab}>
                {TABS[tab].render(
                  {
                    client,
                    table: view.table,
                    summary: view.summary,
                    history: history.kind === 'ready' ? history.rows : null,
                    onTravel: travel,
                    onNavigate: navigate,
                    param,
                    setParam,
                  },
                  { history, cancel },
                )}
              </LazyBoundary>
            </div>
          </>
        )}
      </main>
    </div>
  );
}
