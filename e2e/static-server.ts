/**
 * The static server the end-to-end tests run (Playwright's `webServer`): the built app (`dist/`) at
 * `/`, with `index.html` for app routes, and the fixture tables (`test/fixtures/tables/`) at
 * `/fixtures/`, both with correct HTTP Range support (see `src/server/static.ts`). `/fixtures/`
 * answers S3 ListObjectsV2 listings (so `HttpStore` lists there); `/` and `/plain-fixtures/` (the
 * same tables) do not: there the log is found by probing, as on a plain static host.
 *
 *   npx tsx e2e/static-server.ts [--port 4329] [--host 127.0.0.1] [--log]
 *
 * `E2E_APP_DIR` names another build of the app to serve instead of `dist/` (`npm run test:peers`
 * builds into its own folder, so that a concurrent `vite build` cannot swap assets under a test).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startStaticServer } from '../src/server/static.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.E2E_PORT ?? '4329' },
    host: { type: 'string', default: '127.0.0.1' },
    log: { type: 'boolean', default: false },
  },
});

const dist = process.env.E2E_APP_DIR ?? join(root, 'dist');
if (!existsSync(join(dist, 'index.html'))) {
  console.error(`static-server: ${dist}/index.html is missing; run "npx vite build" first.`);
  process.exit(1);
}

const server = await startStaticServer({
  host: values.host,
  port: Number(values.port),
  mounts: [
    { urlPrefix: '/', root: dist, fallback: 'index.html' },
    { urlPrefix: '/fixtures/', root: join(root, 'test/fixtures/tables'), dotfiles: true, listing: true },
    // The same tables on a plain static host: no listing, so the log is found by probing.
    { urlPrefix: '/plain-fixtures/', root: join(root, 'test/fixtures/tables'), dotfiles: true },
  ],
  onRequest: values.log ? (r) => console.log(`${r.status} ${r.method} ${r.url}${r.range ? ` (${r.range})` : ''}`) : undefined,
});
console.log(`static-server: serving ${dist} and the fixtures on ${server.url}`);

const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
