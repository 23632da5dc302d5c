/**
 * Data integrity in the app (issue #11), in real Chromium with the real worker, DuckDB-WASM and
 * parquet-wasm: a dropped table whose data files are LZ4_RAW and BROTLI (codecs DuckDB 0.9.1
 * lacks) shows every row, exactly, through the fallback decoder; a table whose file disagrees
 * with its stats shows the DATA_INTEGRITY error panel, never a grid. Tables are parquet written
 * here by parquet-wasm, wrapped in a Delta log by `test/gen/delta-wrap.ts`.
 */
import { expect, test, type Page } from '@playwright/test';
import * as arrow from 'apache-arrow';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDeltaTable, type WrappedFile } from '../test/gen/delta-wrap.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = join(ROOT, 'test-results/screenshots');

function rows(n: number, offset: number): arrow.Table {
  return new arrow.Table({
    id: arrow.makeVector(BigInt64Array.from({ length: n }, (_, i) => BigInt(offset + i))),
    name: arrow.vectorFromArray(Array.from({ length: n }, (_, i) => `row ${offset + i}`), new arrow.Utf8()),
  });
}

async function makeTable(name: string, files: { codec: 'LZ4_RAW' | 'BROTLI' | 'SNAPPY'; n: number; offset: number; numRecords?: number }[]): Promise<string> {
  const pw = await import('parquet-wasm');
  const dir = join(mkdtempSync(join(tmpdir(), 'dx-e2e-integrity-')), name);
  mkdirSync(dir);
  const wrapped: WrappedFile[] = files.map((f, k) => ({
    name: `part-${k}.${f.codec.toLowerCase()}.parquet`,
    bytes: pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(rows(f.n, f.offset), 'stream')), new pw.WriterPropertiesBuilder().setCompression(pw.Compression[f.codec]).build()),
    rows: f.n,
    numRecords: f.numRecords,
  }));
  writeDeltaTable(dir, rows(1, 0).schema, wrapped);
  return dir;
}

async function openAndRun(page: Page, dir: string, name: string): Promise<void> {
  await page.goto('/');
  await page.setInputFiles('#dir', dir);
  await expect(page.getByTestId('overview-source')).toHaveText(name);
  await page.getByTestId('tab-data').click();
  await page.getByTestId('sql-run').click();
  await expect(page.getByTestId('sql-status').or(page.getByTestId('sql-error'))).toBeVisible({ timeout: 60_000 });
}

test('LZ4_RAW and BROTLI data files: every row, read exactly by the fallback decoder', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const dir = await makeTable('codecs', [
    { codec: 'LZ4_RAW', n: 60, offset: 0 },
    { codec: 'BROTLI', n: 30, offset: 60 },
    { codec: 'SNAPPY', n: 10, offset: 90 },
  ]);
  await openAndRun(page, dir, 'codecs');
  await expect(page.getByTestId('sql-error')).toHaveCount(0);
  await expect(page.getByTestId('sql-status')).toHaveAttribute('data-rows', '100');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'integrity-codecs.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('a file whose rows disagree with its stats: the DATA_INTEGRITY panel, no grid', async ({ page }) => {
  const dir = await makeTable('mismatch', [
    { codec: 'SNAPPY', n: 20, offset: 0 },
    { codec: 'SNAPPY', n: 20, offset: 20, numRecords: 25 },
  ]);
  await openAndRun(page, dir, 'mismatch');
  const err = page.getByTestId('sql-error');
  await expect(err).toHaveAttribute('data-code', 'DATA_INTEGRITY');
  await expect(err).toContainText('Data does not match the log');
  await expect(page.getByTestId('sql-error-message')).toContainText('part-1.snappy.parquet');
  await expect(page.getByTestId('sql-error-message')).toContainText('numRecords = 25');
  await expect(page.getByTestId('sql-grid')).toHaveCount(0);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'integrity-mismatch.png'), fullPage: true });
});
