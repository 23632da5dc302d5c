/**
 * Data-file footers: what a parquet file says about itself before any page is decoded, read with
 * hyparquet's footer parser over ranged reads of the table's `ObjectStore` (one suffix read of
 * {@link FOOTER_PROBE_BYTES}; a second only for a larger footer).
 *
 * The data plane uses a footer for three things, all before DuckDB sees the file:
 * - **Integrity** ("never silently wrong"): the file's row count (the sum of its row groups'
 *   `num_rows`) must equal the `numRecords` statistic of its `add`/`cdc` action when the log has
 *   one (PROTOCOL.md "Per-file Statistics"); the file must be as long as the log's `size` says.
 * - **Decoder routing**: {@link footerProblems} names what DuckDB 0.9.1 (DuckDB-WASM 1.28) would
 *   refuse or decode wrongly, from the codec, encodings, page kinds, physical types and statistics
 *   of every column chunk; such files are decoded by parquet-wasm instead (see `fallback-decoder.ts`).
 * - **`LIMIT` without statistics**: a file's row count without reading its pages.
 *
 * Footers are cached per store and path (data files are immutable in Delta), summarized to a few
 * numbers and sets so a cache of 100k footers stays small.
 */
import { parquetMetadata, parquetMetadataAsync, type FileMetaData } from 'hyparquet';
import { DeltaError, throwIfAborted } from '../delta/errors.ts';
import type { ObjectStore } from '../delta/storage/object-store.ts';

/** Bytes read from the end of a data file in the first request (covers almost every footer). */
export const FOOTER_PROBE_BYTES = 64 * 1024;

/** One column chunk kind of a file, summarized over its row groups. */
export interface FooterColumn {
  /** Dotted path in the parquet schema, e.g. `a.list.element`. */
  path: string;
  /** Parquet physical type (`INT32`, `INT64`, `BYTE_ARRAY`, `FIXED_LEN_BYTE_ARRAY`, ...). */
  physicalType: string;
  /** Compression codecs used by its chunks (`SNAPPY`, `ZSTD`, `LZ4_RAW`, ...). */
  codecs: string[];
  /** Encodings used by its chunks (`PLAIN`, `RLE_DICTIONARY`, `DELTA_BINARY_PACKED`, ...). */
  encodings: string[];
  /** Page kinds the writer recorded in `encoding_stats` (`DATA_PAGE`, `DATA_PAGE_V2`, `DICTIONARY_PAGE`); empty when it recorded none. */
  pageTypes: string[];
}

/** What the data plane keeps of a data file's footer. */
export interface DataFileFooter {
  /** Rows in the file: the sum of `num_rows` over its row groups. */
  numRows: number;
  rowGroups: number;
  /** The file's size in bytes as read (the log's `size` when it matched). */
  sizeBytes: number;
  /** The writer, from the footer's `created_by` (e.g. `parquet-mr version 1.13.1`). */
  createdBy?: string;
  columns: FooterColumn[];
  /** Why DuckDB 0.9.1 must not read the file (see {@link footerProblems}); empty when it reads it exactly. */
  problems: string[];
  /** Dotted paths of INT96 (legacy timestamp) columns. */
  int96Columns: string[];
  /**
   * Top-level columns holding an INT32 DELTA_BINARY_PACKED leaf whose range may reach 2^31 (class
   * C5): parquet-wasm refuses DuckDB-1.x-written ones ("'min_delta' too large"), so the fallback
   * decoder reads them with hyparquet (see `fallback-decoder.ts`).
   */
  wideInt32DeltaColumns: string[];
}

/**
 * Why DuckDB 0.9.1's parquet reader must not read a file, or null when it reads it exactly: the
 * first of {@link DataFileFooter.problems}.
 */
export function duckdbReadProblem(footer: DataFileFooter): string | null {
  return footer.problems[0] ?? null;
}

/** Codecs DuckDB 0.9.1 decodes. */
const DUCKDB_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD']);
const TWO31 = 2n ** 31n;
const TWO62 = 2n ** 62n;

/** Statistics parsers that keep INT64 timestamps raw (hyparquet's defaults turn them into `Date`s). */
const RAW_PARSERS = {
  timestampFromMilliseconds: (v: bigint) => v,
  timestampFromMicroseconds: (v: bigint) => v,
  timestampFromNanoseconds: (v: bigint) => v,
  dateFromDays: (v: number) => v,
};

const asBig = (v: unknown): bigint | undefined => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined);

/**
 * The classes of column chunks DuckDB 0.9.1 refuses or decodes wrongly, as predicates over the
 * footer. Found by the differential matrix (`test/gen/parquet-matrix*.ts`: parquet-wasm, pyarrow,
 * DuckDB 1.4 and Spark 4 writers; 0 failures missed over 13,554 column-cells; evidence in README
 * "Data integrity"):
 * - C1 codec other than UNCOMPRESSED, SNAPPY, GZIP, ZSTD (BROTLI, LZ4, LZ4_RAW, LZO): refused.
 * - C2 BYTE_STREAM_SPLIT on a physical type other than FLOAT/DOUBLE: refused.
 * - C3 DELTA_BYTE_ARRAY on FIXED_LEN_BYTE_ARRAY (decimals): refused.
 * - C4 DELTA_BINARY_PACKED INT64 (not decimal) whose values may reach |v| ≥ 2^62 (or no min/max
 *   statistics, or unsigned): a page's first value is decoded WRONG, silently.
 * - C5 DELTA_BINARY_PACKED INT32 whose range may be ≥ 2^31 (or no statistics, or unsigned):
 *   DuckDB-1.x-written deltas decoded WRONG, silently.
 * - C7 SNAPPY DataPage V2 with PLAIN/BYTE_STREAM_SPLIT values and nulls: an all-null page with an
 *   empty compressed section (parquet-java) fails to decompress.
 * Nanosecond timestamps and INT96 are read truncated to microseconds, as the Delta type says: not a
 * problem.
 * `includeNanos` adds C6 (nanosecond and INT96 timestamps, read as microseconds): reported for the
 * differential study, never routed.
 * @returns one problem per class and leaf column.
 */
export function footerProblems(meta: FileMetaData, options: { includeNanos?: boolean } = {}): FooterProblem[] {
  const out = new Map<string, FooterProblem>();
  const leaves = meta.schema.filter((s) => !s.num_children);
  for (const rg of meta.row_groups) {
    rg.columns.forEach((c, k) => {
      const m = c.meta_data;
      if (!m) return;
      const path = m.path_in_schema.join('.');
      const add = (cls: FooterProblem['cls'], why: string) => {
        if (!out.has(cls + path)) out.set(cls + path, { cls, path, why });
      };
      const el = leaves[k] as { logical_type?: { type?: string; isSigned?: boolean; unit?: string }; converted_type?: string } | undefined;
      const enc = new Set<string>(m.encodings.map(String));
      const type = String(m.type);
      if (!DUCKDB_CODECS.has(String(m.codec))) add('C1', `codec ${m.codec} is not supported by DuckDB 0.9.1`);
      if (enc.has('BYTE_STREAM_SPLIT') && type !== 'FLOAT' && type !== 'DOUBLE') add('C2', `BYTE_STREAM_SPLIT on ${type} is not supported by DuckDB 0.9.1`);
      if (enc.has('DELTA_BYTE_ARRAY') && type === 'FIXED_LEN_BYTE_ARRAY') add('C3', 'DELTA_BYTE_ARRAY on FIXED_LEN_BYTE_ARRAY is not supported by DuckDB 0.9.1');
      const st = (m.statistics ?? {}) as { min_value?: unknown; max_value?: unknown; min?: unknown; max?: unknown; null_count?: unknown };
      const min = asBig(st.min_value ?? st.min);
      const max = asBig(st.max_value ?? st.max);
      const unsigned = el?.logical_type?.type === 'INTEGER' ? el.logical_type.isSigned === false : /^UINT_/.test(el?.converted_type ?? '');
      const isDecimal = el?.logical_type?.type === 'DECIMAL' || el?.converted_type === 'DECIMAL';
      if (enc.has('DELTA_BINARY_PACKED') && type === 'INT64' && !isDecimal && (unsigned || min === undefined || max === undefined || max >= TWO62 || min < -TWO62)) {
        add('C4', min === undefined || max === undefined ? 'INT64 DELTA_BINARY_PACKED without min/max statistics (DuckDB 0.9.1 decodes values ≥ 2^62 wrongly)' : `INT64 DELTA_BINARY_PACKED, min ${min} max ${max} (DuckDB 0.9.1 decodes values ≥ 2^62 wrongly)`);
      }
      if (enc.has('DELTA_BINARY_PACKED') && type === 'INT32' && (unsigned || min === undefined || max === undefined || max - min >= TWO31)) {
        add('C5', min === undefined || max === undefined ? 'INT32 DELTA_BINARY_PACKED without min/max statistics (DuckDB 0.9.1 decodes deltas beyond int32 wrongly)' : `INT32 DELTA_BINARY_PACKED, max − min = ${max - min} (DuckDB 0.9.1 decodes deltas beyond int32 wrongly)`);
      }
      if (options.includeNanos && el?.logical_type?.type === 'TIMESTAMP' && el.logical_type.unit === 'NANOS') add('C6', 'TIMESTAMP(NANOS)');
      if (options.includeNanos && type === 'INT96') add('C6', 'INT96 timestamp (nanosecond precision)');
      if (String(m.codec) === 'SNAPPY') {
        const emptyable = (m.encoding_stats ?? []).some((e) => String(e.page_type) === 'DATA_PAGE_V2' && (String(e.encoding) === 'PLAIN' || String(e.encoding) === 'BYTE_STREAM_SPLIT'));
        const nulls = st.null_count === undefined || BigInt(st.null_count as bigint | number) > 0n;
        if (emptyable && nulls) add('C7', 'SNAPPY DataPage V2 with nulls: an all-null page may have an empty compressed section DuckDB 0.9.1 cannot decompress');
      }
    });
  }
  return [...out.values()];
}

/** One predicted failure of DuckDB 0.9.1 on a column chunk kind (see {@link footerProblems}). */
export interface FooterProblem {
  /** Class id (C6, nanosecond truncation, only with `includeNanos`: it is not routed). */
  cls: 'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'C7';
  /** Dotted leaf column path. */
  path: string;
  why: string;
}

/** Summarizes hyparquet's parsed footer. */
export function summarizeFooter(meta: FileMetaData, sizeBytes: number): DataFileFooter {
  const byPath = new Map<string, { physicalType: string; codecs: Set<string>; encodings: Set<string>; pageTypes: Set<string> }>();
  let numRows = 0;
  for (const rg of meta.row_groups) {
    numRows += Number(rg.num_rows);
    for (const col of rg.columns) {
      const m = col.meta_data;
      if (!m) continue;
      const path = m.path_in_schema.join('.');
      let e = byPath.get(path);
      if (!e) byPath.set(path, (e = { physicalType: String(m.type), codecs: new Set(), encodings: new Set(), pageTypes: new Set() }));
      e.codecs.add(String(m.codec));
      for (const enc of m.encodings ?? []) e.encodings.add(String(enc));
      for (const s of m.encoding_stats ?? []) e.pageTypes.add(String(s.page_type));
    }
  }
  const columns = [...byPath].map(([path, e]) => ({ path, physicalType: e.physicalType, codecs: [...e.codecs], encodings: [...e.encodings], pageTypes: [...e.pageTypes] }));
  const problems = footerProblems(meta);
  const c5 = new Set(problems.filter((p) => p.cls === 'C5').map((p) => p.path));
  const wide = new Set<string>();
  for (const rg of meta.row_groups) for (const col of rg.columns) if (col.meta_data && c5.has(col.meta_data.path_in_schema.join('.'))) wide.add(col.meta_data.path_in_schema[0]);
  return {
    numRows,
    rowGroups: meta.row_groups.length,
    sizeBytes,
    createdBy: meta.created_by,
    columns,
    problems: problems.map((p) => `${p.why} (column ${p.path})`),
    int96Columns: columns.filter((c) => c.physicalType === 'INT96').map((c) => c.path),
    wideInt32DeltaColumns: [...wide],
  };
}

/** Parses a footer from bytes ending with it (a whole file or its tail), with raw statistics. */
export function parseFooter(bytes: Uint8Array): FileMetaData {
  return parquetMetadata(bytes, { parsers: RAW_PARSERS as never, geoparquet: false });
}

/**
 * Rethrows a store error; a `FILE_NOT_FOUND` is said again naming the data file, its kind
 * (`Data file`, `Change data file`) and the table version reading it.
 */
export function rethrowNamed(e: unknown, what: string, path: string, version: number): never {
  if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') {
    throw new DeltaError('FILE_NOT_FOUND', `${what} ${path} of table version ${version} not found.`, {
      path,
      version,
      cause: e,
      hint: 'The file may have been vacuumed, or not copied with the table. Try an older or newer version.',
    });
  }
  throw e;
}

/** Where a footer is read from, for error messages. */
export interface FooterTarget {
  /** Store-relative path of the data file. */
  path: string;
  /** The file's size in bytes per the log (`add.size`), or undefined to ask the store. */
  sizeBytes?: number;
  /** The table version reading it, for messages. */
  version: number;
  /** `Data file`, `Change data file`, ... */
  what?: string;
}

/**
 * Reads and summarizes a data file's footer through `store` (one ranged read of the last
 * {@link FOOTER_PROBE_BYTES}, a second for a larger footer).
 *
 * @throws DeltaError `FILE_NOT_FOUND` (naming the file and version); `DATA_INTEGRITY` when the file
 *   is shorter than the log's `size` or is not a parquet file (no `PAR1` footer); store errors;
 *   `CANCELLED`.
 */
export async function readDataFileFooter(store: ObjectStore, target: FooterTarget, signal?: AbortSignal): Promise<DataFileFooter> {
  const what = target.what ?? 'Data file';
  const where = `${what} ${target.path} of table version ${target.version}`;
  const named = (e: unknown): never => rethrowNamed(e, what, target.path, target.version);
  throwIfAborted(signal);
  const size = target.sizeBytes ?? (await store.head(target.path, signal).catch(named)).sizeBytes;
  const integrity = (msg: string, cause?: unknown) =>
    new DeltaError('DATA_INTEGRITY', `${where} ${msg}`, {
      path: target.path,
      version: target.version,
      cause,
      hint: 'The file does not match the Delta log: it may be damaged, truncated or replaced outside Delta. Restore it, or open a version that does not use it.',
    });
  if (size < 12) throw integrity(`is ${size} bytes long: too short to be a parquet file.`);
  const buffer = {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = end ?? size;
      const bytes = await store.getRange(target.path, { start, end: stop }, signal).catch(named);
      if (bytes.byteLength !== stop - start) {
        throw integrity(`is shorter than the ${size} bytes the log states (a read of bytes ${start}–${stop} returned ${bytes.byteLength}).`);
      }
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  let meta: FileMetaData;
  try {
    meta = await parquetMetadataAsync(buffer, { initialFetchSize: FOOTER_PROBE_BYTES, geoparquet: false, parsers: RAW_PARSERS as never });
  } catch (e) {
    if (e instanceof DeltaError) throw e;
    throw integrity(`is not a readable parquet file: ${e instanceof Error ? e.message : String(e)}.`, e);
  }
  return summarizeFooter(meta, size);
}

/** Most footers kept per store (oldest dropped first). */
export const FOOTER_CACHE_ENTRIES = 200_000;

const caches = new WeakMap<ObjectStore, Map<string, Promise<DataFileFooter>>>();

/**
 * {@link readDataFileFooter}, cached per store and path (a failed read is not cached). Data files
 * are immutable under Delta, so a footer never goes stale while its store lives.
 * @throws as {@link readDataFileFooter}.
 */
export function cachedFooter(store: ObjectStore, target: FooterTarget, signal?: AbortSignal): Promise<DataFileFooter> {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  const hit = cache.get(target.path);
  if (hit) return hit;
  const p = readDataFileFooter(store, target, signal);
  cache.set(target.path, p);
  if (cache.size > FOOTER_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  p.catch(() => cache.delete(target.path));
  return p;
}
