#!/usr/bin/env node
// Runs a TypeScript file through tsx's ESM loader: `node bin/run-ts.mjs <file.ts> [args...]`.
// The script sees itself as process.argv[1] and its own arguments from process.argv[2] on.
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bin/run-ts.mjs <file.ts> [args...]\n');
  process.exit(2);
}
const abs = resolve(file);
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
process.argv = [process.argv[0], abs, ...args];
await import(pathToFileURL(abs).href);
