/**
 * The contract between the app shell and each tab view. Every view follows the selected version:
 * `summary.version` is the version shown, and `onTravel(v)` asks the shell to travel to another one.
 * Views fetch what they need through `client` (summaries and pages, never whole logs) and render it;
 * they keep their own UI state (sorting, search) and put nothing in the URL but through `setParam`.
 */
import type { HistoryRow, OpenedTable, SnapshotSummary } from '../../workers/api.ts';
import type { ExplorerClient } from '../worker-client.ts';
import type { ViewName } from './tabs.ts';

/** Where a view sends the user: another tab, at another version when given, with that tab's URL parameters. */
export interface NavigateTarget {
  view: ViewName;
  /** The version to show (the selected version stays when absent). */
  version?: number;
  /** The target tab's parameters (`tabs.ts`), e.g. `{ compare: '3' }`; null removes one. */
  params?: Record<string, string | null>;
}

export interface ViewProps {
  client: ExplorerClient;
  /** The open table (`table.tableId` for worker calls). */
  table: OpenedTable;
  /** The snapshot shown (the selected version). */
  summary: SnapshotSummary;
  /** The table's history (newest first) once loaded, else null. */
  history: HistoryRow[] | null;
  /** Travel to a version (the shell updates the URL and every view). */
  onTravel: (version: number) => void;
  /** Shows another tab (one browser-history entry), e.g. Compare for two versions picked in History. */
  onNavigate: (to: NavigateTarget) => void;
  /** A view-specific URL parameter (e.g. `from`, `to` of the Changes view), read and written through the shell. */
  param: (name: string) => string | null;
  setParam: (name: string, value: string | null) => void;
}
