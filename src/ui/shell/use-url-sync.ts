/**
 * The page URL as the app's state, on the shell's side (see `url-state.ts` for the format): the tab
 * shown (`?view=`, from the tab list in `views/tabs.ts`), the parameters views keep there
 * (`param`/`setParam`), writing the table and version into the URL with the right kind of history
 * entry, and following the URL on first start and on back/forward (`popstate`).
 *
 * A local folder (or a table of an S3/lakeFS connection, or a share link) cannot be named in a
 * URL: its entries keep every parameter but `url=`, and their history state ({@link LocalEntry})
 * says what was shown, so a reload can reopen the folder or say it must be picked again.
 */
import { useEffect, useRef, useState } from 'react';
import { DEFAULT_VIEW, hrefForAnotherTable, hrefWithParams, hrefWithState, readUrlState, type UrlState, type ViewName } from '../url-state.ts';

/** How a change is recorded in the browser history. */
export type UrlMode = 'push' | 'replace' | 'none';

/** The history entry state of a page that shows a local folder or a connection's table (survives a reload). */
export interface LocalEntry {
  local: true;
  /** The folder's (or table's) name. */
  label?: string;
  /** A picked or dropped folder, or a table of an S3/lakeFS connection. */
  source?: 'folder' | 'connection';
}

/** The page URL's share fragment (`share=` or `share-url=`), or null. */
export function shareFragment(): string | null {
  const h = window.location.hash.replace(/^#/, '');
  return /^(share|share-url)=/.test(h) ? h : null;
}

/** Removes a share fragment from the page URL (another table is being opened). */
export function dropShareFragment(): void {
  if (shareFragment() !== null) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}

/**
 * Records the table and version in the page URL. `local`: the entry's state is `entry` (a local
 * folder or connection). `fresh`: another table, so the parameters views kept for the old one
 * (`sql=`, `commit=`...) go; the tab stays.
 */
export function writeUrl(state: Pick<UrlState, 'url' | 'version'>, mode: UrlMode, entry: LocalEntry | null, fresh = false): void {
  if (mode === 'none') return;
  const base = fresh ? new URL(hrefForAnotherTable(window.location.href), window.location.href).href : window.location.href;
  const href = hrefWithState(base, state);
  const here = window.location.pathname + window.location.search + window.location.hash;
  if (mode === 'push' && href !== here) window.history.pushState(entry, '', href);
  else window.history.replaceState(entry, '', href);
}

/** What {@link useUrlSync} gives the shell. */
export interface UrlSync {
  /** The tab shown. */
  tab: ViewName;
  /** Shows another tab (a history entry, so back returns to the previous tab). */
  selectTab: (name: ViewName) => void;
  /** A view's URL parameter. */
  param: (name: string) => string | null;
  /** Sets (or, with null, removes) a view's URL parameter in place, and re-renders the views. */
  setParam: (name: string, value: string | null) => void;
}

/**
 * The tab and view parameters in the URL, and the URL followed: `follow(first)` runs once on first
 * start and again on every back/forward, after the tab has been read from the URL (the shell
 * brings the table and version to what the URL says).
 */
export function useUrlSync(follow: (first: boolean) => void): UrlSync {
  const [tab, setTab] = useState<ViewName>(() => readUrlState(window.location.search).view ?? DEFAULT_VIEW);
  /** Bumped when a view parameter changes, so views re-read `param()`. */
  const [, setParamsTick] = useState(0);
  const followRef = useRef(follow);
  followRef.current = follow;
  const started = useRef(false);

  useEffect(() => {
    const run = (first: boolean) => {
      setTab(readUrlState(window.location.search).view ?? DEFAULT_VIEW);
      setParamsTick((n) => n + 1);
      followRef.current(first);
    };
    const onPop = () => run(false);
    window.addEventListener('popstate', onPop);
    if (!started.current) {
      started.current = true;
      run(true);
    }
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const selectTab = (name: ViewName) => {
    if (name === tab) return;
    setTab(name);
    const href = hrefWithState(window.location.href, { ...readUrlState(window.location.search), view: name });
    window.history.pushState(window.history.state, '', href);
  };
  const param = (name: string) => new URLSearchParams(window.location.search).get(name);
  const setParam = (name: string, value: string | null) => {
    if (param(name) === value) return;
    window.history.replaceState(window.history.state, '', hrefWithParams(window.location.href, { [name]: value }));
    setParamsTick((n) => n + 1);
  };
  return { tab, selectTab, param, setParam };
}
