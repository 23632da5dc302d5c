/**
 * Browser entry point of the SQL engine: the Vite `?url` import of the DuckDB-WASM `eh` wasm module
 * and DuckDB's worker script wrapped with sized HTTP reads (`duckdb-sized.worker.ts`: ranged reads of
 * URLs presigned for GET, no `HEAD`), kept out of `engine.ts` so Node never sees a Vite-only import.
 * Only URLs are resolved here; the 18 MB module is fetched when {@link openBrowserEngine} runs.
 */
import wasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { createBrowserEngine, type SqlEngine } from './engine.ts';
import { listenReadMeter, newMeterId } from './read-meter.ts';

/**
 * Starts DuckDB-WASM in its own worker, served from this app's bundle (no CDN).
 * @throws DeltaError `QUERY_ERROR` when the worker or the wasm module cannot be loaded.
 */
export function openBrowserEngine(): Promise<SqlEngine> {
  // DuckDB's worker tells the bytes it reads on a channel named by this id (`read-meter.ts`).
  const meterId = newMeterId();
  const meter = listenReadMeter(meterId);
  return createBrowserEngine({
    readMeter: meter.bytes,
    wasmUrl,
    // The worker's name carries the retry settings on (`dx-net=`, see retry.ts `policyFromText`).
    createWorker: () => new Worker(new URL('./duckdb-sized.worker.ts', import.meta.url), { type: 'module', name: `duckdb dx-io=${meterId} ${(globalThis as { name?: string }).name ?? ''}` }),
    sizedUrls: true,
  });
}
