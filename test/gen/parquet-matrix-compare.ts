/**
 * Value-exact comparison helpers of the parquet differential matrix: every value of an Arrow
 * column (apache-arrow 21, whatever produced it: the generator, DuckDB-WASM's Arrow output,
 * parquet-wasm's readParquet) or of a hyparquet row is turned into one canonical string, and
 * columns are compared string by string.
 *
 * Canonical forms (so that logically equal values from different type mappings compare equal):
 * integers in decimal; decimals as exact `[-]int[.frac]` with trailing zeros stripped; floats by
 * value with `-0`, `NaN`, `Infinity` spelled out (float32 values are widened exactly); dates as
 * days since the epoch; timestamps as nanoseconds since the epoch (units normalised, zone ignored);
 * strings JSON-quoted; binary as `x<hex>`; lists `[a,b]`; structs `{name:v,...}`; maps `{k=>v,...}`.
 */
import * as arrow from 'apache-arrow';

const TS_TO_NS: Record<number, bigint> = { [arrow.TimeUnit.SECOND]: 1_000_000_000n, [arrow.TimeUnit.MILLISECOND]: 1_000_000n, [arrow.TimeUnit.MICROSECOND]: 1_000n, [arrow.TimeUnit.NANOSECOND]: 1n };

const hex = (b: Uint8Array) => 'x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const floatStr = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
const dec = new TextDecoder();

/** Exact decimal string of `unscaled × 10^-scale`, trailing fractional zeros stripped. */
export function decimalString(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  let s = (neg ? -unscaled : unscaled).toString();
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    let frac = s.slice(s.length - scale).replace(/0+$/, '');
    s = s.slice(0, s.length - scale) + (frac ? '.' + frac : '');
  } else if (scale < 0) s += '0'.repeat(-scale);
  return (neg && s !== '0' ? '-' : '') + s;
}

function valid(d: arrow.Data, i: number): boolean {
  if (!d.nullBitmap || d.nullBitmap.length === 0 || d.nullCount === 0) return !(d.type instanceof arrow.Null);
  const j = d.offset + i;
  return ((d.nullBitmap[j >> 3] >> (j & 7)) & 1) === 1;
}

/** Canonical string of row `i` of one Arrow `Data` chunk. */
export function canonData(d: arrow.Data, i: number): string {
  if (!valid(d, i)) return 'null';
  const t = d.type as arrow.DataType;
  // apache-arrow slices value/offset buffers with the Data (except Bool); `offset` applies to the validity and Bool bits
  const j = i;
  const vals = d.values as any;
  switch (t.typeId) {
    case arrow.Type.Int:
      return String(vals[j]);
    case arrow.Type.Float:
      if ((t as arrow.Float).precision === arrow.Precision.HALF) return 'f16:' + vals[j];
      return floatStr(vals[j]);
    case arrow.Type.Bool:
      return ((vals[(d.offset + i) >> 3] >> ((d.offset + i) & 7)) & 1) === 1 ? 'true' : 'false';
    case arrow.Type.Decimal: {
      const bw = (t as arrow.Decimal).bitWidth / 32;
      let x = 0n;
      for (let k = bw - 1; k >= 0; k--) x = (x << 32n) | BigInt(vals[j * bw + k] >>> 0);
      return decimalString(BigInt.asIntN(bw * 32, x), (t as arrow.Decimal).scale);
    }
    case arrow.Type.Date:
      return (t as arrow.Date_).unit === arrow.DateUnit.DAY ? String(vals[j]) : String(Number(vals[j]) / 86400000);
    case arrow.Type.Timestamp:
      return String(BigInt(vals[j]) * TS_TO_NS[(t as arrow.Timestamp).unit]);
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8: {
      const o = d.valueOffsets as any;
      return JSON.stringify(dec.decode((vals as Uint8Array).subarray(Number(o[j]), Number(o[j + 1]))));
    }
    case arrow.Type.Binary:
    case arrow.Type.LargeBinary: {
      const o = d.valueOffsets as any;
      return hex((vals as Uint8Array).subarray(Number(o[j]), Number(o[j + 1])));
    }
    case arrow.Type.FixedSizeBinary: {
      const w = (t as arrow.FixedSizeBinary).byteWidth;
      return hex((vals as Uint8Array).subarray(j * w, (j + 1) * w));
    }
    case arrow.Type.List:
    case arrow.Type.LargeList: {
      const o = d.valueOffsets as any;
      const out: string[] = [];
      for (let k = Number(o[j]); k < Number(o[j + 1]); k++) out.push(canonData(d.children[0], k));
      return '[' + out.join(',') + ']';
    }
    case arrow.Type.Map: {
      const o = d.valueOffsets as any;
      const entries = d.children[0];
      const out: string[] = [];
      for (let k = Number(o[j]); k < Number(o[j + 1]); k++) out.push(canonData(entries.children[0], k) + '=>' + canonData(entries.children[1], k));
      return '{' + out.join(',') + '}';
    }
    case arrow.Type.Struct: {
      const fields = (t as arrow.Struct).children;
      return '{' + fields.map((fld, k) => fld.name + ':' + canonData(d.children[k], i)).join(',') + '}';
    }
    case arrow.Type.Dictionary: {
      const dict = d.dictionary!;
      const idx = Number(vals[j]);
      let base = 0;
      for (const c of dict.data) {
        if (idx < base + c.length) return canonData(c, idx - base);
        base += c.length;
      }
      throw new Error('dictionary index out of range');
    }
    case arrow.Type.Null:
      return 'null';
  }
  throw new Error(`canonData: unsupported Arrow type ${t}`);
}

/** Canonical strings of a whole Arrow column (all chunks). */
export function canonColumn(v: arrow.Vector): string[] {
  const out: string[] = [];
  for (const d of v.data) for (let i = 0; i < d.length; i++) out.push(canonData(d, i));
  return out;
}

/** hyparquet parsers that keep timestamps exact (nanoseconds as bigint) and dates as day numbers. */
export const EXACT_PARSERS = {
  timestampFromMilliseconds: (v: bigint) => ({ ns: BigInt(v) * 1_000_000n }),
  timestampFromMicroseconds: (v: bigint) => ({ ns: BigInt(v) * 1_000n }),
  timestampFromNanoseconds: (v: bigint) => ({ ns: BigInt(v) }),
  dateFromDays: (d: number) => ({ days: d }),
};

/**
 * Canonical string of a hyparquet value, given the Arrow type of the column's ground truth.
 * hyparquet 1.33 converts DECIMAL to a JS number (lossy past 2^53): those come back as
 * `~<number>` and {@link sameValue} compares them with a relative tolerance.
 */
export function canonJs(v: any, t: arrow.DataType): string {
  if (v === null || v === undefined) return 'null';
  switch (t.typeId) {
    case arrow.Type.Int:
      return String(v);
    case arrow.Type.Float:
      return floatStr(Number(v));
    case arrow.Type.Bool:
      return v ? 'true' : 'false';
    case arrow.Type.Decimal:
      return typeof v === 'number' ? '~' + v : String(v);
    case arrow.Type.Date:
      return String(typeof v === 'object' && 'days' in v ? v.days : v);
    case arrow.Type.Timestamp:
      return String(typeof v === 'object' && 'ns' in v ? v.ns : v);
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8:
      return JSON.stringify(typeof v === 'string' ? v : dec.decode(v));
    case arrow.Type.Binary:
    case arrow.Type.LargeBinary:
    case arrow.Type.FixedSizeBinary:
      return typeof v === 'string' ? hex(new TextEncoder().encode(v)) : hex(v);
    case arrow.Type.List:
    case arrow.Type.LargeList:
      return '[' + Array.from(v as any[], (x) => canonJs(x, (t as arrow.List).children[0].type)).join(',') + ']';
    case arrow.Type.Struct:
      return '{' + (t as arrow.Struct).children.map((fld) => fld.name + ':' + canonJs(v[fld.name], fld.type)).join(',') + '}';
    case arrow.Type.Map: {
      const [kt, vt] = ((t as arrow.Map_).children[0].type as arrow.Struct).children.map((c) => c.type);
      const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
      return '{' + entries.map(([k, x]) => canonJs(k, kt) + '=>' + canonJs(x, vt)).join(',') + '}';
    }
  }
  throw new Error(`canonJs: unsupported Arrow type ${t}`);
}

/** Equality of two canonical strings; `~x` (hyparquet's lossy decimals) match within 1e-15 relative. */
export function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  if (!a.startsWith('~') && !b.startsWith('~')) return false;
  const x = Number(a.replace(/^~/, ''));
  const y = Number(b.replace(/^~/, ''));
  return Math.abs(x - y) <= 1e-15 * Math.max(Math.abs(x), Math.abs(y));
}

/** Outcome of comparing one column. */
export type ColumnOutcome =
  | { kind: 'exact' }
  | { kind: 'short'; expectedRows: number; actualRows: number; firstDiff?: { row: number; expected: string; actual: string } }
  | { kind: 'wrong'; row: number; expected: string; actual: string; wrongRows: number };

/** Compares canonical columns: exact, short (row count differs) or wrong (first differing row and how many differ). */
export function compareColumns(expected: string[], actual: string[]): ColumnOutcome {
  const cut = (s: string) => (s.length > 120 ? s.slice(0, 117) + '...' : s);
  let first = -1;
  let wrongRows = 0;
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++)
    if (!sameValue(expected[i], actual[i])) {
      if (first < 0) first = i;
      wrongRows++;
    }
  if (expected.length !== actual.length)
    return { kind: 'short', expectedRows: expected.length, actualRows: actual.length, firstDiff: first >= 0 ? { row: first, expected: cut(expected[first]), actual: cut(actual[first]) } : undefined };
  if (first < 0) return { kind: 'exact' };
  return { kind: 'wrong', row: first, expected: cut(expected[first]), actual: cut(actual[first]), wrongRows };
}
