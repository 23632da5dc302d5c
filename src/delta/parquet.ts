/**
 * The one place that loads parquet-wasm (Arrow-native Parquet decoding in WebAssembly).
 *
 * In Node the package's `node` build initialises itself. In the browser the host (the worker) must
 * first give the URL of the `.wasm` file with {@link setParquetWasmUrl}; Vite provides it through a
 * `?url` import.
 */
import type * as ParquetWasm from 'parquet-wasm';

let wasmUrl: string | URL | undefined;
let loading: Promise<typeof ParquetWasm> | undefined;

/** Sets the URL of `parquet_wasm_bg.wasm` (browser only). Call before the first read. */
export function setParquetWasmUrl(url: string | URL): void {
  wasmUrl = url;
}

/** The initialised parquet-wasm module (loaded once). */
export function parquetWasm(): Promise<typeof ParquetWasm> {
  loading ??= (async () => {
    const m = (await import('parquet-wasm')) as typeof ParquetWasm & { default?: unknown };
    if (typeof m.default === 'function' && wasmUrl !== undefined) {
      await (m.default as (o: { module_or_path: string | URL }) => Promise<unknown>)({ module_or_path: wasmUrl });
    }
    return m;
  })();
  return loading;
}

/** Files up to this size (bytes) are decoded whole with the synchronous reader (see {@link readParquetTable}). */
export const SYNC_DECODE_LIMIT_BYTES = 4 * 1024 * 1024;

/**
 * Calls `onPanic` when parquet-wasm traps (a Rust panic surfaces as an uncaught `RuntimeError:
 * unreachable` from inside its async reader, and that reader's promise then never settles).
 * Returns the function that removes the hook. In a worker the event is swallowed (`preventDefault`)
 * so the worker lives on.
 */
function onWasmPanic(onPanic: (e: unknown) => void): () => void {
  const isPanic = (e: unknown) => e instanceof Error && e.name === 'RuntimeError';
  const g = globalThis as unknown as {
    process?: { prependListener?: (ev: string, h: (e: unknown) => void) => void; removeListener?: (ev: string, h: (e: unknown) => void) => void };
    addEventListener?: (ev: string, h: (e: ErrorEvent) => void) => void;
    removeEventListener?: (ev: string, h: (e: ErrorEvent) => void) => void;
  };
  if (typeof g.addEventListener === 'function' && typeof g.process?.prependListener !== 'function') {
    const h = (ev: ErrorEvent) => {
      if (isPanic(ev.error) || /unreachable/.test(ev.message ?? '')) {
        ev.preventDefault();
        onPanic(ev.error ?? new Error(ev.message));
      }
    };
    g.addEventListener('error', h);
    return () => g.removeEventListener?.('error', h);
  }
  const h = (e: unknown) => {
    if (isPanic(e)) onPanic(e);
  };
  g.process?.prependListener?.('uncaughtException', h);
  return () => g.process?.removeListener?.('uncaughtException', h);
}

/**
 * Runs a read with parquet-wasm's async reader, guarded against its two ways of never answering:
 * a wasm panic (a Rust panic surfaces as an uncaught `RuntimeError`, and the reader's promise never
 * settles) and a stall past a size-scaled timeout (30 s + 2 s per MiB of `sizeBytes`).
 * `stopped()` tells `run` that the guard gave up (stop handing on batches).
 * @returns true when `run` finished, false after a panic, a stall or an error thrown by `run`.
 */
export function guardedWasmRead(sizeBytes: number, run: (stopped: () => boolean) => Promise<void>): Promise<boolean> {
  const timeoutMs = 30_000 + (sizeBytes / 1_048_576) * 2_000;
  return new Promise<boolean>((resolve) => {
    let done = false;
    const finish = (v: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unhook();
      resolve(v);
    };
    const unhook = onWasmPanic(() => finish(false));
    const timer = setTimeout(() => finish(false), timeoutMs);
    run(() => done).then(
      () => finish(true),
      () => finish(false),
    );
  });
}

/**
 * Decodes a parquet file into Arrow IPC bytes, projected to `columns(schemaFieldNames)` where that
 * is cheap, and never hangs on a damaged file:
 * - files up to {@link SYNC_DECODE_LIMIT_BYTES} use the synchronous reader (all columns; errors are
 *   ordinary exceptions);
 * - larger files use the projected async reader, guarded: a wasm panic or no answer within a
 *   size-scaled timeout falls back to the synchronous reader, which either decodes the file or
 *   throws the real decoding error.
 * A file without the `PAR1` magic at both ends is refused at once.
 *
 * @param pick given the parquet schema (Arrow), returns the dotted column paths to read.
 * @throws Error (plain) describing the decoding failure; callers wrap it with the file and version.
 */
export async function readParquetTable(
  bytes: Uint8Array,
  pick: (schema: import('apache-arrow').Schema) => string[],
): Promise<Uint8Array> {
  const magic = (at: number) => bytes[at] === 0x50 && bytes[at + 1] === 0x41 && bytes[at + 2] === 0x52 && bytes[at + 3] === 0x31;
  if (bytes.length < 12 || !magic(0) || !magic(bytes.length - 4)) {
    throw new Error(`not a parquet file (no PAR1 magic at ${bytes.length < 12 || !magic(0) ? 'the start' : 'the end'}; the file may be truncated)`);
  }
  const pw = await parquetWasm();
  const { tableFromIPC } = await import('apache-arrow');
  const syncRead = () => pw.readParquet(bytes).intoIPCStream();
  if (bytes.length <= SYNC_DECODE_LIMIT_BYTES) return syncRead();
  let projected: Uint8Array | undefined;
  const ok = await guardedWasmRead(bytes.length, async () => {
    const file = await pw.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
    const table = await file.read({ columns: pick(schema) });
    file.free();
    projected = table.intoIPCStream();
  });
  if (!ok) projected = undefined;
  return projected ?? syncRead();
}

/**
 * Hands each record batch of a parquet-wasm stream to `onBatch` as Arrow IPC bytes, until the
 * stream ends or `stop()` says so (then the batch in hand is freed and the stream cancelled).
 */
export async function drainBatches(stream: ReadableStream, stop: () => boolean, onBatch: (ipc: Uint8Array) => void): Promise<void> {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const batch = value as { intoIPCStream(): Uint8Array; free(): void };
    if (stop()) {
      batch.free();
      await reader.cancel().catch(() => {});
      return;
    }
    onBatch(batch.intoIPCStream());
  }
}

/** Rows per record batch when streaming a parquet file (see {@link readParquetBatches}). */
export const STREAM_BATCH_ROWS = 16_384;

/**
 * Decodes a parquet file as a stream of record batches of {@link STREAM_BATCH_ROWS} rows,
 * projected to `pick(schema)`, handing each to `onTable` as Arrow IPC bytes: only a few batches'
 * decoded data, not the whole file's, sits in WebAssembly memory (which never shrinks) and in JS.
 * (Reading a whole file or row group at once took ~30x its compressed size in wasm memory.) `source` may be a `Blob` read
 * lazily (a local `File`, Node's `fs.openAsBlob`), so the file itself is never held whole either.
 *
 * Same safety as {@link readParquetTable}: PAR1 magic checked first; files up to
 * {@link SYNC_DECODE_LIMIT_BYTES} decoded whole with the synchronous reader; a wasm panic or a
 * stall (size-scaled timeout) falls back to the synchronous reader on the whole file, after
 * `onReset` tells the consumer to drop the row groups it already got. An aborted `signal` stops
 * between row groups (and throws).
 *
 * @throws Error (plain) describing the decoding failure; callers wrap it with the file and version.
 */
export async function readParquetBatches(
  source: Uint8Array | Blob,
  pick: (schema: import('apache-arrow').Schema) => string[],
  onTable: (ipc: Uint8Array) => void,
  onReset: () => void,
  signal?: AbortSignal,
): Promise<void> {
  const size = source instanceof Blob ? source.size : source.length;
  const bytesOf = async (from: number, to: number): Promise<Uint8Array> =>
    source instanceof Blob ? new Uint8Array(await source.slice(from, to).arrayBuffer()) : source.subarray(from, to);
  const head = await bytesOf(0, Math.min(4, size));
  const tail = await bytesOf(Math.max(0, size - 4), size);
  const magic = (b: Uint8Array) => b.length === 4 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;
  if (size < 12 || !magic(head) || !magic(tail)) {
    throw new Error(`not a parquet file (no PAR1 magic at ${size < 12 || !magic(head) ? 'the start' : 'the end'}; the file may be truncated)`);
  }
  const pw = await parquetWasm();
  const whole = async () => (source instanceof Blob ? new Uint8Array(await source.arrayBuffer()) : source);
  const syncRead = async () => pw.readParquet(await whole()).intoIPCStream();
  if (size <= SYNC_DECODE_LIMIT_BYTES) {
    onTable(await syncRead());
    return;
  }
  const { tableFromIPC } = await import('apache-arrow');
  const ok = await guardedWasmRead(size, async (stopped) => {
    const blob = source instanceof Blob ? source : new Blob([source as Uint8Array<ArrayBuffer>]);
    const file = await pw.ParquetFile.fromFile(blob);
    try {
      const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
      const stream = await file.stream({ columns: pick(schema), batchSize: STREAM_BATCH_ROWS });
      await drainBatches(stream, () => stopped() || !!signal?.aborted, onTable);
    } finally {
      file.free();
    }
  });
  if (signal?.aborted) throw new Error('cancelled');
  if (ok) return;
  onReset();
  onTable(await syncRead());
}
