#!/usr/bin/env node
// Launcher of the `delta-explorer` CLI: runs src/cli/main.ts through tsx's ESM loader, so a checkout
// works after `npm ci` with no build step. Exit status and output are decided by main().
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// Use the project's tsconfig whatever the current folder is (tsx would otherwise look in the cwd).
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
