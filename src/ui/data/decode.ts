/**
 * Turns the Arrow IPC stream of a data call into text cells for the grid, on the UI thread. The
 * stream holds at most the `maxRows` the call asked for, so decoding it all is cheap. Loaded with a
 * dynamic `import()` so apache-arrow is not part of the app's first load.
 *
 * Text is `values.ts` `cellText` (what CSV export writes: ISO-8601 timestamps, exact decimals,
 * nested values as JSON, binary as base64); `null` stays `null` so the grid can mark it.
 */
import { tableFromIPC } from 'apache-arrow';
import { cellText, columnCells } from '../../query/values.ts';

/** Rows of text cells; `null` is SQL NULL. */
export type TextRows = (string | null)[][];

export function decodeRows(ipc: Uint8Array): TextRows {
  const table = tableFromIPC(ipc);
  const cols = table.schema.fields.map((_f, k) => columnCells(table.getChildAt(k)!));
  const rows: TextRows = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) rows[r] = cols.map((c) => (c[r] === null ? null : cellText(c[r])));
  return rows;
}
