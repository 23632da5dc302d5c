/**
 * Per-version counts of a Change Data Feed plan (reads and estimated rows per change kind), for the
 * Changes view's chart and the CLI. No I/O.
 */
import type { ChangePlan } from './plan.ts';

/** Reads of one kind in one version: how many, and how many rows they yield (estimated). */
export interface ChangeTypeCount {
  /** Number of reads (a DV pair counts once per kind it yields). */
  files: number;
  /** Rows, from stats and DV cardinalities; null when any read's row count is unknown. */
  estimatedRows: number | null;
}

/** Per-version summary of a {@link ChangePlan}, for a chart. */
export interface ChangeTypeCounts {
  version: number;
  /** `_commit_timestamp`, ms since the epoch. */
  timestampMs: number;
  /** Reads of inserted rows (`add`, `dvRestore`). */
  insert: ChangeTypeCount;
  /** Reads of deleted rows (`remove`, `dvDelete`). */
  delete: ChangeTypeCount;
  /**
   * Change data files: their rows' types (`insert`, `delete`, `update_preimage`,
   * `update_postimage`) are only known by reading them; `cdc` actions carry no stats, so
   * `estimatedRows` is null whenever `files` is not 0.
   */
  cdc: ChangeTypeCount;
  /** Sum of the three, or null when any is unknown. */
  estimatedRows: number | null;
}

/**
 * Counts a plan's reads per version and kind (no I/O). Versions without reads are included with
 * zero counts so a chart shows every commit of the range.
 */
export function changeTypeCounts(plan: ChangePlan): ChangeTypeCounts[] {
  return plan.versions.map((v) => {
    const counts = { insert: { files: 0, estimatedRows: 0 as number | null }, delete: { files: 0, estimatedRows: 0 as number | null }, cdc: { files: 0, estimatedRows: 0 as number | null } };
    for (const r of v.reads) {
      const c = r.source === 'cdc' ? counts.cdc : r.changeType === 'delete' ? counts.delete : counts.insert;
      c.files++;
      c.estimatedRows = c.estimatedRows === null || r.estimatedRows === null ? null : c.estimatedRows + r.estimatedRows;
    }
    const parts = [counts.insert.estimatedRows, counts.delete.estimatedRows, counts.cdc.estimatedRows];
    return {
      version: v.version,
      timestampMs: v.timestampMs,
      ...counts,
      estimatedRows: parts.some((p) => p === null) ? null : parts.reduce<number>((s, p) => s + p!, 0),
    };
  });
}
