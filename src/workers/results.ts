/**
 * Query results as they cross the worker boundary: the column list, and the first rows as an Arrow
 * IPC stream in a buffer of its own (so it can be transferred, not copied).
 */
import * as arrow from 'apache-arrow';
import { duckTypeOfArrow } from '../query/types.ts';
import type { ResultColumn } from './api.ts';

/** Name and DuckDB type name of each column of a result. */
export function resultColumns(table: arrow.Table): ResultColumn[] {
  return table.schema.fields.map((f) => ({ name: f.name, type: duckTypeOfArrow(f.type) }));
}

/**
 * The first `maxRows` rows of `table` as an Arrow IPC stream whose buffer holds nothing else.
 * `truncated` says whether rows were left out.
 */
export function encodeRows(table: arrow.Table, maxRows: number): { ipc: Uint8Array; truncated: boolean } {
  const truncated = table.numRows > maxRows;
  const rows = truncated ? table.slice(0, maxRows) : table;
  const ipc = arrow.tableToIPC(rows, 'stream');
  const whole = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength && ipc.buffer instanceof ArrayBuffer;
  return { ipc: whole ? ipc : ipc.slice(), truncated };
}
