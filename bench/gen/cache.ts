/**
 * Generated tables live in `bench/generated/<name>-<hash>/`, where the hash covers the generator's
 * parameters and version: a second run reuses them, a change to the parameters makes new ones.
 * A `.complete` marker is written last, so an interrupted generation is redone.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const GENERATED_DIR = join(BENCH_DIR, 'generated');
export const OUT_DIR = join(BENCH_DIR, 'out');

/** Bump when a generator's output changes for the same parameters. */
export const GENERATOR_VERSION = 3;

/** Short content hash of a parameter object. */
export function paramHash(params: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, params }))
    .digest('hex')
    .slice(0, 12);
}

/**
 * Returns the folder of a generated table, generating it with `build(dir)` when it is missing or
 * incomplete. Older generations of the same name are removed.
 */
export async function cached(name: string, params: unknown, build: (dir: string) => Promise<void>, log: (m: string) => void): Promise<{ dir: string; generated: boolean; ms: number }> {
  const dir = join(GENERATED_DIR, `${name}-${paramHash(params)}`);
  if (existsSync(join(dir, '.complete'))) return { dir, generated: false, ms: 0 };
  mkdirSync(GENERATED_DIR, { recursive: true });
  for (const old of readdirSync(GENERATED_DIR)) {
    if (old.startsWith(`${name}-`) && old !== `${name}-${paramHash(params)}`) rmSync(join(GENERATED_DIR, old), { recursive: true, force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`generating ${name} …`);
  const t = performance.now();
  await build(dir);
  writeFileSync(join(dir, '.complete'), JSON.stringify(params));
  const ms = performance.now() - t;
  log(`generated ${name} in ${(ms / 1000).toFixed(1)} s`);
  return { dir, generated: true, ms };
}
