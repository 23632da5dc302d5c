/**
 * The worker calls behind the row diff and the grid's lists (`rowDiff`, `filesTable`,
 * `historyTable`, `changes` with `hold`), in Node: ExplorerService with the DuckDB-WASM Node engine
 * over fixture folders given as `File`s. Expected values come from delta-kernel-rs's transcribed
 * change feed and the tables' own commit files.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type SqlEngine } from '../query/engine.ts';
import type { OpenedTable, Result } from './api.ts';
import { ExplorerService } from './explorer-service.ts';
import { folderFiles as folder } from '../../test/fixtures.ts';
import { CDC_AND_DVS } from '../../test/expected/kernel-cdf.ts';
import { expectedDiff, parseFeed } from '../../test/row-diff-expected.ts';

const TABLES = join(import.meta.dirname, '../../test/fixtures/tables');
let engine: Promise<SqlEngine> | undefined;
const engineFactory = () => (engine ??= createNodeEngine());
afterAll(async () => (await engine)?.close());

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

async function open(svc: ExplorerService, table: string): Promise<OpenedTable> {
  return ok(await svc.openFiles(folder(join(TABLES, table)), table)) as OpenedTable;
}

describe('list and diff calls', () => {
  it('rowDiff: counts as the kernel feed says, the whole diff held; two tables; bad input refused', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'cdf-table-with-cdc-and-dvs-kernel');
    const exp = expectedDiff(parseFeed(CDC_AND_DVS), 9, 22);
    const r = ok(await svc.rowDiff({ a: { tableId: t.tableId, version: 9 }, b: { tableId: t.tableId, version: 22 }, key: ['id'], hold: true }));
    expect(r.counts).toMatchObject({ added: exp.added.length, removed: exp.removed.length, changed: exp.changed.length });
    expect(r.numRows).toBe(exp.added.length + exp.removed.length + 2 * exp.changed.length);
    expect(r.columns.slice(0, 3).map((c) => c.name)).toEqual(['_diff', '_side', '_changed_columns']);
    const page = ok(await svc.resultPage(r.resultId!, { offset: 0, limit: 100, filters: [{ column: 0, text: '=added' }] }));
    expect(page.numRows).toBe(exp.added.length);
    // The same table opened twice stands for two lakeFS refs: same counts, no feed check.
    const t2 = await open(svc, 'cdf-table-with-cdc-and-dvs-kernel');
    const r2 = ok(await svc.rowDiff({ a: { tableId: t.tableId, version: 9 }, b: { tableId: t2.tableId, version: 22 }, key: ['id'] }));
    expect(r2.counts).toEqual(r.counts);
    expect(r2.checks.join(' ')).not.toContain('Change Data Feed');
    for (const bad of [{ key: 'id' }, { key: [''] }, { a: { tableId: t.tableId, version: -1 } }, { a: { tableId: t.tableId, version: 1.5 } }]) {
      const res = await svc.rowDiff({ a: { tableId: t.tableId, version: 9 }, b: { tableId: t.tableId, version: 22 }, ...(bad as object) });
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error.code).toBe('INVALID_ARGUMENT');
    }
  });

  it('historyTable: one row per commit file, newest first; filesTable and changes(hold) page through the worker', async () => {
    const svc = new ExplorerService({ engine: engineFactory });
    const t = await open(svc, 'checkpoints');
    const commits = readdirSync(join(TABLES, 'checkpoints/_delta_log')).filter((n) => /^\d{20}\.json$/.test(n)).length;
    const h = ok(await svc.historyTable(t.tableId));
    expect(h.numRows).toBe(commits);
    expect(h.columns.map((c) => c.name).slice(0, 4)).toEqual(['version', 'timestamp', 'timestampSource', 'commitInfo.timestamp']);
    const sorted = ok(await svc.resultPage(h.resultId, { offset: 0, limit: 3, sort: [{ column: 0 }] }));
    expect(sorted.rows.map((r) => r[0])).toEqual(['0', '1', '2']);
    const f = ok(await svc.filesTable(t.tableId, 12));
    const head = ok(await svc.filesQuery(t.tableId, 12, { offset: 0, limit: 0 }));
    expect(f.numRows).toBe(head.matched);
    const c = await open(svc, 'cdf-table-kernel');
    const feed = ok(await svc.changes(c.tableId, { from: 0, to: 3 }, { maxRows: 2, hold: true }));
    expect(feed.truncated).toBe(true);
    const all = ok(await svc.resultPage(feed.resultId!, { offset: 0, limit: 1000 }));
    expect(all.totalRows).toBe(feed.numRows);
    expect(all.rows).toHaveLength(feed.numRows);
  });
});
