/**
 * Browser entry point of the SQL engine: the Vite `?url` imports of the DuckDB-WASM `eh` bundle
 * (wasm module and worker script), kept out of `engine.ts` so Node never sees a `?url` import.
 * Only the URLs are imported here; the 18 MB module is fetched when {@link openBrowserEngine} runs.
 */
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import workerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { createBrowserEngine, type SqlEngine } from './engine.ts';

/**
 * Starts DuckDB-WASM in its own worker, served from this app's bundle (no CDN).
 * @throws DeltaError `QUERY_ERROR` when the worker or the wasm module cannot be loaded.
 */
export function openBrowserEngine(): Promise<SqlEngine> {
  return createBrowserEngine({ wasmUrl, workerUrl });
}
