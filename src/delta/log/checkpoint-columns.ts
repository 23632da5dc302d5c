/**
 * Turns the `add` / `remove` struct columns of decoded checkpoint record batches (Arrow) into
 * {@link FileActionBatch} columns directly from the Arrow buffers: offsets, value bytes, validity
 * bitmaps, 64-bit integers read as two 32-bit halves. No object per row, no `Vector.get`:
 *
 * - `path`: the value bytes of a batch are decoded with one `TextDecoder` call and sliced per row;
 * - `partitionValues` / `tags`: walked through the Map's offsets and its key/value children, each
 *   distinct key and value decoded once (interned by its bytes);
 * - `stats`: the value bytes are copied out (so the decoded parquet can be freed) and decoded per
 *   row only when asked for; `numRecords` is read from the bytes (`{"numRecords":N,`) up front.
 *
 * The result reads exactly like the row-by-row conversion it replaces (same absent/null rules).
 */
import { FileActionBatch, type FileActionColumns, type FileActionKind, type StringColumn } from '../actions.ts';

/** The parts of an apache-arrow `Data` this module reads. */
export interface ArrowData {
  readonly type: { readonly typeId: number; readonly children?: { name: string }[] | null };
  readonly offset: number;
  readonly length: number;
  readonly nullCount: number;
  readonly nullBitmap?: Uint8Array | null;
  readonly valueOffsets?: Int32Array | null;
  readonly values?: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; length: number };
  readonly children: ArrowData[];
}

const utf8 = new TextDecoder('utf-8');

/** True when row `i` of `d` is valid (not null). */
export function validAt(d: ArrowData, i: number): boolean {
  return valid(d, i);
}

function valid(d: ArrowData, i: number): boolean {
  const bm = d.nullBitmap;
  if (!bm || bm.length === 0 || d.nullCount === 0) return true;
  const j = d.offset + i;
  return (bm[j >> 3] & (1 << (j & 7))) !== 0;
}

/** The child of a struct `Data` by field name. */
function child(d: ArrowData | undefined, name: string): ArrowData | undefined {
  if (!d) return undefined;
  const fields = d.type.children ?? [];
  const k = fields.findIndex((f) => f.name === name);
  return k >= 0 ? d.children[k] : undefined;
}

/** Reads integers of any width (8-64 bits) and floats from a primitive `Data` as JS numbers. */
class NumberReader {
  private readonly lo?: Uint32Array;
  private readonly hi?: Int32Array;
  private readonly plain?: ArrayLike<number>;
  constructor(private readonly d: ArrowData) {
    const v = d.values!;
    if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
      this.lo = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
      this.hi = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
    } else this.plain = v;
  }
  /** Value of row `i`, NaN when null. */
  get(i: number): number {
    if (!valid(this.d, i)) return NaN;
    const j = this.d.offset + i;
    if (this.plain) return this.plain[j];
    return this.hi![2 * j + 1] * 4294967296 + this.lo![2 * j];
  }
}

/** True/false of row `i` of a Bool `Data`, or undefined when null. */
function boolAt(d: ArrowData, i: number): boolean | undefined {
  if (!valid(d, i)) return undefined;
  const j = d.offset + i;
  return (d.values![j >> 3] & (1 << (j & 7))) !== 0;
}

/** The string at row `i` of a Utf8 `Data`, or null. */
function utf8At(d: ArrowData, i: number): string | null {
  if (!valid(d, i)) return null;
  const o = d.valueOffsets!;
  const j = d.offset + i;
  return utf8.decode((d.values as Uint8Array).subarray(o[j], o[j + 1]));
}

/**
 * Decodes the strings of rows `rows[0..n)` of a Utf8 `Data` into `out[base..]` (null rows → null).
 * ASCII data (the usual case for paths) is decoded with one call and sliced.
 */
function decodeStrings(d: ArrowData, rows: Int32Array, n: number, out: (string | null)[], base: number): void {
  const o = d.valueOffsets!;
  const bytes = d.values as Uint8Array;
  const from = o[d.offset];
  const to = o[d.offset + d.length];
  const all = utf8.decode(bytes.subarray(from, to));
  const ascii = all.length === to - from;
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    if (!valid(d, r)) {
      out[base + k] = null;
      continue;
    }
    const j = d.offset + r;
    out[base + k] = ascii ? all.slice(o[j] - from, o[j + 1] - from) : utf8.decode(bytes.subarray(o[j], o[j + 1]));
  }
}

/**
 * Decodes repeated short strings once each: keyed by a hash of their bytes, checked byte by byte.
 * Partition values and map keys repeat across a checkpoint's rows.
 */
class ByteInterner {
  private readonly table = new Map<number, { bytes: Uint8Array; value: string }[]>();
  get(bytes: Uint8Array, from: number, to: number): string {
    let h = 0x811c9dc5 | 0;
    for (let k = from; k < to; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
    const list = this.table.get(h);
    if (list) {
      outer: for (const e of list) {
        if (e.bytes.length !== to - from) continue;
        for (let k = 0; k < e.bytes.length; k++) if (e.bytes[k] !== bytes[from + k]) continue outer;
        return e.value;
      }
    }
    const copy = bytes.slice(from, to);
    const value = utf8.decode(copy);
    if (list) list.push({ bytes: copy, value });
    else this.table.set(h, [{ bytes: copy, value }]);
    return value;
  }
}

/** True when `b[aFrom, aTo)` and `b[bFrom, bTo)` hold the same bytes. */
function sameBytes(b: Uint8Array, aFrom: number, aTo: number, bFrom: number, bTo: number): boolean {
  if (aTo - aFrom !== bTo - bFrom) return false;
  for (let k = 0; k < aTo - aFrom; k++) if (b[aFrom + k] !== b[bFrom + k]) return false;
  return true;
}

/** A `Map<Utf8, Utf8>` column read through its offsets and key/value children. */
class StringMapReader {
  private readonly entries: ArrowData;
  private readonly keys: ArrowData;
  private readonly vals: ArrowData;
  constructor(
    private readonly d: ArrowData,
    private readonly intern: ByteInterner,
  ) {
    this.entries = d.children[0];
    this.keys = this.entries.children[0];
    this.vals = this.entries.children[1];
  }
  /** Calls `fn(key, value)` for each entry of row `i`; returns false when the row's map is null. */
  forEach(i: number, fn: (key: string, value: string | null) => void): boolean {
    if (!valid(this.d, i)) return false;
    const mo = this.d.valueOffsets!;
    const j = this.d.offset + i;
    const { entries, keys, vals, intern } = this;
    const ko = keys.valueOffsets!;
    const kb = keys.values as Uint8Array;
    const vo = vals.valueOffsets!;
    const vb = vals.values as Uint8Array;
    for (let e = mo[j]; e < mo[j + 1]; e++) {
      const ej = entries.offset + e;
      const kj = keys.offset + ej;
      const key = intern.get(kb, ko[kj], ko[kj + 1]);
      let value: string | null = null;
      if (valid(vals, ej)) {
        const vj = vals.offset + ej;
        value = intern.get(vb, vo[vj], vo[vj + 1]);
      }
      fn(key, value);
    }
    return true;
  }
}

/**
 * Stats strings as bytes copied out of Arrow (one chunk per record batch), decoded on access.
 * 12 bytes per row besides the text itself.
 */
export class Utf8BytesColumn implements StringColumn {
  constructor(
    private readonly chunks: Uint8Array[],
    private readonly chunkOf: Uint32Array,
    private readonly start: Int32Array,
    /** -1 = null. */
    private readonly end: Int32Array,
  ) {}
  get length(): number {
    return this.end.length;
  }
  get(i: number): string | null {
    const e = this.end[i];
    if (e < 0) return null;
    return utf8.decode(this.chunks[this.chunkOf[i]].subarray(this.start[i], e));
  }
  /** Bytes of the column's text (for memory accounting). */
  get byteLength(): number {
    return this.chunks.reduce((n, c) => n + c.byteLength, 0);
  }
}

const NUM_RECORDS_PREFIX = Array.from('{"numRecords":', (c) => c.charCodeAt(0));

/** `numRecords` from stats bytes starting with `{"numRecords":N` then `,` or `}`; NaN otherwise. */
function leadingCountBytes(b: Uint8Array, from: number, to: number): number {
  const p = NUM_RECORDS_PREFIX;
  if (to - from < p.length + 2) return NaN;
  for (let k = 0; k < p.length; k++) if (b[from + k] !== p[k]) return NaN;
  let i = from + p.length;
  let n = 0;
  let digits = 0;
  for (; i < to; i++) {
    const c = b[i];
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    digits++;
  }
  const next = b[i];
  return digits > 0 && digits < 16 && (next === 44 || next === 125) ? n : NaN;
}

/** One record batch's struct column of file actions (`add` or `remove`), with its row count. */
export interface FileActionStruct {
  data: ArrowData;
  numRows: number;
}

/** The result of {@link fileActionsFromArrow}: the batch and, per row, where it came from. */
export interface ArrowFileActions {
  batch: FileActionBatch;
  /** Record batch index of each row (index into the input array). */
  batchOf: Uint32Array;
  /** Row within its record batch. */
  rowOf: Uint32Array;
}

/**
 * Builds one {@link FileActionBatch} from the `add` or `remove` struct of every record batch of a
 * checkpoint file. Rows whose struct or `path` is null are not file actions of this kind.
 *
 * @param withStats read `stats` (adds only); `statsParsedPresent` tells that rows without JSON stats
 *   may have `stats_parsed` (so their record count is not "no stats").
 */
export function fileActionsFromArrow(
  kind: FileActionKind,
  structs: (FileActionStruct | undefined)[],
  options: { withStats: boolean; statsParsedPresent: boolean },
): ArrowFileActions {
  // Pass 1: selected rows per record batch.
  const selected: (Int32Array | undefined)[] = [];
  let total = 0;
  structs.forEach((s, b) => {
    if (!s || s.numRows === 0) return;
    const path = child(s.data, 'path');
    if (!path) return;
    const rows = new Int32Array(s.numRows);
    let n = 0;
    for (let r = 0; r < s.numRows; r++) if (valid(s.data, r) && valid(path, r)) rows[n++] = r;
    selected[b] = rows.subarray(0, n);
    total += n;
  });

  const isAdd = kind === 'add';
  const path: string[] = new Array(total);
  const size = new Float64Array(total);
  const modificationTime = isAdd ? new Float64Array(total) : undefined;
  const deletionTimestamp = isAdd ? undefined : new Float64Array(total);
  const dataChange = new Uint8Array(total);
  const hasPartitionValues = new Uint8Array(total);
  const partitionValues = new Map<string, (string | null | undefined)[]>();
  const batchOf = new Uint32Array(total);
  const rowOf = new Uint32Array(total);
  const statsChunks: Uint8Array[] = [];
  const statsChunkOf = isAdd && options.withStats ? new Uint32Array(total) : undefined;
  const statsStart = statsChunkOf ? new Int32Array(total) : undefined;
  const statsEnd = statsChunkOf ? new Int32Array(total).fill(-1) : undefined;
  const numRecords = isAdd ? new Float64Array(total).fill(options.statsParsedPresent ? NaN : -1) : undefined;
  const optional: Partial<FileActionColumns> = {};
  const intern = new ByteInterner();
  const optNum = (name: 'baseRowId' | 'defaultRowCommitVersion' | 'dvOffset' | 'dvSizeInBytes' | 'dvCardinality' | 'dvMaxRowIndex' | 'extendedFileMetadata') =>
    ((optional[name] as number[] | undefined) ??= new Array(total).fill(NaN)) as number[];
  const optStr = (name: 'dvStorageType' | 'dvPathOrInlineDv' | 'clusteringProvider') =>
    ((optional[name] as (string | null)[] | undefined) ??= new Array(total).fill(null)) as (string | null)[];

  let base = 0;
  structs.forEach((s, b) => {
    const rows = selected[b];
    if (!s || !rows || rows.length === 0) return;
    const d = s.data;
    const n = rows.length;
    for (let k = 0; k < n; k++) {
      batchOf[base + k] = b;
      rowOf[base + k] = rows[k];
    }
    decodeStrings(child(d, 'path')!, rows, n, path, base);

    const num = (name: string, out: Float64Array | undefined) => {
      const c = child(d, name);
      if (!out) return;
      if (!c) {
        for (let k = 0; k < n; k++) out[base + k] = NaN;
        return;
      }
      const rd = new NumberReader(c);
      for (let k = 0; k < n; k++) out[base + k] = rd.get(rows[k]);
    };
    num('size', size);
    num('modificationTime', modificationTime);
    num('deletionTimestamp', deletionTimestamp);

    const dc = child(d, 'dataChange');
    for (let k = 0; k < n; k++) dataChange[base + k] = dc && boolAt(dc, rows[k]) === false ? 0 : 1;

    // partitionValues: adds always count as having a map (an absent one reads as {}). Walked
    // inline through the Map's offsets; keys usually repeat row after row (checked against the
    // previous key's column first), values are interned by their bytes.
    const pv = child(d, 'partitionValues');
    if (pv) {
      const mo = pv.valueOffsets!;
      const entries = pv.children[0];
      const keys = entries.children[0];
      const vals = entries.children[1];
      const ko = keys.valueOffsets!;
      const kb = keys.values as Uint8Array;
      const vo = vals.valueOffsets!;
      const vb = vals.values as Uint8Array;
      let lastKey = '';
      let lastKeyFrom = -1;
      let lastKeyTo = -1;
      let lastCol: (string | null | undefined)[] | undefined;
      for (let k = 0; k < n; k++) {
        const r = rows[k];
        const i = base + k;
        if (!valid(pv, r)) {
          hasPartitionValues[i] = isAdd ? 1 : 0;
          continue;
        }
        hasPartitionValues[i] = 1;
        const j = pv.offset + r;
        for (let e = mo[j]; e < mo[j + 1]; e++) {
          const ej = entries.offset + e;
          const kj = keys.offset + ej;
          const kFrom = ko[kj];
          const kTo = ko[kj + 1];
          let col: (string | null | undefined)[] | undefined;
          if (lastCol !== undefined && sameBytes(kb, kFrom, kTo, lastKeyFrom, lastKeyTo)) col = lastCol;
          else {
            lastKey = intern.get(kb, kFrom, kTo);
            col = partitionValues.get(lastKey);
            if (!col) {
              col = new Array(total).fill(undefined);
              partitionValues.set(lastKey, col);
            }
            lastCol = col;
          }
          lastKeyFrom = kFrom;
          lastKeyTo = kTo;
          const vj = vals.offset + ej;
          col[i] = valid(vals, ej) ? intern.get(vb, vo[vj], vo[vj + 1]) : null;
        }
      }
    } else if (isAdd) {
      for (let k = 0; k < n; k++) hasPartitionValues[base + k] = 1;
    }

    const tags = child(d, 'tags');
    if (tags && tags.nullCount < tags.length) {
      const rd = new StringMapReader(tags, intern);
      for (let k = 0; k < n; k++) {
        if (!valid(tags, rows[k])) continue;
        const t: Record<string, string | null> = {};
        if (rd.forEach(rows[k], (key, value) => (t[key] = value))) {
          (optional.tags ??= new Array(total).fill(null))[base + k] = t as Record<string, string>;
        }
      }
    }

    const dv = child(d, 'deletionVector');
    if (dv && dv.nullCount < dv.length) {
      const st = child(dv, 'storageType');
      const p = child(dv, 'pathOrInlineDv');
      const off = child(dv, 'offset');
      const sz = child(dv, 'sizeInBytes');
      const card = child(dv, 'cardinality');
      const mri = child(dv, 'maxRowIndex');
      const rd = (c: ArrowData | undefined) => (c ? new NumberReader(c) : undefined);
      const [offR, szR, cardR, mriR] = [rd(off), rd(sz), rd(card), rd(mri)];
      for (let k = 0; k < n; k++) {
        const r = rows[k];
        if (!valid(dv, r) || !st || !valid(st, r)) continue;
        const i = base + k;
        optStr('dvStorageType')[i] = utf8At(st, r);
        optStr('dvPathOrInlineDv')[i] = p ? utf8At(p, r) : null;
        optNum('dvOffset')[i] = offR ? offR.get(r) : NaN;
        optNum('dvSizeInBytes')[i] = szR ? szR.get(r) : NaN;
        optNum('dvCardinality')[i] = cardR ? cardR.get(r) : NaN;
        optNum('dvMaxRowIndex')[i] = mriR ? mriR.get(r) : NaN;
      }
    }

    for (const name of ['baseRowId', 'defaultRowCommitVersion'] as const) {
      const c = child(d, name);
      if (!c || c.nullCount === c.length) continue;
      const rd = new NumberReader(c);
      for (let k = 0; k < n; k++) {
        const v = rd.get(rows[k]);
        if (!Number.isNaN(v)) optNum(name)[base + k] = v;
      }
    }
    const cp = child(d, 'clusteringProvider');
    if (cp && cp.nullCount < cp.length) {
      for (let k = 0; k < n; k++) if (valid(cp, rows[k])) optStr('clusteringProvider')[base + k] = utf8At(cp, rows[k]);
    }
    const ext = child(d, 'extendedFileMetadata');
    if (!isAdd && ext && ext.nullCount < ext.length) {
      for (let k = 0; k < n; k++) {
        const v = boolAt(ext, rows[k]);
        if (v !== undefined) optNum('extendedFileMetadata')[base + k] = v ? 1 : 0;
      }
    }

    const stats = statsChunkOf ? child(d, 'stats') : undefined;
    if (stats && statsChunkOf && statsStart && statsEnd && numRecords) {
      const o = stats.valueOffsets!;
      const bytes = stats.values as Uint8Array;
      const from = o[stats.offset];
      const to = o[stats.offset + stats.length];
      const chunk = bytes.slice(from, to); // a copy: the decoded parquet can then be freed
      const c = statsChunks.length;
      statsChunks.push(chunk);
      for (let k = 0; k < n; k++) {
        const r = rows[k];
        const i = base + k;
        if (!valid(stats, r)) continue;
        const j = stats.offset + r;
        const a = o[j] - from;
        const e = o[j + 1] - from;
        statsChunkOf[i] = c;
        statsStart[i] = a;
        statsEnd[i] = e;
        numRecords[i] = leadingCountBytes(chunk, a, e);
      }
    }
    base += n;
  });

  const columns: FileActionColumns = {
    length: total,
    path: path as string[],
    size,
    modificationTime,
    deletionTimestamp,
    dataChange,
    stats: statsChunkOf ? new Utf8BytesColumn(statsChunks, statsChunkOf, statsStart!, statsEnd!) : undefined,
    numRecords,
    partitionValues,
    hasPartitionValues,
    ...optional,
  };
  return { batch: FileActionBatch.fromColumns(kind, columns), batchOf, rowOf };
}


/** One record batch's `add.stats` (Utf8) and `add.stats_parsed` columns, for {@link statsFromArrow}. */
export interface StatsChunk {
  stats?: ArrowData;
  statsParsed: unknown;
  numRows: number;
}

/**
 * The stats columns of a batch whose rows came from file rows `fileRows` of a checkpoint file
 * decoded (stats columns only) into `chunks`, in file order: the same `stats` bytes column and
 * `numRecords` (count; `-1` no stats at all; `NaN` read it from the stats) an eager read gives,
 * and where each row is among the chunks (for `stats_parsed`).
 */
export function statsFromArrow(chunks: StatsChunk[], fileRows: Float64Array): { stats: Utf8BytesColumn; numRecords: Float64Array; chunkOf: Uint32Array; rowOf: Uint32Array } {
  const n = fileRows.length;
  const starts: number[] = [];
  let acc = 0;
  for (const c of chunks) {
    starts.push(acc);
    acc += c.numRows;
  }
  const statsParsedPresent = chunks.some((c) => c.statsParsed);
  const chunkOf = new Uint32Array(n);
  const rowOf = new Uint32Array(n);
  const start = new Int32Array(n);
  const end = new Int32Array(n).fill(-1);
  const numRecords = new Float64Array(n).fill(statsParsedPresent ? NaN : -1);
  // Each chunk's stats bytes copied once (so the decoded parquet can be freed).
  const copies: (Uint8Array | undefined)[] = [];
  const froms: number[] = [];
  let c = 0;
  for (let i = 0; i < n; i++) {
    const r = fileRows[i];
    if (c >= chunks.length || r < starts[c] || r >= starts[c] + chunks[c].numRows) {
      let lo = 0;
      let hi = chunks.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= r) lo = mid;
        else hi = mid - 1;
      }
      c = lo;
    }
    const row = r - starts[c];
    chunkOf[i] = c;
    rowOf[i] = row;
    const d = chunks[c]?.stats;
    if (!d || !valid(d, row)) continue;
    const o = d.valueOffsets!;
    if (!copies[c]) {
      const from = o[d.offset];
      copies[c] = (d.values as Uint8Array).slice(from, o[d.offset + d.length]);
      froms[c] = from;
    }
    const j = d.offset + row;
    const a = o[j] - froms[c];
    const e = o[j + 1] - froms[c];
    start[i] = a;
    end[i] = e;
    numRecords[i] = leadingCountBytes(copies[c]!, a, e);
  }
  const chunkBytes = chunks.map((_, k) => copies[k] ?? new Uint8Array(0));
  return { stats: new Utf8BytesColumn(chunkBytes, chunkOf, start, end), numRecords, chunkOf, rowOf };
}
