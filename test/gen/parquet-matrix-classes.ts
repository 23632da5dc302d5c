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
import type { FileMetaData } from 'hyparquet';
import { footerProblems, parseFooter } from '../../src/query/parquet-footer.ts';

/** Class ids. */
export type ParquetClass = 'C1' | 'C2' | 'C3' | 'C4' | 'C5' | 'C6' | 'C7';

/** One predicted failure: class, leaf column path (dotted, as in the footer) and why. */
export interface ClassHit {
  cls: ParquetClass;
  path: string;
  why: string;
}

/** Footer of a parquet file's bytes, with raw integer statistics (the data plane's parser). */
export function readFooter(bytes: Uint8Array): FileMetaData {
  return parseFooter(bytes);
}

/**
 * Predicted DuckDB 0.9.1 failures of every column chunk of a footer (deduplicated per leaf and
 * class): the data plane's own predicates (`footerProblems` in src/query/parquet-footer.ts, which
 * routes files by them). `includeNanos` adds C6 (off by default: a Delta timestamp is µs).
 */
export function footerClasses(md: FileMetaData, opts: { includeNanos?: boolean } = {}): ClassHit[] {
  return footerProblems(md, opts);
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
