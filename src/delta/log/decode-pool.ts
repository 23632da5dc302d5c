/**
 * A pool of workers that decode checkpoint parquet (parts, sidecars) on every core (issue #16
 * item 5), behind the {@link ParquetReader} seam of `parquet-reader.ts`.
 *
 * Split of the work:
 * - the calling thread (the explorer worker, or Node's main thread) does the I/O as the
 *   in-thread reader does: the footer, then one parallel round of ranged reads of only the
 *   wanted column chunks;
 * - the wanted row groups are cut into tasks (a few row groups each) and decoded by the pool's
 *   workers with parquet-wasm: each task gets the footer bytes and its row groups' column chunks
 *   (moved, not copied, where the bytes own their buffer) and answers Arrow IPC record batches,
 *   moved back (transferred) — never copied value by value;
 * - the calling thread hands the batches to `onBatch` in file order as they arrive, so turning
 *   Arrow into file-action columns (`checkpoint-columns.ts`) overlaps the decoding of later row
 *   groups; the snapshot merges those columnar batches as they are, without concatenating them.
 *
 * The worker RPC is Comlink (web workers in the browser, `worker_threads` in Node, each host
 * registers how to start one with {@link setDecodeWorkerFactory}). Pool size:
 * `navigator.hardwareConcurrency` (Node: `availableParallelism()`), capped at
 * {@link MAX_DECODE_WORKERS}. Small files (under {@link POOL_MIN_BYTES} of wanted chunks) and
 * every failure of a worker (error, wasm panic, no answer in time) go to the in-thread reader,
 * which has its own safety nets; a failed worker is replaced.
 */
import * as Comlink from 'comlink';
import type { ParquetReader, ParquetReadStats, Range } from '../parquet-reader.ts';
import { COALESCE_GAP_BYTES, columnChunkRanges, columnChunkSpans, parquetWasmReader, readFooter, schemaShape, schemaTree } from '../parquet-reader.ts';
import { parquetWasm, STREAM_BATCH_ROWS } from '../parquet.ts';
import { throwIfAborted } from '../errors.ts';

/** Most decode workers started, whatever the core count (each holds a parquet-wasm instance). */
export const MAX_DECODE_WORKERS = 8;
/** Files whose wanted column chunks are smaller than this (bytes) are decoded in-thread. */
export const POOL_MIN_BYTES = 2 * 1024 * 1024;

/** Bytes of a file at an offset. */
export interface Piece {
  start: number;
  bytes: Uint8Array;
}

/** One unit of work for a decode worker: some row groups of one file. */
export interface DecodeTask {
  /** The file's size in bytes. */
  size: number;
  /** The footer tail and the column chunks of `rowGroups` (the only bytes the decoder may read). */
  pieces: Piece[];
  /** Dotted column paths to decode. */
  columns: string[];
  /** Row group indexes to decode, in order. */
  rowGroups: number[];
  batchRows: number;
}

/** What a decode worker exposes over Comlink. */
export interface DecodeWorkerApi {
  /** Decodes a task into Arrow IPC streams, one per record batch, in file order. @throws Error on a decoding failure. */
  decode(task: DecodeTask): Promise<Uint8Array[]>;
}

/** A started worker: its Comlink endpoint and how to stop it. */
export interface DecodeWorkerHandle {
  api: Comlink.Remote<DecodeWorkerApi>;
  /** Calls `fn` when the worker fails outside a call (uncaught error, exit). */
  onFailure(fn: (e: unknown) => void): void;
  terminate(): void;
  /** Told when the worker starts and ends a task (Node: a busy worker keeps the process alive). */
  setBusy?(busy: boolean): void;
}

/** Starts one decode worker (set by the host: browser or Node). */
export type DecodeWorkerFactory = () => DecodeWorkerHandle;

/**
 * Decodes a {@link DecodeTask} with parquet-wasm's projected streaming reader over the task's
 * bytes. Runs inside the workers (and serves as a reference in tests).
 * @throws Error when the decoder fails or asks for bytes outside the task's pieces.
 */
export async function decodeTask(task: DecodeTask): Promise<Uint8Array[]> {
  const pieces = [...task.pieces].sort((x, y) => x.start - y.start);
  // Bytes [a, b): a view into one piece, or copied together from adjacent or overlapping pieces.
  const bytesAt = (a: number, b: number): Uint8Array => {
    for (const p of pieces) if (p.start <= a && b <= p.start + p.bytes.length) return p.bytes.subarray(a - p.start, b - p.start);
    const out = new Uint8Array(b - a);
    let at = a;
    for (const p of pieces) {
      const end = p.start + p.bytes.length;
      if (p.start > at || end <= at) continue;
      const to = Math.min(b, end);
      out.set(p.bytes.subarray(at - p.start, to - p.start), at - a);
      at = to;
      if (at >= b) return out;
    }
    throw new Error(`decoder asked for bytes ${a}–${b} outside the prefetched column chunks`);
  };
  const blobLike = {
    size: task.size,
    slice: (a = 0, b = task.size) => ({
      size: b - a,
      arrayBuffer: async () => {
        const u = bytesAt(a, b);
        return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength);
      },
    }),
  } as unknown as Blob;
  const pw = await parquetWasm();
  const file = await pw.ParquetFile.fromFile(blobLike);
  const out: Uint8Array[] = [];
  try {
    const stream = await file.stream({ columns: task.columns, batchSize: task.batchRows, rowGroups: task.rowGroups });
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      out.push((value as { intoIPCStream(): Uint8Array }).intoIPCStream());
    }
  } finally {
    file.free();
  }
  return out;
}

/** The buffers of `list` that can be moved (views covering their whole buffer, each once). */
function movable(list: Uint8Array[]): ArrayBuffer[] {
  const seen = new Set<ArrayBufferLike>();
  const out: ArrayBuffer[] = [];
  for (const u of list) {
    const b = u.buffer;
    if (seen.has(b) || !(b instanceof ArrayBuffer) || u.byteOffset !== 0 || u.byteLength !== b.byteLength) continue;
    seen.add(b);
    out.push(b);
  }
  return out;
}

/**
 * Runs `fn`, rejecting when parquet-wasm traps meanwhile: a Rust panic surfaces as an uncaught
 * `RuntimeError` (in Node an uncaught exception, in a web worker an `error` event, swallowed here
 * so the worker lives on) and the decoder's own promise never settles.
 */
function panicGuard<T>(fn: () => Promise<T>): Promise<T> {
  const g = globalThis as unknown as {
    process?: { on?: (ev: string, h: (e: unknown) => void) => void; off?: (ev: string, h: (e: unknown) => void) => void };
    addEventListener?: (ev: string, h: (e: Event) => void) => void;
    removeEventListener?: (ev: string, h: (e: Event) => void) => void;
  };
  return new Promise<T>((resolve, reject) => {
    const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));
    const onNode = (e: unknown) => reject(asError(e));
    // A web worker sees the trap as an `error` event or, from inside a promise, `unhandledrejection`.
    const onWeb = (ev: Event) => {
      ev.preventDefault();
      const e = ev as ErrorEvent & PromiseRejectionEvent;
      reject(asError(e.error ?? e.reason ?? e.message));
    };
    const node = typeof g.process?.on === 'function';
    if (node) {
      g.process!.on!('uncaughtException', onNode);
      g.process!.on!('unhandledRejection', onNode);
    } else {
      g.addEventListener?.('error', onWeb);
      g.addEventListener?.('unhandledrejection', onWeb);
    }
    fn()
      .then(resolve, reject)
      .finally(() => {
        if (node) {
          g.process!.off?.('uncaughtException', onNode);
          g.process!.off?.('unhandledRejection', onNode);
        } else {
          g.removeEventListener?.('error', onWeb);
          g.removeEventListener?.('unhandledrejection', onWeb);
        }
      });
  });
}

/**
 * The API a decode worker exposes (use in the worker entries): results moved back, not copied; a
 * decoder failure (a wasm panic included) rejects the call and the worker lives on.
 */
export const decodeWorkerApi: DecodeWorkerApi = {
  async decode(task) {
    const batches = await panicGuard(() => decodeTask(task));
    return Comlink.transfer(batches, movable(batches));
  },
};

let factory: DecodeWorkerFactory | undefined;
let defaultSize = 0;
let shared: DecodePool | undefined;

/**
 * Registers how this host starts a decode worker and how many to start (0 = in-thread decoding
 * only). Replaces (and stops) a pool started before.
 */
export function setDecodeWorkerFactory(f: DecodeWorkerFactory | undefined, size = f ? defaultPoolSize() : 0, options: DecodePoolOptions = {}): void {
  shared?.close();
  shared = undefined;
  factory = f;
  defaultSize = f ? Math.max(0, Math.min(MAX_DECODE_WORKERS, size)) : 0;
  poolOptions = options;
}

/** Tuning of a {@link DecodePool}. */
export interface DecodePoolOptions {
  /** Files with fewer wanted column-chunk bytes are decoded in-thread (default {@link POOL_MIN_BYTES}; tests use 0). */
  minBytes?: number;
}
let poolOptions: DecodePoolOptions = {};

/** Cores of this machine, capped at {@link MAX_DECODE_WORKERS}. */
export function defaultPoolSize(): number {
  const hc = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, Math.min(MAX_DECODE_WORKERS, hc && hc > 0 ? hc : 2));
}

/** The host's shared pool, started on first use; undefined when the host registered none. */
export function decodePool(): DecodePool | undefined {
  if (!factory || defaultSize <= 0) return undefined;
  shared ??= new DecodePool(factory, defaultSize, poolOptions);
  return shared;
}

/**
 * The reader checkpoint decoding uses by default: the shared pool's when the host has one,
 * else parquet-wasm in-thread.
 */
export function checkpointReader(): ParquetReader {
  const pool = decodePool();
  return pool ? pool.reader : parquetWasmReader;
}

interface Slot {
  handle?: DecodeWorkerHandle;
  busy: boolean;
  /** Rejects the call in flight when the worker fails. */
  fail?: (e: unknown) => void;
}

/** A fixed number of decode workers, started lazily, each decoding one task at a time. */
export class DecodePool {
  private readonly slots: Slot[];
  private readonly queue: { task: DecodeTask; resolve: (v: Uint8Array[]) => void; reject: (e: unknown) => void; timeoutMs: number }[] = [];
  /** Tasks decoded by workers, and tasks that failed there (then decoded in-thread). */
  readonly counts = { tasks: 0, failures: 0 };
  /** The message of the last task that failed on a worker (then decoded in-thread). */
  lastFailure?: string;

  constructor(
    private readonly start: DecodeWorkerFactory,
    readonly size: number,
    private readonly options: DecodePoolOptions = {},
  ) {
    this.slots = Array.from({ length: size }, () => ({ busy: false }));
  }

  /** Decodes `task` on the next free worker. @throws Error when the worker fails or does not answer within `timeoutMs`. */
  run(task: DecodeTask, timeoutMs: number): Promise<Uint8Array[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject, timeoutMs });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || !this.queue.length) continue;
      const job = this.queue.shift()!;
      slot.busy = true;
      if (!slot.handle) {
        const h = this.start();
        slot.handle = h;
        h.onFailure((e) => {
          // Only the worker now in the slot: a replaced one's exit is no news.
          if (slot.handle !== h) return;
          this.drop(slot);
          slot.fail?.(e);
        });
      }
      const handle = slot.handle;
      const api = handle.api;
      handle.setBusy?.(true);
      const pieces = job.task.pieces.map((p) => p.bytes);
      let settled = false;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        handle.setBusy?.(false);
        slot.fail = undefined;
        slot.busy = false;
        this.pump();
      };
      const fail = (e: unknown) => {
        if (settled) return;
        this.counts.failures++;
        this.lastFailure = (e as Error)?.message ?? String(e);
        this.drop(slot);
        settle();
        job.reject(e);
      };
      slot.fail = fail;
      const timer = setTimeout(() => fail(new Error(`decode worker gave no answer in ${Math.round(job.timeoutMs / 1000)} s`)), job.timeoutMs);
      api.decode(Comlink.transfer(job.task, movable(pieces))).then(
        (v) => {
          if (settled) return;
          this.counts.tasks++;
          settle();
          job.resolve(v);
        },
        fail,
      );
    }
  }

  private drop(slot: Slot): void {
    const h = slot.handle;
    slot.handle = undefined;
    try {
      h?.api[Comlink.releaseProxy]();
    } catch {
      /* already gone */
    }
    h?.terminate();
  }

  /** Stops every worker (tasks in flight fail). */
  close(): void {
    for (const s of this.slots) {
      s.fail?.(new Error('decode pool closed'));
      this.drop(s);
    }
  }

  /** The {@link ParquetReader} that decodes through this pool. */
  readonly reader: ParquetReader = {
    read: (source, columns, onBatch, options = {}) => this.read(source, columns, onBatch, options),
  };

  private async read(...[source, columns, onBatch, options = {}]: Parameters<ParquetReader['read']>): Promise<ParquetReadStats> {
    const { signal } = options;
    throwIfAborted(signal);
    const stats: ParquetReadStats = { bytes: 0, requests: 0, neededChunkBytes: 0, footerBytes: 0, extraReads: 0 };
    const count = (n: number) => {
      stats.bytes += n;
      stats.requests++;
    };
    // A file the footer cannot be read from, or a small one: the in-thread reader (and its errors).
    let footer: Awaited<ReturnType<typeof readFooter>>;
    try {
      footer = await readFooter(source, signal, count);
    } catch {
      throwIfAborted(signal);
      return parquetWasmReader.read(source, columns, onBatch, options);
    }
    const wanted = columns(schemaShape(schemaTree(footer.metadata.schema)));
    const whole = columnChunkRanges(footer.metadata, wanted, source.size - footer.footerBytes);
    const groups = footer.metadata.row_groups.length;
    if (whole.neededBytes < (this.options.minBytes ?? POOL_MIN_BYTES) || groups === 0) return parquetWasmReader.read(source, columns, onBatch, options);
    stats.footerBytes = footer.footerBytes;
    stats.neededChunkBytes = whole.neededBytes;

    // Tasks: consecutive row groups, about two per worker so that the last ones finish together.
    const perTask = Math.max(1, Math.ceil(groups / (this.size * 2)));
    // Chunk spans over the whole file (each runs to the next chunk: see columnChunkSpans), then
    // those of each task's row groups, merged where close.
    const spans = columnChunkSpans(footer.metadata, source.size - footer.footerBytes);
    const groupOf: number[] = [];
    footer.metadata.row_groups.forEach((rg, g) => rg.columns.forEach((c) => c.meta_data && groupOf.push(g)));
    const paths = wanted.map((c) => c.split('.'));
    const tasks: { rowGroups: number[]; ranges: Range[] }[] = [];
    for (let g = 0; g < groups; g += perTask) {
      const rowGroups = Array.from({ length: Math.min(perTask, groups - g) }, (_, k) => g + k);
      const raw = spans
        .filter((sp, i) => groupOf[i] >= g && groupOf[i] < g + perTask && paths.some((w) => w.length <= sp.path.length && w.every((x, j) => x === sp.path[j])))
        .sort((a, b) => a.start - b.start);
      const ranges: Range[] = [];
      for (const r of raw) {
        const last = ranges[ranges.length - 1];
        if (last && r.start <= last.end + COALESCE_GAP_BYTES) last.end = Math.max(last.end, r.end);
        else ranges.push({ start: r.start, end: r.end });
      }
      tasks.push({ rowGroups, ranges });
    }
    // The page indexes (column and offset indexes, between the data and the footer), which
    // parquet-wasm reads when the footer points at them: read once, given to every task.
    let indexStart = footer.tailStart;
    for (const rg of footer.metadata.row_groups) {
      for (const c of rg.columns) {
        for (const o of [c.column_index_offset, c.offset_index_offset]) if (o !== undefined && Number(o) > 0 && Number(o) < indexStart) indexStart = Number(o);
      }
    }
    let indexes: Uint8Array | undefined;
    if (indexStart < footer.tailStart) {
      indexes = await source.read(indexStart, footer.tailStart, signal);
      count(indexes.byteLength);
    }
    const batchRows = options.batchRows ?? STREAM_BATCH_ROWS;
    const timeoutMs = 30_000 + (whole.neededBytes / 1_048_576) * 2_000;
    // Reads of the tasks' chunks a few at a time; each task goes to the pool once its bytes are in.
    const results = tasks.map(async (t) => {
      const pieces: Piece[] = [];
      for (const r of t.ranges) {
        const bytes = await source.read(r.start, r.end, signal);
        count(bytes.byteLength);
        // Bytes that are a view into a larger buffer are copied out: a view would carry (clone) its whole buffer.
        pieces.push({ start: r.start, bytes: bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice() });
      }
      // Each worker gets its own copy of the footer tail (the tail is shared by all tasks).
      pieces.push({ start: footer.tailStart, bytes: footer.tail.slice() });
      if (indexes) pieces.push({ start: indexStart, bytes: indexes.slice() });
      throwIfAborted(signal);
      return this.run({ size: source.size, pieces, columns: wanted, rowGroups: t.rowGroups, batchRows }, timeoutMs);
    });
    let handed = 0;
    try {
      for (const r of results) {
        const batches = await r;
        throwIfAborted(signal);
        for (const ipc of batches) onBatch(ipc);
        handed++;
      }
    } catch (e) {
      for (const r of results) r.catch(() => {});
      throwIfAborted(signal);
      // A store error is the answer; a decoding failure in a worker is retried in-thread, where
      // the real decoding error (or the synchronous reader's rescue) comes from.
      if (!(e instanceof Error) || (e as { code?: string }).code !== undefined) throw e;
      // Said once per file on the console: the open goes on, slower.
      console.warn(`checkpoint decode worker failed on ${source.path} (${(e as Error).message}); decoding it in this thread`);
      if (handed > 0) options.onReset?.();
      const again = await parquetWasmReader.read(source, columns, onBatch, options);
      return { ...again, bytes: again.bytes + stats.bytes, requests: again.requests + stats.requests };
    }
    return stats;
  }
}
