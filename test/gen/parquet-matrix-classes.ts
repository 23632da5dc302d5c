/**
 * Footer predicates of the parquet failure classes the differential matrix found for DuckDB
 * 0.9.1 (DuckDB-WASM 1.28.0): given a file's footer (hyparquet `parquetMetadata`), which column
 * chunks DuckDB 0.9.1 would refuse (ERROR) or decode wrong (WRONG). Used by the study to check
 * that every non-exact cell is predicted (no false negatives) and to count over-routing. The
 * findings and evidence are in /work/notes/parquet-classes.md; the data plane's own routing is
 * the lead's (src/query), this is the measured reference.
 *
 * Classes:
 * - C1 codec ∉ {UNCOMPRESSED, SNAPPY, GZIP, ZSTD} (BROTLI, LZ4, LZ4_RAW, LZO) — ERROR.
 * - C2 BYTE_STREAM_SPLIT on a physical type other than FLOAT/DOUBLE — ERROR.
 * - C3 DELTA_BYTE_ARRAY on FIXED_LEN_BYTE_ARRAY — ERROR.
 * - C4 DELTA_BINARY_PACKED on INT64 with a value ≥ 2^62 or < −2^62 possible (page first value
 *      decoded with the wrong sign) — WRONG.
 * - C5 DELTA_BINARY_PACKED on INT32 with max − min ≥ 2^31 (deltas leave int32; DuckDB ≥ 1.x
 *      writes such pages) — WRONG.
 * - C6 TIMESTAMP(NANOS) and INT96: read as microseconds, sub-µs digits dropped — WRONG vs the
 *      file (type mapping, not a decoder bug; a Delta timestamp is µs anyway).
 * - C7 SNAPPY DataPage V2 whose values section can be empty (an all-null PLAIN or
 *      BYTE_STREAM_SPLIT page: parquet-java writes 0 compressed bytes with is_compressed=true) —
 *      ERROR "Snappy decompression failure". Needs `encoding_stats` to see V2 data pages; files
 *      without it (DuckDB's writer) are not predicted — the error is loud, retry on it.
 *
 * Fallback decoders (see {@link preferredFallback}): parquet-wasm 0.8 refuses INT32 DBP pages
 * whose min_delta leaves int32 (C5 files) and SILENTLY wraps INT96 timestamps outside
 * 1677-09-21..2262-04-11 (it converts them to int64 nanoseconds); hyparquet 1.33 reads both
 * right but fails on some LZ4_RAW dictionary pages (loudly).
 */
import { parquetMetadata, type FileMetaData } from 'hyparquet';

/** Class ids. */
export type ParquetClass = 'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'C7';

/** One predicted failure: class, leaf column path (dotted, as in the footer) and why. */
export interface ClassHit {
  cls: ParquetClass;
  path: string;
  why: string;
}

const OK_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD']);
const TWO62 = 1n << 62n;
const TWO31 = 1n << 31n;

/** Statistics parsers that keep INT64 timestamps raw (hyparquet otherwise converts them to Date). */
const RAW_PARSERS = {
  timestampFromMilliseconds: (v: bigint) => v,
  timestampFromMicroseconds: (v: bigint) => v,
  timestampFromNanoseconds: (v: bigint) => v,
  dateFromDays: (d: number) => d,
};

/** Footer of a parquet file's bytes, with raw integer statistics. */
export function readFooter(bytes: Uint8Array): FileMetaData {
  return parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { parsers: RAW_PARSERS as any });
}

const asBig = (v: unknown): bigint | undefined => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : undefined);

/**
 * Predicted DuckDB 0.9.1 failures of every column chunk of a footer (deduplicated per leaf and
 * class). `includeNanos` adds C6 (off by default: see the notes, a Delta timestamp is µs).
 */
export function footerClasses(md: FileMetaData, opts: { includeNanos?: boolean } = {}): ClassHit[] {
  const hits = new Map<string, ClassHit>();
  const add = (cls: ParquetClass, path: string, why: string) => hits.has(cls + path) || hits.set(cls + path, { cls, path, why });
  // leaf schema elements in order = column chunk order
  const leaves = md.schema.filter((s) => s.num_children === undefined || s.num_children === 0).slice(0);
  for (const rg of md.row_groups)
    rg.columns.forEach((c, k) => {
      const m = c.meta_data;
      if (!m) return;
      const path = m.path_in_schema.join('.');
      const el: any = leaves[k];
      const enc = new Set<string>(m.encodings);
      if (!OK_CODECS.has(m.codec)) add('C1', path, `codec ${m.codec}`);
      if (enc.has('BYTE_STREAM_SPLIT') && m.type !== 'FLOAT' && m.type !== 'DOUBLE') add('C2', path, `BYTE_STREAM_SPLIT on ${m.type}`);
      if (enc.has('DELTA_BYTE_ARRAY') && m.type === 'FIXED_LEN_BYTE_ARRAY') add('C3', path, 'DELTA_BYTE_ARRAY on FIXED_LEN_BYTE_ARRAY');
      const st: any = m.statistics ?? {};
      const min = asBig(st.min_value ?? st.min);
      const max = asBig(st.max_value ?? st.max);
      const unsigned = el?.logical_type?.type === 'INTEGER' ? el.logical_type.isSigned === false : /^UINT_/.test(el?.converted_type ?? '');
      if (enc.has('DELTA_BINARY_PACKED') && m.type === 'INT64') {
        const isDecimal = el?.logical_type?.type === 'DECIMAL' || el?.converted_type === 'DECIMAL';
        if (!isDecimal && (unsigned || min === undefined || max === undefined || max >= TWO62 || min < -TWO62))
          add('C4', path, min === undefined || max === undefined ? 'INT64 DELTA_BINARY_PACKED without min/max statistics' : `INT64 DELTA_BINARY_PACKED, min ${min} max ${max}`);
      }
      if (enc.has('DELTA_BINARY_PACKED') && m.type === 'INT32') {
        if (unsigned || min === undefined || max === undefined || max - min >= TWO31)
          add('C5', path, min === undefined || max === undefined ? 'INT32 DELTA_BINARY_PACKED without min/max statistics' : `INT32 DELTA_BINARY_PACKED, max − min = ${max - min}`);
      }
      if (opts.includeNanos && el?.logical_type?.type === 'TIMESTAMP' && el.logical_type.unit === 'NANOS') add('C6', path, 'TIMESTAMP(NANOS)');
      if (opts.includeNanos && m.type === 'INT96') add('C6', path, 'INT96 timestamp (nanosecond precision)');
      if (m.codec === 'SNAPPY') {
        const emptyable = (m.encoding_stats ?? []).some((e) => e.page_type === 'DATA_PAGE_V2' && (e.encoding === 'PLAIN' || e.encoding === 'BYTE_STREAM_SPLIT'));
        const nulls = st.null_count === undefined || BigInt(st.null_count) > 0n;
        if (emptyable && nulls) add('C7', path, 'SNAPPY DataPage V2 (PLAIN/BYTE_STREAM_SPLIT values) with nulls: an all-null page may have an empty compressed section');
      }
    });
  return [...hits.values()];
}

/**
 * The fallback decoder to use for a file that needs one: `hyparquet` when parquet-wasm 0.8 would
 * refuse it (INT32 DELTA_BINARY_PACKED with a range ≥ 2^31 or no statistics: C5) or could be
 * silently wrong (any INT96 column: values outside the int64-nanosecond range wrap), else
 * `parquet-wasm` (faster; hyparquet-compressors fails on some LZ4_RAW dictionary pages).
 */
export function preferredFallback(md: FileMetaData): { decoder: 'parquet-wasm' | 'hyparquet'; why: string } {
  if (md.row_groups.some((rg) => rg.columns.some((c) => c.meta_data?.type === 'INT96'))) return { decoder: 'hyparquet', why: 'INT96 column (parquet-wasm wraps values outside 1677..2262)' };
  if (footerClasses(md).some((h) => h.cls === 'C5')) return { decoder: 'hyparquet', why: 'INT32 DELTA_BINARY_PACKED beyond int32 (parquet-wasm refuses: min_delta too large)' };
  return { decoder: 'parquet-wasm', why: 'default' };
}
