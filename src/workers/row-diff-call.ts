/**
 * The worker call behind the row-level diff (`ExplorerApi.rowDiff`): checks the request, runs
 * `src/query/row-diff.ts` on the sessions the data plane gives, holds the differing rows for the
 * grid (`results.ts`) and encodes the first ones as Arrow IPC, like `sql`.
 */
import { DeltaError, throwIfAborted } from '../delta/errors.ts';
import { rowDiff, type RowDiffCounts } from '../query/row-diff.ts';
import type { QuerySession } from '../query/session.ts';
import type { ResultColumn } from './api.ts';
import { encodeRows, resultColumns, type HeldResults } from './results.ts';

export type { RowDiffCounts } from '../query/row-diff.ts';

/** Most key columns a request may name. */
export const MAX_ROW_DIFF_KEY = 16;

/** What {@link ExplorerApi.rowDiff} is asked: two sides, an optional key. */
export interface RowDiffRequest {
  /** Side A: an open table and a version of it (default: the latest). */
  a: { tableId: string; version?: number };
  /** Side B: the same table (two versions) or another open table (e.g. the same table at another lakeFS ref). */
  b: { tableId: string; version?: number };
  /** Key columns; empty or absent: whole rows (multisets). */
  key?: string[];
  /** Check against the Change Data Feed (one table only; default true). */
  checkChanges?: boolean;
  /** Rows sent in `ipc` (default 1,000, at most 100,000); the whole diff is held when `hold`. */
  maxRows?: number;
  /** Hold the whole diff for the grid (`resultPage` etc.), as {@link SqlRequest.hold}. */
  hold?: boolean;
}

/** The answer of {@link ExplorerApi.rowDiff}. */
export interface RowDiffResult {
  versionA: number;
  versionB: number;
  /** The key used, or null for whole rows. */
  key: string[] | null;
  counts: RowDiffCounts;
  /** Columns compared (both sides have them; the key excluded), and those only one side has. */
  compared: string[];
  onlyInA: string[];
  onlyInB: string[];
  /** What was verified (rows against the log, counts against the Change Data Feed), or why not. */
  checks: string[];
  /** `_diff`, `_side`, `_changed_columns`, then the table's columns. */
  columns: ResultColumn[];
  numRows: number;
  truncated: boolean;
  /** The first `maxRows` rows as an Arrow IPC stream (transferred). */
  ipc: Uint8Array;
  /** With `hold`: the id of the whole diff in the worker. */
  resultId?: string;
  durationMs: number;
}

/**
 * The key of a request, checked.
 * @throws DeltaError `INVALID_ARGUMENT` for a key that is not a list of at most
 *   {@link MAX_ROW_DIFF_KEY} non-empty names.
 */
export function checkRowDiffKey(key: unknown): string[] {
  if (key === undefined || key === null) return [];
  if (!Array.isArray(key) || key.length > MAX_ROW_DIFF_KEY || key.some((k) => typeof k !== 'string' || k.trim() === '' || k.length > 1024)) {
    throw new DeltaError('INVALID_ARGUMENT', `The key must be a list of at most ${MAX_ROW_DIFF_KEY} column names.`);
  }
  return key as string[];
}

/**
 * Runs the diff of `request` with session `a` (table A) and `b` (table B; the same object for one
 * table) and shapes the answer. `maxRows` is already checked.
 * @throws DeltaError as `rowDiff` (`INVALID_ARGUMENT`, `DATA_INTEGRITY`, `VERSION_NOT_FOUND`, …).
 */
export async function runRowDiff(
  a: QuerySession,
  b: QuerySession,
  request: RowDiffRequest,
  maxRows: number,
  results: HeldResults,
  signal: AbortSignal,
  now: () => number,
): Promise<RowDiffResult> {
  const key = checkRowDiffKey(request.key);
  for (const v of [request.a.version, request.b.version]) {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw new DeltaError('INVALID_ARGUMENT', `Version ${String(v)} is not a whole number ≥ 0.`);
  }
  const started = now();
  const d = await rowDiff({ session: a, version: request.a.version }, { session: b, version: request.b.version }, { key, checkChanges: request.checkChanges, signal });
  throwIfAborted(signal);
  const { ipc, truncated } = encodeRows(d.rows, maxRows);
  const value: RowDiffResult = {
    versionA: d.versionA,
    versionB: d.versionB,
    key: d.key,
    counts: d.counts,
    compared: d.compared,
    onlyInA: d.onlyInA,
    onlyInB: d.onlyInB,
    checks: d.checks,
    columns: resultColumns(d.rows),
    numRows: d.rows.numRows,
    truncated,
    ipc,
    durationMs: Math.round(now() - started),
  };
  if (request.hold) value.resultId = results.hold(d.rows);
  return value;
}
