/**
 * Runs the table generator (`peers/gen/generate.py`) with the peers' Python venv and returns the
 * folder of generated tables (`$DX_PEERS_CACHE/tables/<hash of the generator sources>/`; reused
 * when complete).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/** The venv's python, from `DX_PEERS_VENV`. @throws Error naming the variable when unset or missing. */
export function peersPython(): string {
  const venv = process.env.DX_PEERS_VENV;
  const python = venv ? join(venv, 'bin', 'python') : '';
  if (!venv || !existsSync(python)) {
    throw new Error(`DX_PEERS_VENV ${venv ? `(${venv}) has no bin/python` : 'is not set'}: run npm run peers:install, then npm run test:peers.`);
  }
  return python;
}

/** The committed copy of the generated tables (see its NOTICE). */
export const COMMITTED_TABLES = join(import.meta.dirname, '..', 'test', 'fixtures', 'tables-generated', 'peers');

/**
 * Generates (or reuses) the conformance tables; resolves to their folder. With
 * `DX_PEERS_TABLES=committed` the committed copy is used instead (no Spark run: for a quick
 * peers run when the generator has not changed).
 */
export async function generatedTables(): Promise<string> {
  if (process.env.DX_PEERS_TABLES === 'committed') return COMMITTED_TABLES;
  const script = join(import.meta.dirname, 'gen', 'generate.py');
  const { stdout } = await promisify(execFile)(peersPython(), [script], {
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 20 * 60_000,
  });
  const lines = stdout.trim().split('\n');
  return lines[lines.length - 1];
}
