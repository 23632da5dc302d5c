/**
 * Two clocks of a commit (Delta PROTOCOL.md, "Commit Provenance Information" and "In-Commit
 * Timestamps"): the protocol's commit time — the in-commit timestamp when the table has them, else
 * the commit file's modification time — and the writer's `commitInfo.timestamp`, which is only
 * informational. Copying a table (or restoring it from a backup) resets the files' modification
 * times, so time travel by time then follows the copy's clock, not the writers'. This module says
 * when that seems to have happened.
 */
import type { HistoryRow } from '../../workers/api.ts';

/** The writer's `commitInfo.timestamp` of a commit (ms), or null. */
export function writerTimestamp(row: HistoryRow): number | null {
  const t = (row.commitInfo as { timestamp?: unknown } | null)?.timestamp;
  const n = typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** What {@link fileTimesReset} found. */
export interface ResetFinding {
  /** Commits whose protocol time comes from the file time and whose writer time differs by over an hour. */
  commits: number;
  /** Of the commits that have both clocks. */
  compared: number;
  /** Largest difference seen, ms. */
  maxDifferenceMs: number;
}

/** Differences below this are clock skew or slow storage, not a copy. */
export const RESET_THRESHOLD_MS = 3_600_000;

/**
 * Whether the commit files' modification times look reset: most commits timed by their file
 * (no in-commit timestamp) are more than an hour away from their writer's `commitInfo.timestamp`.
 * Null when they agree, or when there is nothing to compare.
 */
export function fileTimesReset(rows: readonly HistoryRow[]): ResetFinding | null {
  let compared = 0;
  let off = 0;
  let maxDiff = 0;
  for (const r of rows) {
    if (r.timestampSource !== 'fileModificationTime') continue;
    const w = writerTimestamp(r);
    if (w === null) continue;
    compared++;
    const d = Math.abs(r.fileModificationTimeMs - w);
    if (d > RESET_THRESHOLD_MS) off++;
    maxDiff = Math.max(maxDiff, d);
  }
  return compared > 0 && off * 2 > compared ? { commits: off, compared, maxDifferenceMs: maxDiff } : null;
}
