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
import { guardedWasmRead, parquetWasm } from '../delta/parquet.ts';
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
  const refuse = (e: unknown, decoder = 'parquet-wasm'): DeltaError =>
    e instanceof DeltaError
      ? e
      : new DeltaError('QUERY_ERROR', `${where} cannot be read here: DuckDB 0.9.1 must not read it (${req.reason}) and the fallback decoder (${decoder}) refuses it: ${e instanceof Error ? e.message : String(e)}`, {
          path: req.path,
          version: req.version,
          cause: e,
          hint: 'No rows are shown rather than wrong ones. Read this table with Spark, delta-rs or DuckDB 1.x; if those fail too, the file is damaged.',
        });
  let decoded: arrow.Table;
  try {
    const pw = await parquetWasm();
    const wasmTable = pw.readParquet(bytes);
    decoded = arrow.tableFromIPC(wasmTable.intoIPCStream());
  } catch (e) {
    if (!req.footer.wideInt32DeltaColumns.length) throw refuse(e);
    // parquet-wasm refuses the whole file for a DuckDB-1.x-written INT32 delta column (F1): read
    // those columns with hyparquet and the others with parquet-wasm's projecting reader.
    try {
      decoded = await decodeSplit(bytes, req);
    } catch (e2) {
      throw refuse(e2, 'parquet-wasm and hyparquet');
    }
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

/**
 * Decodes a file parquet-wasm refuses as a whole because of INT32 DELTA_BINARY_PACKED columns
 * with 64-bit deltas (class C5 written by DuckDB 1.x; arrow-rs says "'min_delta' too large"): the
 * top-level columns in `footer.wideInt32DeltaColumns` are decoded by hyparquet (which computes
 * deltas in 64 bits and wraps to 32, as the format says) and built into Arrow data of the type
 * parquet-wasm's schema gives them; every other column comes from parquet-wasm's projecting
 * reader. The column order is the file's.
 *
 * hyparquet values are taken only where they are exact: integers, floats, booleans, strings,
 * binary, dates (days), timestamps in the file's unit, decimals stored as INT32 (unscaled value
 * recovered exactly from hyparquet's number) and structs of those.
 * @throws DeltaError `QUERY_ERROR` for a list, map, INT64/FIXED_LEN_BYTE_ARRAY decimal or other
 *   type inside such a column (not read exactly here); `DATA_INTEGRITY` when a decoder returns
 *   another row count than the footer states.
 */
async function decodeSplit(bytes: Uint8Array, req: FallbackRequest): Promise<arrow.Table> {
  const pw = await parquetWasm();
  const schema = arrow.tableFromIPC(pw.readSchema(bytes).intoIPCStream()).schema;
  const viaHyparquet = new Set(req.footer.wideInt32DeltaColumns);
  const others = schema.fields.map((f) => f.name).filter((n) => !viaHyparquet.has(n));
  const where = `${req.what} ${req.path} of table version ${req.version}`;
  const n = req.footer.numRows;
  const checkRows = (got: number, decoder: string) => {
    if (got !== n) throw new DeltaError('DATA_INTEGRITY', `${where}: ${decoder} read ${got} rows where the file's footer states ${n}.`, { path: req.path, version: req.version });
  };
  let fromWasm: arrow.Table | undefined;
  if (others.length) {
    let ipc: Uint8Array | undefined;
    const ok = await guardedWasmRead(bytes.length, async () => {
      const file = await pw.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
      try {
        ipc = (await file.read({ columns: others })).intoIPCStream();
      } finally {
        file.free();
      }
    });
    if (!ok || !ipc) throw new Error(`parquet-wasm's projecting reader failed on columns ${others.join(', ')}`);
    fromWasm = arrow.tableFromIPC(ipc);
    checkRows(fromWasm.numRows, 'parquet-wasm');
  }
  const [{ parquetReadObjects }, { compressors }] = await Promise.all([import('hyparquet'), import('hyparquet-compressors')]);
  const rows = (await parquetReadObjects({
    file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    columns: [...viaHyparquet],
    compressors,
    parsers: RAW_VALUE_PARSERS as never,
  })) as Record<string, unknown>[];
  checkRows(rows.length, 'hyparquet');
  const physical = new Map(req.footer.columns.map((c) => [c.path, c.physicalType]));
  const columns: Record<string, arrow.Vector> = {};
  for (const f of schema.fields) {
    columns[f.name] = viaHyparquet.has(f.name)
      ? arrow.makeVector(exactData(rows.map((r) => r[f.name]), f, f.name, physical, where))
      : fromWasm!.getChild(f.name)!;
  }
  return new arrow.Table(columns);
}

/** hyparquet parsers that leave dates as day numbers and timestamps as bigints in the file's unit. */
const RAW_VALUE_PARSERS = {
  timestampFromMilliseconds: (v: bigint) => BigInt(v),
  timestampFromMicroseconds: (v: bigint) => BigInt(v),
  timestampFromNanoseconds: (v: bigint) => BigInt(v),
  dateFromDays: (d: number) => d,
};

/**
 * Arrow data of `field.type` from hyparquet values (null/undefined = null), exactly or not at all.
 * `path` is the dotted parquet path of `field`; `physical` maps leaf paths to physical types.
 * @throws DeltaError `QUERY_ERROR` for a type not converted exactly here.
 */
function exactData(values: unknown[], field: arrow.Field, path: string, physical: Map<string, string>, where: string): arrow.Data {
  const t = field.type as arrow.DataType;
  const n = values.length;
  const valid = new Uint8Array(Math.ceil(n / 8));
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else valid[i >> 3] |= 1 << (i & 7);
  });
  const nullBitmap = nulls ? valid : undefined;
  const cannot = (why: string) =>
    new DeltaError('QUERY_ERROR', `${where}: column ${path} (${String(t)}) cannot be read exactly by the fallback decoder: ${why}.`, {
      hint: 'No rows are shown rather than wrong ones. Read this table with Spark, delta-rs or DuckDB 1.x.',
    });
  if (arrow.DataType.isStruct(t)) {
    const children = t.children.map((c) => exactData(values.map((v) => (v === null || v === undefined ? null : (v as Record<string, unknown>)[c.name])), c, `${path}.${c.name}`, physical, where));
    return arrow.makeData({ type: t, length: n, nullCount: nulls, nullBitmap, children });
  }
  if (arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || (arrow.DataType.isDate(t) && t.unit === arrow.DateUnit.DAY) || arrow.DataType.isTimestamp(t)) {
    if (arrow.DataType.isFloat(t) && t.precision === arrow.Precision.HALF) throw cannot('half floats');
    const data = new (t.ArrayType as new (n: number) => Int32Array | BigInt64Array | Float64Array)(n);
    const big = data instanceof BigInt64Array || data instanceof BigUint64Array;
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) data[i] = (big ? BigInt(v as bigint) : Number(v)) as never;
    });
    return arrow.makeData({ type: t, length: n, nullCount: nulls, nullBitmap, data } as never);
  }
  if (arrow.DataType.isDecimal(t)) {
    if (physical.get(path) !== 'INT32' || t.bitWidth !== 128) throw cannot(`a ${physical.get(path) ?? 'nested'} decimal would lose digits`);
    const data = new Uint32Array(4 * n);
    const scale = 10 ** t.scale;
    values.forEach((v, i) => {
      if (v === null || v === undefined) return;
      // An INT32 decimal's unscaled value (|u| < 2^31) survives hyparquet's u / 10^scale and back.
      const u = BigInt.asUintN(128, BigInt(Math.round(Number(v) * scale)));
      for (let w = 0; w < 4; w++) data[4 * i + w] = Number((u >> BigInt(32 * w)) & 0xffffffffn);
    });
    return arrow.makeData({ type: t, length: n, nullCount: nulls, nullBitmap, data });
  }
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isBinary(t) || arrow.DataType.isBool(t)) {
    if (arrow.DataType.isBinary(t) && values.some((v) => v !== null && v !== undefined && !(v instanceof Uint8Array))) throw cannot('binary values came back as text');
    if (arrow.DataType.isUtf8(t) && values.some((v) => v !== null && v !== undefined && typeof v !== 'string')) throw cannot('text values came back as bytes');
    const built = arrow.vectorFromArray(values.map((v) => (v === undefined ? null : v)) as never[], t);
    if (built.data.length !== 1) throw cannot(`the builder made ${built.data.length} chunks`);
    return built.data[0];
  }
  throw cannot('lists, maps and this type are not converted here');
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
