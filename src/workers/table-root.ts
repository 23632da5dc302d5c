/**
 * Finding the Delta table(s) in a folder the user opened.
 *
 * A table root is a folder that holds `_delta_log/`. The opened folder may be the table itself, a
 * folder of tables (each in a sub-folder, at any depth), or the `_delta_log` folder alone.
 */
import { parseLogFileName } from '../delta/log/listing.ts';
import type { TableCandidate } from './api.ts';

const LOG = '_delta_log';

/** Where the table(s) are in a list of root-relative paths. */
export type TableLayout =
  /** The opened folder is the table root. */
  | { kind: 'root' }
  /** The opened folder is a `_delta_log` folder: its files belong under `_delta_log/` of a table with no data files. */
  | { kind: 'log-only' }
  /** Tables in sub-folders (one or more), sorted by path. */
  | { kind: 'nested'; candidates: TableCandidate[] }
  /** No table anywhere. */
  | { kind: 'none' };

/**
 * Decides the layout of an opened folder from its files' paths (relative to it, `/`-separated).
 * @param label the opened folder's name (a folder named `_delta_log` holding log files is log-only).
 */
export function detectTableLayout(paths: readonly string[], label = ''): TableLayout {
  if (paths.some((p) => p.startsWith(`${LOG}/`))) return { kind: 'root' };

  const roots = new Map<string, TableCandidate>();
  let topLevelLogFiles = 0;
  for (const p of paths) {
    if (!p.includes('/')) {
      const f = parseLogFileName(p);
      if (f && f.type !== 'crc') topLevelLogFiles++;
      continue;
    }
    const at = p.indexOf(`/${LOG}/`);
    if (at < 0) continue;
    const root = p.slice(0, at);
    let c = roots.get(root);
    if (!c) {
      c = { path: root, numLogFiles: 0, latestVersion: null, hasCheckpoint: false };
      roots.set(root, c);
    }
    const rest = p.slice(at + LOG.length + 2);
    if (rest.includes('/')) continue; // _sidecars/, _staged_commits/ ...
    c.numLogFiles++;
    const f = parseLogFileName(rest);
    if (f && (f.type === 'commit' || f.type === 'checkpoint')) {
      c.latestVersion = Math.max(c.latestVersion ?? -1, f.version);
      if (f.type === 'checkpoint') c.hasCheckpoint = true;
    }
  }
  if (roots.size) {
    const candidates = [...roots.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { kind: 'nested', candidates };
  }
  if (topLevelLogFiles > 0 && (label === LOG || paths.every(isLogFolderEntry))) return { kind: 'log-only' };
  return { kind: 'none' };
}

/** True for what a `_delta_log` folder holds: log files, `_last_checkpoint`, hidden files, its sub-folders. */
function isLogFolderEntry(p: string): boolean {
  if (p.includes('/')) return p.startsWith('_sidecars/') || p.startsWith('_staged_commits/');
  return p === '_last_checkpoint' || p.startsWith('.') || parseLogFileName(p) !== undefined;
}
