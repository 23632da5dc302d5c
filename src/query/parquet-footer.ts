/**
 * Data-file footers: what a parquet file says about itself before any page is decoded, read with
 * hyparquet's footer parser over ranged reads of the table's `ObjectStore` (one suffix read of
 * {@link FOOTER_PROBE_BYTES}; a second only for a larger footer).
 *
 * The data plane uses a footer for three things, all before DuckDB sees the file:
 * - **Integrity** ("never silently wrong"): the file's row count (the sum of its row groups'
 *   `num_rows`) must equal the `numRecords` statistic of its `add`/`cdc` action when the log has
 *   one (PROTOCOL.md "Per-file Statistics"); the file must be as long as the log's `size` says.
 * - **Decoder routing**: {@link duckdbReadProblem} names what DuckDB 0.9.1 (DuckDB-WASM 1.28) would
 *   refuse or decode wrongly, from the codec, encodings, page kinds and physical types of every
 *   column chunk; such files are decoded by parquet-wasm instead (see `fallback-decoder.ts`).
 * - **`LIMIT` without statistics**: a file's row count without reading its pages.
 *
 * Footers are cached per store and path (data files are immutable in Delta), summarized to a few
 * numbers and sets so a cache of 100k footers stays small.
 */
import { parquetMetadataAsync, type FileMetaData } from 'hyparquet';
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
}

/**
 * Why DuckDB 0.9.1's parquet reader must not read a file, or null when it reads it exactly. Each
 * rule is a class of files found by the differential matrix (`test/gen/parquet-matrix.ts`; README
 * "Data integrity" lists them with the evidence), expressed as a predicate over the footer:
 * - codecs other than UNCOMPRESSED, SNAPPY, GZIP and ZSTD (BROTLI, LZ4, LZ4_RAW, LZO): refused
 *   ("Unsupported compression codec"), which the streaming engine reports as an error; routed so
 *   the rows are read instead.
 * - further classes are listed in {@link PROBLEM_RULES}.
 */
export function duckdbReadProblem(footer: DataFileFooter): string | null {
  for (const rule of PROBLEM_RULES) {
    for (const c of footer.columns) {
      const why = rule(c, footer);
      if (why) return `${why} (column ${c.path})`;
    }
  }
  return null;
}

/** Codecs DuckDB 0.9.1 decodes. */
const DUCKDB_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD']);

/**
 * The routing rules, one per class of file DuckDB 0.9.1 refuses or decodes wrongly. A rule looks
 * at one column chunk kind (and the whole footer) and returns the reason, or null.
 */
export const PROBLEM_RULES: ((c: FooterColumn, f: DataFileFooter) => string | null)[] = [
  (c) => {
    const bad = c.codecs.filter((k) => !DUCKDB_CODECS.has(k));
    return bad.length ? `codec ${bad.join(', ')} is not supported by DuckDB 0.9.1` : null;
  },
];

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
  return {
    numRows,
    rowGroups: meta.row_groups.length,
    sizeBytes,
    createdBy: meta.created_by,
    columns: [...byPath].map(([path, e]) => ({ path, physicalType: e.physicalType, codecs: [...e.codecs], encodings: [...e.encodings], pageTypes: [...e.pageTypes] })),
  };
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
  const named = (e: unknown): never => {
    if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') {
      throw new DeltaError('FILE_NOT_FOUND', `${where} not found.`, {
        path: target.path,
        version: target.version,
        cause: e,
        hint: 'The file may have been vacuumed, or not copied with the table. Try an older or newer version.',
      });
    }
    throw e;
  };
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
    meta = await parquetMetadataAsync(buffer, { initialFetchSize: FOOTER_PROBE_BYTES, geoparquet: false });
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
