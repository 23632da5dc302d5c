/**
 * Lists shown in the result grid (Files, History; issue #13 item 2) cross the worker boundary as
 * SQL results do: the whole Arrow table is held in the worker (`results.ts`, so the grid pages,
 * sorts, filters, profiles and copies it there) and its first rows travel as Arrow IPC.
 */
import type * as arrow from 'apache-arrow';
import type { ResultColumn } from './api.ts';
import { encodeRows, resultColumns, type HeldResults } from './results.ts';

/** A list held in the worker for the grid. */
export interface HeldTable {
  /** Id for `resultPage` / `resultProfile` / `resultColumn`; free it with `releaseResult`. */
  resultId: string;
  columns: ResultColumn[];
  numRows: number;
  /** The first rows as an Arrow IPC stream (transferred). */
  ipc: Uint8Array;
  truncated: boolean;
}

/** Rows sent with a held list (the grid fetches the others in pages). */
export const HELD_FIRST_ROWS = 500;

/** Holds `table` in `results` and describes it. */
export function holdTable(table: arrow.Table, results: HeldResults): HeldTable {
  const { ipc, truncated } = encodeRows(table, HELD_FIRST_ROWS);
  return { resultId: results.hold(table), columns: resultColumns(table), numRows: table.numRows, ipc, truncated };
}
