/**
 * The explorer Web Worker: exposes one {@link ExplorerService} over Comlink (see `api.ts` for the
 * interface, errors, progress and cancellation). Started by `src/ui/worker-client.ts`.
 */
import * as Comlink from 'comlink';
import wasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { setParquetWasmUrl } from '../delta/parquet.ts';
import { startBrowserDecodePool } from '../delta/log/decode-pool-browser.ts';
import { policyFromText, setRetryPolicy } from '../delta/storage/retry.ts';
import { openBrowserEngine } from '../query/engine-browser.ts';
import type { ExplorerApi } from './api.ts';
import { ExplorerService } from './explorer-service.ts';

// Retry settings of remote reads: defaults, or the page's `dx-net=` override passed in this worker's name.
setRetryPolicy(policyFromText((globalThis as { name?: string }).name));

// parquet-wasm is loaded on the first checkpoint read, from the URL Vite gives the bundled .wasm.
setParquetWasmUrl(wasmUrl);
// Checkpoint parts and sidecars are decoded by a pool of workers, one per core (capped).
startBrowserDecodePool();

// DuckDB-WASM (its 18 MB module and its own worker) is started on the first data call, not here.
const service = new ExplorerService({ engine: openBrowserEngine });
// onProgress arrives as a Comlink proxy (a MessagePort underneath): close it when its call settles.
service.releaseProxy = (cb) => (cb as unknown as Comlink.Remote<unknown>)[Comlink.releaseProxy]();
// Result bytes (Arrow IPC, exported files) are moved to the UI thread, not copied.
service.transfer = (value, buffers) => Comlink.transfer(value, buffers);

Comlink.expose(service satisfies ExplorerApi);
