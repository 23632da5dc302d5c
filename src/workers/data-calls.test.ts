/**
 * The worker's data calls (`sql`, `exportQuery`, `changes`) in Node: ExplorerService with the
 * DuckDB-WASM Node engine, over fixture folders given as `File`s (as a dropped folder), and over the
 * Comlink boundary (a MessageChannel) to check that result bytes are transferred, not copied.
 * Expectations are upstream ones (delta-kernel-rs tests), as transcribed in `src/query/*.test.ts`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type SqlEngine } from '../query/engine.ts';
import { columnCells, cellText } from '../query/values.ts';
import type { ExplorerApi, OpenedTable, Result, WorkerProgress } from './api.ts';
import { ExplorerService } from './explorer-service.ts';
import { ExplorerError, wrapExplorer } from '../ui/worker-client.ts';
import { folderFiles as folder } from '../../test/fixtures.ts';

const TABLES = join(import.meta.dirname, '../../test/fixtures/tables');


function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

/** One engine for the file; counts how often the service asked for it. */
let engine: Promise<SqlEngine> | undefined;
let engineStarts = 0;
const engineFactory = () => {
  engineStarts++;
  engine ??= createNodeEngine();
  return engine;
};
afterAll(async () => (await engine)?.close());

async function open(svc: ExplorerService, table: string): Promise<OpenedTable> {
  const r = ok(await svc.openFiles(folder(join(TABLES, table)), table));
  expect(r.kind).toBe('table');
  return r as OpenedTable;
}

/** Rows of an IPC stream as text cells (as the UI shows them). */
function textRows(ipc: Uint8Array): string[][] {
  const t = arrow.tableFromIPC(ipc);
  const cols = t.schema.fields.map((_f, k) => columnCells(t.getChildAt(k)!));
  return Array.from({ length: t.numRows }, (_v, r) => cols.map((c) => cellText(c[r])));
}

describe('ExplorerService data calls', () => {
  it('sql: deletion vector applied (table-with-dv-small: values 1..8, delta-kernel-rs dv.rs), engine started once with progress', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'table-with-dv-small-kernel');
    const before = engineStarts;
    const progress: WorkerProgress[] = [];
    const r = ok(await svc.sql(t.tableId, 'SELECT * FROM t ORDER BY 1', {}, (p) => progress.push(p)));
    expect(r.columns).toEqual([{ name: 'value', type: 'INTEGER' }]);
    expect(r.numRows).toBe(8);
    expect(r.truncated).toBe(false);
    expect(r.version).toBe(1);
    expect(textRows(r.ipc)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((v) => [String(v)]));
    expect(r.plans).toMatchObject({ filesRead: 1, totalFiles: 1 });
    expect(r.engineStartMs).toBeGreaterThanOrEqual(0);
    expect(progress.map((p) => p.phase)).toContain('engine');
    expect(progress.at(-1)?.phase).toBe('query');
    // A second call reuses the engine and the session.
    const r2 = ok(await svc.sql(t.tableId, 'SELECT count(*) AS n FROM t'));
    expect(textRows(r2.ipc)).toEqual([['8']]);
    expect(r2.engineStartMs).toBeUndefined();
    expect(engineStarts - before).toBe(1);
  });

  it('sql: maxRows truncates what is sent, not what is counted; versions are sessions of their own', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'table-with-dv-small-kernel');
    const r = ok(await svc.sql(t.tableId, 'SELECT * FROM t ORDER BY 1', { maxRows: 3 }));
    expect(r.numRows).toBe(8);
    expect(r.truncated).toBe(true);
    expect(textRows(r.ipc)).toEqual([['1'], ['2'], ['3']]);
    // Version 0 has no deletion vector yet: all 10 rows (0..9).
    const v0 = ok(await svc.sql(t.tableId, 'SELECT count(*) AS n FROM t', { version: 0 }));
    expect(v0.version).toBe(0);
    expect(textRows(v0.ipc)).toEqual([['10']]);
  });

  it('sql: partition pruning is reported (basic_partitioned, delta-kernel-rs read/mod.rs data)', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'basic_partitioned');
    const r = ok(await svc.sql(t.tableId, "SELECT letter, number, a_float FROM t WHERE letter = 'a' ORDER BY number"));
    expect(textRows(r.ipc)).toEqual([
      ['a', '1', '1.1'],
      ['a', '4', '4.4'],
    ]);
    expect(r.plans.prunedByPartition).toBeGreaterThan(0);
    expect(r.plans.filesRead).toBeLessThan(r.plans.totalFiles);
  });

  it('sql: "t$history" has one row per commit file; table_changes(0, 3) the 23 rows of kernel cdf.rs basic_cdf', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'cdf-table-kernel');
    const commits = readdirSync(join(TABLES, 'cdf-table-kernel/_delta_log')).filter((n) => /^\d{20}\.json$/.test(n)).length;
    const h = ok(await svc.sql(t.tableId, 'SELECT count(*) AS n FROM "t$history"'));
    expect(textRows(h.ipc)).toEqual([[String(commits)]]);
    const c = ok(await svc.sql(t.tableId, 'SELECT * FROM table_changes(0, 3)'));
    expect(c.numRows).toBe(23);
    expect(c.columns.slice(-3)).toEqual([
      { name: '_change_type', type: 'VARCHAR' },
      { name: '_commit_version', type: 'BIGINT' },
      { name: '_commit_timestamp', type: 'TIMESTAMPTZ' },
    ]);
    expect(c.plans.filesRead).toBeGreaterThan(0);
  });

  it('changes: per-version summary and rows', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'cdf-table-kernel');
    const r = ok(await svc.changes(t.tableId, { from: 0, to: 3 }, { maxRows: 5 }));
    expect([r.startVersion, r.endVersion]).toEqual([0, 3]);
    expect(r.numRows).toBe(23);
    expect(r.truncated).toBe(true);
    expect(arrow.tableFromIPC(r.ipc).numRows).toBe(5);
    // basic_cdf: v0 10 inserts, v1 3 updates, v2 3 updates, v3 1 delete.
    expect(r.summary.map((s) => [s.version, s.rows])).toEqual([
      [0, { insert: 10, update_preimage: 0, update_postimage: 0, delete: 0 }],
      [1, { insert: 0, update_preimage: 3, update_postimage: 3, delete: 0 }],
      [2, { insert: 0, update_preimage: 3, update_postimage: 3, delete: 0 }],
      [3, { insert: 0, update_preimage: 0, update_postimage: 0, delete: 1 }],
    ]);
    const bad = await svc.changes(t.tableId, { from: 3, to: 1 });
    expect(bad.ok ? null : bad.error.code).toBe('INVALID_ARGUMENT');
  });

  it('exportQuery: CSV, JSON Lines and Parquet bytes with a file name', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'table-with-dv-small-kernel');
    const csv = ok(await svc.exportQuery(t.tableId, 'SELECT * FROM t ORDER BY 1', 'csv'));
    expect(new TextDecoder().decode(csv.bytes)).toBe('value\n1\n2\n3\n4\n5\n6\n7\n8\n');
    expect(csv).toMatchObject({ mime: 'text/csv', fileName: 'table-with-dv-small-kernel_v1.csv', numRows: 8 });
    const jsonl = ok(await svc.exportQuery(t.tableId, 'SELECT * FROM t ORDER BY 1 LIMIT 2', 'jsonl'));
    expect(new TextDecoder().decode(jsonl.bytes)).toBe('{"value":1}\n{"value":2}\n');
    const pq = ok(await svc.exportQuery(t.tableId, 'SELECT * FROM t', 'parquet', { version: 0 }));
    expect(new TextDecoder().decode(pq.bytes.slice(0, 4))).toBe('PAR1');
    expect(pq.fileName).toBe('table-with-dv-small-kernel_v0.parquet');
    const bad = await svc.exportQuery(t.tableId, 'SELECT 1', 'xlsx' as 'csv');
    expect(bad.ok ? null : bad.error.code).toBe('INVALID_ARGUMENT');
  });

  it('errors: QUERY_ERROR in place (and the next query works), empty query, unknown table, no engine', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'table-with-dv-small-kernel');
    const bad = await svc.sql(t.tableId, 'SELECT nope FROM t');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('QUERY_ERROR');
      expect(bad.error.message).toMatch(/nope/);
    }
    expect(textRows(ok(await svc.sql(t.tableId, 'SELECT count(*) FROM t')).ipc)).toEqual([['8']]);
    const empty = await svc.sql(t.tableId, '  ');
    expect(empty.ok ? null : empty.error.code).toBe('INVALID_ARGUMENT');
    const unknown = await svc.sql('t999', 'SELECT 1');
    expect(unknown.ok ? null : unknown.error.code).toBe('INVALID_ARGUMENT');
    const none = new ExplorerService();
    const t2 = await open(none, 'table-with-dv-small-kernel');
    const noEngine = await none.sql(t2.tableId, 'SELECT 1');
    expect(noEngine.ok ? null : noEngine.error.code).toBe('QUERY_ERROR');
  });

  it('refuses data calls on a table with an unsupported reader feature, before starting the engine', async () => {
    let asked = 0;
    const svc = new ExplorerService({
      engine: () => {
        asked++;
        return engineFactory();
      },
    });
    const t = await open(svc, 'simple_table_features');
    for (const r of [await svc.sql(t.tableId, 'SELECT * FROM t'), await svc.exportQuery(t.tableId, 'SELECT 1', 'csv'), await svc.changes(t.tableId, { from: 0 })]) {
      expect(r.ok ? null : r.error.code).toBe('UNSUPPORTED_READER_FEATURE');
    }
    expect(asked).toBe(0);
  });

  it('cancels a call waiting for the engine; a failed engine start is retried by the next call', async () => {
    let release!: (e: SqlEngine) => void;
    let fail = true;
    const svc = new ExplorerService({
      engine: () => {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('wasm failed to load'));
        }
        return new Promise<SqlEngine>((resolve) => (release = resolve));
      },
    });
    const t = await open(svc, 'table-with-dv-small-kernel');
    const first = await svc.sql(t.tableId, 'SELECT 1');
    expect(first.ok ? null : first.error).toMatchObject({ code: 'QUERY_ERROR', message: expect.stringContaining('wasm failed to load') });
    const pending = svc.sql(t.tableId, 'SELECT 1', {}, undefined, 'q1');
    await new Promise((r) => setTimeout(r, 20));
    await svc.cancel('q1');
    const cancelled = await pending;
    expect(cancelled.ok ? null : cancelled.error.code).toBe('CANCELLED');
    release(await engineFactory());
    expect(textRows(ok(await svc.sql(t.tableId, 'SELECT 42 AS x')).ipc)).toEqual([['42']]);
  });

  it('closing a table closes its sessions (their DuckDB schemas are dropped)', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'table-with-dv-small-kernel');
    ok(await svc.sql(t.tableId, 'SELECT 1 FROM t'));
    const e = await engineFactory();
    const schemas = async () => (await e.query("SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'dx_s%'")).numRows;
    const n = await schemas();
    await svc.close(t.tableId);
    await new Promise((r) => setTimeout(r, 50));
    expect(await schemas()).toBe(n - 1);
  });
});

describe('data calls over Comlink', () => {
  it('transfers the IPC and export bytes (the worker side is detached)', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const sent: ArrayBuffer[] = [];
    svc.transfer = (value, buffers) => {
      sent.push(...(buffers as ArrayBuffer[]));
      return Comlink.transfer(value, buffers);
    };
    const channel = new MessageChannel();
    Comlink.expose(svc, channel.port1 as unknown as Comlink.Endpoint);
    const remote = Comlink.wrap<ExplorerApi>(channel.port2 as unknown as Comlink.Endpoint);
    try {
      const t = (await remote.openFiles(folder(join(TABLES, 'table-with-dv-small-kernel')), 'x')) as Result<OpenedTable>;
      const tableId = ok(t).tableId;
      const r = ok(await remote.sql(tableId, 'SELECT * FROM t ORDER BY 1'));
      expect(textRows(r.ipc)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((v) => [String(v)]));
      expect(sent).toHaveLength(1);
      expect(sent[0].byteLength).toBe(0); // detached: moved, not copied
      const csv = ok(await remote.exportQuery(tableId, 'SELECT * FROM t ORDER BY 1', 'csv'));
      expect(new TextDecoder().decode(csv.bytes)).toContain('value\n1\n');
      expect(sent[1].byteLength).toBe(0);

      // The UI client unwraps results and throws structured errors.
      const client = wrapExplorer(remote, new Promise<never>(() => {}), () => {});
      const c = await client.sql(tableId, 'SELECT count(*) AS n FROM t', { maxRows: 10 });
      expect(textRows(c.ipc)).toEqual([['8']]);
      const err = await client.sql(tableId, 'SELEC 1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExplorerError);
      expect((err as ExplorerError).code).toBe('QUERY_ERROR');
      // This table never enabled the Change Data Feed.
      const ch = await client.changes(tableId, { from: 0 }).catch((e: unknown) => e);
      expect((ch as ExplorerError).code).toBe('CDF_NOT_ENABLED');
    } finally {
      remote[Comlink.releaseProxy]();
      channel.port1.close();
      channel.port2.close();
    }
  });
});
