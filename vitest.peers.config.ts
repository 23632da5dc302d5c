/**
 * Vitest config of `npm run test:peers` (unit-level tests against the test peers: Spark, delta-rs,
 * DuckDB, MinIO, lakeFS), run by `scripts/peers/test-peers.sh` after it has started the servers and
 * exported `DX_*` (see `peers/env.ts`). `npm test` never picks these up: its config includes only
 * `src/` and `test/`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['peers/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
