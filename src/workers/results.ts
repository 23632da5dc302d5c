/**
 * Query results as they cross the worker boundary: the column list, the first rows as an Arrow IPC
 * stream in a buffer of its own (so it can be transferred, not copied), and results held in the
 * worker so the grid can page through the WHOLE result, sorted and filtered, without sending it.
 *
 * A held result is the Arrow table DuckDB returned (already in this worker's memory). Sorting and
 * filtering build a row order (an `Int32Array` of row indexes), cached per result for the last
 * (sort, filters) asked; pages and column copies read through it. Profiles (nulls, distinct count,
 * min/max, a histogram of numbers) are computed here too, so the UI thread stays free.
 */
import * as arrow from 'apache-arrow';
import { DeltaError } from '../delta/errors.ts';
import { duckTypeOfArrow } from '../query/types.ts';
import { cellAt, cellText, columnCells, type Cell } from '../query/values.ts';
import type { ResultColumn } from './api.ts';

/** Name and DuckDB type name of each column of a result. */
export function resultColumns(table: arrow.Table): ResultColumn[] {
  return table.schema.fields.map((f) => ({ name: f.name, type: duckTypeOfArrow(f.type) }));
}

/**
 * The first `maxRows` rows of `table` as an Arrow IPC stream whose buffer holds nothing else.
 * `truncated` says whether rows were left out.
 */
export function encodeRows(table: arrow.Table, maxRows: number): { ipc: Uint8Array; truncated: boolean } {
  const truncated = table.numRows > maxRows;
  const rows = truncated ? table.slice(0, maxRows) : table;
  const ipc = arrow.tableToIPC(rows, 'stream');
  const whole = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength && ipc.buffer instanceof ArrayBuffer;
  return { ipc: whole ? ipc : ipc.slice(), truncated };
}

// ---------------------------------------------------------------------------------------------
// Held results: pages, sort, filter, profile
// ---------------------------------------------------------------------------------------------

/** One sort key of a result view: a column index, ascending unless `desc`. NULLs sort last. */
export interface ResultSort {
  column: number;
  desc?: boolean;
}

/**
 * One column filter. `text` is matched against each cell's text, case-insensitively:
 * - `=v` equals (whole text), `!=v` differs, `>v` `>=v` `<v` `<=v` compare (numbers as numbers,
 *   other values as text), `null` / `!null` match SQL NULL / not NULL;
 * - anything else: the text contains it.
 */
export interface ResultFilter {
  column: number;
  text: string;
}

/** What {@link HeldResults.page} is asked: a row range of the result seen through sorts and filters. */
export interface ResultPageRequest {
  /** First row (of the sorted, filtered view), from 0. */
  offset: number;
  /** Rows wanted (capped at {@link MAX_PAGE_ROWS}). */
  limit: number;
  sort?: ResultSort[];
  filters?: ResultFilter[];
}

/** A page of a held result, as text cells (see `values.ts` `cellText`); `null` is SQL NULL. */
export interface ResultPage {
  offset: number;
  /** Rows of the view (after filters). */
  numRows: number;
  /** Rows of the whole result. */
  totalRows: number;
  rows: (string | null)[][];
}

/** A small profile of one column of a held result (all rows, no filter). */
export interface ColumnProfile {
  column: number;
  rows: number;
  nulls: number;
  /** Distinct non-null values (exact up to {@link DISTINCT_CAP}, then `distinctCapped`). */
  distinct: number;
  distinctCapped: boolean;
  /** Smallest and largest non-null value as text (numbers, text and times compare by value). */
  min: string | null;
  max: string | null;
  /** For numbers: equal-width bins over [min, max]. */
  histogram?: { lo: number; hi: number; count: number }[];
  /** Most frequent values (text), at most 5, for columns that are not all distinct. */
  top?: { value: string; count: number }[];
}

/** Largest page {@link HeldResults.page} returns. */
export const MAX_PAGE_ROWS = 5_000;
/** Distinct values counted exactly before the count is reported as "at least". */
export const DISTINCT_CAP = 200_000;
/** Results held per worker; older ones are released first. */
export const MAX_HELD_RESULTS = 4;
/** Values a column copy returns at most. */
export const MAX_COPY_VALUES = 1_000_000;

/**
 * Sort keys of a whole column, read straight from the Arrow buffers where the type allows:
 * `nums` for numbers, dates and times (NaN for NULL), else `strs` (null for NULL).
 */
interface ColumnKeys {
  nums: Float64Array | null;
  strs: (string | null)[] | null;
}

/** Number of a value of a primitive column chunk, or null when the type is not read this way. */
function numericReader(data: arrow.Data): ((i: number) => number) | null {
  const t = data.type;
  const v = data.values as ArrayLike<number | bigint>;
  switch (t.typeId) {
    case arrow.Type.Int:
    case arrow.Type.Date:
    case arrow.Type.Timestamp:
    case arrow.Type.Time:
      if ((t as arrow.Date_).typeId === arrow.Type.Date && (t as arrow.Date_).unit !== arrow.DateUnit.DAY) return (i) => Number(v[i]) / 86_400_000;
      return (i) => Number(v[i]);
    case arrow.Type.Float:
      if ((t as arrow.Float).precision === arrow.Precision.HALF) return null;
      return (i) => {
        const x = v[i] as number;
        return Number.isNaN(x) ? Number.POSITIVE_INFINITY : x;
      };
    default:
      return null;
  }
}

interface Held {
  table: arrow.Table;
  /** Cells per column, decoded on first use. */
  cells: (Cell[] | undefined)[];
  /** Sort keys per column, on first use. */
  keys: (ColumnKeys | undefined)[];
  /** Cell texts per column, on first use (filters and pages). */
  texts: ((string | null)[] | undefined)[];
  /** The last view built: its key and row order (null: natural order). */
  view?: { key: string; order: Int32Array | null };
  /** Row offset of each record batch (for reading one cell without decoding the column). */
  batchStarts: number[];
}

/** Sortable key of a cell: numbers, decimals, dates and times as numbers, other values as their text. */
function sortKey(c: Cell): number | string | null {
  if (c === null) return null;
  switch (c.t) {
    case 'int':
      return Number(c.v);
    case 'float':
      return Number.isNaN(c.v) ? Number.POSITIVE_INFINITY : c.v;
    case 'dec':
      return Number(c.text);
    case 'bool':
      return c.v ? 1 : 0;
    case 'date':
      return c.days;
    case 'ts':
      return Number(c.micros);
    case 'str':
      return c.v;
    default:
      return cellText(c);
  }
}

/** Whether a cell is a number (for histograms). */
function isNumeric(c: Cell): boolean {
  return c !== null && (c.t === 'int' || c.t === 'float' || c.t === 'dec');
}

/** Code-unit order (deterministic, no locale data loaded in the worker). */
function compareKeys(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A row predicate for one filter text over a column's keys and texts. */
function filterPredicate(text: string, keys: (number | string | null)[], texts: (string | null)[]): (row: number) => boolean {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'null') return (r) => texts[r] === null;
  if (lower === '!null' || lower === 'not null') return (r) => texts[r] !== null;
  const m = /^(>=|<=|!=|=|>|<)\s*(.*)$/.exec(t);
  if (m) {
    const [, op, raw] = m;
    const num = raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : null;
    const want = raw.toLowerCase();
    const cmp = (r: number): number | null => {
      const k = keys[r];
      if (k === null) return null;
      if (typeof k === 'number' && num !== null) return k - num;
      const s = (texts[r] ?? '').toLowerCase();
      return s < want ? -1 : s > want ? 1 : 0;
    };
    switch (op) {
      case '=':
        return (r) => cmp(r) === 0;
      case '!=':
        return (r) => texts[r] === null || cmp(r) !== 0;
      case '>':
        return (r) => (cmp(r) ?? -1) > 0;
      case '>=':
        return (r) => (cmp(r) ?? -1) >= 0;
      case '<':
        return (r) => (cmp(r) ?? 1) < 0;
      default:
        return (r) => (cmp(r) ?? 1) <= 0;
    }
  }
  return (r) => texts[r] !== null && texts[r]!.toLowerCase().includes(lower);
}

/**
 * Results kept in the worker for paging: {@link hold} one, then ask {@link page},
 * {@link profile}, {@link columnText}; {@link release} when the grid shows another one. At most
 * {@link MAX_HELD_RESULTS} are held (the oldest is dropped; asking for it then fails with
 * `INVALID_ARGUMENT`, and the UI runs the query again).
 */
export class HeldResults {
  private readonly held = new Map<string, Held>();
  private next = 1;

  /** Keeps `table`; returns its id. */
  hold(table: arrow.Table): string {
    const id = `res${this.next++}`;
    const batchStarts: number[] = [];
    let at = 0;
    for (const b of table.batches) {
      batchStarts.push(at);
      at += b.numRows;
    }
    this.held.set(id, { table, cells: [], texts: [], keys: [], batchStarts });
    while (this.held.size > MAX_HELD_RESULTS) this.held.delete(this.held.keys().next().value!);
    return id;
  }

  release(id: string): void {
    this.held.delete(id);
  }

  /** Drops every held result (e.g. the engine restarted; results stay valid, but memory is freed). */
  clear(): void {
    this.held.clear();
  }

  get size(): number {
    return this.held.size;
  }

  private get(id: string): Held {
    const h = this.held.get(id);
    if (!h) throw new DeltaError('INVALID_ARGUMENT', 'This result is no longer held by the worker.', { hint: 'Run the query again.' });
    return h;
  }

  private column(h: Held, k: number): Cell[] {
    if (!Number.isInteger(k) || k < 0 || k >= h.table.numCols) throw new DeltaError('INVALID_ARGUMENT', `No column ${k} in this result.`);
    return (h.cells[k] ??= columnCells(h.table.getChildAt(k)!));
  }

  private texts(h: Held, k: number): (string | null)[] {
    if (h.texts[k]) return h.texts[k]!;
    const cells = this.column(h, k);
    const out = new Array<string | null>(cells.length);
    for (let i = 0; i < cells.length; i++) out[i] = cells[i] === null ? null : cellText(cells[i]);
    return (h.texts[k] = out);
  }

  /** Sort keys of a column (numbers from the buffers when the type allows, else cell texts). */
  private keys(h: Held, k: number): ColumnKeys {
    if (h.keys[k]) return h.keys[k]!;
    if (!Number.isInteger(k) || k < 0 || k >= h.table.numCols) throw new DeltaError('INVALID_ARGUMENT', `No column ${k} in this result.`);
    const chunks = h.table.getChildAt(k)!.data;
    const readers = chunks.map(numericReader);
    let keys: ColumnKeys;
    if (readers.every((r) => r !== null)) {
      const nums = new Float64Array(h.table.numRows);
      let at = 0;
      chunks.forEach((d, c) => {
        const read = readers[c]!;
        for (let i = 0; i < d.length; i++) nums[at++] = d.getValid(i) ? read(i) : Number.NaN;
      });
      keys = { nums, strs: null };
    } else {
      const cells = this.column(h, k);
      const numeric = cells.every((c) => c === null || c.t === 'dec' || c.t === 'bool');
      if (numeric) {
        const nums = new Float64Array(cells.length);
        for (let i = 0; i < cells.length; i++) {
          const key = sortKey(cells[i]);
          nums[i] = key === null ? Number.NaN : Number(key);
        }
        keys = { nums, strs: null };
      } else keys = { nums: null, strs: this.texts(h, k) };
    }
    return (h.keys[k] = keys);
  }

  /** The text of one cell, read from its record batch (no column decoded whole). */
  private textAt(h: Held, k: number, row: number): string | null {
    const done = h.texts[k];
    if (done) return done[row];
    const starts = h.batchStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    const data = h.table.batches[lo].data.children[k];
    const c = cellAt(data, row - starts[lo]);
    return c === null ? null : cellText(c);
  }

  /** The row order for sorts and filters (null: all rows, natural order). */
  private order(h: Held, sort: ResultSort[] = [], filters: ResultFilter[] = []): Int32Array | null {
    const active = filters.filter((f) => f.text.trim() !== '');
    const key = JSON.stringify([sort, active]);
    if (h.view?.key === key) return h.view.order;
    let order: Int32Array | null = null;
    const n = h.table.numRows;
    if (active.length) {
      const preds = active.map((f) => {
        const cells = this.column(h, f.column);
        return filterPredicate(f.text, cells.map(sortKey), this.texts(h, f.column));
      });
      const kept: number[] = [];
      for (let r = 0; r < n; r++) if (preds.every((p) => p(r))) kept.push(r);
      order = Int32Array.from(kept);
    }
    if (sort.length) {
      const base = order ?? Int32Array.from({ length: n }, (_, i) => i);
      const keys = sort.map((x) => this.keys(h, x.column));
      const dirs = sort.map((x) => (x.desc ? -1 : 1));
      const cmpOne = (j: number, a: number, b: number): number => {
        const { nums, strs } = keys[j];
        if (nums) {
          const x = nums[a];
          const y = nums[b];
          const xn = Number.isNaN(x);
          const yn = Number.isNaN(y);
          if (xn || yn) return xn === yn ? 0 : xn ? 2 : -2; // NULLs last, both directions (±2: not flipped)
          return x < y ? -dirs[j] : x > y ? dirs[j] : 0;
        }
        const x = strs![a];
        const y = strs![b];
        if (x === null || y === null) return x === y ? 0 : x === null ? 2 : -2;
        return x < y ? -dirs[j] : x > y ? dirs[j] : 0;
      };
      const idx = base.slice();
      idx.sort((a, b) => {
        for (let j = 0; j < keys.length; j++) {
          const c = cmpOne(j, a, b);
          if (c !== 0) return c;
        }
        return a - b; // stable
      });
      order = idx;
    }
    h.view = { key, order };
    return order;
  }

  /** Rows `offset .. offset+limit` of the result seen through `sort` and `filters`, as text. */
  page(id: string, request: ResultPageRequest): ResultPage {
    const h = this.get(id);
    const order = this.order(h, request.sort, request.filters);
    const numRows = order ? order.length : h.table.numRows;
    const offset = Math.max(0, Math.min(Math.floor(request.offset) || 0, numRows));
    const limit = Math.max(0, Math.min(Math.floor(request.limit) || 0, MAX_PAGE_ROWS, numRows - offset));
    const numCols = h.table.numCols;
    const rows: (string | null)[][] = new Array(limit);
    for (let i = 0; i < limit; i++) {
      const r = order ? order[offset + i] : offset + i;
      const row = new Array<string | null>(numCols);
      for (let k = 0; k < numCols; k++) row[k] = this.textAt(h, k, r);
      rows[i] = row;
    }
    return { offset, numRows, totalRows: h.table.numRows, rows };
  }

  /** A whole column of the view as text lines (NULL as empty), for copying; at most {@link MAX_COPY_VALUES}. */
  columnText(id: string, column: number, view: { sort?: ResultSort[]; filters?: ResultFilter[] } = {}): { text: string; values: number; capped: boolean } {
    const h = this.get(id);
    const texts = this.texts(h, column);
    const order = this.order(h, view.sort, view.filters);
    const n = order ? order.length : texts.length;
    const m = Math.min(n, MAX_COPY_VALUES);
    const lines = new Array<string>(m);
    for (let i = 0; i < m; i++) lines[i] = texts[order ? order[i] : i] ?? '';
    return { text: lines.join('\n'), values: m, capped: m < n };
  }

  /** Nulls, distinct values, min/max, top values and (numbers) a histogram of one column, over all rows. */
  profile(id: string, column: number, bins = 12): ColumnProfile {
    const h = this.get(id);
    const cells = this.column(h, column);
    const texts = this.texts(h, column);
    let nulls = 0;
    let min: number | string | null = null;
    let max: number | string | null = null;
    let minText: string | null = null;
    let maxText: string | null = null;
    const counts = new Map<string, number>();
    let capped = false;
    let numeric = true;
    for (let i = 0; i < cells.length; i++) {
      const k = sortKey(cells[i]);
      if (k === null) {
        nulls++;
        continue;
      }
      if (!isNumeric(cells[i])) numeric = false;
      if (min === null || compareKeys(k, min) < 0) {
        min = k;
        minText = texts[i];
      }
      if (max === null || compareKeys(k, max) > 0) {
        max = k;
        maxText = texts[i];
      }
      const t = texts[i]!;
      if (!capped) {
        counts.set(t, (counts.get(t) ?? 0) + 1);
        if (counts.size >= DISTINCT_CAP) capped = true;
      }
    }
    const profile: ColumnProfile = { column, rows: cells.length, nulls, distinct: counts.size, distinctCapped: capped, min: minText, max: maxText };
    if (counts.size > 0 && counts.size < cells.length - nulls) {
      profile.top = [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 5)
        .map(([value, count]) => ({ value, count }));
    }
    if (numeric && typeof min === 'number' && typeof max === 'number' && cells.length - nulls > 0) {
      const lo = min;
      const hi = max;
      const n = lo === hi ? 1 : bins;
      const width = (hi - lo) / n || 1;
      const hist = Array.from({ length: n }, (_, b) => ({ lo: lo + b * width, hi: b === n - 1 ? hi : lo + (b + 1) * width, count: 0 }));
      for (const c of cells) {
        const k = sortKey(c);
        if (typeof k !== 'number') continue;
        hist[Math.min(n - 1, Math.floor((k - lo) / width))].count++;
      }
      profile.histogram = hist;
    }
    return profile;
  }
}
