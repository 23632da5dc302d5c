/**
 * DuckDB-WASM's browser worker with sized HTTP reads (see `sized-http.ts`): installs the
 * `XMLHttpRequest` subclass first, then evaluates DuckDB's own worker script, bundled here.
 */
import './sized-http-install.ts';
import '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js';
