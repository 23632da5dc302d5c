/**
 * Query results to files: CSV, JSON Lines and Parquet, as bytes (a `Uint8Array`) so the browser
 * (a download) and the CLI (a file) use the same code.
 *
 * - CSV (RFC 4180): a header row of column names, `,` separators, `\n` line ends, fields quoted when
 *   they contain `,`, `"`, a line break or leading/trailing spaces; NULL is an empty field. Values as
 *   in `values.ts` `cellText`: timestamps ISO-8601 (`2021-01-01T00:00:00Z` for UTC instants, no zone
 *   for timestamp_ntz), decimals exact with their scale, binary base64, nested values as JSON.
 * - JSON Lines: one JSON object per row (`values.ts` `cellToJson`: 64-bit integers and decimals as
 *   exact number literals, timestamps as ISO-8601 strings, nested values as JSON).
 * - Parquet: written by parquet-wasm from the Arrow result, so Delta types stay typed: DECIMAL stays
 *   DECIMAL(p,s), TIMESTAMPTZ becomes a UTC-adjusted TIMESTAMP(MICROS), TIMESTAMP a local one,
 *   structs, lists and maps stay nested. Snappy compressed.
 */
import * as arrow from 'apache-arrow';
import { DeltaError } from '../delta/errors.ts';
import { parquetWasm } from '../delta/parquet.ts';
import { cellText, cellToJson, columnCells, type Cell } from './values.ts';

/** Export formats. */
export type ExportFormat = 'csv' | 'jsonl' | 'parquet';

/** File name extension and MIME type of each format. */
export const EXPORT_FORMATS: Record<ExportFormat, { extension: string; mimeType: string }> = {
  csv: { extension: 'csv', mimeType: 'text/csv' },
  jsonl: { extension: 'jsonl', mimeType: 'application/x-ndjson' },
  parquet: { extension: 'parquet', mimeType: 'application/vnd.apache.parquet' },
};

const encoder = new TextEncoder();

function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function columns(table: arrow.Table): Cell[][] {
  return table.schema.fields.map((_f, k) => columnCells(table.getChildAt(k)!));
}

/** CSV text of a result (see the module comment). */
export function toCsv(table: arrow.Table): string {
  const names = table.schema.fields.map((f) => f.name);
  const cols = columns(table);
  const lines = [names.map(csvField).join(',')];
  for (let r = 0; r < table.numRows; r++) lines.push(cols.map((c) => csvField(cellText(c[r]))).join(','));
  return lines.join('\n') + '\n';
}

/** JSON Lines text of a result (see the module comment); empty for no rows. */
export function toJsonLines(table: arrow.Table): string {
  const names = table.schema.fields.map((f) => JSON.stringify(f.name));
  const cols = columns(table);
  let out = '';
  for (let r = 0; r < table.numRows; r++) out += `{${cols.map((c, k) => `${names[k]}:${cellToJson(c[r])}`).join(',')}}\n`;
  return out;
}

/**
 * Parquet bytes of a result (see the module comment).
 * @throws DeltaError `QUERY_ERROR` when parquet-wasm cannot write a column type.
 */
export async function toParquet(table: arrow.Table): Promise<Uint8Array> {
  const pw = await parquetWasm();
  try {
    const wasmTable = pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
    const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).build();
    return pw.writeParquet(wasmTable, props);
  } catch (e) {
    throw new DeltaError('QUERY_ERROR', `Cannot write Parquet: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/**
 * A result in one of the export formats, as bytes (UTF-8 for the text formats).
 * @throws DeltaError `QUERY_ERROR` (Parquet writing), `INVALID_ARGUMENT` for an unknown format.
 */
export async function exportTable(table: arrow.Table, format: ExportFormat): Promise<Uint8Array> {
  switch (format) {
    case 'csv':
      return encoder.encode(toCsv(table));
    case 'jsonl':
      return encoder.encode(toJsonLines(table));
    case 'parquet':
      return toParquet(table);
    default:
      throw new DeltaError('INVALID_ARGUMENT', `Unknown export format "${String(format)}" (use csv, jsonl or parquet).`);
  }
}
