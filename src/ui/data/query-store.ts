/**
 * The SQL editor's query tabs and query history, kept in `localStorage` so they outlive a reload.
 * Queries only — never results, table URLs or credentials. Tabs hold the text being edited; the
 * history holds queries that were run (newest first, at most {@link MAX_HISTORY}, duplicates
 * moved to the top).
 */

/** One query tab. */
export interface QueryTab {
  id: string;
  title: string;
  text: string;
}

/** One query that was run. */
export interface HistoryEntry {
  text: string;
  /** When it was run, ms since the epoch. */
  atMs: number;
  /** Rows it returned, or null when it failed. */
  rows: number | null;
}

export interface QueryTabs {
  tabs: QueryTab[];
  active: string;
}

const TABS_KEY = 'delta-explorer.sql-tabs';
const HISTORY_KEY = 'delta-explorer.sql-history';
export const MAX_HISTORY = 50;
export const MAX_TABS = 8;

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or disabled: kept for this page only
  }
}

/** The saved tabs, or one tab holding `initial`. A `sql=` link (`fromLink`) replaces the active tab's text. */
export function loadTabs(initial: string, fromLink?: string): QueryTabs {
  const saved = read<QueryTabs>(TABS_KEY);
  let tabs: QueryTabs =
    saved && Array.isArray(saved.tabs) && saved.tabs.length && saved.tabs.every((t) => typeof t?.id === 'string' && typeof t.text === 'string')
      ? { tabs: saved.tabs.slice(0, MAX_TABS), active: saved.tabs.some((t) => t.id === saved.active) ? saved.active : saved.tabs[0].id }
      : { tabs: [{ id: 'q1', title: 'Query 1', text: initial }], active: 'q1' };
  if (fromLink !== undefined) tabs = { ...tabs, tabs: tabs.tabs.map((t) => (t.id === tabs.active ? { ...t, text: fromLink } : t)) };
  return tabs;
}

export function saveTabs(tabs: QueryTabs): void {
  write(TABS_KEY, tabs);
}

/** A new tab's id and title, unused by `tabs`. */
export function newTab(tabs: QueryTabs, text: string): QueryTabs {
  let n = tabs.tabs.length + 1;
  while (tabs.tabs.some((t) => t.id === `q${n}`)) n++;
  const tab = { id: `q${n}`, title: `Query ${n}`, text };
  return { tabs: [...tabs.tabs, tab].slice(-MAX_TABS), active: tab.id };
}

/** Closes a tab (the last one cannot be closed). */
export function closeTab(tabs: QueryTabs, id: string): QueryTabs {
  if (tabs.tabs.length <= 1) return tabs;
  const i = tabs.tabs.findIndex((t) => t.id === id);
  const rest = tabs.tabs.filter((t) => t.id !== id);
  return { tabs: rest, active: tabs.active === id ? rest[Math.max(0, i - 1)].id : tabs.active };
}

export function loadHistory(): HistoryEntry[] {
  const h = read<HistoryEntry[]>(HISTORY_KEY);
  return Array.isArray(h) ? h.filter((e) => typeof e?.text === 'string' && typeof e.atMs === 'number').slice(0, MAX_HISTORY) : [];
}

/** Records a run query; returns the new history. */
export function addHistory(text: string, rows: number | null, nowMs = Date.now()): HistoryEntry[] {
  const next = [{ text, atMs: nowMs, rows }, ...loadHistory().filter((e) => e.text !== text)].slice(0, MAX_HISTORY);
  write(HISTORY_KEY, next);
  return next;
}
