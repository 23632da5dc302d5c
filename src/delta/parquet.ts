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
  const timeoutMs = 30_000 + (bytes.length / 1_048_576) * 2_000;
  const projected = await new Promise<Uint8Array | undefined>((resolve) => {
    let done = false;
    const finish = (v: Uint8Array | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unhook();
      resolve(v);
    };
    const unhook = onWasmPanic(() => finish(undefined));
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    (async () => {
      const file = await pw.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
      const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
      const table = await file.read({ columns: pick(schema) });
      file.free();
      return table.intoIPCStream();
    })().then(finish, () => finish(undefined));
  });
  return projected ?? syncRead();
}
