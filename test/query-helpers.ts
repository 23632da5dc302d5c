/**
 * Helpers for the data-plane tests (src/query/*.test.ts): one real DuckDB-WASM engine per test
 * file, sessions over fixture tables, a byte-counting store wrapper, and row printing in the
 * arrow-rs style delta-kernel-rs tests assert.
 */
import type * as arrow from 'apache-arrow';
import { NodeFsStore } from '../src/delta/storage/node-fs.ts';
import type { ObjectStore } from '../src/delta/storage/object-store.ts';
import { DeltaTable } from '../src/delta/table.ts';
import { createNodeEngine, type SqlEngine } from '../src/query/engine.ts';
import { QuerySession, type QuerySessionOptions } from '../src/query/session.ts';
import { prettyTable } from '../src/query/values.ts';
import { fixture } from './fixtures.ts';

let enginePromise: Promise<SqlEngine> | undefined;

/** The test file's engine (created once). */
export function testEngine(): Promise<SqlEngine> {
  enginePromise ??= createNodeEngine();
  return enginePromise;
}

/** A store that counts the bytes `get`/`getRange` return for paths outside `_delta_log/`. */
export class CountingStore implements ObjectStore {
  dataBytes = 0;
  dataGets: string[] = [];
  constructor(readonly inner: ObjectStore) {}
  get description() {
    return this.inner.description;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  list(prefix: string, options?: Parameters<ObjectStore['list']>[1]) {
    return this.inner.list(prefix, options);
  }
  async get(path: string, signal?: AbortSignal) {
    const b = await this.inner.get(path, signal);
    if (!path.startsWith('_delta_log/')) {
      this.dataBytes += b.byteLength;
      this.dataGets.push(path);
    }
    return b;
  }
  async getRange(path: string, range: { start: number; end: number }, signal?: AbortSignal) {
    const b = await this.inner.getRange(path, range, signal);
    if (!path.startsWith('_delta_log/')) this.dataBytes += b.byteLength;
    return b;
  }
  head(path: string, signal?: AbortSignal) {
    return this.inner.head(path, signal);
  }
  reset() {
    this.dataBytes = 0;
    this.dataGets = [];
  }
}

/** Opens a session over a fixture table (or any folder). */
export async function openSession(nameOrDir: string, options: Partial<QuerySessionOptions> & { store?: ObjectStore } = {}): Promise<QuerySession> {
  const dir = nameOrDir.startsWith('/') ? nameOrDir : fixture(nameOrDir);
  const store = options.store ?? new NodeFsStore(dir);
  return QuerySession.open(new DeltaTable(store), { engine: await testEngine(), ...options });
}

/** arrow-rs style lines, data rows sorted (as `assert_batches_sorted_eq!`). */
export function sortedPretty(table: arrow.Table): string[] {
  return prettyTable(table, { sort: true });
}

/** Normalizes an expectation copied from kernel tests: sorts data rows between the header and the last border. */
export function sortExpected(lines: string[]): string[] {
  if (lines.length <= 4) return lines;
  const head = lines.slice(0, 3);
  const body = lines.slice(3, -1).sort();
  return [...head, ...body, lines[lines.length - 1]];
}

/** Rows as plain JS objects via `toJSON` (BigInts kept). */
export function rows(table: arrow.Table): Record<string, unknown>[] {
  return table.toArray().map((r) => r.toJSON() as Record<string, unknown>);
}
