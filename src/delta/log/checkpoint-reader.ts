/**
 * Reads checkpoints (protocol "Checkpoints", "Checkpoint Schema", "V2 Spec", "Sidecar Files"):
 * classic and multi-part parquet parts, V2 UUID-named checkpoints in JSON or parquet, and the
 * sidecar files they reference.
 *
 * Parquet goes through the decoder seam (`../parquet-reader.ts`, a `ParquetReader`): footer first,
 * then ranged reads of only the column chunks of the columns a snapshot needs
 * ({@link checkpointColumns}). The one per-file decode, {@link decodeCheckpointPart}
 * (`(source, columns) → ActionSet[]`), takes bytes, a `Blob` or a ranged store source, so a worker
 * pool can call it as well. Batches become columnar `FileActionBatch`es straight from the Arrow
 * buffers, without an object per file (see `checkpoint-columns.ts`). Stats strings are kept as
 * bytes and decoded only when asked for; with `stats: 'lazy'` they are not even fetched until
 * {@link loadCheckpointStats} asks for them.
 */
import { MapRow, tableFromIPC, Type, Vector, type DataType as ArrowType, type Schema, type Table } from 'apache-arrow';
import { emptyActionSet, type ActionSet } from '../actions.ts';
import { DeltaError, throwIfAborted } from '../errors.ts';
import { readParquetTable } from '../parquet.ts';
import { bytesSource, parquetWasmReader, storeSource, type ParquetReader, type ParquetReadStats, type RangedSource, type SchemaShape } from '../parquet-reader.ts';
import type { FileActionBatch } from '../actions.ts';
import type { StringColumn } from '../file-action-batch.ts';
import { hasBlobs, type ObjectMeta, type ObjectStore } from '../storage/object-store.ts';
import { fileActionsFromArrow, statsFromArrow, validAt, type ArrowData } from './checkpoint-columns.ts';
import { parseJsonLog } from './commit-reader.ts';
import { LOG_DIR, readLogFile, type CheckpointFiles } from './listing.ts';
import { mapLimit } from '../concurrency.ts';
import { checkpointReader } from './decode-pool.ts';

/** Which optional parts of a checkpoint to read. */
export interface CheckpointReadOptions {
  /**
   * Read `add.stats` / `add.stats_parsed` (default true). Stats are most of a checkpoint's bytes.
   * `'lazy'`: not now; the batches remember where their stats are, and {@link loadCheckpointStats}
   * fetches them (only those column chunks) when a view asks. `false` is the same (a snapshot that
   * never asks simply never loads them): either way reading a row's stats before they are loaded
   * throws `STATS_NOT_LOADED`, so unread stats never pass for "no stats".
   */
  stats?: boolean | 'lazy';
  /** Read `remove` rows (tombstones; default true). */
  removes?: boolean;
  signal?: AbortSignal;
  /** Called after each part or sidecar is read, with bytes read so far. */
  onProgress?: (done: number, total: number) => void;
  /** The decoder (default: the decode pool's reader where the host started one, `decode-pool.ts`; else {@link parquetWasmReader} in-thread). */
  reader?: ParquetReader;
  /** Called with what each parquet file's read cost (bytes, requests, needed column-chunk bytes). */
  onRead?: (path: string, stats: ParquetReadStats) => void;
}

const ADD_FIELDS = [
  'path',
  'partitionValues',
  'size',
  'modificationTime',
  'dataChange',
  'tags',
  'deletionVector',
  'baseRowId',
  'defaultRowCommitVersion',
  'clusteringProvider',
];
const REMOVE_FIELDS = [
  'path',
  'deletionTimestamp',
  'dataChange',
  'extendedFileMetadata',
  'partitionValues',
  'size',
  'deletionVector',
  'baseRowId',
  'defaultRowCommitVersion',
];
const WHOLE_COLUMNS = ['metaData', 'protocol', 'txn', 'domainMetadata', 'sidecar', 'checkpointMetadata'];

function corrupt(path: string, version: number | undefined, e: unknown): DeltaError {
  if (e instanceof DeltaError) return e;
  return new DeltaError(
    'CORRUPT_CHECKPOINT',
    `Cannot decode checkpoint file ${path}${version !== undefined ? ` (version ${version})` : ''}: ${(e as Error)?.message ?? e}`,
    { path, version, cause: e, hint: 'The checkpoint is damaged. Delete it (the commits it summarises are used instead) or open a later version.' },
  );
}

/**
 * The dotted column paths a snapshot reads from a checkpoint file with this (Arrow) schema: the
 * file-action fields it keeps (stats only when asked for), and the small non-file actions whole.
 */
export function checkpointColumns(schema: SchemaShape | Schema, options: Pick<CheckpointReadOptions, 'stats' | 'removes'> = {}): string[] {
  const columns: string[] = [];
  const fieldsOf = (name: string) => {
    const f = schema.fields.find((x) => x.name === name);
    return f ? new Set<string>((f.type.children ?? []).map((c: { name: string }) => c.name)) : undefined;
  };
  const addFields = fieldsOf('add');
  if (addFields) {
    for (const f of ADD_FIELDS) if (addFields.has(f)) columns.push(`add.${f}`);
    if (options.stats !== false && options.stats !== 'lazy') {
      // Both when both exist: `stats_parsed` stands in where a row's JSON `stats` is null.
      if (addFields.has('stats')) columns.push('add.stats');
      if (addFields.has('stats_parsed')) columns.push('add.stats_parsed');
    }
  }
  const removeFields = fieldsOf('remove');
  if (removeFields && options.removes !== false) {
    for (const f of REMOVE_FIELDS) if (removeFields.has(f)) columns.push(`remove.${f}`);
  }
  for (const c of WHOLE_COLUMNS) if (schema.fields.some((x) => x.name === c)) columns.push(c);
  return columns;
}

/**
 * Decodes one parquet checkpoint part or sidecar into an {@link ActionSet}, reading only the
 * columns the snapshot needs.
 *
 * @param bytes the whole parquet file.
 * @throws DeltaError `CORRUPT_CHECKPOINT` naming the file when it cannot be decoded.
 */
export async function decodeParquetCheckpoint(
  bytes: Uint8Array | Blob,
  ctx: { path: string; version?: number },
  options: CheckpointReadOptions = {},
): Promise<ActionSet> {
  let table: Table;
  try {
    const data = bytes instanceof Blob ? new Uint8Array(await bytes.arrayBuffer()) : bytes;
    const ipc = await readParquetTable(data, (schema) => checkpointColumns(schema, options));
    table = tableFromIPC(ipc);
  } catch (e) {
    throw corrupt(ctx.path, ctx.version, e);
  }
  try {
    return arrowToActions(table, ctx, options);
  } catch (e) {
    throw corrupt(ctx.path, ctx.version, e);
  }
}

/**
 * Converts a projected checkpoint Arrow table into an {@link ActionSet}. `fileRowBase` is the row of
 * the file the table's first row is (for lazily loaded stats: see {@link pendingStatsOf}).
 */
function arrowToActions(table: Table, ctx: { path: string; version?: number }, options: CheckpointReadOptions = {}, fileRowBase = 0): ActionSet {
  const out = emptyActionSet();
  const structOf = (name: string) =>
    table.batches.map((batch) => {
      const v = batch.numRows > 0 ? batch.getChild(name) : null; // empty batches may lack child data
      return v ? { data: v.data[0] as unknown as ArrowData, numRows: batch.numRows } : undefined;
    });
  const statsParsedVectors = table.batches.map((batch) => (batch.numRows > 0 ? (batch.getChild('add')?.getChild('stats_parsed') as Vector | null) : null));
  const hasStatsParsed = statsParsedVectors.some((v) => v);
  // File actions: columns straight from the Arrow buffers (see checkpoint-columns.ts).
  const adds = fileActionsFromArrow('add', structOf('add'), { withStats: options.stats === true || options.stats === undefined, statsParsedPresent: hasStatsParsed });
  out.adds = adds.batch;
  out.removes = fileActionsFromArrow('remove', structOf('remove'), { withStats: false, statsParsedPresent: false }).batch;
  if (statsDeferred(options.stats) && adds.batch.length) {
    const batchStart: number[] = [];
    let n = fileRowBase;
    for (const b of table.batches) {
      batchStart.push(n);
      n += b.numRows;
    }
    const fileRows = new Float64Array(adds.batch.length);
    for (let i = 0; i < fileRows.length; i++) fileRows[i] = batchStart[adds.batchOf[i]] + adds.rowOf[i];
    pending.set(adds.batch, { path: ctx.path, version: ctx.version, fileRows });
    // Until loadCheckpointStats fills them, the stats columns refuse to be read: a consumer that
    // forgot to await them gets an error, never "this file has no stats".
    adds.batch.numRecords = undefined;
    adds.batch.statsParsed = undefined;
    adds.batch.stats = statsNotLoaded(adds.batch.length, ctx.path, ctx.version);
  }

  table.batches.forEach((batch) => {
    const n = batch.numRows;
    if (n === 0) return;
    // Non-file actions: few rows; plain objects.
    for (const name of WHOLE_COLUMNS) {
      const col = batch.getChild(name);
      if (!col || col.nullCount === n) continue;
      const data = col.data[0] as unknown as ArrowData;
      for (let r = 0; r < n; r++) {
        if (!validAt(data, r)) continue;
        const row = toPlain(col.get(r));
        if (!row || typeof row !== 'object') continue;
        addNonFileAction(out, name, row as Record<string, unknown>, ctx);
      }
    }
  });

  if (hasStatsParsed) {
    const { batchOf, rowOf } = adds;
    out.adds.statsParsed = {
      get(i: number) {
        const v = statsParsedVectors[batchOf[i]];
        if (!v || !v.isValid(rowOf[i])) return null;
        return statsValue(v.get(rowOf[i]), v.type) as Record<string, unknown> | null;
      },
    };
  }
  return out;
}

/** The value of a 128/256-bit Arrow decimal (little-endian 32-bit words, two's complement) as a bigint. */
function decimalWords(words: Uint32Array): bigint {
  let x = 0n;
  for (let i = words.length - 1; i >= 0; i--) x = (x << 32n) | BigInt(words[i]);
  const bits = BigInt(words.length * 32);
  return words[words.length - 1] & 0x80000000 ? x - (1n << bits) : x;
}

/**
 * Converts a checkpoint `stats_parsed` value into the form JSON `stats` give (protocol "Per-file
 * Statistics"), so both sources read the same: decimals as numbers (text beyond 15 digits), dates
 * as `YYYY-MM-DD`, timestamps as ISO-8601 UTC strings with `Z` (`timestamp_ntz`: without), ms
 * precision as writers put them in JSON stats, 64-bit
 * integers as numbers, structs as objects.
 */
export function statsValue(v: unknown, type: ArrowType): unknown {
  if (v === null || v === undefined) return null;
  switch (type.typeId) {
    case Type.Decimal: {
      const raw = v instanceof Uint32Array ? v : (v as { buffer?: unknown }) && ArrayBuffer.isView(v) ? new Uint32Array((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, (v as Uint8Array).byteLength / 4) : undefined;
      if (!raw) return Number(v);
      const n = decimalWords(raw);
      const scale = (type as unknown as { scale: number }).scale ?? 0;
      const neg = n < 0n;
      const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
      const text = (neg ? '-' : '') + (scale > 0 ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits);
      // A number, as JSON stats give it, while that is exact; the decimal text beyond 15 digits.
      return digits.replace(/^0+/, '').length <= 15 ? Number(text) : text;
    }
    case Type.Date:
      return new Date(Number(v)).toISOString().slice(0, 10);
    case Type.Timestamp: {
      // Parquet semantics: a zone (isAdjustedToUTC) or INT96 (read as nanoseconds, always an
      // instant) is a `timestamp` → `…Z`; no zone with micro/milliseconds is `timestamp_ntz` → no suffix.
      const iso = new Date(Number(v)).toISOString();
      const t = type as unknown as { timezone?: string | null; unit?: number };
      return t.timezone || t.unit === 3 /* TimeUnit.NANOSECOND */ ? iso : iso.slice(0, -1);
    }
    case Type.Int:
      return typeof v === 'bigint' ? Number(v) : v;
    case Type.Struct: {
      const out: Record<string, unknown> = {};
      const row = v as Record<string, unknown>;
      for (const child of type.children ?? []) out[child.name] = statsValue(row[child.name], child.type);
      return out;
    }
    default:
      return toPlain(v);
  }
}

/** Converts Arrow row values (StructRow, MapRow, Vector, bigint) into plain JSON-like JS values. */
export function toPlain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v;
  const anyV = v as { toJSON?: () => unknown; [Symbol.iterator]?: unknown };
  // instanceof, not constructor names: minified builds rename classes.
  if (v instanceof MapRow) {
    const o: Record<string, unknown> = {};
    for (const [k, val] of v as Iterable<[unknown, unknown]>) o[String(k)] = toPlain(val);
    return o;
  }
  if (v instanceof Vector || Array.isArray(v) || ArrayBuffer.isView(v)) {
    return Array.from(v as Iterable<unknown>, toPlain);
  }
  if (typeof anyV.toJSON === 'function') {
    const o = anyV.toJSON() as Record<string, unknown>;
    const res: Record<string, unknown> = {};
    for (const k of Object.keys(o)) res[k] = toPlain(o[k]);
    return res;
  }
  return v;
}

function addNonFileAction(out: ActionSet, name: string, row: Record<string, any>, ctx: { path: string; version?: number }): void {
  switch (name) {
    case 'metaData':
      out.metaData = {
        id: String(row.id ?? ''),
        name: row.name ?? null,
        description: row.description ?? null,
        format: { provider: row.format?.provider ?? 'parquet', options: row.format?.options ?? {} },
        schemaString: String(row.schemaString ?? ''),
        partitionColumns: Array.isArray(row.partitionColumns) ? row.partitionColumns.map(String) : [],
        configuration: row.configuration ?? {},
        createdTime: typeof row.createdTime === 'number' ? row.createdTime : null,
      };
      break;
    case 'protocol':
      out.protocol = {
        minReaderVersion: Number(row.minReaderVersion),
        minWriterVersion: Number(row.minWriterVersion),
        ...(Array.isArray(row.readerFeatures) ? { readerFeatures: row.readerFeatures.map(String) } : {}),
        ...(Array.isArray(row.writerFeatures) ? { writerFeatures: row.writerFeatures.map(String) } : {}),
      };
      break;
    case 'txn':
      if (typeof row.appId === 'string') out.txns.push({ appId: row.appId, version: Number(row.version), lastUpdated: row.lastUpdated ?? null });
      break;
    case 'domainMetadata':
      if (typeof row.domain === 'string') out.domainMetadata.push({ domain: row.domain, configuration: String(row.configuration ?? ''), removed: row.removed === true });
      break;
    case 'sidecar':
      if (typeof row.path === 'string') {
        out.sidecars.push({ path: row.path, sizeInBytes: Number(row.sizeInBytes), modificationTime: Number(row.modificationTime), tags: row.tags ?? null });
      }
      break;
    case 'checkpointMetadata':
      out.checkpointMetadata = { version: Number(row.version), tags: row.tags ?? null };
      break;
  }
}

/** Where a sidecar lives: `_delta_log/_sidecars/<path>` for relative paths (protocol "Sidecar File Information"). */
export function sidecarPath(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith('/')) return path;
  return `${LOG_DIR}_sidecars/${path}`;
}

/**
 * Reads a whole checkpoint: every part (in parallel) and, for V2 checkpoints, every sidecar it
 * references. Returns one {@link ActionSet} per part/sidecar (top-level file first).
 *
 * @throws DeltaError `CORRUPT_CHECKPOINT` (undecodable part), `FILE_NOT_FOUND` (missing part or
 *   sidecar, naming it and the checkpoint version), `CANCELLED`.
 */
export async function readCheckpoint(
  store: ObjectStore,
  checkpoint: CheckpointFiles,
  options: CheckpointReadOptions = {},
): Promise<ActionSet[]> {
  const { signal } = options;
  const version = checkpoint.version;
  let done = 0;
  let total = checkpoint.parts.length;
  const readPart = async (meta: ObjectMeta, what: string): Promise<ActionSet[]> => {
    throwIfAborted(signal);
    const isJson = meta.path.endsWith('.json');
    const missing = (e: unknown): never => {
      if (e instanceof DeltaError && e.code === 'FILE_NOT_FOUND') {
        throw new DeltaError('FILE_NOT_FOUND', `${what} ${meta.path} of the checkpoint at version ${version} is missing.`, {
          path: meta.path,
          version,
          hint: 'The checkpoint is incomplete. Restore the file, or delete the checkpoint so the commits are used instead.',
        });
      }
      throw e;
    };
    // Parquet is read by ranges: from a lazily read Blob where the store gives one (a local file),
    // else by ranged reads of the store (footer, then only the needed column chunks).
    // With stats deferred, what the first read got of the file's end is kept: the whole file when
    // it was no larger than the footer probe (loading its stats later then costs no request), else
    // the footer probe (the stats load then reads only the stats chunks: one request, not two).
    const deferStats = statsDeferred(options.stats);
    let whole: Uint8Array | undefined;
    let tail: { start: number; bytes: Uint8Array } | undefined;
    const open = async (sig?: AbortSignal): Promise<RangedSource> => {
      if (hasBlobs(store)) return bytesSource(meta.path, await store.blob(meta.path, sig));
      if (whole) return bytesSource(meta.path, whole);
      const source = await storeSource(store, meta, sig);
      if (!deferStats) return source;
      const kept = tail;
      return {
        path: source.path,
        size: source.size,
        read: async (start, end, s) => {
          if (kept && start >= kept.start && end <= kept.start + kept.bytes.byteLength) return kept.bytes.subarray(start - kept.start, end - kept.start);
          const bytes = await source.read(start, end, s);
          if (end === source.size) {
            if (start === 0) whole = bytes;
            else tail = { start, bytes };
          }
          return bytes;
        },
      };
    };
    let sets: ActionSet[];
    try {
      sets = isJson
        ? [parseJsonCheckpoint(await readLogFile(store, meta, signal), { path: meta.path, version })]
        : await decodeCheckpointPart(await open(signal), { path: meta.path, version }, options);
    } catch (e) {
      return missing(e);
    }
    if (deferStats) {
      for (const s of sets) {
        const p = pending.get(s.adds);
        if (p) Object.assign(p, { open: (sig?: AbortSignal) => open(sig).catch(missing), options: { reader: options.reader, onRead: options.onRead } });
      }
    }
    options.onProgress?.(++done, total);
    return sets;
  };
  // Parts and sidecars are read a few at a time: reads overlap, and only a few files' decoded
  // batches are in memory at once.
  const sets = (await mapLimit(checkpoint.parts, PART_CONCURRENCY, (p, i) => readPart(p, checkpoint.parts.length > 1 ? `Part ${i + 1}` : 'File'))).flat();
  const sidecars = sets.flatMap((s) => s.sidecars);
  if (sidecars.length) {
    total += sidecars.length;
    const sidecarSets = await mapLimit(sidecars, PART_CONCURRENCY, (s) =>
      readPart({ path: sidecarPath(s.path), sizeBytes: s.sizeInBytes, lastModifiedMs: s.modificationTime }, 'Sidecar'),
    );
    sets.push(...sidecarSets.flat());
  }
  return sets;
}

/**
 * Parses a JSON (V2) checkpoint file: NDJSON like a commit, but a line that cannot be read is a
 * damaged checkpoint, reported as such.
 *
 * @throws DeltaError `CORRUPT_CHECKPOINT` naming the file, version and line.
 */
export function parseJsonCheckpoint(bytes: Uint8Array, ctx: { path: string; version: number }): ActionSet {
  try {
    return parseJsonLog(bytes, ctx);
  } catch (e) {
    if (e instanceof DeltaError && e.code === 'CORRUPT_COMMIT') {
      throw new DeltaError('CORRUPT_CHECKPOINT', `Cannot decode checkpoint file ${e.message}`, {
        path: ctx.path,
        version: ctx.version,
        cause: e,
        hint: 'The checkpoint is damaged. Delete it (the commits it summarises are used instead) or open a later version.',
      });
    }
    throw e;
  }
}

/** How many checkpoint parts / sidecars are read at once. */
const PART_CONCURRENCY = 3;


/**
 * The one per-file decode of a parquet checkpoint part or sidecar, `(source, columns) → columnar
 * result`: reads the columns a snapshot needs ({@link checkpointColumns}, by `options.stats` and
 * `options.removes`) through the decoder seam and returns one {@link ActionSet} per record batch
 * (only a batch's decoded Arrow data is alive at a time). `source` may be bytes, a lazily read
 * `Blob`, or a {@link RangedSource} over a store (footer first, then only the needed column chunks).
 *
 * @throws DeltaError `CORRUPT_CHECKPOINT` naming the file when it cannot be decoded; store errors
 *   (`FILE_NOT_FOUND`, `STORAGE_ERROR`) as they are; `CANCELLED`.
 */
export async function decodeCheckpointPart(
  source: Uint8Array | Blob | RangedSource,
  ctx: { path: string; version?: number },
  options: CheckpointReadOptions = {},
): Promise<ActionSet[]> {
  const sets: ActionSet[] = [];
  const src = source instanceof Uint8Array || source instanceof Blob ? bytesSource(ctx.path, source) : source;
  let fileRow = 0;
  try {
    const stats = await (options.reader ?? checkpointReader()).read(
      src,
      (schema) => checkpointColumns(schema, options),
      (ipc) => {
        const table = tableFromIPC(ipc);
        sets.push(arrowToActions(table, ctx, options, fileRow));
        fileRow += table.numRows;
      },
      {
        onReset: () => {
          sets.length = 0;
          fileRow = 0;
        },
        signal: options.signal,
      },
    );
    options.onRead?.(ctx.path, stats);
  } catch (e) {
    throwIfAborted(options.signal);
    if (e instanceof DeltaError) throw e;
    throw corrupt(ctx.path, ctx.version, e);
  }
  return sets;
}

/**
 * {@link decodeCheckpointPart} over bytes or a `Blob` (kept for callers holding the file).
 * @throws as {@link decodeCheckpointPart}.
 */
export function decodeParquetCheckpointParts(
  source: Uint8Array | Blob,
  ctx: { path: string; version?: number },
  options: CheckpointReadOptions = {},
): Promise<ActionSet[]> {
  return decodeCheckpointPart(source, ctx, options);
}

/** Where the stats of a checkpoint batch read with `stats: 'lazy'` are: file and file row per batch row. */
interface PendingStats {
  path: string;
  version?: number;
  /** The row of the file each batch row came from. */
  fileRows: Float64Array;
  /** How to open the file again (set by {@link readCheckpoint}). */
  open?: (signal?: AbortSignal) => Promise<RangedSource>;
  options?: CheckpointReadOptions;
}

const pending = new WeakMap<FileActionBatch, PendingStats>();

/** Whether a `stats` option defers checkpoint stats (`'lazy'`, and `false`, which behaves the same). */
export function statsDeferred(stats: boolean | 'lazy' | undefined): boolean {
  return stats === 'lazy' || stats === false;
}

/**
 * The stats column of a batch whose checkpoint stats are not loaded yet: every read throws
 * `STATS_NOT_LOADED` naming the checkpoint file (see {@link loadCheckpointStats}).
 */
function statsNotLoaded(length: number, path: string, version: number | undefined): StringColumn {
  const refuse = (): never => {
    throw new DeltaError('STATS_NOT_LOADED', `The stats of checkpoint ${path} were read before they were loaded (Snapshot.loadStats).`, { path, version });
  };
  return { length, get: refuse, numRecords: refuse };
}

/** True when `batch` came from a checkpoint read with `stats: 'lazy'` and its stats are not loaded yet. */
export function statsPending(batch: FileActionBatch): boolean {
  return pending.has(batch);
}

/**
 * Loads the stats of checkpoint batches read with `stats: 'lazy'`: per checkpoint file, only the
 * `add.stats` / `add.stats_parsed` column chunks are fetched (footer again, then those ranges), and
 * each batch gets its `stats`, `numRecords` and `statsParsed` columns as an eager read would have
 * given them. Batches without pending stats are left alone; loading twice does nothing.
 *
 * @throws DeltaError `CORRUPT_CHECKPOINT` naming the file; store errors; `CANCELLED`.
 */
export async function loadCheckpointStats(batches: FileActionBatch[], signal?: AbortSignal): Promise<void> {
  const byPath = new Map<string, { info: PendingStats; batches: FileActionBatch[] }>();
  for (const b of batches) {
    const info = pending.get(b);
    if (!info?.open) continue;
    const e = byPath.get(info.path) ?? { info, batches: [] };
    e.batches.push(b);
    byPath.set(info.path, e);
  }
  await mapLimit([...byPath.values()], PART_CONCURRENCY, async ({ info, batches: list }) => {
    const tables: Table[] = [];
    const source = await info.open!(signal);
    try {
      const stats = await (info.options?.reader ?? checkpointReader()).read(
        source,
        (schema) => {
          const add = schema.fields.find((f) => f.name === 'add');
          const names = new Set((add?.type.children ?? []).map((c) => c.name));
          return ['stats', 'stats_parsed'].filter((n) => names.has(n)).map((n) => `add.${n}`);
        },
        (ipc) => tables.push(tableFromIPC(ipc)),
        { onReset: () => (tables.length = 0), signal },
      );
      info.options?.onRead?.(info.path, stats);
    } catch (e) {
      throwIfAborted(signal);
      if (e instanceof DeltaError) throw e;
      throw corrupt(info.path, info.version, e);
    }
    const chunks: { stats?: ArrowData; statsParsed: Vector | null; numRows: number }[] = [];
    for (const t of tables) {
      for (const batch of t.batches) {
        const add = batch.numRows > 0 ? batch.getChild('add') : null;
        const st = add?.getChild('stats');
        chunks.push({ stats: st ? (st.data[0] as unknown as ArrowData) : undefined, statsParsed: (add?.getChild('stats_parsed') as Vector | null) ?? null, numRows: batch.numRows });
      }
    }
    for (const b of list) {
      const p = pending.get(b);
      if (!p) continue;
      const got = statsFromArrow(chunks, p.fileRows);
      b.stats = got.stats;
      b.numRecords = got.numRecords;
      if (chunks.some((c) => c.statsParsed)) {
        b.statsParsed = {
          get(i: number) {
            const v = chunks[got.chunkOf[i]]?.statsParsed;
            if (!v || !v.isValid(got.rowOf[i])) return null;
            return statsValue(v.get(got.rowOf[i]), v.type) as Record<string, unknown> | null;
          },
        };
      }
      pending.delete(b);
    }
  });
}
