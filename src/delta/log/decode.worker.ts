/**
 * Browser entry of a checkpoint decode worker (see `decode-pool.ts`): parquet-wasm from the URL
 * Vite gives the bundled `.wasm`, {@link decodeWorkerApi} exposed over Comlink.
 */
import * as Comlink from 'comlink';
import wasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { setParquetWasmUrl } from '../parquet.ts';
import { decodeWorkerApi } from './decode-pool.ts';

setParquetWasmUrl(wasmUrl);
Comlink.expose(decodeWorkerApi);
