/**
 * The page URL is the app's state: `?url=<table URL>&version=N&view=history` opens that table at that
 * version on that tab, so every screen is a link (views may add their own parameters, e.g. `sql=`). This module reads and writes those parameters (keeping any others),
 * and resolves a table URL given relative to the page. A local folder cannot be named in a URL:
 * its state is everything but `url=`.
 *
 * Query values are percent-encoded except `/` and `:`, which a query may hold as they are, so links
 * stay readable (`?url=https://host/warehouse/t&version=3`).
 */

// The tab names come from the tab list (`views/tabs.ts`), the one place tabs are listed.
import { DEFAULT_VIEW, VIEW_NAMES, VIEW_PARAMS, type ViewName } from './views/tabs.ts';
export { DEFAULT_VIEW, VIEW_NAMES, VIEW_PARAMS, type ViewName };

/** The app state the URL carries. */
export interface UrlState {
  /** The table (or folder of tables) URL as given: absolute, or relative to the page. */
  url?: string;
  /** The version to show; absent for the latest. */
  version?: number;
  /** A `version=` value that is not a whole number from 0 (reported, then ignored). */
  invalidVersion?: string;
  /** The tab shown (`?view=`); absent for the Overview. */
  view?: ViewName;
  /** A `view=` value that names no tab (reported, then ignored). */
  invalidView?: string;
}

/** Whether `s` names a tab. */
export function isViewName(s: string): s is ViewName {
  return (VIEW_NAMES as readonly string[]).includes(s);
}

/** Reads the state from a query string (`location.search`). */
export function readUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const state: UrlState = {};
  const url = params.get('url')?.trim();
  if (url) state.url = url;
  const version = params.get('version')?.trim();
  if (version) {
    if (/^\d+$/.test(version) && Number.isSafeInteger(Number(version))) state.version = Number(version);
    else state.invalidVersion = version;
  }
  const view = params.get('view')?.trim().toLowerCase();
  if (view) {
    if (isViewName(view)) {
      if (view !== DEFAULT_VIEW) state.view = view;
    } else state.invalidView = view;
  }
  return state;
}

/** Encodes a query value, leaving `/` and `:` readable. */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F/gi, '/').replace(/%3A/gi, ':');
}

/**
 * The page URL (path, query, hash) carrying `state`: `url` and `version` first, then every other
 * parameter of `href` unchanged. Absent fields are removed.
 */
export function hrefWithState(href: string, state: Pick<UrlState, 'url' | 'version'> & { view?: ViewName | null }): string {
  const u = new URL(href);
  const parts: string[] = [];
  if (state.url) parts.push(`url=${encodeQueryValue(state.url)}`);
  if (state.version !== undefined) parts.push(`version=${state.version}`);
  const viewGiven = 'view' in state;
  if (viewGiven && state.view && state.view !== DEFAULT_VIEW) parts.push(`view=${state.view}`);
  for (const [k, v] of new URLSearchParams(u.search)) {
    if (k === 'url' || k === 'version' || (viewGiven && k === 'view')) continue;
    parts.push(`${encodeQueryValue(k)}=${encodeQueryValue(v)}`);
  }
  return `${u.pathname}${parts.length ? '?' + parts.join('&') : ''}${u.hash}`;
}

/**
 * The page URL for another table: the parameters views keep for the table shown
 * ({@link VIEW_PARAMS}, e.g. `sql=`, `commit=`) and `url`/`version` removed; the tab and every
 * other parameter (e.g. `dx-net=`) kept.
 */
export function hrefForAnotherTable(href: string): string {
  const u = new URL(href);
  const params: Record<string, null> = { url: null, version: null };
  for (const k of new URLSearchParams(u.search).keys()) if (VIEW_PARAMS.has(k)) params[k] = null;
  return hrefWithParams(href, params);
}

/**
 * The page URL with other parameters set (a string) or removed (null), everything else kept in
 * order; new parameters go last.
 */
export function hrefWithParams(href: string, params: Record<string, string | null>): string {
  const u = new URL(href);
  const parts: string[] = [];
  const done = new Set<string>();
  for (const [k, v] of new URLSearchParams(u.search)) {
    if (k in params) {
      if (done.has(k)) continue;
      done.add(k);
      const nv = params[k];
      if (nv !== null) parts.push(`${encodeQueryValue(k)}=${encodeQueryValue(nv)}`);
    } else parts.push(`${encodeQueryValue(k)}=${encodeQueryValue(v)}`);
  }
  for (const [k, v] of Object.entries(params)) {
    if (!done.has(k) && v !== null) parts.push(`${encodeQueryValue(k)}=${encodeQueryValue(v)}`);
  }
  return `${u.pathname}${parts.length ? '?' + parts.join('&') : ''}${u.hash}`;
}

/**
 * Resolves a table URL given relative to the page (e.g. `samples/t`) to an absolute one; a
 * `host:port/...` typed without scheme gets `http://`.
 */
export function resolveTableUrl(url: string, baseHref: string): string {
  const text = url.trim();
  return new URL(/^[a-z0-9.-]+:\d+(\/|$)/i.test(text) ? `http://${text}` : text, baseHref).href;
}

/** Whether two absolute table URLs name the same folder (trailing slashes and fragments aside). */
export function sameTableUrl(a: string, b: string): boolean {
  const norm = (s: string) => {
    try {
      const u = new URL(s);
      u.hash = '';
      return u.href.replace(/\/+$/, '');
    } catch {
      return s.replace(/\/+$/, '');
    }
  };
  return norm(a) === norm(b);
}

/** The URL of a table inside an opened folder URL (a candidate's path, `/`-separated). */
export function childTableUrl(folderUrl: string, path: string): string {
  return `${folderUrl.replace(/\/+$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;
}
