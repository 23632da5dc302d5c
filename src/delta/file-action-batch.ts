/**
 * File actions (`add`, `remove`, `cdc`) column by column: {@link FileActionBatch} keeps one array
 * per field, never one object per file, because a table can have millions of them. The string and
 * numeric column types, the scanned-line record the commit reader fills, and the batch itself.
 * The actions as plain objects (and everything else about actions) are `actions.ts`, which
 * re-exports every name here.
 */
import type { AddCdcFile, AddFile, DeletionVectorDescriptor, RemoveFile } from './actions.ts';

/** A read-only column of nullable strings; backed by a JS array or by Arrow/bytes (decoded on access). */
export interface StringColumn {
  readonly length: number;
  get(i: number): string | null;
  /**
   * For stats columns: the `numRecords` of row `i` read without decoding the whole string, `null`
   * when the row has no stats, `undefined` when it cannot tell cheaply (then `get` is parsed).
   */
  numRecords?(i: number): number | null | undefined;
}

const STATS_PREFIX_ESCAPED = '{\\"numRecords\\":';

/**
 * A {@link StringColumn} over a JS array. Rows flagged in `escaped` hold the body of a JSON string
 * literal still escaped (as a commit line has it): they are decoded when read, so stats nobody
 * looks at are never decoded.
 */
export class ArrayStringColumn implements StringColumn {
  /** 1 where `values[i]` is an escaped JSON string body; absent until the first such row. */
  escaped?: number[];
  constructor(readonly values: (string | null)[]) {}
  get length(): number {
    return this.values.length;
  }
  get(i: number): string | null {
    const v = this.values[i] ?? null;
    if (v !== null && this.escaped !== undefined && this.escaped[i] === 1) {
      try {
        return JSON.parse(`"${v}"`) as string;
      } catch {
        return null; // invalid escapes: unreadable stats read as missing, as invalid stats JSON does
      }
    }
    return v;
  }
  /** Appends a value; `escaped` when it is a JSON string body with escapes still in. */
  pushRaw(v: string | null, escaped: boolean): void {
    const i = this.values.length;
    this.values.push(v);
    if (escaped) {
      this.escaped ??= new Array(i).fill(0);
      while (this.escaped.length < i) this.escaped.push(0);
      this.escaped.push(1);
    }
  }
  numRecords(i: number): number | null | undefined {
    const v = this.values[i] ?? null;
    if (v === null) return null;
    if (this.escaped === undefined || this.escaped[i] !== 1) return undefined;
    return leadingCount(v, STATS_PREFIX_ESCAPED);
  }
}

/**
 * The integer right after `prefix` at the start of `s` when it is followed by `,` or `}`
 * (`{"numRecords":N,...`), else undefined.
 */
export function leadingCount(s: string, prefix: string): number | undefined {
  if (!s.startsWith(prefix)) return undefined;
  let i = prefix.length;
  let n = 0;
  let digits = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    digits++;
  }
  const next = s.charCodeAt(i);
  return digits > 0 && digits < 16 && (next === 44 || next === 125) ? n : undefined;
}

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_U32 = new Uint32Array(0);

/** The kinds of file action a {@link FileActionBatch} can hold. */
export type FileActionKind = 'add' | 'remove' | 'cdc';

/**
 * A numeric column: a JS array while a batch is being appended to (commits), a typed array when a
 * reader fills it in one go (checkpoints). Read it by index only.
 */
export type NumberColumn = number[] | Float64Array;

/**
 * One file action as scanned from a commit line without building an object (see
 * `commit-reader.ts`): a reusable record the scanner refills for every line.
 */
export interface ScannedFileAction {
  path: string;
  /** NaN when absent. */
  size: number;
  modificationTime: number;
  deletionTimestamp: number;
  /** `false` only when the action says `"dataChange":false`. */
  dataChange: boolean;
  stats: string | null;
  /** `stats` is the body of the JSON string literal with its escapes still in (decoded when read). */
  statsEscaped: boolean;
  /** The action had a `partitionValues` object. */
  hasPartitionValues: boolean;
  /** Number of entries used in `pvKeys` / `pvValues`. */
  pvCount: number;
  pvKeys: string[];
  pvValues: (string | null)[];
  tags: Record<string, string> | null;
  baseRowId: number;
  defaultRowCommitVersion: number;
  clusteringProvider: string | null;
  /** NaN when absent, else 1 / 0. */
  extendedFileMetadata: number;
}

/** A fresh {@link ScannedFileAction} (all fields absent). */
export function newScannedFileAction(): ScannedFileAction {
  return {
    path: '',
    size: NaN,
    modificationTime: NaN,
    deletionTimestamp: NaN,
    dataChange: true,
    stats: null,
    statsEscaped: false,
    hasPartitionValues: false,
    pvCount: 0,
    pvKeys: [],
    pvValues: [],
    tags: null,
    baseRowId: NaN,
    defaultRowCommitVersion: NaN,
    clusteringProvider: null,
    extendedFileMetadata: NaN,
  };
}

/** The columns a reader hands to {@link FileActionBatch.fromColumns}; omitted optional columns stay absent. */
export interface FileActionColumns {
  length: number;
  path: string[];
  size: NumberColumn;
  modificationTime?: NumberColumn;
  deletionTimestamp?: NumberColumn;
  dataChange: number[] | Uint8Array;
  stats?: StringColumn;
  numRecords?: Float64Array;
  partitionValues: Map<string, (string | null | undefined)[]>;
  hasPartitionValues: number[] | Uint8Array;
  tags?: (Record<string, string> | null)[];
  dvStorageType?: (string | null)[];
  dvPathOrInlineDv?: (string | null)[];
  dvOffset?: number[];
  dvSizeInBytes?: number[];
  dvCardinality?: number[];
  dvMaxRowIndex?: number[];
  baseRowId?: number[];
  defaultRowCommitVersion?: number[];
  clusteringProvider?: (string | null)[];
  extendedFileMetadata?: number[];
}

/**
 * File actions of one kind, column by column. Row `i` of every column is the `i`th action.
 *
 * Numeric columns use `NaN` for "absent". Optional columns (`tags`, deletion vector fields,
 * row tracking, clustering) stay `undefined` until the first row that has a value, and are then
 * back-filled, so a table without deletion vectors pays nothing for them. Columns are JS arrays
 * when built row by row ({@link push}, commits) and typed arrays when a reader fills them at once
 * ({@link fromColumns}, checkpoints): read them by index only.
 */
export class FileActionBatch {
  readonly kind: FileActionKind;
  length = 0;
  path: string[] = [];
  /** Bytes; NaN when absent (a `remove` without `size`). */
  size: NumberColumn = EMPTY_F64;
  /** `add`: ms since the epoch. NaN when absent. */
  modificationTime: NumberColumn = EMPTY_F64;
  /** `remove`: ms since the epoch. NaN when absent. */
  deletionTimestamp: NumberColumn = EMPTY_F64;
  /** 1 = true, 0 = false. */
  dataChange: number[] | Uint8Array = EMPTY_U8;
  /** Raw stats JSON, parsed lazily (see stats.ts). */
  stats: StringColumn = new ArrayStringColumn([]);
  /**
   * `numRecords` of each row's stats when a reader extracted it up front (checkpoints read it from
   * the stats bytes): a count, `-1` when the row has no stats at all, `NaN` when unknown here (then
   * the stats themselves are consulted).
   */
  numRecords?: NumberColumn;
  /** Checkpoint `stats_parsed` struct per row, when the checkpoint has it and `stats` is null. */
  statsParsed?: { get(i: number): Record<string, unknown> | null };
  /** Raw partition values per log key (physical names under column mapping); `null` = null value, `undefined` = key absent. */
  partitionValues = new Map<string, (string | null | undefined)[]>();
  /** True when the row had a partitionValues map at all (remove actions may omit it). */
  hasPartitionValues: number[] | Uint8Array = EMPTY_U8;
  tags?: (Record<string, string> | null)[];
  dvStorageType?: (string | null)[];
  dvPathOrInlineDv?: (string | null)[];
  dvOffset?: number[];
  dvSizeInBytes?: number[];
  dvCardinality?: number[];
  dvMaxRowIndex?: number[];
  baseRowId?: number[];
  defaultRowCommitVersion?: number[];
  clusteringProvider?: (string | null)[];
  extendedFileMetadata?: number[];
  /**
   * Position of each row among all actions of its log file (line number). Reconciliation walks the
   * adds and removes of one file in this order, newest line first: a log compaction file may hold an
   * older and a newer action for the same file.
   */
  ordinal: number[] | Uint32Array = EMPTY_U32;
  /** Rows the typed columns have room for while appending (see {@link grow}). */
  private capacity = 0;
  /** The partition-value columns in creation order, and the last one used (appending is per row). */
  private pvColumns: (string | null | undefined)[][] = [];
  private lastPvKey: string | undefined;
  private lastPvColumn: (string | null | undefined)[] | undefined;

  constructor(kind: FileActionKind) {
    this.kind = kind;
  }

  /** Makes room for one more row in the typed columns (doubling), keeping the rows so far. */
  private grow(): void {
    const cap = Math.max(64, this.capacity * 2);
    const f64 = (old: NumberColumn) => {
      const a = new Float64Array(cap);
      for (let i = 0; i < this.length; i++) a[i] = old[i];
      return a;
    };
    this.size = f64(this.size);
    this.modificationTime = f64(this.modificationTime);
    this.deletionTimestamp = f64(this.deletionTimestamp);
    const dc = new Uint8Array(cap);
    const hp = new Uint8Array(cap);
    const ord = new Uint32Array(cap);
    for (let i = 0; i < this.length; i++) {
      dc[i] = this.dataChange[i];
      hp[i] = this.hasPartitionValues[i];
      ord[i] = this.ordinal[i];
    }
    this.dataChange = dc;
    this.hasPartitionValues = hp;
    this.ordinal = ord;
    this.capacity = cap;
  }

  /**
   * A batch over columns a reader built at once (a checkpoint part). Absent `modificationTime` /
   * `deletionTimestamp` read as NaN; the ordinal is the row index.
   */
  static fromColumns(kind: FileActionKind, c: FileActionColumns): FileActionBatch {
    const b = new FileActionBatch(kind);
    const n = c.length;
    const nan = () => new Float64Array(n).fill(NaN);
    b.length = n;
    b.path = c.path;
    b.size = c.size;
    b.modificationTime = c.modificationTime ?? nan();
    b.deletionTimestamp = c.deletionTimestamp ?? nan();
    b.dataChange = c.dataChange;
    if (c.stats) b.stats = c.stats;
    else b.stats = { length: n, get: () => null };
    b.numRecords = c.numRecords;
    b.partitionValues = c.partitionValues;
    b.pvColumns = [...c.partitionValues.values()];
    b.hasPartitionValues = c.hasPartitionValues;
    const ord = new Uint32Array(n);
    for (let i = 0; i < n; i++) ord[i] = i;
    b.ordinal = ord;
    b.capacity = n;
    b.tags = c.tags;
    b.dvStorageType = c.dvStorageType;
    b.dvPathOrInlineDv = c.dvPathOrInlineDv;
    b.dvOffset = c.dvOffset;
    b.dvSizeInBytes = c.dvSizeInBytes;
    b.dvCardinality = c.dvCardinality;
    b.dvMaxRowIndex = c.dvMaxRowIndex;
    b.baseRowId = c.baseRowId;
    b.defaultRowCommitVersion = c.defaultRowCommitVersion;
    b.clusteringProvider = c.clusteringProvider;
    b.extendedFileMetadata = c.extendedFileMetadata;
    return b;
  }

  /** Appends one action parsed from JSON (a commit line or a JSON checkpoint). Unknown fields are ignored. */
  push(a: Record<string, any>, ordinal = this.length): void {
    const i = this.length;
    if (i >= this.capacity) this.grow();
    this.ordinal[i] = ordinal;
    this.path.push(String(a.path));
    this.size[i] = typeof a.size === 'number' ? a.size : NaN;
    this.modificationTime[i] = typeof a.modificationTime === 'number' ? a.modificationTime : NaN;
    this.deletionTimestamp[i] = typeof a.deletionTimestamp === 'number' ? a.deletionTimestamp : NaN;
    this.dataChange[i] = a.dataChange === false ? 0 : 1;
    (this.stats as ArrayStringColumn).pushRaw(typeof a.stats === 'string' ? a.stats : null, false);
    const pv = a.partitionValues;
    this.hasPartitionValues[i] = pv && typeof pv === 'object' ? 1 : 0;
    if (pv && typeof pv === 'object') {
      for (const k in pv) {
        const v = pv[k];
        this.partitionColumn(k, i)[i] = v === null || v === undefined ? null : String(v);
      }
    }
    this.padPartitionColumns(i);
    if (a.tags != null) this.sparse('tags', i, null)[i] = a.tags;
    const dv = a.deletionVector;
    if (dv != null) {
      this.sparse('dvStorageType', i, null)[i] = dv.storageType ?? null;
      this.sparse('dvPathOrInlineDv', i, null)[i] = dv.pathOrInlineDv ?? null;
      this.sparse('dvOffset', i, NaN)[i] = typeof dv.offset === 'number' ? dv.offset : NaN;
      this.sparse('dvSizeInBytes', i, NaN)[i] = Number(dv.sizeInBytes);
      this.sparse('dvCardinality', i, NaN)[i] = Number(dv.cardinality);
      this.sparse('dvMaxRowIndex', i, NaN)[i] = typeof dv.maxRowIndex === 'number' ? dv.maxRowIndex : NaN;
    }
    if (typeof a.baseRowId === 'number') this.sparse('baseRowId', i, NaN)[i] = a.baseRowId;
    if (typeof a.defaultRowCommitVersion === 'number') this.sparse('defaultRowCommitVersion', i, NaN)[i] = a.defaultRowCommitVersion;
    if (typeof a.clusteringProvider === 'string') this.sparse('clusteringProvider', i, null)[i] = a.clusteringProvider;
    if (typeof a.extendedFileMetadata === 'boolean') this.sparse('extendedFileMetadata', i, NaN)[i] = a.extendedFileMetadata ? 1 : 0;
    this.length = i + 1;
  }

  /**
   * Appends one action a scanner read field by field (same meaning as {@link push} of the
   * equivalent object; the scanner hands over only actions without a deletion vector).
   */
  pushScanned(a: ScannedFileAction, ordinal: number): void {
    const i = this.length;
    if (i >= this.capacity) this.grow();
    this.ordinal[i] = ordinal;
    this.path.push(a.path);
    this.size[i] = a.size;
    this.modificationTime[i] = a.modificationTime;
    this.deletionTimestamp[i] = a.deletionTimestamp;
    this.dataChange[i] = a.dataChange ? 1 : 0;
    (this.stats as ArrayStringColumn).pushRaw(a.stats, a.statsEscaped);
    this.hasPartitionValues[i] = a.hasPartitionValues ? 1 : 0;
    for (let k = 0; k < a.pvCount; k++) this.partitionColumn(a.pvKeys[k], i)[i] = a.pvValues[k];
    this.padPartitionColumns(i);
    if (a.tags !== null) this.sparse('tags', i, null)[i] = a.tags;
    if (!Number.isNaN(a.baseRowId)) this.sparse('baseRowId', i, NaN)[i] = a.baseRowId;
    if (!Number.isNaN(a.defaultRowCommitVersion)) this.sparse('defaultRowCommitVersion', i, NaN)[i] = a.defaultRowCommitVersion;
    if (a.clusteringProvider !== null) this.sparse('clusteringProvider', i, null)[i] = a.clusteringProvider;
    if (!Number.isNaN(a.extendedFileMetadata)) this.sparse('extendedFileMetadata', i, NaN)[i] = a.extendedFileMetadata;
    this.length = i + 1;
  }

  /** The partition-value column of key `k`, created (absent up to row `i`) on first use. */
  private partitionColumn(k: string, i: number): (string | null | undefined)[] {
    if (k === this.lastPvKey) return this.lastPvColumn!;
    let col = this.partitionValues.get(k);
    if (!col) {
      col = new Array(i).fill(undefined);
      this.partitionValues.set(k, col);
      this.pvColumns.push(col);
    }
    this.lastPvKey = k;
    this.lastPvColumn = col;
    return col;
  }

  /** Marks the key absent in row `i` of every partition-value column the row did not set. */
  private padPartitionColumns(i: number): void {
    const cols = this.pvColumns;
    for (let c = 0; c < cols.length; c++) if (cols[c].length === i) cols[c].push(undefined);
  }

  /** Returns the optional column `name`, creating it (filled with `fill` up to row `i`) on first use. */
  private sparse<K extends SparseColumn>(name: K, i: number, fill: unknown): NonNullable<this[K]> {
    let col = this[name] as unknown[] | undefined;
    if (!col) {
      col = new Array(i + 1).fill(fill);
      (this as any)[name] = col;
    } else if (col.length <= i) {
      while (col.length <= i) col.push(fill);
    }
    return col as NonNullable<this[K]>;
  }

  /**
   * Pads every created optional column to `length` rows and trims the typed columns to `length`;
   * call once when the batch is complete (appending afterwards still works).
   */
  padSparse(): void {
    if (this.capacity > this.length) {
      const n = this.length;
      this.size = (this.size as Float64Array).slice(0, n);
      this.modificationTime = (this.modificationTime as Float64Array).slice(0, n);
      this.deletionTimestamp = (this.deletionTimestamp as Float64Array).slice(0, n);
      this.dataChange = (this.dataChange as Uint8Array).slice(0, n);
      this.hasPartitionValues = (this.hasPartitionValues as Uint8Array).slice(0, n);
      this.ordinal = (this.ordinal as Uint32Array).slice(0, n);
      this.capacity = n;
    }
    for (const [name, fill] of SPARSE_FILLS) {
      const col = (this as any)[name] as unknown[] | undefined;
      if (col) while (col.length < this.length) col.push(fill);
    }
  }

  /** The deletion vector descriptor of row `i`, or null. */
  deletionVector(i: number): DeletionVectorDescriptor | null {
    const st = this.dvStorageType?.[i];
    if (!st) return null;
    const offset = this.dvOffset![i];
    const maxRowIndex = this.dvMaxRowIndex![i];
    return {
      storageType: st as DeletionVectorDescriptor['storageType'],
      pathOrInlineDv: this.dvPathOrInlineDv![i] ?? '',
      ...(Number.isNaN(offset) ? {} : { offset }),
      sizeInBytes: this.dvSizeInBytes![i],
      cardinality: this.dvCardinality![i],
      ...(Number.isNaN(maxRowIndex) ? {} : { maxRowIndex }),
    };
  }

  /** The deletion vector unique id of row `i` (protocol "Derived Fields"), or '' when it has none. */
  dvUniqueId(i: number): string {
    const st = this.dvStorageType?.[i];
    if (!st) return '';
    const offset = this.dvOffset![i];
    return Number.isNaN(offset) ? st + this.dvPathOrInlineDv![i] : `${st}${this.dvPathOrInlineDv![i]}@${offset}`;
  }

  /** The reconciliation key of row `i`: path and DV unique id (protocol "Add File and Remove File"). */
  key(i: number): string {
    const dv = this.dvUniqueId(i);
    return dv ? `${this.path[i]}\u0000${dv}` : this.path[i];
  }

  /** Raw partition values of row `i` as an object, or null when the action had none. */
  partitionValuesAt(i: number): Record<string, string | null> | null {
    if (!this.hasPartitionValues[i]) return null;
    const out: Record<string, string | null> = {};
    for (const [k, col] of this.partitionValues) {
      const v = col[i];
      if (v !== undefined) out[k] = v;
    }
    return out;
  }

  /** Row `i` as an `add` object (for pages sent to views and for tests). */
  addAt(i: number): AddFile {
    const num = (c: NumberColumn | undefined) => (c && !Number.isNaN(c[i]) ? c[i] : null);
    return {
      path: this.path[i],
      partitionValues: this.partitionValuesAt(i) ?? {},
      size: this.size[i],
      modificationTime: this.modificationTime[i],
      dataChange: this.dataChange[i] === 1,
      stats: this.stats.get(i),
      tags: this.tags?.[i] ?? null,
      deletionVector: this.deletionVector(i),
      baseRowId: num(this.baseRowId),
      defaultRowCommitVersion: num(this.defaultRowCommitVersion),
      clusteringProvider: this.clusteringProvider?.[i] ?? null,
    };
  }

  /** Row `i` as a `remove` object. */
  removeAt(i: number): RemoveFile {
    const num = (c: NumberColumn | undefined) => (c && !Number.isNaN(c[i]) ? c[i] : null);
    return {
      path: this.path[i],
      deletionTimestamp: num(this.deletionTimestamp),
      dataChange: this.dataChange[i] === 1,
      extendedFileMetadata: this.extendedFileMetadata ? (Number.isNaN(this.extendedFileMetadata[i]) ? null : this.extendedFileMetadata[i] === 1) : null,
      partitionValues: this.partitionValuesAt(i),
      size: num(this.size),
      stats: this.stats.get(i),
      tags: this.tags?.[i] ?? null,
      deletionVector: this.deletionVector(i),
      baseRowId: num(this.baseRowId),
      defaultRowCommitVersion: num(this.defaultRowCommitVersion),
    };
  }

  /** Row `i` as a `cdc` object. */
  cdcAt(i: number): AddCdcFile {
    return {
      path: this.path[i],
      partitionValues: this.partitionValuesAt(i) ?? {},
      size: this.size[i],
      dataChange: this.dataChange[i] === 1,
      tags: this.tags?.[i] ?? null,
    };
  }
}

type SparseColumn =
  | 'tags'
  | 'dvStorageType'
  | 'dvPathOrInlineDv'
  | 'dvOffset'
  | 'dvSizeInBytes'
  | 'dvCardinality'
  | 'dvMaxRowIndex'
  | 'baseRowId'
  | 'defaultRowCommitVersion'
  | 'clusteringProvider'
  | 'extendedFileMetadata';

const SPARSE_FILLS: [SparseColumn, unknown][] = [
  ['tags', null],
  ['dvStorageType', null],
  ['dvPathOrInlineDv', null],
  ['dvOffset', NaN],
  ['dvSizeInBytes', NaN],
  ['dvCardinality', NaN],
  ['dvMaxRowIndex', NaN],
  ['baseRowId', NaN],
  ['defaultRowCommitVersion', NaN],
  ['clusteringProvider', null],
  ['extendedFileMetadata', NaN],
];
