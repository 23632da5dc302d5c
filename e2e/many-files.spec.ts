/**
 * A 300k-file table in the app (issue #13 "no dead ends"): the default `SELECT * FROM t LIMIT 100`
 * reads only the files the limit needs (not an internal schema pass over every file, which ran
 * 19–38 s and then trapped DuckDB-WASM), a forced WebAssembly trap restarts the engine and the
 * same query runs again, and a read that reaches a file missing from the folder names it
 * (`FILE_NOT_FOUND`) instead of hanging.
 *
 * The table is generated here like the corpus's `300k-add-files-100-col-partitioned` (whose data
 * files are not shipped either): one commit with a real parquet file, then three commits of
 * 100,000 `add` actions each with `numRecords` stats. Which files a `LIMIT 100` needs is worked out
 * by the project's planner in Node, and only those are written (each a copy of the real file), so a
 * read of any other file fails loudly.
 */
import { expect, test } from '@playwright/test';
import * as arrow from 'apache-arrow';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DeltaTable } from '../src/delta/table.ts';
import { NodeFsStore } from '../src/delta/storage/node-fs.ts';
import { planScan } from '../src/query/scan-plan.ts';
import { writeDeltaTable } from '../test/gen/delta-wrap.ts';
import { waitForSql } from './sql-wait.ts';

const PER_FILE = 10;
const COMMITS = 3;
const ADDS_PER_COMMIT = 100_000;

/** Writes the table; returns its folder and the paths a `LIMIT n` read needs, per n. */
async function makeTable(limits: number[]): Promise<{ dir: string; needed: Map<number, string[]> }> {
  const pw = await import('parquet-wasm');
  const dir = join(mkdtempSync(join(tmpdir(), 'dx-e2e-many-')), 'many_files');
  mkdirSync(dir);
  const rows = new arrow.Table({
    id: arrow.makeVector(BigInt64Array.from({ length: PER_FILE }, (_, i) => BigInt(i))),
    name: arrow.vectorFromArray(Array.from({ length: PER_FILE }, (_, i) => `row ${i}`), new arrow.Utf8()),
  });
  const bytes = pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(rows, 'stream')));
  writeDeltaTable(dir, rows.schema, [{ name: 'part-0.parquet', bytes, rows: PER_FILE }]);
  for (let v = 1; v <= COMMITS; v++) {
    const log = join(dir, '_delta_log', `${String(v).padStart(20, '0')}.json`);
    writeFileSync(log, JSON.stringify({ commitInfo: { timestamp: 1_700_000_000_000 + v * 1000, operation: 'WRITE', operationParameters: {} } }) + '\n');
    const lines: string[] = [];
    for (let i = 0; i < ADDS_PER_COMMIT; i++) {
      const path = `c${v}/part-${String(i).padStart(6, '0')}.parquet`;
      const stats = JSON.stringify({ numRecords: PER_FILE });
      lines.push(JSON.stringify({ add: { path, partitionValues: {}, size: bytes.byteLength, modificationTime: 1_700_000_000_000 + v * 1000, dataChange: true, stats } }));
    }
    appendFileSync(log, lines.join('\n') + '\n');
  }
  const snapshot = await new DeltaTable(new NodeFsStore(dir)).snapshot();
  expect(snapshot.files.length).toBe(1 + COMMITS * ADDS_PER_COMMIT);
  const needed = new Map<number, string[]>();
  for (const limit of limits) {
    const plan = await planScan(snapshot, { limit });
    needed.set(limit, plan.files.map((f) => f.path));
  }
  // Only the files the smallest limit needs exist; the larger limit reaches missing ones.
  for (const p of needed.get(Math.min(...limits))!) {
    const at = join(dir, p);
    if (existsSync(at)) continue;
    mkdirSync(dirname(at), { recursive: true });
    writeFileSync(at, bytes);
  }
  return { dir, needed };
}

test('300k files: LIMIT 100 reads only the files it needs, a trap restarts the engine, a missing file is named', async ({ page }) => {
  test.setTimeout(300_000);
  const { dir, needed } = await makeTable([100, 200]);
  const need100 = needed.get(100)!;
  expect(need100.length).toBe(100 / PER_FILE);
  const missing = needed.get(200)!.filter((p) => !need100.includes(p));
  expect(missing.length).toBeGreaterThan(0);

  await page.goto('/');
  await page.setInputFiles('#dir', dir);
  await expect(page.getByTestId('overview-source')).toHaveText('many_files', { timeout: 180_000 });
  await page.getByTestId('tab-data').click();

  const run = async (sql: string) => {
    await page.getByTestId('sql-editor').fill(sql);
    await page.getByTestId('sql-run').click();
    return waitForSql(page, sql, 180_000);
  };

  const q = 'SELECT * FROM t LIMIT 100';
  expect(await run(q)).toBe('done');
  const status = page.getByTestId('sql-status');
  await expect(status).toHaveAttribute('data-rows', '100');
  await expect(status).toHaveAttribute('data-files-read', String(need100.length));
  await expect(status).toContainText('300,001 files');

  // A real WebAssembly trap (DuckDB-WASM 1.28: memory access out of bounds), then the same query.
  expect(await run('SELECT len(range(1000000000))')).toBe('error');
  await expect(page.getByTestId('sql-error')).toHaveAttribute('data-code', 'ENGINE_RESTARTED');
  expect(await run(q)).toBe('done');
  await expect(status).toHaveAttribute('data-rows', '100');

  // LIMIT 200 needs files the folder does not have: named, not a hang or a short result.
  expect(await run('SELECT * FROM t LIMIT 200')).toBe('error');
  await expect(page.getByTestId('sql-error')).toHaveAttribute('data-code', 'FILE_NOT_FOUND');
  const names = missing.map((p) => p.split('/').pop()!.replace(/\./g, '\\.'));
  await expect(page.getByTestId('sql-error-message')).toContainText(new RegExp(names.join('|')));
  await expect(page.getByTestId('sql-status')).toHaveCount(0);
});
