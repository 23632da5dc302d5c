/**
 * Browser tests against real systems (`e2e-peers/`): MinIO as the S3 server and lakeFS on MinIO,
 * started by `scripts/peers/test-peers.sh` (`npm run test:peers`), which exports where they are
 * (`DX_MINIO_*`, `DX_LAKEFS_*`, see `peers/env.ts`) and the app's port (`DX_APP_PORT`, allowed by
 * MinIO's CORS setting). The built app (`dist/`) is served as in `playwright.config.ts`.
 */
import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

const PORT = Number(process.env.DX_APP_PORT ?? 4339);
const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  ...base,
  testDir: 'e2e-peers',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/peers-artifacts',
  timeout: 180_000,
  use: { ...base.use, baseURL: BASE_URL },
  webServer: {
    command: `npx tsx e2e/static-server.ts --port ${PORT}`,
    url: `${BASE_URL}/`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
