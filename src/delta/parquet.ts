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
