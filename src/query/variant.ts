/**
 * The Variant binary encoding (Parquet `VariantEncoding.md`; Delta protocol "Variant Data Type")
 * decoded to JSON text, and the post-processing that shows variant columns of query results as JSON.
 *
 * DuckDB 0.9.1 has no variant type: a variant column is read as its Parquet layout, a struct of two
 * binaries `value` and `metadata`, or for shredded files (protocol "Variant Shredding") a struct of
 * `metadata`, an optional `value` and a `typed_value` holding typed columns. After a query,
 * {@link decodeVariantColumns} replaces every such struct in the result (at any nesting depth) with
 * the JSON text of the variant; shredded values are reconstructed into the same text as their
 * unshredded form (object keys in dictionary order, missing fields left out, a missing value as
 * variant null).
 *
 * JSON rendering follows Spark's `to_json` for variants: objects and arrays as JSON, strings quoted,
 * integers and decimals as plain numbers (decimals keep their scale, e.g. `12.30`), doubles and
 * floats as the shortest round-trip number (`NaN`/`Infinity` quoted, since JSON has no such numbers),
 * dates as `"YYYY-MM-DD"`, timestamps as `"YYYY-MM-DD HH:MM:SS[.ffffff]+00:00"` (UTC),
 * timestamp_ntz as `"YYYY-MM-DD HH:MM:SS[.ffffff]"`, time as `"HH:MM:SS[.ffffff]"`, binary as a
 * base64 string and UUIDs in their canonical 8-4-4-4-12 form.
 */
import * as arrow from 'apache-arrow';
import { DeltaError } from '../delta/errors.ts';
import { civilFromDays } from '../delta/schema.ts';

const utf8 = new TextDecoder('utf-8');

function corrupt(what: string): DeltaError {
  return new DeltaError('QUERY_ERROR', `Invalid variant value: ${what}.`);
}

function readUint(b: Uint8Array, pos: number, size: number): number {
  if (pos + size > b.length) throw corrupt('truncated');
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + b[pos + i];
  return v;
}

/** The metadata dictionary of a variant (protocol "Metadata encoding"). */
export function variantDictionary(metadata: Uint8Array): string[] {
  if (metadata.length < 1) throw corrupt('empty metadata');
  const header = metadata[0];
  const version = header & 0x0f;
  if (version !== 1) throw corrupt(`unsupported metadata version ${version}`);
  const offsetSize = ((header >> 6) & 0x03) + 1;
  const size = readUint(metadata, 1, offsetSize);
  const offsetsAt = 1 + offsetSize;
  const bytesAt = offsetsAt + (size + 1) * offsetSize;
  const out: string[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const a = readUint(metadata, offsetsAt + i * offsetSize, offsetSize);
    const b = readUint(metadata, offsetsAt + (i + 1) * offsetSize, offsetSize);
    if (bytesAt + b > metadata.length || a > b) throw corrupt('dictionary offset out of range');
    out[i] = utf8.decode(metadata.subarray(bytesAt + a, bytesAt + b));
  }
  return out;
}

function pad(n: number | bigint, w: number): string {
  return String(n).padStart(w, '0');
}


/** `YYYY-MM-DD` of days since 1970-01-01 (proleptic Gregorian). */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  const ys = y < 0 ? '-' + pad(-y, 4) : pad(y, 4);
  return `${ys}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Splits microseconds since the epoch into days and microseconds of the day. */
function splitMicros(micros: bigint): { days: number; dayMicros: bigint } {
  const perDay = 86_400_000_000n;
  let days = micros / perDay;
  let rest = micros % perDay;
  if (rest < 0n) {
    rest += perDay;
    days -= 1n;
  }
  return { days: Number(days), dayMicros: rest };
}

/** `HH:MM:SS[.ffffff]` (fraction trimmed of trailing zeros) of microseconds within a day. */
export function formatTimeOfDay(dayMicros: bigint, fractionDigits = 6): string {
  const secs = Number(dayMicros / 1_000_000n);
  const frac = dayMicros % 1_000_000n;
  const base = `${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor((secs % 3600) / 60), 2)}:${pad(secs % 60, 2)}`;
  if (frac === 0n) return base;
  const digits = pad(frac, 6).slice(0, fractionDigits).replace(/0+$/, '');
  return digits ? `${base}.${digits}` : base;
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` of microseconds since the epoch (`sep` between date and time). */
export function formatMicros(micros: bigint, sep = ' '): string {
  const { days, dayMicros } = splitMicros(micros);
  return `${formatDate(days)}${sep}${formatTimeOfDay(dayMicros)}`;
}

/** Decimal text of an unscaled integer and a scale, e.g. (1230n, 2) → `12.30`. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  let digits = (neg ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return neg ? `-${digits}` : digits;
}

/** Shortest decimal text that reads back as the same float32. */
export function formatFloat32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(v);
}

function jsonNumber(v: number, float32 = false): string {
  if (!Number.isFinite(v)) return JSON.stringify(String(v));
  return float32 ? formatFloat32(v) : String(v);
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function decodeValue(v: Uint8Array, pos: number, dict: string[], depth: number): string {
  if (depth > 1000) throw corrupt('nested too deeply');
  if (pos >= v.length) throw corrupt('truncated');
  const header = v[pos];
  const basic = header & 0x03;
  const vh = header >> 2;
  const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
  const need = (n: number) => {
    if (pos + 1 + n > v.length) throw corrupt('truncated');
  };
  switch (basic) {
    case 0: {
      const p = pos + 1;
      switch (vh) {
        case 0:
          return 'null';
        case 1:
          return 'true';
        case 2:
          return 'false';
        case 3:
          need(1);
          return String(view.getInt8(p));
        case 4:
          need(2);
          return String(view.getInt16(p, true));
        case 5:
          need(4);
          return String(view.getInt32(p, true));
        case 6:
          need(8);
          return String(view.getBigInt64(p, true));
        case 7:
          need(8);
          return jsonNumber(view.getFloat64(p, true));
        case 8:
          need(5);
          return formatDecimal(BigInt(view.getInt32(p + 1, true)), v[p]);
        case 9:
          need(9);
          return formatDecimal(view.getBigInt64(p + 1, true), v[p]);
        case 10: {
          need(17);
          const lo = view.getBigUint64(p + 1, true);
          const hi = view.getBigInt64(p + 9, true);
          return formatDecimal((hi << 64n) | lo, v[p]);
        }
        case 11:
          need(4);
          return JSON.stringify(formatDate(view.getInt32(p, true)));
        case 12:
          need(8);
          return JSON.stringify(formatMicros(view.getBigInt64(p, true)) + '+00:00');
        case 13:
          need(8);
          return JSON.stringify(formatMicros(view.getBigInt64(p, true)));
        case 14:
          need(4);
          return jsonNumber(view.getFloat32(p, true), true);
        case 15: {
          need(4);
          const n = view.getUint32(p, true);
          need(4 + n);
          return JSON.stringify(base64(v.subarray(p + 4, p + 4 + n)));
        }
        case 16: {
          need(4);
          const n = view.getUint32(p, true);
          need(4 + n);
          return JSON.stringify(utf8.decode(v.subarray(p + 4, p + 4 + n)));
        }
        case 17:
          need(8);
          return JSON.stringify(formatTimeOfDay(view.getBigInt64(p, true)));
        case 18:
        case 19: {
          need(8);
          const nanos = view.getBigInt64(p, true);
          const micros = nanos / 1000n - (nanos % 1000n < 0n ? 1n : 0n);
          const sub = ((nanos % 1000n) + 1000n) % 1000n;
          let text = formatMicros(micros);
          if (sub !== 0n) text = (text.includes('.') ? text.padEnd(text.indexOf('.') + 7, '0') : text + '.000000') + pad(sub, 3).replace(/0+$/, '');
          return JSON.stringify(vh === 18 ? text + '+00:00' : text);
        }
        case 20: {
          need(16);
          const h = Array.from(v.subarray(p, p + 16), (b) => b.toString(16).padStart(2, '0')).join('');
          return JSON.stringify(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
        }
        default:
          throw corrupt(`unknown primitive type ${vh}`);
      }
    }
    case 1: {
      need(vh);
      return JSON.stringify(utf8.decode(v.subarray(pos + 1, pos + 1 + vh)));
    }
    case 2: {
      const offSize = (vh & 0x03) + 1;
      const idSize = ((vh >> 2) & 0x03) + 1;
      const large = (vh >> 4) & 0x01;
      const nSize = large ? 4 : 1;
      const n = readUint(v, pos + 1, nSize);
      const idsAt = pos + 1 + nSize;
      const offsAt = idsAt + n * idSize;
      const dataAt = offsAt + (n + 1) * offSize;
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = readUint(v, idsAt + i * idSize, idSize);
        if (id >= dict.length) throw corrupt(`field id ${id} outside the metadata dictionary`);
        const off = readUint(v, offsAt + i * offSize, offSize);
        parts.push(`${JSON.stringify(dict[id])}:${decodeValue(v, dataAt + off, dict, depth + 1)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default: {
      const offSize = (vh & 0x03) + 1;
      const large = (vh >> 2) & 0x01;
      const nSize = large ? 4 : 1;
      const n = readUint(v, pos + 1, nSize);
      const offsAt = pos + 1 + nSize;
      const dataAt = offsAt + (n + 1) * offSize;
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(decodeValue(v, dataAt + readUint(v, offsAt + i * offSize, offSize), dict, depth + 1));
      return `[${parts.join(',')}]`;
    }
  }
}

/**
 * JSON text of one variant, from its `value` and `metadata` binaries.
 * @throws DeltaError `QUERY_ERROR` for a malformed encoding (unknown metadata version, truncated data, …).
 */
export function variantToJson(value: Uint8Array, metadata: Uint8Array): string {
  return decodeValue(value, 0, variantDictionary(metadata), 0);
}

// ---------------------------------------------------------------------------------------------
// Arrow post-processing
// ---------------------------------------------------------------------------------------------

/** True for the Parquet layout of an unshredded variant: a struct of exactly `value` and `metadata` binaries. */
export function isVariantStruct(t: arrow.DataType): boolean {
  if (!arrow.DataType.isStruct(t) || t.children.length !== 2) return false;
  const names = t.children.map((c) => c.name).sort();
  return names[0] === 'metadata' && names[1] === 'value' && t.children.every((c) => arrow.DataType.isBinary(c.type));
}

/**
 * True for the Parquet layout of a shredded variant (Parquet `VariantShredding.md`; Delta protocol
 * "Variant Shredding"): a struct of a binary `metadata`, an optional binary `value` and a
 * `typed_value` of any type, and nothing else.
 */
export function isShreddedVariantStruct(t: arrow.DataType): boolean {
  if (!arrow.DataType.isStruct(t)) return false;
  const by = new Map(t.children.map((c: arrow.Field) => [c.name, c.type]));
  if (by.size !== t.children.length || !by.has('metadata') || !by.has('typed_value')) return false;
  if (!arrow.DataType.isBinary(by.get('metadata'))) return false;
  if (by.has('value') && !arrow.DataType.isBinary(by.get('value'))) return false;
  return t.children.length === (by.has('value') ? 3 : 2);
}

/** Name of the slot selector of a layout union struct (see `variant-layouts.ts`). */
export const LAYOUT_FIELD = '__dx_layout';

/**
 * True for a "layout union" struct (`variant-layouts.ts`): `metadata`, `value`, `__dx_layout`
 * (INTEGER: which slot the row uses, -1 for unshredded) and `typed_value_0` … `typed_value_n`.
 */
export function isLayoutUnionStruct(t: arrow.DataType): boolean {
  if (!arrow.DataType.isStruct(t)) return false;
  const names = t.children.map((c: arrow.Field) => c.name);
  if (names.length < 4 || names[0] !== 'metadata' || names[1] !== 'value' || names[2] !== LAYOUT_FIELD) return false;
  return names.slice(3).every((n: string, i: number) => n === `typed_value_${i}`);
}

function containsVariant(t: arrow.DataType): boolean {
  if (isVariantStruct(t) || isShreddedVariantStruct(t) || isLayoutUnionStruct(t)) return true;
  return (t.children ?? []).some((c: arrow.Field) => containsVariant(c.type));
}

function transformType(t: arrow.DataType): arrow.DataType {
  if (isVariantStruct(t) || isShreddedVariantStruct(t) || isLayoutUnionStruct(t)) return new arrow.Utf8();
  if (arrow.DataType.isStruct(t)) return new arrow.Struct(t.children.map((f) => new arrow.Field(f.name, transformType(f.type), true)));
  if (arrow.DataType.isList(t)) {
    const c = t.children[0];
    return new arrow.List(new arrow.Field(c.name, transformType(c.type), true));
  }
  if (arrow.DataType.isMap(t)) {
    const entries = t.children[0];
    const st = entries.type as arrow.Struct;
    const [k, v] = st.children;
    return new arrow.Map_(
      new arrow.Field(entries.name, new arrow.Struct([new arrow.Field(k.name, transformType(k.type), false), new arrow.Field(v.name, transformType(v.type), true)] as arrow.Field<any>[]), false) as any,
      t.keysSorted,
    );
  }
  return t;
}

// Walking Arrow `Data` directly (not row proxies), so that int64 timestamps keep their
// microseconds. apache-arrow slices a Data's offsets and values buffers and its struct children
// with it; validity goes through `getValid`; list children are whole, indexed through the offsets.

const vectors = new WeakMap<arrow.Data, arrow.Vector>();
function vectorOf(d: arrow.Data): arrow.Vector {
  let v = vectors.get(d);
  if (!v) vectors.set(d, (v = arrow.makeVector(d)));
  return v;
}

function childOf(d: arrow.Data, name: string): arrow.Data | undefined {
  const k = (d.type as arrow.Struct).children.findIndex((c: arrow.Field) => c.name === name);
  return k < 0 ? undefined : d.children[k];
}

function binaryAt(d: arrow.Data | undefined, i: number): Uint8Array | null {
  if (!d || !d.getValid(i)) return null;
  return vectorOf(d).get(i) as Uint8Array;
}

/** Signed 128-bit integer from four little-endian 32-bit words. */
function int128(words: Uint32Array, at: number, n: number): bigint {
  let v = 0n;
  for (let k = n - 1; k >= 0; k--) v = (v << 32n) | BigInt(words[at + k]);
  const bits = BigInt(32 * n);
  return v >= 1n << (bits - 1n) ? v - (1n << bits) : v;
}

/** JSON text of a shredded primitive `typed_value` (Parquet VariantShredding.md "Shredded Value Types"). */
function typedPrimitiveJson(d: arrow.Data, i: number): string {
  const t = d.type as arrow.DataType;
  if (arrow.DataType.isTimestamp(t) || arrow.DataType.isTime(t)) {
    const raw = (d.values as BigInt64Array | Int32Array)[i];
    let micros = BigInt(raw);
    const unit = (t as arrow.Timestamp).unit;
    if (unit === arrow.TimeUnit.SECOND) micros *= 1_000_000n;
    else if (unit === arrow.TimeUnit.MILLISECOND) micros *= 1000n;
    else if (unit === arrow.TimeUnit.NANOSECOND) {
      // Nanosecond values keep their digits: Spark prints 9 fraction digits for timestamp(9).
      const nanos = micros;
      const us = nanos / 1000n - (nanos % 1000n < 0n ? 1n : 0n);
      const sub = ((nanos % 1000n) + 1000n) % 1000n;
      let text = formatMicros(us);
      if (sub !== 0n) text = (text.includes('.') ? text.padEnd(text.indexOf('.') + 7, '0') : text + '.000000') + pad(sub, 3).replace(/0+$/, '');
      return JSON.stringify((t as arrow.Timestamp).timezone ? text + '+00:00' : text);
    }
    if (arrow.DataType.isTime(t)) return JSON.stringify(formatTimeOfDay(micros));
    return JSON.stringify(formatMicros(micros) + ((t as arrow.Timestamp).timezone ? '+00:00' : ''));
  }
  if (arrow.DataType.isDecimal(t)) {
    const words = d.values as Uint32Array;
    const n = (t as arrow.Decimal).bitWidth / 32;
    return formatDecimal(int128(words, i * n, n), (t as arrow.Decimal).scale);
  }
  if (arrow.DataType.isDate(t)) {
    const ms = vectorOf(d).get(i) as number;
    return JSON.stringify(formatDate(Math.round(ms / 86_400_000)));
  }
  if (arrow.DataType.isFixedSizeBinary(t) && (t as arrow.FixedSizeBinary).byteWidth === 16) {
    const b = vectorOf(d).get(i) as Uint8Array;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return JSON.stringify(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
  }
  const v = vectorOf(d).get(i);
  if (arrow.DataType.isBinary(t)) return JSON.stringify(base64(v as Uint8Array));
  if (arrow.DataType.isUtf8(t)) return JSON.stringify(v as string);
  if (arrow.DataType.isBool(t)) return v ? 'true' : 'false';
  if (arrow.DataType.isInt(t)) return String(v);
  if (arrow.DataType.isFloat(t)) return jsonNumber(v as number, (t as arrow.Float).precision === arrow.Precision.SINGLE);
  throw corrupt(`a shredded typed_value of unsupported type ${String(t)}`);
}

/** Top-level field entries of an encoded variant object, as `[key, json]`. */
function objectEntries(v: Uint8Array, dict: string[]): [string, string][] {
  const header = v[0];
  if ((header & 0x03) !== 2) throw corrupt('the value of a partially shredded object is not an object');
  const vh = header >> 2;
  const offSize = (vh & 0x03) + 1;
  const idSize = ((vh >> 2) & 0x03) + 1;
  const nSize = (vh >> 4) & 0x01 ? 4 : 1;
  const n = readUint(v, 1, nSize);
  const idsAt = 1 + nSize;
  const offsAt = idsAt + n * idSize;
  const dataAt = offsAt + (n + 1) * offSize;
  const out: [string, string][] = [];
  for (let k = 0; k < n; k++) {
    const key = dict[readUint(v, idsAt + k * idSize, idSize)];
    out.push([key, decodeValue(v, dataAt + readUint(v, offsAt + k * offSize, offSize), dict, 1)]);
  }
  return out;
}

function compareUtf8(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k] - y[k];
  return x.length - y.length;
}

/**
 * JSON text of one shredded value (a `value` binary and a `typed_value`, Parquet
 * VariantShredding.md), or `undefined` when both are null ("missing": only meaningful for object fields).
 */
function shreddedJson(valueD: arrow.Data | undefined, typedD: arrow.Data | undefined, i: number, dict: string[], depth: number): string | undefined {
  if (depth > 1000) throw corrupt('nested too deeply');
  const value = binaryAt(valueD, i);
  if (!typedD || !typedD.getValid(i)) return value === null ? undefined : decodeValue(value, 0, dict, 0);
  const t = typedD.type as arrow.DataType;
  if (arrow.DataType.isStruct(t)) {
    const entries: [string, string][] = [];
    const shredded = new Set<string>();
    (t as arrow.Struct).children.forEach((f: arrow.Field, k: number) => {
      shredded.add(f.name);
      const g = typedD.children[k];
      if (!g.getValid(i)) return; // a required group; treat a null one as missing
      const j = shreddedJson(childOf(g, 'value'), childOf(g, 'typed_value'), i, dict, depth + 1);
      if (j !== undefined) entries.push([f.name, j]);
    });
    if (value !== null) {
      for (const [key, j] of objectEntries(value, dict)) {
        if (shredded.has(key)) throw corrupt(`field "${key}" is both shredded and in the object's value`);
        entries.push([key, j]);
      }
    }
    entries.sort((a, b) => compareUtf8(a[0], b[0]));
    return `{${entries.map(([key, j]) => `${JSON.stringify(key)}:${j}`).join(',')}}`;
  }
  if (value !== null) throw corrupt('both value and typed_value are set for a value that is not an object');
  if (arrow.DataType.isList(t)) {
    const offsets = typedD.valueOffsets as Int32Array;
    const el = typedD.children[0];
    const parts: string[] = [];
    for (let j = offsets[i]; j < offsets[i + 1]; j++) {
      parts.push(shreddedJson(childOf(el, 'value'), childOf(el, 'typed_value'), j, dict, depth + 1) ?? 'null');
    }
    return `[${parts.join(',')}]`;
  }
  return typedPrimitiveJson(typedD, i);
}

/** JSON of a struct, list or map value at row `i` of `d` whose type contains a variant. */
function transformAt(d: arrow.Data, i: number): unknown {
  if (!d.getValid(i)) return null;
  const t = d.type as arrow.DataType;
  if (isVariantStruct(t)) return variantToJson(binaryAt(childOf(d, 'value'), i)!, binaryAt(childOf(d, 'metadata'), i)!);
  if (isShreddedVariantStruct(t)) {
    const metadata = binaryAt(childOf(d, 'metadata'), i);
    if (!metadata) throw corrupt('a shredded variant without metadata');
    // "If a Variant is missing in a context where a value is required, readers must return a Variant null."
    return shreddedJson(childOf(d, 'value'), childOf(d, 'typed_value'), i, variantDictionary(metadata), 0) ?? 'null';
  }
  if (isLayoutUnionStruct(t)) {
    const metadata = binaryAt(childOf(d, 'metadata'), i);
    if (!metadata) throw corrupt('a shredded variant without metadata');
    const layout = Number(vectorOf(childOf(d, LAYOUT_FIELD)!).get(i));
    const typed = layout >= 0 ? childOf(d, `typed_value_${layout}`) : undefined;
    if (layout >= 0 && !typed) throw corrupt(`layout slot ${layout} missing`);
    return shreddedJson(childOf(d, 'value'), typed, i, variantDictionary(metadata), 0) ?? 'null';
  }
  if (!containsVariant(t)) return vectorOf(d).get(i);
  if (arrow.DataType.isStruct(t)) {
    const o: Record<string, unknown> = {};
    (t as arrow.Struct).children.forEach((f: arrow.Field, k: number) => (o[f.name] = transformAt(d.children[k], i)));
    return o;
  }
  if (arrow.DataType.isList(t)) {
    const offsets = d.valueOffsets as Int32Array;
    const out: unknown[] = [];
    for (let j = offsets[i]; j < offsets[i + 1]; j++) out.push(transformAt(d.children[0], j));
    return out;
  }
  if (arrow.DataType.isMap(t)) {
    const offsets = d.valueOffsets as Int32Array;
    const entries = d.children[0];
    const m = new Map<unknown, unknown>();
    for (let j = offsets[i]; j < offsets[i + 1]; j++) m.set(transformAt(entries.children[0], j), transformAt(entries.children[1], j));
    return m;
  }
  return vectorOf(d).get(i);
}

/**
 * Replaces every variant struct in a query result (unshredded `{value, metadata}` binaries, or
 * shredded `{metadata, value?, typed_value}` reconstructed per Parquet VariantShredding.md, at any
 * depth) with its JSON text (see the module comment); other columns are kept as they are.
 * Returns the same table when it has no such column.
 * @throws DeltaError `QUERY_ERROR` for a malformed variant.
 */
export function decodeVariantColumns(table: arrow.Table): arrow.Table {
  const fields = table.schema.fields;
  if (!fields.some((f) => containsVariant(f.type))) return table;
  const newFields = fields.map((f) => (containsVariant(f.type) ? new arrow.Field(f.name, transformType(f.type), true, f.metadata) : f));
  const schema = new arrow.Schema(newFields, table.schema.metadata);
  const batches = table.batches.map((batch) => {
    const children = fields.map((f, i) => {
      const col = batch.getChildAt(i)!;
      if (!containsVariant(f.type)) return col.data[0];
      const data = col.data[0];
      const values: unknown[] = new Array(col.length);
      for (let r = 0; r < col.length; r++) values[r] = transformAt(data, r);
      return arrow.vectorFromArray(values, newFields[i].type).data[0];
    });
    const data = arrow.makeData({ type: new arrow.Struct(newFields), length: batch.numRows, nullCount: 0, children });
    return new arrow.RecordBatch(schema, data);
  });
  return new arrow.Table(schema, batches);
}
