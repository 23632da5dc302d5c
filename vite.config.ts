import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the app build (Vite) and the unit tests (Vitest).
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
