/**
 * Generator of the parquet differential matrix (issue 11, item 4): parquet data files written by
 * parquet-wasm 0.8 (parquet-rs 59) across codecs × data page versions × encodings × value
 * profiles × column types, each with its ground truth (the Arrow table that was written).
 *
 * One file = one cell key `pw-<codec>-<V1|V2>-<encoding>-<profile>`; its columns are the types
 * the encoding applies to (physical type), so a measurement attributes outcomes per column chunk.
 * Everything is seeded: the same source gives byte-identical files. Files are cached on disk
 * under `bench/generated/parquet-matrix/pw-<hash of this source>/` (git-ignored).
 *
 * Pure TS for Node (`npx tsx`), no Python. The pyarrow and DuckDB-native writers are in
 * `parquet-matrix-pyarrow.py`; the measurement is `parquet-matrix-study.ts`.
 */
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** Codecs of the matrix (parquet `CompressionCodec` names). LZ4 is the deprecated Hadoop framing. */
export const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'BROTLI', 'LZ4', 'LZ4_RAW', 'ZSTD'] as const;
export type Codec = (typeof CODECS)[number];
/** Writer version: V1 writes DataPage V1, V2 writes DataPage V2 (and parquet-rs' V2 fallback encodings). */
export const VERSIONS = ['V1', 'V2'] as const;
export type PageVersion = (typeof VERSIONS)[number];
/** Encodings of the matrix; DICT = dictionary enabled (RLE_DICTIONARY data pages, PLAIN dictionary page). */
export const ENCODINGS = ['PLAIN', 'DICT', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY', 'DELTA_BYTE_ARRAY', 'BYTE_STREAM_SPLIT', 'RLE'] as const;
export type MatrixEncoding = (typeof ENCODINGS)[number];
/** Value profiles (see {@link columnValues}). */
export const PROFILES = ['seq', 'extremes', 'random', 'nulls', 'runs', 'long', 'empty'] as const;
export type Profile = (typeof PROFILES)[number];

/** Parquet physical type a column's leaf chunk has when parquet-rs writes it. */
export type Physical = 'BOOLEAN' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'BYTE_ARRAY' | 'FIXED_LEN_BYTE_ARRAY' | 'NESTED';

/** A column type of the matrix: its name (= column name), Arrow type and physical type. */
export interface ColumnSpec {
  name: string;
  type: arrow.DataType;
  physical: Physical;
  /** Leaf column paths (dotted) for `setColumnEncoding`. */
  leaves: { path: string; physical: Physical }[];
}

const f = (name: string, type: arrow.DataType, nullable = true) => new arrow.Field(name, type, nullable);
const leaf = (name: string, type: arrow.DataType, physical: Physical): ColumnSpec => ({ name, type, physical, leaves: [{ path: name, physical }] });

/** All column types of the matrix. */
export const COLUMNS: ColumnSpec[] = [
  leaf('i8', new arrow.Int8(), 'INT32'),
  leaf('i16', new arrow.Int16(), 'INT32'),
  leaf('i32', new arrow.Int32(), 'INT32'),
  leaf('i64', new arrow.Int64(), 'INT64'),
  leaf('dec9', new arrow.Decimal(2, 9, 128), 'INT32'),
  leaf('dec18', new arrow.Decimal(4, 18, 128), 'INT64'),
  leaf('dec38', new arrow.Decimal(10, 38, 128), 'FIXED_LEN_BYTE_ARRAY'),
  leaf('f32', new arrow.Float32(), 'FLOAT'),
  leaf('f64', new arrow.Float64(), 'DOUBLE'),
  leaf('str', new arrow.Utf8(), 'BYTE_ARRAY'),
  leaf('bin', new arrow.Binary(), 'BYTE_ARRAY'),
  leaf('date', new arrow.DateDay(), 'INT32'),
  leaf('ts_ms', new arrow.TimestampMillisecond(), 'INT64'),
  leaf('ts_us', new arrow.TimestampMicrosecond(), 'INT64'),
  leaf('ts_ns', new arrow.TimestampNanosecond(), 'INT64'),
  leaf('ts_ms_tz', new arrow.TimestampMillisecond('UTC'), 'INT64'),
  leaf('ts_us_tz', new arrow.TimestampMicrosecond('UTC'), 'INT64'),
  leaf('ts_ns_tz', new arrow.TimestampNanosecond('UTC'), 'INT64'),
  leaf('bool', new arrow.Bool(), 'BOOLEAN'),
  {
    name: 'list_i64',
    type: new arrow.List(f('item', new arrow.Int64())),
    physical: 'NESTED',
    leaves: [{ path: 'list_i64.list.item', physical: 'INT64' }],
  },
  {
    name: 'list_str',
    type: new arrow.List(f('item', new arrow.Utf8())),
    physical: 'NESTED',
    leaves: [{ path: 'list_str.list.item', physical: 'BYTE_ARRAY' }],
  },
  {
    name: 'struct',
    type: new arrow.Struct([f('a', new arrow.Int32()), f('b', new arrow.Utf8())]),
    physical: 'NESTED',
    leaves: [
      { path: 'struct.a', physical: 'INT32' },
      { path: 'struct.b', physical: 'BYTE_ARRAY' },
    ],
  },
  {
    name: 'map',
    type: new arrow.Map_(new arrow.Field('entries', new arrow.Struct<any>([f('key', new arrow.Utf8(), false), f('value', new arrow.Int64())]), false)),
    physical: 'NESTED',
    leaves: [
      { path: 'map.entries.key', physical: 'BYTE_ARRAY' },
      { path: 'map.entries.value', physical: 'INT64' },
    ],
  },
];

/** Physical types each matrix encoding applies to (parquet-rs 59 accepts BYTE_STREAM_SPLIT on all fixed-width types). */
export const APPLIES: Record<MatrixEncoding, Physical[]> = {
  PLAIN: ['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY'],
  DICT: ['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY'],
  DELTA_BINARY_PACKED: ['INT32', 'INT64'],
  DELTA_LENGTH_BYTE_ARRAY: ['BYTE_ARRAY'],
  DELTA_BYTE_ARRAY: ['BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY'],
  BYTE_STREAM_SPLIT: ['INT32', 'INT64', 'FLOAT', 'DOUBLE', 'FIXED_LEN_BYTE_ARRAY'],
  RLE: ['BOOLEAN'],
};

// ---------------------------------------------------------------- seeded values

/** xorshift128+ over BigInt-free 32-bit state (fast, deterministic). */
export class Rng {
  private s: Uint32Array;
  constructor(seed: number) {
    this.s = new Uint32Array([seed ^ 0x9e3779b9, 0x243f6a88, 0x85a308d3, 0x13198a2e]);
    for (let i = 0; i < 16; i++) this.u32();
  }
  /** Uniform uint32. */
  u32(): number {
    const s = this.s;
    let t = s[3];
    let x = s[0];
    s[3] = s[2];
    s[2] = s[1];
    s[1] = x;
    t ^= t << 11;
    t ^= t >>> 8;
    x ^= x >>> 19;
    s[0] = (t ^ x) >>> 0;
    return s[0];
  }
  /** Uniform in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  /** Uniform int64 over the full range. */
  i64(): bigint {
    return BigInt.asIntN(64, (BigInt(this.u32()) << 32n) | BigInt(this.u32()));
  }
  /** Uniform signed integer of `bits` bits. */
  bits(bits: number): bigint {
    return BigInt.asIntN(bits, this.i64());
  }
  /** Uniform bigint in [-(10^p - 1), 10^p - 1]. */
  decimal(p: number): bigint {
    const m = 10n ** BigInt(p);
    let v = 0n;
    for (let i = 0; i < 4; i++) v = (v << 32n) | BigInt(this.u32());
    v %= 2n * m - 1n;
    return v - (m - 1n);
  }
}

const INT_MIN: Record<string, bigint> = { i8: -128n, i16: -32768n, i32: -2147483648n, i64: -9223372036854775808n };
const INT_BITS: Record<string, number> = { i8: 8, i16: 16, i32: 32, i64: 64 };
const DATE_MIN = -719162; // 0001-01-01
const DATE_MAX = 2932896; // 9999-12-31
const US_MIN = -62135596800000000n; // 0001-01-01 in µs
const US_MAX = 253402300799999999n; // 9999-12-31T23:59:59.999999
const UNICODE = ['', 'a', 'é', 'Ω≈ç√', '日本語テキスト', '🦆🔥', 'Zürich', 'ﬀ', '\u0000nul', 'x'.repeat(40), 'مرحبا', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢'];

/** Rows of each profile. */
export const PROFILE_ROWS: Record<Profile, number> = { seq: 1000, extremes: 2000, random: 4000, nulls: 4000, runs: 4000, long: 40, empty: 0 };

/**
 * Layout of each profile: `pageBytes` = data page size limit (small → many pages),
 * `rowGroup` = max rows per row group, `batch` = write batch size (page size is checked per batch).
 */
export const PROFILE_LAYOUT: Record<Profile, { pageBytes?: number; rowGroup?: number; batch?: number }> = {
  seq: {},
  extremes: { pageBytes: 1024, rowGroup: 900, batch: 64 },
  random: { pageBytes: 2048, rowGroup: 1500, batch: 128 },
  nulls: { pageBytes: 1024, rowGroup: 2000, batch: 64 },
  runs: { pageBytes: 2048, rowGroup: 3000, batch: 256 },
  long: { pageBytes: 16384, rowGroup: 30, batch: 8 },
  empty: {},
};

/** Scalar value source of one leaf kind for one profile: `(row) => value | null`. */
type Gen = (i: number) => unknown;

function intGen(kind: 'i8' | 'i16' | 'i32' | 'i64', profile: Profile, rng: Rng): Gen {
  const bits = INT_BITS[kind];
  const min = INT_MIN[kind];
  const max = -min - 1n;
  const conv = kind === 'i64' ? (v: bigint) => v : (v: bigint) => Number(v);
  const special = [min, max, 0n, -1n, 1n, min + 1n, max - 1n, min / 2n, max / 2n];
  switch (profile) {
    case 'seq':
      return (i) => conv(BigInt.asIntN(bits, BigInt(i)));
    case 'extremes':
      return (i) => conv(i % 3 === 2 ? rng.bits(bits) : special[i % special.length]);
    case 'random':
    case 'nulls':
    case 'long':
      return () => conv(rng.bits(bits));
    case 'runs': {
      let v = 0n;
      let left = 0;
      return () => {
        if (left-- <= 0) {
          left = rng.int(500);
          v = rng.int(4) === 0 ? rng.bits(bits) : BigInt(rng.int(8));
        }
        return conv(v);
      };
    }
    case 'empty':
      return () => conv(0n);
  }
}

function leafGen(name: string, profile: Profile, rng: Rng): Gen {
  const pick = <T>(xs: T[]) => xs[rng.int(xs.length)];
  switch (name) {
    case 'i8':
    case 'i16':
    case 'i32':
    case 'i64':
      return intGen(name, profile, rng);
    case 'dec9':
    case 'dec18':
    case 'dec38': {
      const p = name === 'dec9' ? 9 : name === 'dec18' ? 18 : 38;
      const top = 10n ** BigInt(p) - 1n;
      if (profile === 'seq') return (i) => BigInt(i) * 101n - 5000n;
      if (profile === 'extremes') return (i) => [top, -top, 0n, 1n, -1n, top - 1n, -top + 1n][i % 9] ?? rng.decimal(p);
      if (profile === 'runs') {
        let v = 0n;
        let left = 0;
        return () => {
          if (left-- <= 0) [left, v] = [rng.int(500), rng.decimal(p)];
          return v;
        };
      }
      return () => rng.decimal(p);
    }
    case 'f32':
    case 'f64': {
      const big = name === 'f32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
      const tiny = name === 'f32' ? 1.401298464324817e-45 : Number.MIN_VALUE;
      const special = [NaN, Infinity, -Infinity, -0, 0, big, -big, tiny, -tiny, 1.5, -2.25];
      const rnd = () => {
        const b = new ArrayBuffer(8);
        const dv = new DataView(b);
        dv.setUint32(0, rng.u32());
        dv.setUint32(4, rng.u32());
        return name === 'f32' ? dv.getFloat32(0) : dv.getFloat64(0);
      };
      if (profile === 'seq') return (i) => i * 0.5 - 100;
      if (profile === 'extremes') return (i) => (i % 2 ? rnd() : special[(i >> 1) % special.length]);
      if (profile === 'runs') {
        let v = 0;
        let left = 0;
        return () => {
          if (left-- <= 0) [left, v] = [rng.int(500), rng.int(3) ? rng.int(10) : rnd()];
          return v;
        };
      }
      return rnd;
    }
    case 'str':
    case 'bin': {
      const enc = new TextEncoder();
      const mk = (s: string) => (name === 'bin' ? enc.encode(s) : s);
      if (profile === 'seq') return (i) => mk(`value-${i}`);
      if (profile === 'long')
        return (i) => {
          const n = 10240 + rng.int(4000);
          let s = `row${i}:`;
          while (s.length < n) s += pick(UNICODE) + String.fromCharCode(32 + rng.int(90));
          if (name === 'bin') {
            const b = new Uint8Array(n);
            for (let k = 0; k < n; k++) b[k] = rng.int(256);
            return b;
          }
          return s;
        };
      if (profile === 'runs') {
        let v: unknown = '';
        let left = 0;
        return (i) => {
          if (left-- <= 0) [left, v] = [rng.int(500), mk(`run-${i}-${pick(UNICODE)}`)];
          return v;
        };
      }
      return (i) => {
        if (profile === 'extremes' && i % 2 === 0) return mk(UNICODE[(i >> 1) % UNICODE.length]);
        if (name === 'bin') {
          const b = new Uint8Array(rng.int(64));
          for (let k = 0; k < b.length; k++) b[k] = rng.int(256);
          return b;
        }
        let s = '';
        const n = rng.int(12);
        for (let k = 0; k < n; k++) s += rng.int(2) ? pick(UNICODE) : String.fromCodePoint(32 + rng.int(0x2fff));
        return s;
      };
    }
    case 'date':
      if (profile === 'seq') return (i) => 18000 + i;
      if (profile === 'extremes') return (i) => [DATE_MIN, DATE_MAX, 0, -1, 1, DATE_MIN + 1, DATE_MAX - 1][i % 7];
      return () => DATE_MIN + rng.int(DATE_MAX - DATE_MIN + 1);
    case 'bool':
      if (profile === 'seq') return (i) => i % 3 === 0;
      if (profile === 'runs') {
        let v = false;
        let left = 0;
        return () => {
          if (left-- <= 0) [left, v] = [rng.int(700), !v];
          return v;
        };
      }
      return () => rng.int(2) === 1;
  }
  if (name.startsWith('ts_')) {
    const unit = name.slice(3, 5);
    const scale = unit === 'ms' ? 1000n : unit === 'us' ? 1n : 0n;
    const toUnit = (us: bigint) => (unit === 'ms' ? us / 1000n : us * 1000n);
    // ns covers int64 except the two values DuckDB reserves for ±infinity
    const lo = scale ? US_MIN / scale : -9223372036854775806n;
    const hi = scale ? US_MAX / scale : 9223372036854775806n;
    const fromUs = (us: bigint) => (unit === 'us' ? us : toUnit(us));
    if (profile === 'seq') return (i) => fromUs(1_700_000_000_000_000n + BigInt(i) * 1_000_001n);
    const rnd = () => {
      const span = hi - lo + 1n;
      let v = (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
      v = ((v << 32n) | BigInt(rng.u32())) % span;
      return lo + v;
    };
    if (profile === 'extremes') return (i) => [lo, hi, 0n, -1n, 1n, lo + 1n, hi - 1n][i % 8] ?? rnd();
    if (profile === 'runs') {
      let v = 0n;
      let left = 0;
      return () => {
        if (left-- <= 0) [left, v] = [rng.int(500), rnd()];
        return v;
      };
    }
    return rnd;
  }
  throw new Error(`no generator for ${name}`);
}

/** Null pattern of a profile: `nulls` has all-null pages (long null runs) plus 50 % scattered nulls. */
function isNull(profile: Profile, i: number, n: number, rng: Rng): boolean {
  if (profile === 'nulls') return i < n * 0.3 || i >= n * 0.75 || (i >= n * 0.5 && i < n * 0.6) || rng.int(2) === 0;
  if (profile === 'extremes' || profile === 'random' || profile === 'runs') return rng.int(17) === 0;
  return false;
}

function bitmap(valid: boolean[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(((valid.length + 63) >> 6) << 3);
  let nullCount = 0;
  valid.forEach((v, i) => (v ? (nullBitmap[i >> 3] |= 1 << (i & 7)) : nullCount++));
  return { nullBitmap, nullCount };
}

/** One column's Arrow vector for a profile (seeded by column name and profile). */
export function columnValues(spec: ColumnSpec, profile: Profile, n: number, seed: number): arrow.Vector {
  const rng = new Rng(seed);
  const t = spec.type;
  if (spec.physical === 'NESTED') {
    const nullRng = new Rng(seed ^ 0x5555);
    const vals: unknown[] = [];
    if (spec.name === 'list_i64') {
      const g = leafGen('i64', profile, rng);
      for (let i = 0; i < n; i++) {
        if (isNull(profile, i, n, nullRng)) vals.push(null);
        else vals.push(Array.from({ length: rng.int(profile === 'long' ? 60 : 5) }, (_, k) => (rng.int(9) === 0 ? null : g(i * 7 + k))));
      }
    } else if (spec.name === 'list_str') {
      const g = leafGen('str', profile, rng);
      for (let i = 0; i < n; i++) {
        if (isNull(profile, i, n, nullRng)) vals.push(null);
        else vals.push(Array.from({ length: rng.int(profile === 'long' ? 3 : 5) }, (_, k) => (rng.int(9) === 0 ? null : g(i * 7 + k))));
      }
    } else if (spec.name === 'struct') {
      const a = leafGen('i32', profile, rng);
      const b = leafGen('str', profile === 'long' ? 'random' : profile, rng);
      for (let i = 0; i < n; i++) vals.push(isNull(profile, i, n, nullRng) ? null : { a: rng.int(7) === 0 ? null : a(i), b: rng.int(7) === 0 ? null : b(i) });
    } else {
      const v = leafGen('i64', profile, rng);
      for (let i = 0; i < n; i++) {
        if (isNull(profile, i, n, nullRng)) vals.push(null);
        else {
          const m = new Map<string, unknown>();
          const k = rng.int(4);
          for (let j = 0; j < k; j++) m.set(`k${j}-${UNICODE[rng.int(UNICODE.length)]}`, rng.int(6) === 0 ? null : v(i));
          vals.push(m);
        }
      }
    }
    return arrow.vectorFromArray(vals, t);
  }
  const g = leafGen(spec.name, profile, rng);
  const nullRng = new Rng(seed ^ 0x5555);
  const valid: boolean[] = [];
  const raw: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const nul = isNull(profile, i, n, nullRng);
    valid.push(!nul);
    raw.push(g(i));
  }
  const { nullBitmap, nullCount } = bitmap(valid);
  const typeId = t.typeId;
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isBinary(t)) {
    return arrow.vectorFromArray(
      raw.map((v, i) => (valid[i] ? v : null)),
      t,
    );
  }
  let data: ArrayLike<unknown> & { buffer: ArrayBuffer };
  if (arrow.DataType.isDecimal(t)) {
    const words = new Uint32Array(n * 4);
    raw.forEach((v, i) => {
      let x = BigInt.asUintN(128, v as bigint);
      for (let k = 0; k < 4; k++, x >>= 32n) words[i * 4 + k] = Number(x & 0xffffffffn);
    });
    data = words;
  } else if (arrow.DataType.isBool(t)) {
    const b = new Uint8Array(((n + 63) >> 6) << 3);
    raw.forEach((v, i) => v && (b[i >> 3] |= 1 << (i & 7)));
    data = b;
  } else if (arrow.DataType.isTimestamp(t) || t instanceof arrow.Int64) {
    data = BigInt64Array.from(raw as bigint[]);
  } else if (t instanceof arrow.Int8) data = Int8Array.from(raw as number[]);
  else if (t instanceof arrow.Int16) data = Int16Array.from(raw as number[]);
  else if (t instanceof arrow.Int32 || arrow.DataType.isDate(t)) data = Int32Array.from(raw as number[]);
  else if (t instanceof arrow.Float32) data = Float32Array.from(raw as number[]);
  else if (t instanceof arrow.Float64) data = Float64Array.from(raw as number[]);
  else throw new Error(`no vector builder for ${spec.name} (${typeId})`);
  return arrow.makeVector(arrow.makeData({ type: t as any, length: n, nullCount, nullBitmap: nullCount ? nullBitmap : undefined, data: data as any }));
}

/** Rows of a profile at a scale (0 < scale ≤ 1; the `empty` profile stays empty). */
export function profileRows(profile: Profile, scale = 1): number {
  return profile === 'empty' ? 0 : Math.max(8, Math.round(PROFILE_ROWS[profile] * scale));
}

/** The full Arrow table of a profile (all columns); cells select their columns from it. */
export function profileTable(profile: Profile, scale = 1): arrow.Table {
  const n = profileRows(profile, scale);
  const cols: Record<string, arrow.Vector> = {};
  COLUMNS.forEach((c, k) => (cols[c.name] = columnValues(c, profile, n, 1000 * (PROFILES.indexOf(profile) + 1) + k)));
  return new arrow.Table(cols);
}

// ---------------------------------------------------------------- cells

/** One matrix cell: a parquet file and the table it holds. */
export interface MatrixCell {
  /** File name, e.g. `pw-ZSTD-V2-DELTA_BINARY_PACKED-extremes.parquet`. */
  name: string;
  writer: 'parquet-wasm';
  codec: Codec;
  version: PageVersion;
  encoding: MatrixEncoding;
  profile: Profile;
  /** Columns in the file. */
  columns: string[];
  /** Ground truth: exactly what was written. */
  truth: arrow.Table;
  /** Absolute path of the cached file. */
  path: string;
}

/**
 * Columns of the matrix a given encoding is written on: top-level columns of a physical type it
 * applies to, and nested columns all of whose leaves it applies to (parquet-wasm's
 * `setColumnEncoding` takes one path part, so nested leaves only follow the file-wide encoding).
 */
export function columnsFor(encoding: MatrixEncoding): ColumnSpec[] {
  const ok = APPLIES[encoding];
  if (encoding === 'PLAIN' || encoding === 'DICT') return COLUMNS;
  return COLUMNS.filter((c) => c.leaves.every((l) => ok.includes(l.physical)));
}

/** Writer properties of a cell: explicit per-leaf encoding so parquet-rs' V2 fallback defaults do not change it. */
export function writerProperties(codec: Codec, version: PageVersion, encoding: MatrixEncoding, profile: Profile, cols: ColumnSpec[]): pw.WriterProperties {
  let b = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression[codec])
    .setWriterVersion(version === 'V2' ? pw.WriterVersion.V2 : pw.WriterVersion.V1)
    .setDictionaryEnabled(encoding === 'DICT')
    .setCreatedBy('delta-explorer parquet-matrix (parquet-rs 59 via parquet-wasm 0.8)');
  const lay = PROFILE_LAYOUT[profile];
  if (lay.pageBytes) b = b.setDataPageSizeLimit(lay.pageBytes).setDictionaryPageSizeLimit(lay.pageBytes * 4);
  if (lay.rowGroup) b = b.setMaxRowGroupSize(lay.rowGroup);
  if (lay.batch) b = b.setWriteBatchSize(lay.batch);
  if (encoding === 'DICT') return b.build();
  const enc = encoding === 'PLAIN' ? pw.Encoding.PLAIN : pw.Encoding[encoding];
  // file-wide: reaches the nested leaves (all of which `columnsFor` made sure the encoding applies to)
  b = b.setEncoding(enc);
  for (const c of cols) if (c.physical !== 'NESTED') b = b.setColumnEncoding(c.name, enc).setColumnDictionaryEnabled(c.name, false);
  return b.build();
}

/** Hash of this generator's source: the cache key. */
export function generatorHash(): string {
  return createHash('sha256').update(readFileSync(new URL(import.meta.url))).digest('hex').slice(0, 12);
}

/** Default cache folder of the parquet-wasm cells. */
export function defaultCacheDir(scale = 1): string {
  return join(import.meta.dirname, '..', '..', 'bench', 'generated', 'parquet-matrix', `pw-${generatorHash()}${scale === 1 ? '' : `-x${scale}`}`);
}

/**
 * All cells of the parquet-wasm matrix, written (or reused) under `dir` (default: the cache
 * folder for this source and scale). Filters select a subset; `scale` (0 < scale ≤ 1) shrinks
 * every profile's row count (page and row-group limits stay, so small scales still give several
 * pages). Throws if parquet-wasm refuses a writer configuration (none do in 0.8.0).
 */
export function generateMatrix(
  opts: { dir?: string; scale?: number; codecs?: readonly Codec[]; versions?: readonly PageVersion[]; encodings?: readonly MatrixEncoding[]; profiles?: readonly Profile[] } = {},
): MatrixCell[] {
  const scale = opts.scale ?? 1;
  const dir = opts.dir ?? defaultCacheDir(scale);
  mkdirSync(dir, { recursive: true });
  const cells: MatrixCell[] = [];
  for (const profile of opts.profiles ?? PROFILES) {
    const full = profileTable(profile, scale);
    for (const encoding of opts.encodings ?? ENCODINGS) {
      const cols = columnsFor(encoding);
      const truth = full.select(cols.map((c) => c.name));
      let ipc: Uint8Array | undefined;
      for (const codec of opts.codecs ?? CODECS)
        for (const version of opts.versions ?? VERSIONS) {
          const name = `pw-${codec}-${version}-${encoding}-${profile}.parquet`;
          const path = join(dir, name);
          if (!existsSync(path)) {
            ipc ??= arrow.tableToIPC(truth, 'stream');
            const bytes = pw.writeParquet(pw.Table.fromIPCStream(ipc), writerProperties(codec, version, encoding, profile, cols));
            writeFileSync(path + '.tmp', bytes);
            renameSync(path + '.tmp', path);
          }
          cells.push({ name, writer: 'parquet-wasm', codec, version, encoding, profile, columns: cols.map((c) => c.name), truth, path });
        }
    }
  }
  return cells;
}
