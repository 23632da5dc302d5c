/**
 * The envelope of every worker answer ({@link Result}) and progress reports ({@link WorkerProgress}).
 *
 * Part of the worker API (`../api.ts`, which re-exports every name): plain, structured-clone-safe
 * values. Units: sizes in bytes, times in ms since the Unix epoch, durations in ms.
 */
import type { ChecksumTotals } from '../../delta/checksum.ts';
import type { ErrorInfo } from '../../delta/errors.ts';

/** The envelope of every answer: a value, or a structured error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** A progress report of a long call: `done` of `total` units (log files, commits) of a phase. */
export interface WorkerProgress {
  /**
   * `open`: walking a directory handle; `listing`: listing `_delta_log/`; `commits`: reading commit
   * files after the checkpoint; `checkpoint`: reading checkpoint parts and sidecars; `replay`:
   * reconciling actions; `history`: reading every commit's `commitInfo`; `engine`: starting the
   * SQL engine (DuckDB-WASM, fetched and compiled on the first data call: 0/1, then 1/1); `query`:
   * planning, reading data files and running a query (no total until planned; then, with `unit`
   * `bytes`, the bytes read so far of the planned files' size).
   */
  phase: 'open' | 'listing' | 'commits' | 'checkpoint' | 'replay' | 'history' | 'engine' | 'query';
  done: number;
  /** 0 when not known yet. */
  total: number;
  /**
   * While a snapshot loads: the totals of the version's checksum file (`<version>.crc`), once read —
   * the writer's numbers, not yet checked (the replay checks them; a disagreement is a summary
   * warning). See `LoadProgress.checksum`.
   */
  checksum?: ChecksumTotals;
  /** What `done` and `total` count: `bytes`, or (absent) parts (files, commits, entries). */
  unit?: 'bytes';
}

/** A progress callback; pass it as `Comlink.proxy(fn)`. */
export type ProgressCallback = (p: WorkerProgress) => void;
