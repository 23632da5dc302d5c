/**
 * Recently opened tables, one click away: kept in `localStorage` (newest first, at most
 * {@link MAX_RECENT}). Only tables opened by a plain public URL are kept — never a URL with a query
 * string, a fragment or user info (presigned URLs and tokens live there), and never S3/lakeFS
 * connections or share links (their credentials are not the app's to remember). A local folder is
 * offered separately through its saved handle (`saved-folder.ts`).
 */

/** One recent table. */
export interface RecentTable {
  /** The table URL as written in `?url=` (absolute, or relative to the page for bundled samples). */
  url: string;
  /** The name shown (the table's name or last path segment). */
  title: string;
  /** When it was last opened, ms since the epoch. */
  openedAtMs: number;
}

const KEY = 'delta-explorer.recent';
/** How many recent tables are kept. */
export const MAX_RECENT = 8;

/** Whether a table URL may be remembered: no query string, fragment or user info. */
export function rememberable(url: string): boolean {
  if (/[?#]/.test(url)) return false;
  try {
    const u = new URL(url, 'http://relative.invalid/');
    return !u.username && !u.password && (u.protocol === 'http:' || u.protocol === 'https:');
  } catch {
    return false;
  }
}

/** The recent tables, newest first (empty when storage is unavailable or holds garbage). */
export function loadRecent(): RecentTable[] {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((r): r is RecentTable => !!r && typeof r.url === 'string' && typeof r.title === 'string' && typeof r.openedAtMs === 'number' && rememberable(r.url))
      .slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

/** Records a table as just opened (ignored when its URL may not be remembered); returns the new list. */
export function addRecent(url: string, title: string, nowMs = Date.now()): RecentTable[] {
  const list = loadRecent();
  if (!rememberable(url)) return list;
  const next = [{ url, title, openedAtMs: nowMs }, ...list.filter((r) => r.url !== url)].slice(0, MAX_RECENT);
  try {
    localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // storage full or disabled: the list lives for this page only
  }
  return next;
}

/** Forgets every recent table. */
export function clearRecent(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing to forget
  }
}
