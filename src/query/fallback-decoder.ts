/**
 * The fallback decoder of the data plane: data files DuckDB 0.9.1 refuses or decodes wrongly (see
 * `duckdbReadProblem` in `parquet-footer.ts`) are decoded by parquet-wasm (arrow-rs's parquet
 * reader: every codec and encoding of the format, DataPage V1 and V2) into Arrow, and handed to
 * DuckDB as a table. The rest of the data plane then reads that table exactly as it reads a parquet
 * file: it carries DuckDB's own `filename` and `file_row_number` virtual columns as real columns,
 * so deletion vectors, Change Data Feed row filters and per-file counts work unchanged.
 *
 * The whole file is read and decoded in memory, so files above {@link FALLBACK_MAX_BYTES} are
 * refused with `FILE_TOO_LARGE` naming the file, its size and the reason it needs the fallback.
 */
import * as arrow from 'apache-arrow';
import { DeltaError, throwIfAborted } from '../delta/errors.ts';
import { parquetWasm } from '../delta/parquet.ts';
import type { ObjectStore } from '../delta/storage/object-store.ts';
import { quoteIdent, type SqlEngine } from './engine.ts';
import type { DataFileFooter } from './parquet-footer.ts';

/** Largest data file (bytes) the fallback decoder takes: it holds the file and its Arrow decoding in memory. */
export const FALLBACK_MAX_BYTES = 256 * 1024 * 1024;

/** What to decode. */
export interface FallbackRequest {
  store: ObjectStore;
  /** Store-relative path of the data file. */
  path: string;
  /** Table version reading it (for messages). */
  version: number;
  /** `Data file`, `Change data file`, ... */
  what: string;
  footer: DataFileFooter;
  /** Why DuckDB cannot read it (from `duckdbReadProblem`). */
  reason: string;
  /** The name the file goes by in SQL (the value of the `filename` column). */
  name: string;
  /** The table to create (unqualified, in DuckDB's `main` schema). */
  table: string;
  /** The file's bytes when the caller already has them. */
  bytes?: Uint8Array;
  signal?: AbortSignal;
}

/**
 * Decodes the file with parquet-wasm and creates `table` in `engine` holding its rows in file
 * order plus `filename` (VARCHAR, = `name`) and `file_row_number` (BIGINT, 0-based), the columns
 * DuckDB's `read_parquet(..., filename=true, file_row_number=true)` adds.
 *
 * @throws DeltaError `FILE_TOO_LARGE` (the file's size, the limit and the reason),
 *   `DATA_INTEGRITY` (parquet-wasm cannot decode it, or decodes another row count than its footer
 *   states), `FILE_NOT_FOUND` / store errors, `QUERY_ERROR` (DuckDB refuses the Arrow data), `CANCELLED`.
 */
export async function decodeIntoTable(engine: SqlEngine, req: FallbackRequest): Promise<void> {
  const where = `${req.what} ${req.path} of table version ${req.version}`;
  if (req.footer.sizeBytes > FALLBACK_MAX_BYTES) {
    throw new DeltaError('FILE_TOO_LARGE', `${where} needs the fallback decoder (${req.reason}) but is ${req.footer.sizeBytes} bytes, above its limit of ${FALLBACK_MAX_BYTES} bytes.`, {
      path: req.path,
      version: req.version,
      hint: 'Read this table with Spark, delta-rs or DuckDB, or rewrite the file with a codec DuckDB 0.9.1 reads (snappy, gzip or zstd).',
    });
  }
  throwIfAborted(req.signal);
  const bytes = req.bytes ?? (await req.store.get(req.path, req.signal));
  throwIfAborted(req.signal);
  let decoded: arrow.Table;
  try {
    const pw = await parquetWasm();
    const wasmTable = pw.readParquet(bytes);
    decoded = arrow.tableFromIPC(wasmTable.intoIPCStream());
  } catch (e) {
    throw new DeltaError('QUERY_ERROR', `${where} cannot be read here: DuckDB 0.9.1 must not read it (${req.reason}) and the fallback decoder (parquet-wasm) refuses it: ${e instanceof Error ? e.message : String(e)}`, {
      path: req.path,
      version: req.version,
      cause: e,
      hint: 'No rows are shown rather than wrong ones. Read this table with Spark, delta-rs or DuckDB 1.x; if those fail too, the file is damaged.',
    });
  }
  if (decoded.numRows !== req.footer.numRows) {
    throw new DeltaError('DATA_INTEGRITY', `${where}: the fallback decoder read ${decoded.numRows} rows where the file's footer states ${req.footer.numRows}.`, {
      path: req.path,
      version: req.version,
    });
  }
  if (req.footer.int96Columns.length) decoded = await withExactInt96(decoded, bytes, req);
  const n = decoded.numRows;
  const rowNumbers = new BigInt64Array(n);
  for (let i = 0; i < n; i++) rowNumbers[i] = BigInt(i);
  const names = new Array<string>(n).fill(req.name);
  const columns: Record<string, arrow.Vector> = {};
  for (const f of decoded.schema.fields) columns[f.name] = decoded.getChild(f.name)!;
  columns.filename = arrow.vectorFromArray(names, new arrow.Utf8());
  columns.file_row_number = arrow.makeVector(rowNumbers);
  const withVirtual = n ? new arrow.Table(columns) : emptyWithVirtual(decoded);
  await engine.insertArrow(req.table, withVirtual);
}

/**
 * parquet-wasm 0.8 turns INT96 (Spark's legacy timestamp) into Arrow timestamp[ns] and silently
 * wraps values outside 1677-09-21..2262-04-11 (year 0001 or 9999 come out wrong; found by the
 * differential matrix). The INT96 columns are decoded again by hyparquet, exactly, as
 * microseconds since the epoch (floored, as DuckDB reads INT96), and replace parquet-wasm's.
 * @throws DeltaError `QUERY_ERROR` for an INT96 field inside a nested column (not supported here).
 */
async function withExactInt96(decoded: arrow.Table, bytes: Uint8Array, req: FallbackRequest): Promise<arrow.Table> {
  const nested = req.footer.int96Columns.filter((c) => c.includes('.'));
  if (nested.length) {
    throw new DeltaError('QUERY_ERROR', `${req.what} ${req.path} of table version ${req.version} needs the fallback decoder (${req.reason}) and has INT96 timestamps inside nested column ${nested[0]}, which it cannot read exactly.`, {
      path: req.path,
      version: req.version,
      hint: 'Read this table with Spark or delta-rs.',
    });
  }
  const [{ parquetReadObjects }, { compressors }] = await Promise.all([import('hyparquet'), import('hyparquet-compressors')]);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({
    file,
    columns: req.footer.int96Columns,
    compressors,
    parsers: { timestampFromNanoseconds: (v: bigint) => v } as never,
  })) as Record<string, bigint | null>[];
  const columns: Record<string, arrow.Vector> = {};
  for (const f of decoded.schema.fields) columns[f.name] = decoded.getChild(f.name)!;
  for (const name of req.footer.int96Columns) {
    const n = rows.length;
    const micros = new BigInt64Array(n);
    const valid = new Uint8Array(Math.ceil(n / 8));
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const v = rows[i][name];
      if (v === null || v === undefined) {
        nulls++;
        continue;
      }
      const ns = BigInt(v);
      micros[i] = ns >= 0n ? ns / 1000n : -((-ns + 999n) / 1000n);
      valid[i >> 3] |= 1 << (i & 7);
    }
    const old = decoded.schema.fields.find((f) => f.name === name);
    const tz = old && arrow.DataType.isTimestamp(old.type) ? old.type.timezone : null;
    const type = new arrow.TimestampMicrosecond(tz ?? undefined);
    columns[name] = arrow.makeVector(arrow.makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls ? valid : undefined, data: micros }));
  }
  return new arrow.Table(columns);
}

/** An empty table with the decoded schema plus the two virtual columns. */
function emptyWithVirtual(decoded: arrow.Table): arrow.Table {
  const fields = [...decoded.schema.fields, new arrow.Field('filename', new arrow.Utf8(), true), new arrow.Field('file_row_number', new arrow.Int64(), true)];
  return new arrow.Table(new arrow.Schema(fields));
}

/** `DROP TABLE` text for a fallback table. */
export function dropFallbackSql(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdent(table)}`;
}
