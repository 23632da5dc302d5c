/**
 * The table the shell shows, and every way to get there: open a URL, a local folder (or, after a
 * reload, its saved handle), a place of an S3/lakeFS connection, a share link, a table among the
 * tables of a folder; load its snapshot (at a version) and then its history; travel to another
 * version (by number or time). One operation is in flight: a newer one cancels the older, and late
 * answers of old ones are dropped. `follow(first)` brings the app to what the page URL names (first
 * start, back/forward; called by `useUrlSync`), and every open records itself in the URL
 * (`writeUrl`, push or replace). What the worker holds for a table is freed when another opens.
 */
import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { filesFromDirectoryHandle } from '../../delta/storage/browser-files.ts';
import type { ErrorInfo, OpenedTable, OpenResult, SnapshotSummary, TableCandidate, TableCandidates, WorkerProgress } from '../../workers/api.ts';
import { formatIso } from '../../explore/format.ts';
import type { RestoreState } from '../frame/folder-restore.tsx';
import { addRecent, loadRecent, type RecentTable } from '../frame/recent.ts';
import { folderPermission, forgetSavedFolder, loadSavedFolder, requestFolderPermission, saveFolder, type SavedFolder } from '../frame/saved-folder.ts';
import { tableTitle } from '../frame/table-header.tsx';
import type { PickedFolder } from '../sources/folder-walk.ts';
import { DEFAULT_SAMPLE } from '../sources/samples.ts';
import { childTableUrl, readUrlState, resolveTableUrl, sameTableUrl, VIEW_NAMES, type UrlState } from '../url-state.ts';
import type { HistoryState } from '../views/registry.tsx';
import { errorInfoOf, type ExplorerClient } from '../worker-client.ts';
import { dropShareFragment, shareFragment, writeUrl as writeUrlState, type LocalEntry, type UrlMode } from './use-url-sync.ts';

/** What the main area shows. */
export type View =
  | { kind: 'idle' }
  | { kind: 'opening'; label: string }
  | { kind: 'candidates'; result: TableCandidates }
  | { kind: 'loading'; table: OpenedTable; progress: WorkerProgress | null; candidates?: TableCandidates }
  | {
      kind: 'ready';
      table: OpenedTable;
      summary: SnapshotSummary;
      candidates?: TableCandidates;
      /** A version being loaded (the summary shown stays until it arrives). */
      switching?: { version: number | undefined; progress: WorkerProgress | null };
    };

/** A table URL as written in `?url=` (relative to the page, or absolute) and resolved. */
interface UrlRef {
  param: string;
  absolute: string;
}

/**
 * Where the open table came from: a URL (and, for a table picked among the tables of a folder
 * opened by URL, that folder's), or a local folder.
 */
type Origin = ({ kind: 'url'; folder?: UrlRef } & UrlRef) | { kind: 'local'; remote?: 'connection' | 'share' };



/** One operation in flight; a newer one aborts it, and late answers of old ones are dropped. */
interface Operation {
  controller: AbortController;
}



/** A version to travel to: a number, the latest (`undefined`), or the version at a time (ms, UTC). */
export type Target = number | undefined | { timestampMs: number };

/** The table shown and the calls that open, load and travel (see the module comment). */
export function useTableLoader(client: ExplorerClient) {
  const [view, setViewState] = useState<View>({ kind: 'idle' });
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [history, setHistory] = useState<HistoryState>({ kind: 'none' });
  const [urlText, setUrlText] = useState('');
  const [recent, setRecent] = useState<RecentTable[]>(() => loadRecent());
  /** Why no table is shown after a reload of a local folder's page. */
  const [restore, setRestore] = useState<RestoreState | null>(null);
  /** A neutral message about the version shown (e.g. a time after the last commit). */
  const [notice, setNotice] = useState<string | null>(null);
  const historyRef = useRef<HistoryState>(history);
  historyRef.current = history;
  /** What the history entry of the local folder (or connection) shown says about it. */
  const localEntry = useRef<LocalEntry>({ local: true });
  /** When the open share link expires (ms), for the recipient's banner. */
  const [shareExpiry, setShareExpiry] = useState<number | null>(null);
  const op = useRef<Operation | null>(null);
  /** A version change in flight (aborted by a newer one, or by a new table). */
  const versionOp = useRef<Operation | null>(null);
  /** What the worker holds for us, to free when something else is opened. */
  const held = useRef<{ sourceId?: string; tableId?: string }>({});
  /** Where the table shown (or being opened) came from. */
  const origin = useRef<Origin | null>(null);
  /** The view as last set, for event handlers (popstate) that outlive a render. */
  const viewRef = useRef<View>(view);

  const setView = useCallback((next: View | ((v: View) => View)) => {
    setViewState((v) => {
      const value = typeof next === 'function' ? next(v) : next;
      viewRef.current = value;
      return value;
    });
  }, []);

  const begin = (): Operation => {
    op.current?.controller.abort();
    versionOp.current?.controller.abort();
    const o = { controller: new AbortController() };
    op.current = o;
    return o;
  };
  const isCurrent = (o: Operation) => op.current === o;

  /** Records the state in the page URL (a local folder's entry carries {@link LocalEntry}). */
  const writeUrl = (state: Pick<UrlState, 'url' | 'version'>, mode: UrlMode, local = false, fresh = false) =>
    writeUrlState(state, mode, local ? localEntry.current : null, fresh);
  const urlParam = () => (origin.current?.kind === 'url' ? origin.current.param : undefined);

  /** Another table is being opened: the share link (fragment and expiry banner) no longer applies. */
  const forgetShare = () => {
    dropShareFragment();
    setShareExpiry(null);
  };

  /** Frees what the worker holds for the previous source. */
  const releaseHeld = () => {
    const previous = held.current;
    held.current = {};
    if (previous.sourceId) void client.closeSource(previous.sourceId).catch(() => {});
    else if (previous.tableId) void client.close(previous.tableId).catch(() => {});
  };

  useEffect(() => {
    if (view.kind !== 'ready') {
      document.title = 'Delta Explorer';
      return;
    }
    const at = view.summary.version !== view.summary.latestVersion ? ` @ v${view.summary.version}` : '';
    document.title = `${tableTitle(view.table, view.summary)}${at} · Delta Explorer`;
  }, [view]);

  // A table opened by a plain URL joins the recent tables (see `frame/recent.ts` for what is never kept).
  const readyTableId = view.kind === 'ready' ? view.table.tableId : null;
  useEffect(() => {
    const from = origin.current;
    if (view.kind !== 'ready' || from?.kind !== 'url') return;
    setRecent(addRecent(from.param, tableTitle(view.table, view.summary)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [readyTableId]);

  /** Loads a table's snapshot (at `version`, or the latest), then its history. */
  const loadTable = useCallback(
    async (table: OpenedTable, options: { candidates?: TableCandidates; version?: number } = {}) => {
      const { candidates, version } = options;
      const o = begin();
      const signal = o.controller.signal;
      held.current.tableId = table.tableId;
      setError(null);
      setHistory({ kind: 'none' });
      setView({ kind: 'loading', table, progress: null, candidates });
      const onProgress = (p: WorkerProgress) => isCurrent(o) && setView((v) => (v.kind === 'loading' ? { ...v, progress: p } : v));
      let summary: SnapshotSummary;
      try {
        summary = await client.snapshot(table.tableId, version === undefined ? {} : { version }, { signal, onProgress });
      } catch (e) {
        if (!isCurrent(o)) return;
        const info = errorInfoOf(e);
        if (version === undefined || info.code === 'CANCELLED') {
          setView(candidates ? { kind: 'candidates', result: candidates } : { kind: 'idle' });
          setError(info);
          return;
        }
        // The version asked for cannot be shown: say why, and show the latest instead.
        setError({ ...info, hint: `Showing the latest version instead. ${info.hint ?? ''}`.trim() });
        writeUrl({ url: urlParam() }, 'replace', origin.current?.kind === 'local');
        try {
          summary = await client.snapshot(table.tableId, {}, { signal, onProgress });
        } catch (e2) {
          if (!isCurrent(o)) return;
          setView(candidates ? { kind: 'candidates', result: candidates } : { kind: 'idle' });
          setError(errorInfoOf(e2));
          return;
        }
      }
      if (!isCurrent(o)) return;
      // Transitions: the views of a big table render in slices that yield to the browser.
      startTransition(() => setView({ kind: 'ready', table, summary, candidates }));
      setHistory({ kind: 'loading', progress: null });
      try {
        const rows = await client.history(table.tableId, {
          signal,
          onProgress: (p) => isCurrent(o) && setHistory((h) => (h.kind === 'loading' ? { kind: 'loading', progress: p } : h)),
        });
        if (isCurrent(o)) startTransition(() => setHistory({ kind: 'ready', rows }));
      } catch (e) {
        if (isCurrent(o)) setHistory({ kind: 'error', error: errorInfoOf(e) });
      }
    },
    [client],
  );

  /** Opens a table (or folder of tables) by URL, as written in `?url=` (relative to the page or absolute). */
  const openUrl = useCallback(
    async (param: string, options: { version?: number; mode: UrlMode }) => {
      const o = begin();
      releaseHeld();
      setError(null);
      setHistory({ kind: 'none' });
      setUrlText(param);
      setRestore(null);
      forgetShare();
      let absolute: string;
      try {
        absolute = resolveTableUrl(param, document.baseURI);
      } catch {
        origin.current = null;
        setView({ kind: 'idle' });
        setError({ code: 'INVALID_ARGUMENT', message: `Not a URL: "${param}".`, hint: 'Give the http(s):// URL of the table root (the folder that holds _delta_log/).' });
        return;
      }
      origin.current = { kind: 'url', param, absolute };
      writeUrl({ url: param, version: options.version }, options.mode, false, options.mode === 'push');
      setView({ kind: 'opening', label: param });
      try {
        const result = await client.openUrl(absolute, { signal: o.controller.signal });
        if (!isCurrent(o)) return;
        held.current.sourceId = result.sourceId;
        if (result.kind === 'candidates') setView({ kind: 'candidates', result });
        else await loadTable(result, { version: options.version });
      } catch (e) {
        if (!isCurrent(o)) return;
        setView({ kind: 'idle' });
        setError(errorInfoOf(e));
      }
    },
    [client, loadTable],
  );

  /**
   * Opens a local folder. `restored`: reopened after a reload (the history entry stays as it was,
   * at its version).
   */
  const openFolder = useCallback(
    async (folder: PickedFolder, restored?: { version?: number }) => {
      const o = begin();
      releaseHeld();
      origin.current = { kind: 'local' };
      setUrlText('');
      setRestore(null);
      forgetShare();
      localEntry.current = { local: true, label: folder.label, source: 'folder' };
      if (folder.handle) void saveFolder(folder.handle);
      else void forgetSavedFolder();
      if (restored) writeUrl({ version: restored.version }, 'replace', true);
      else writeUrl({}, 'push', true, true);
      setError(null);
      setHistory({ kind: 'none' });
      setView({ kind: 'opening', label: folder.label });
      try {
        const result = await client.openFiles(folder.files, folder.label, { signal: o.controller.signal });
        if (!isCurrent(o)) return;
        held.current.sourceId = result.sourceId;
        if (result.kind === 'candidates') setView({ kind: 'candidates', result });
        else await loadTable(result, { version: restored?.version });
      } catch (e) {
        if (!isCurrent(o)) return;
        setView({ kind: 'idle' });
        setError(errorInfoOf(e));
      }
    },
    [client, loadTable],
  );

  /** Opens a saved folder handle (after a reload), at `version`. */
  const openSavedFolder = useCallback(
    async (saved: SavedFolder, version: number | undefined) => {
      try {
        const files = await filesFromDirectoryHandle(saved.handle);
        await openFolder({ label: saved.handle.name, files, handle: saved.handle }, { version });
      } catch (e) {
        setRestore({ kind: 'pick', label: saved.label });
        setError({ code: 'STORAGE_ERROR', message: `The folder "${saved.label}" could not be read again: ${e instanceof Error ? e.message : String(e)}` });
      }
    },
    [openFolder],
  );

  /**
   * First start on a history entry of a local folder (a reload): reopen the saved folder if the
   * browser still allows reading it, else say what to do. Never opens another table.
   */
  const restoreLocal = (entry: LocalEntry, version: number | undefined) => {
    origin.current = null;
    setView({ kind: 'idle' });
    const label = entry.label ?? '';
    if (entry.source === 'connection') {
      setRestore({ kind: 'connection', label });
      return;
    }
    void loadSavedFolder().then(async (saved) => {
      if (!saved || saved.label !== label) return setRestore({ kind: 'pick', label });
      const permission = await folderPermission(saved.handle);
      if (permission === 'granted') await openSavedFolder(saved, version);
      else if (permission === 'prompt') setRestore({ kind: 'prompt', saved });
      else setRestore({ kind: 'denied', label });
    });
  };

  /** "Reopen ‹folder›" after a reload: ask for permission (in the click), then open it. */
  const reopenSaved = (saved: SavedFolder) => {
    const version = readUrlState(window.location.search).version;
    void requestFolderPermission(saved.handle).then((p) => {
      if (p === 'granted') void openSavedFolder(saved, version);
      else setRestore({ kind: 'denied', label: saved.label });
    });
  };

  /** Shows what opening a place of an S3 / lakeFS connection gave (the panel made the call). */
  const openedRemote = useCallback(
    async (result: OpenResult) => {
      begin();
      releaseHeld();
      origin.current = { kind: 'local', remote: 'connection' };
      setUrlText('');
      setRestore(null);
      forgetShare();
      localEntry.current = { local: true, label: result.label, source: 'connection' };
      writeUrl({}, 'push', true, true);
      setError(null);
      setHistory({ kind: 'none' });
      held.current.sourceId = result.sourceId;
      if (result.kind === 'candidates') setView({ kind: 'candidates', result });
      else await loadTable(result);
    },
    [client, loadTable],
  );

  /** Opens the share link in the page URL's fragment (no credentials), at the link's version. */
  const openShareLink = useCallback(
    async (fragment: string, version: number | undefined) => {
      const o = begin();
      releaseHeld();
      origin.current = { kind: 'local', remote: 'share' };
      setUrlText('');
      setError(null);
      setHistory({ kind: 'none' });
      setView({ kind: 'opening', label: 'shared link' });
      try {
        const result = await client.openShare(fragment, { signal: o.controller.signal });
        if (!isCurrent(o)) return;
        held.current.sourceId = result.sourceId;
        if (result.kind === 'table' && result.remote?.kind === 'share') setShareExpiry(result.remote.expiresAtMs);
        if (result.kind === 'candidates') setView({ kind: 'candidates', result });
        else await loadTable(result, { version });
      } catch (e) {
        if (!isCurrent(o)) return;
        setView({ kind: 'idle' });
        setError(errorInfoOf(e));
      }
    },
    [client, loadTable],
  );

  const pickCandidate = useCallback(
    async (result: TableCandidates, c: TableCandidate) => {
      const o = begin();
      if (held.current.tableId) void client.close(held.current.tableId).catch(() => {});
      held.current.tableId = undefined;
      setError(null);
      // A table of a folder opened by URL has its own URL: record it, so the link opens that table.
      const from = origin.current;
      if (from?.kind === 'url') {
        const param = childTableUrl(from.param, c.path);
        origin.current = { kind: 'url', param, absolute: childTableUrl(from.absolute, c.path), folder: { param: from.param, absolute: from.absolute } };
        setUrlText(param);
        writeUrl({ url: param }, 'push', false, true);
      } else {
        writeUrl({}, 'replace', true);
      }
      try {
        const table = await client.openCandidate(result.sourceId, c.path);
        if (isCurrent(o)) await loadTable(table, { candidates: result });
      } catch (e) {
        if (isCurrent(o)) setError(errorInfoOf(e));
      }
    },
    [client, loadTable],
  );

  /** Shows another version of the open table (`undefined`: the latest). */
  const changeVersion = useCallback(
    async (target: Target, mode: UrlMode) => {
      const v = viewRef.current;
      if (v.kind !== 'ready') return;
      versionOp.current?.controller.abort();
      const o = { controller: new AbortController() };
      versionOp.current = o;
      const tableId = v.table.tableId;
      const byTime = typeof target === 'object' ? target.timestampMs : undefined;
      const version = typeof target === 'object' ? undefined : target;
      if (byTime === undefined) writeUrl({ url: urlParam(), version }, mode, origin.current?.kind === 'local');
      setError(null);
      setNotice(null);
      const sameTable = (x: View) => x.kind === 'ready' && x.table.tableId === tableId;
      setView((x) => (x.kind === 'ready' && sameTable(x) ? { ...x, switching: { version, progress: null } } : x));
      try {
        const request = byTime !== undefined ? { timestamp: byTime } : version === undefined ? {} : { version };
        const summary = await client.snapshot(tableId, request, {
          signal: o.controller.signal,
          onProgress: (p) =>
            versionOp.current === o && setView((x) => (x.kind === 'ready' && x.switching && sameTable(x) ? { ...x, switching: { ...x.switching, progress: p } } : x)),
        });
        if (versionOp.current !== o) return;
        setNotice(null);
        const h = historyRef.current;
        const last = h.kind === 'ready' ? h.rows.find((r) => r.version === summary.latestVersion) : undefined;
        if (byTime !== undefined && summary.version === summary.latestVersion && last && byTime > last.timestampMs) {
          setNotice(
            `${formatIso(byTime)} is after the last commit (version ${last.version}, committed ${formatIso(last.timestampMs)}): showing version ${last.version}, the latest. Later times have no commit of their own.`,
          );
        }
        if (byTime !== undefined) {
          writeUrl({ url: urlParam(), version: summary.version === summary.latestVersion ? undefined : summary.version }, mode, origin.current?.kind === 'local');
        }
        setView((x) => (x.kind === 'ready' && sameTable(x) ? { ...x, summary, switching: undefined } : x));
      } catch (e) {
        if (versionOp.current !== o) return;
        const info = errorInfoOf(e);
        if (info.code !== 'CANCELLED') setError(info);
        setView((x) => (x.kind === 'ready' && sameTable(x) ? { ...x, switching: undefined } : x));
      }
    },
    [client],
  );

  /** Brings the app to the state the page URL names (first start, back/forward). */
  const follow = (first: boolean) => {
    const state = readUrlState(window.location.search);
    const invalid: ErrorInfo | null = state.invalidVersion
      ? { code: 'INVALID_ARGUMENT', message: `The link's version "${state.invalidVersion}" is not a version number; showing the latest.`, hint: 'Versions are whole numbers from 0.' }
      : state.invalidView
        ? { code: 'INVALID_ARGUMENT', message: `The link's view "${state.invalidView}" is not a tab; showing the Overview.`, hint: `Tabs: ${VIEW_NAMES.join(', ')}.` }
        : null;
    const v = viewRef.current;
    const from = origin.current;
    if (!state.url) {
      const share = shareFragment();
      if (first && share) {
        void openShareLink(share, state.version).then(() => invalid && setError(invalid));
      } else if (first && (window.history.state as LocalEntry | null)?.local) {
        // A reload of a local folder's page: that folder again, or a plain word why not.
        restoreLocal(window.history.state as LocalEntry, state.version);
      } else if (first) {
        // First start with no table named: open the default sample, and say so in the URL.
        void openUrl(DEFAULT_SAMPLE.path, { mode: 'replace' });
      } else if (from?.kind === 'local' && v.kind === 'ready') {
        void changeVersion(state.version, 'none');
      } else if (from?.kind !== 'local') {
        // An entry of a local folder that is no longer open: nothing to show.
        begin();
        releaseHeld();
        origin.current = null;
        setUrlText('');
        setHistory({ kind: 'none' });
        setView({ kind: 'idle' });
      }
      return;
    }
    let absolute: string | undefined;
    try {
      absolute = resolveTableUrl(state.url, document.baseURI);
    } catch {
      absolute = undefined;
    }
    const sameSource = from?.kind === 'url' && absolute !== undefined && sameTableUrl(from.absolute, absolute);
    if (sameSource && v.kind === 'ready') {
      const target = state.version ?? v.summary.latestVersion;
      if (target !== v.summary.version || v.switching) void changeVersion(state.version, 'none');
    } else if (!(sameSource && (v.kind === 'loading' || v.kind === 'opening' || v.kind === 'candidates'))) {
      void openUrl(state.url, { version: state.version, mode: 'none' }).then(() => invalid && setError(invalid));
      return;
    }
    if (invalid) setError(invalid);
  };

  const cancel = () => op.current?.controller.abort();
  const cancelVersion = () => versionOp.current?.controller.abort();

  /** Back from a table to the list of tables of the folder it was picked from. */
  const backToCandidates = () => {
    const v = viewRef.current;
    if (v.kind !== 'ready' || !v.candidates) return;
    const candidates = v.candidates;
    begin();
    if (held.current.tableId) void client.close(held.current.tableId).catch(() => {});
    held.current.tableId = undefined;
    const from = origin.current;
    if (from?.kind === 'url' && from.folder) {
      // Back to the folder's own URL.
      origin.current = { kind: 'url', ...from.folder };
      setUrlText(from.folder.param);
      writeUrl({ url: from.folder.param }, 'push');
    }
    setHistory({ kind: 'none' });
    setError(null);
    setView({ kind: 'candidates', result: candidates });
  };

  const travel = (version: number) => void changeVersion(version, 'push');
  return {
    view,
    error,
    setError,
    history,
    urlText,
    recent,
    restore,
    setRestore,
    notice,
    setNotice,
    shareExpiry,
    origin,
    follow,
    openUrl,
    openFolder,
    openedRemote,
    pickCandidate,
    changeVersion,
    backToCandidates,
    reopenSaved,
    cancel,
    cancelVersion,
    travel,
  };
}
