/**
 * Column-at-a-time Arrow builders for the synthetic checkpoints: each builder takes a row count and
 * a per-row callback and returns an Arrow `Data` (typed buffers built directly, no per-row Arrow
 * objects), so a million-row checkpoint builds in seconds.
 */
import {
  Bool,
  Field,
  Int32,
  Int64,
  List,
  makeData,
  Map_,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  type Data,
  type DataType,
} from 'apache-arrow';

const encoder = new TextEncoder();

/** A column: its Arrow type and data. */
export interface Column {
  type: DataType;
  data: Data;
}

function bitmap(n: number, valid: (i: number) => boolean): { bits: Uint8Array; nulls: number } {
  const bits = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid(i)) bits[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  return { bits, nulls };
}

/** Utf8 column from `get(i)` (null = null). */
export function utf8(n: number, get: (i: number) => string | null): Column {
  const values: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) values[i] = get(i);
  return utf8From(values);
}

/** Utf8 column from an array of strings. */
export function utf8From(values: (string | null)[]): Column {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  // Encode in chunks (one string per chunk) to keep encoder calls few.
  const chunks: Uint8Array[] = [];
  let total = 0;
  const CHUNK = 4096;
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    let s = '';
    for (let i = from; i < to; i++) s += values[i] ?? '';
    const bytes = encoder.encode(s);
    if (bytes.length !== s.length) {
      // Non-ASCII: per-string byte lengths.
      let pos = total;
      for (let i = from; i < to; i++) {
        pos += encoder.encode(values[i] ?? '').length;
        offsets[i + 1] = pos;
      }
    } else {
      let pos = total;
      for (let i = from; i < to; i++) {
        pos += (values[i] ?? '').length;
        offsets[i + 1] = pos;
      }
    }
    chunks.push(bytes);
    total += bytes.length;
  }
  const data = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    data.set(c, p);
    p += c.length;
  }
  const { bits, nulls } = bitmap(n, (i) => values[i] !== null);
  const type = new Utf8();
  return { type, data: makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bits : undefined, valueOffsets: offsets, data }) };
}

/** Int64 column from `get(i)` (null = null). */
export function int64(n: number, get: (i: number) => number | null): Column {
  const values = new BigInt64Array(n);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v !== null) {
      values[i] = BigInt(v);
      valid[i] = 1;
    }
  }
  const { bits, nulls } = bitmap(n, (i) => valid[i] === 1);
  const type = new Int64();
  return { type, data: makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bits : undefined, data: values }) };
}

/** Int32 column from `get(i)` (null = null). */
export function int32(n: number, get: (i: number) => number | null): Column {
  const values = new Int32Array(n);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v !== null) {
      values[i] = v;
      valid[i] = 1;
    }
  }
  const { bits, nulls } = bitmap(n, (i) => valid[i] === 1);
  const type = new Int32();
  return { type, data: makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bits : undefined, data: values }) };
}

/** Bool column from `get(i)` (null = null). */
export function bool(n: number, get: (i: number) => boolean | null): Column {
  const vals = new Uint8Array((n + 7) >> 3);
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v !== null) {
      valid[i] = 1;
      if (v) vals[i >> 3] |= 1 << (i & 7);
    }
  }
  const { bits, nulls } = bitmap(n, (i) => valid[i] === 1);
  const type = new Bool();
  return { type, data: makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bits : undefined, data: vals }) };
}

/** Map<Utf8, Utf8> column from `get(i)` (null = null map). */
export function stringMap(n: number, get: (i: number) => [string, string | null][] | null): Column {
  const offsets = new Int32Array(n + 1);
  const keys: (string | null)[] = [];
  const vals: (string | null)[] = [];
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = get(i);
    if (e) {
      valid[i] = 1;
      for (const [k, v] of e) {
        keys.push(k);
        vals.push(v);
      }
    }
    offsets[i + 1] = keys.length;
  }
  const k = utf8From(keys);
  const v = utf8From(vals);
  const entriesType = new Struct([new Field('key', new Utf8(), false), new Field('value', new Utf8(), true)]);
  const entries = makeData({ type: entriesType, length: keys.length, nullCount: 0, children: [k.data, v.data] });
  const type = new Map_(new Field('entries', entriesType, false), false);
  const { bits, nulls } = bitmap(n, (i) => valid[i] === 1);
  return { type, data: makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bits : undefined, valueOffsets: offsets, child: entries }) };
}

/** List<Utf8> column from `get(i)` (null = null list). */
export function stringList(n: number, get: (i: number) => string[] | null): Column {
  const offsets = new Int32Array(n + 1);
  const items: string[] = [];
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const e = get(i);
    if (e) {
      valid[i] = 1;
      items.push(...e);
    }
    offsets[i + 1] = items.length;
  }
  const c = utf8From(items);
  const type = new List(new Field('element', new Utf8(), true));
  const { bits, nulls } = bitmap(n, (i) => valid[i] === 1);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { type, data: makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bits : undefined, valueOffsets: offsets, child: c.data } as any) as Data };
}

/** Struct column of named child columns; `valid(i)` false = null struct. */
export function struct(n: number, fields: [string, Column][], valid: (i: number) => boolean): Column {
  const type = new Struct(fields.map(([name, c]) => new Field(name, c.type, true)));
  const { bits, nulls } = bitmap(n, valid);
  return { type, data: makeData({ type, length: n, nullCount: nulls, nullBitmap: nulls ? bits : undefined, children: fields.map(([, c]) => c.data) }) };
}

/** A one-batch Arrow table from top-level columns. */
export function tableOf(n: number, columns: [string, Column][]): Table {
  const schema = new Schema(columns.map(([name, c]) => new Field(name, c.type, true)));
  const top = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: columns.map(([, c]) => c.data) });
  return new Table([new RecordBatch(schema, top)]);
}
