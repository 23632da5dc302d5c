/**
 * Exact reading of Arrow query results and their text forms.
 *
 * apache-arrow's `Vector.get` returns timestamps as floating-point milliseconds (losing
 * microseconds) and decimals as opaque big-number arrays, so results are read here straight from
 * the Arrow buffers into {@link Cell}s, then printed:
 * - {@link formatCell}: the style of arrow-rs `pretty_format_batches` (what delta-kernel-rs tests
 *   assert): `2023-05-31T18:58:33.633Z`, `2021-11-18T02:30:00.123456`, `5.0`, decimals with their
 *   scale, `{a: 1, b: x}`, `[1, 2]`, `{k: v}` for maps; null is the empty string.
 * - {@link cellToJson}: JSON text (objects, arrays; 64-bit integers and decimals as exact number
 *   literals; timestamps as ISO-8601 strings; binary as base64; NaN/±Infinity as strings).
 */
import * as arrow from 'apache-arrow';
import { formatDate, formatDecimal, formatFloat32, formatMicros } from './variant.ts';

/** One value of a result, exactly as stored. */
export type Cell =
  | null
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: number | bigint }
  | { t: 'float'; v: number; f32: boolean }
  | { t: 'dec'; text: string }
  | { t: 'str'; v: string }
  | { t: 'bin'; v: Uint8Array }
  | { t: 'date'; days: number }
  | { t: 'ts'; micros: bigint; tz: boolean }
  | { t: 'list'; items: Cell[] }
  | { t: 'struct'; fields: [string, Cell][] }
  | { t: 'map'; entries: [Cell, Cell][] }
  | { t: 'other'; text: string };

const utf8 = new TextDecoder('utf-8');

function int128(words: Uint32Array, at: number): bigint {
  let v = 0n;
  for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(words[at + k]);
  if (words[at + 3] & 0x80000000) v -= 1n << 128n;
  return v;
}

/** Reads row `i` of one Arrow `Data` chunk. */
export function cellAt(data: arrow.Data, i: number): Cell {
  if (!data.getValid(i)) return null;
  const t = data.type;
  const values = data.values as any;
  switch (t.typeId) {
    case arrow.Type.Null:
      return null;
    case arrow.Type.Bool:
      return { t: 'bool', v: Boolean(arrow.makeVector(data).get(i)) };
    case arrow.Type.Int: {
      const it = t as arrow.Int;
      return { t: 'int', v: it.bitWidth === 64 ? (values[i] as bigint) : (values[i] as number) };
    }
    case arrow.Type.Float: {
      const ft = t as arrow.Float;
      if (ft.precision === arrow.Precision.HALF) return { t: 'float', v: arrow.util.uint16ToFloat64(values[i]), f32: true };
      return { t: 'float', v: values[i], f32: ft.precision === arrow.Precision.SINGLE };
    }
    case arrow.Type.Decimal: {
      const dt = t as arrow.Decimal;
      const stride = dt.bitWidth / 32;
      const unscaled = stride === 4 ? int128(values as Uint32Array, i * 4) : BigInt.asIntN(64, (BigInt(values[i * stride + 1]) << 32n) | BigInt(values[i * stride]));
      return { t: 'dec', text: formatDecimal(unscaled, dt.scale) };
    }
    case arrow.Type.Utf8:
    case arrow.Type.LargeUtf8: {
      const offs = data.valueOffsets as any;
      return { t: 'str', v: utf8.decode((values as Uint8Array).subarray(Number(offs[i]), Number(offs[i + 1]))) };
    }
    case arrow.Type.Binary:
    case arrow.Type.LargeBinary: {
      const offs = data.valueOffsets as any;
      return { t: 'bin', v: (values as Uint8Array).slice(Number(offs[i]), Number(offs[i + 1])) };
    }
    case arrow.Type.FixedSizeBinary: {
      const w = (t as arrow.FixedSizeBinary).byteWidth;
      return { t: 'bin', v: (values as Uint8Array).slice(i * w, (i + 1) * w) };
    }
    case arrow.Type.Date: {
      const dt = t as arrow.Date_;
      if (dt.unit === arrow.DateUnit.DAY) return { t: 'date', days: values[i] };
      return { t: 'date', days: Math.floor(Number(values[i]) / 86_400_000) };
    }
    case arrow.Type.Timestamp: {
      const tt = t as arrow.Timestamp;
      const raw = BigInt(values[i]);
      const micros =
        tt.unit === arrow.TimeUnit.SECOND ? raw * 1_000_000n : tt.unit === arrow.TimeUnit.MILLISECOND ? raw * 1000n : tt.unit === arrow.TimeUnit.MICROSECOND ? raw : raw / 1000n;
      return { t: 'ts', micros, tz: !!tt.timezone };
    }
    case arrow.Type.List: {
      const offs = data.valueOffsets as Int32Array;
      const child = data.children[0];
      const items: Cell[] = [];
      for (let k = offs[i]; k < offs[i + 1]; k++) items.push(cellAt(child, k));
      return { t: 'list', items };
    }
    case arrow.Type.Struct: {
      const st = t as arrow.Struct;
      return { t: 'struct', fields: st.children.map((f, k) => [f.name, cellAt(data.children[k], i)] as [string, Cell]) };
    }
    case arrow.Type.Map: {
      const offs = data.valueOffsets as Int32Array;
      const entries = data.children[0];
      const out: [Cell, Cell][] = [];
      for (let k = offs[i]; k < offs[i + 1]; k++) out.push([cellAt(entries.children[0], k), cellAt(entries.children[1], k)]);
      return { t: 'map', entries: out };
    }
    default: {
      const v = arrow.makeVector(data).get(i);
      return { t: 'other', text: String(v) };
    }
  }
}

/** Every cell of a column, in row order. */
export function columnCells(vector: arrow.Vector): Cell[] {
  const out: Cell[] = [];
  for (const d of vector.data) for (let i = 0; i < d.length; i++) out.push(cellAt(d, i));
  return out;
}

/** Every row of a table as cells, keyed by column position. */
export function tableCells(table: arrow.Table): Cell[][] {
  const cols = table.schema.fields.map((_f, k) => columnCells(table.getChildAt(k)!));
  const rows: Cell[][] = [];
  for (let r = 0; r < table.numRows; r++) rows.push(cols.map((c) => c[r]));
  return rows;
}

function prettyFloat(v: number, f32: boolean): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const s = f32 ? formatFloat32(v) : String(v);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

/** Fraction as arrow-rs/chrono `%.f` prints it: none, 3, 6 digits as needed. */
function isoTimestamp(micros: bigint, tz: boolean): string {
  const text = formatMicros(micros, 'T');
  const dot = text.indexOf('.');
  let out = text;
  if (dot >= 0) {
    const frac = text.slice(dot + 1);
    out = text.slice(0, dot + 1) + (frac.length <= 3 ? frac.padEnd(3, '0') : frac.padEnd(6, '0'));
  }
  return tz ? `${out}Z` : out;
}

/** Text of a cell in the arrow-rs pretty-print style (see the module comment); null → ''. */
export function formatCell(c: Cell): string {
  if (c === null) return '';
  switch (c.t) {
    case 'bool':
      return String(c.v);
    case 'int':
      return String(c.v);
    case 'float':
      return prettyFloat(c.v, c.f32);
    case 'dec':
      return c.text;
    case 'str':
      return c.v;
    case 'bin':
      return Array.from(c.v, (b) => b.toString(16).padStart(2, '0')).join('');
    case 'date':
      return formatDate(c.days);
    case 'ts':
      return isoTimestamp(c.micros, c.tz);
    case 'list':
      return `[${c.items.map((x) => formatCell(x)).join(', ')}]`;
    case 'struct':
      return `{${c.fields.map(([k, v]) => `${k}: ${formatCell(v)}`).join(', ')}}`;
    case 'map':
      return `{${c.entries.map(([k, v]) => `${formatCell(k)}: ${formatCell(v)}`).join(', ')}}`;
    default:
      return c.text;
  }
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** JSON text of a cell (see the module comment). */
export function cellToJson(c: Cell): string {
  if (c === null) return 'null';
  switch (c.t) {
    case 'bool':
      return String(c.v);
    case 'int':
      return String(c.v);
    case 'float':
      return Number.isFinite(c.v) ? (c.f32 ? formatFloat32(c.v) : String(c.v)) : JSON.stringify(String(c.v));
    case 'dec':
      return c.text;
    case 'str':
      return JSON.stringify(c.v);
    case 'bin':
      return JSON.stringify(base64(c.v));
    case 'date':
      return JSON.stringify(formatDate(c.days));
    case 'ts':
      return JSON.stringify(c.tz ? `${formatMicros(c.micros, 'T')}Z` : formatMicros(c.micros, 'T'));
    case 'list':
      return `[${c.items.map(cellToJson).join(',')}]`;
    case 'struct':
      return `{${c.fields.map(([k, v]) => `${JSON.stringify(k)}:${cellToJson(v)}`).join(',')}}`;
    case 'map':
      return `{${c.entries.map(([k, v]) => `${JSON.stringify(k === null ? 'null' : k.t === 'str' ? k.v : cellText(k))}:${cellToJson(v)}`).join(',')}}`;
    default:
      return JSON.stringify(c.text);
  }
}

/**
 * Plain text of a cell for CSV: scalars as in {@link cellToJson} but unquoted (strings raw,
 * timestamps ISO-8601 with `Z` for UTC instants), nested values as JSON; null → ''.
 */
export function cellText(c: Cell): string {
  if (c === null) return '';
  switch (c.t) {
    case 'str':
      return c.v;
    case 'bin':
      return base64(c.v);
    case 'date':
      return formatDate(c.days);
    case 'ts':
      return c.tz ? `${formatMicros(c.micros, 'T')}Z` : formatMicros(c.micros, 'T');
    case 'float':
      return Number.isFinite(c.v) ? (c.f32 ? formatFloat32(c.v) : String(c.v)) : String(c.v);
    case 'list':
    case 'struct':
    case 'map':
      return cellToJson(c);
    case 'other':
      return c.text;
    default:
      return cellToJson(c);
  }
}

/**
 * A result as arrow-rs would pretty-print it (`+---+` borders, `| a | b |` rows), for comparing with
 * expectations copied from delta-kernel-rs tests. With `sort`, data rows are sorted as text (like
 * kernel's `assert_batches_sorted_eq!`).
 */
export function prettyTable(table: arrow.Table, options: { sort?: boolean } = {}): string[] {
  const names = table.schema.fields.map((f) => f.name);
  const rows = tableCells(table).map((r) => r.map((c) => formatCell(c)));
  const widths = names.map((n, k) => Math.max(n.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => `| ${cells.map((c, k) => c.padEnd(widths[k])).join(' | ')} |`;
  const border = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  let body = rows.map(line);
  if (options.sort) body = body.sort();
  return [border, line(names), border, ...body, border];
}
