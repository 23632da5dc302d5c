import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * The Content Security Policy of the built app: only the app's own scripts run (no inline or
 * foreign scripts; `'wasm-unsafe-eval'` lets parquet-wasm and DuckDB-WASM compile), tables may be
 * fetched from any http(s) origin the user opens, nothing may be framed or posted. Injected as a
 * `<meta>` at build time only (the dev server needs inline scripts for hot reload).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' http: https: blob: data:",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'delta-explorer-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

/**
 * The AWS SDK's XML parser has a browser variant built on `DOMParser`, which Web Workers lack (the
 * S3 client runs in the explorer worker). Its portable variant is plain JavaScript: use it everywhere.
 */
function awsXmlParserForWorkers(): Plugin {
  return {
    name: 'delta-explorer-aws-xml-parser',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (importer && /[\\/]@aws-sdk[\\/]xml-builder[\\/]/.test(importer) && /^\.\/xml-parser(\.browser)?(\.js)?$/.test(source)) {
        return fileURLToPath(new URL('./node_modules/@aws-sdk/xml-builder/dist-es/xml-parser.js', import.meta.url));
      }
      return null;
    },
  };
}

/**
 * `@duckdb/duckdb-wasm` declares `"sideEffects": false`, so the bundler would drop the side-effect
 * import of its worker script from `duckdb-sized.worker.ts`; the script is all side effects.
 */
function duckdbWorkerHasSideEffects(): Plugin {
  return {
    name: 'delta-explorer-duckdb-worker-side-effects',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith('duckdb-browser-eh.worker.js') || source.includes('?')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved ? { ...resolved, moduleSideEffects: true } : null;
    },
  };
}

// One config for the app build (Vite) and the unit tests (Vitest).
export default defineConfig({
  plugins: [react(), contentSecurityPolicy(), awsXmlParserForWorkers()],
  worker: { format: 'es', plugins: () => [awsXmlParserForWorkers(), duckdbWorkerHasSideEffects()] },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
