/**
 * The Overview's record counts when the summary came without checkpoint stats: the worker builds
 * the summary with `stats: 'lazy'` (the stats are most of a checkpoint's bytes, and files, bytes,
 * partitions, protocol and schema need none of them) and starts loading them at once; this asks
 * `snapshotStats` for the counts and health hints computed with them. Until they arrive the view
 * says "loading stats…"; a failed load is an error in place — never 0, never "no stats".
 */
import { useState } from 'react';
import type { ErrorInfo, SnapshotSummary } from '../../workers/api.ts';
import { useWorkerLoad } from '../components/use-worker-load.ts';
import type { ExplorerClient } from '../worker-client.ts';

/** What the Overview shows of the stats-derived facts. */
export interface OverviewStats {
  totals: SnapshotSummary['totals'];
  health: SnapshotSummary['health'];
  /** `loading`: still pending in the worker; `error`: their load failed (see `error`); `ready`: as given. */
  state: 'ready' | 'loading' | 'error';
  error: ErrorInfo | null;
  /** Asks the worker again (after an error: it loads the stats again). */
  retry: () => void;
}

/**
 * The summary's totals and health, with the stats-derived parts filled in once the worker has
 * loaded the checkpoint stats (only asked when `summary.totals.statsPending`). Without a client
 * (static rendering) pending stats stay `loading`.
 */
export function useOverviewStats(client: ExplorerClient | undefined, summary: SnapshotSummary): OverviewStats {
  const pending = !!summary.totals.statsPending;
  const [attempt, setAttempt] = useState(0);
  const load = useWorkerLoad(
    (signal) => (pending && client ? client.snapshotStats(summary.tableId, summary.version, { signal }) : Promise.resolve(null)),
    [client, summary.tableId, summary.version, pending, attempt],
  );
  const got = load.value;
  const retry = () => setAttempt((n) => n + 1);
  const given = { totals: summary.totals, health: summary.health, retry };
  if (!pending) return { ...given, state: 'ready', error: null };
  if (got && got.tableId === summary.tableId && got.version === summary.version && !got.totals.statsPending) {
    return { totals: got.totals, health: got.health, retry, state: 'ready', error: null };
  }
  if (load.error && !load.busy) return { ...given, state: 'error', error: load.error };
  return { ...given, state: 'loading', error: null };
}
