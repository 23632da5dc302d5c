/**
 * The Data panel in the built app: SQL over tables opened from a folder and by URL, run by
 * DuckDB-WASM inside the explorer worker (loaded on the first Run, not at start). Deletion vectors,
 * partition pruning, `"t$history"`, `table_changes`, errors in place, CSV export as a download,
 * time travel, and values shown as text. Expected rows are upstream ones (delta-kernel-rs tests, as
 * transcribed in `src/query/*.test.ts`) or read from the fixtures themselves (commit files).
 * Each state is saved to `test-results/screenshots/`.
 */
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForSql } from './sql-wait.ts';
import { shot } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');

/** Commit files (`NNN.json`) in a table's `_delta_log`. */
const commitFiles = (table: string) => readdirSync(join(TABLES, table, '_delta_log')).filter((n) => /^\d{20}\.json$/.test(n));

/** Opens a fixture folder with the folder input and waits for its overview. */
async function openFolder(page: Page, table: string): Promise<void> {
  await page.goto('/');
  await page.setInputFiles('#dir', join(TABLES, table));
  await expect(page.getByTestId('overview-source')).toHaveText(table);
  await page.getByTestId('tab-data').click();
}

/** Types a query, runs it with the button, and waits for the result (or an error). */
async function runSql(page: Page, sql: string, how: 'click' | 'keys' = 'click'): Promise<void> {
  const editor = page.getByTestId('sql-editor');
  await editor.fill(sql);
  if (how === 'click') await page.getByTestId('sql-run').click();
  else await editor.press('Control+Enter');
  if ((await waitForSql(page, sql, 30_000)) === 'done') {
    // The grid renders (lazily, then virtualized) just after the status line.
    const n = Number(await statusRows(page));
    await expect(page.getByTestId('sql-grid')).toBeVisible();
    await expect.poll(() => page.getByTestId('sql-row').count()).toBeGreaterThanOrEqual(Math.min(n, 10));
  }
}

/** The rendered grid rows as arrays of cell texts (NULL cells read as `NULL`). */
async function gridRows(page: Page): Promise<string[][]> {
  return page.getByTestId('sql-row').evaluateAll((rows) =>
    rows
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((r) => Array.from(r.querySelectorAll('[data-testid=sql-cell]'), (c) => c.textContent ?? '')),
  );
}

const statusRows = (page: Page) => page.getByTestId('sql-status').getAttribute('data-rows');

let pageErrors: string[] = [];
/** Requests for the DuckDB wasm module (from the page or any of its workers). */
let duckdbWasmRequests: string[] = [];
test.beforeEach(async ({ page, context }) => {
  pageErrors = [];
  duckdbWasmRequests = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  context.on('request', (r) => {
    if (/duckdb-eh[^/]*\.wasm/.test(r.url())) duckdbWasmRequests.push(r.url());
  });
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

test('(a) a dropped folder with a deletion vector: rows 1..8, DuckDB loaded only on Run', async ({ page }) => {
  const name = 'table-with-dv-small-kernel';
  await openFolder(page, name);
  await expect(page.getByTestId('sql-editor')).toHaveText('SELECT * FROM t LIMIT 100');
  // Opening tables (the default sample, then this folder) does not fetch the 18 MB engine.
  expect(duckdbWasmRequests).toEqual([]);
  await shot(page, 'sql-a-before-run');

  await runSql(page, 'SELECT * FROM t ORDER BY 1');
  // delta-kernel-rs kernel/tests/dv.rs test_table_scan (with_dv): values 1..8 (rows 0 and 9 deleted by the DV).
  expect(await statusRows(page)).toBe('8');
  expect(await gridRows(page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((v) => [String(v)]));
  await expect(page.getByTestId('sql-header')).toHaveText(['valueINTEGER']);
  await expect(page.getByTestId('sql-status')).toContainText('8 rows');
  await expect(page.getByTestId('sql-status')).toHaveAttribute('data-files-read', '1');
  await expect(page.getByTestId('sql-status')).toContainText('SQL engine started in');
  expect(duckdbWasmRequests.length).toBe(1);
  await shot(page, 'sql-a-dv-rows');

  // Ctrl+Enter runs too; the engine is not loaded again.
  await runSql(page, 'SELECT count(*) AS n, min(value) AS lo, max(value) AS hi FROM t', 'keys');
  expect(await gridRows(page)).toEqual([['8', '1', '8']]);
  await expect(page.getByTestId('sql-status')).not.toContainText('SQL engine started');
  expect(duckdbWasmRequests.length).toBe(1);
});

test('(b) a partitioned table: WHERE on the partition column prunes files', async ({ page }) => {
  await openFolder(page, 'basic_partitioned');
  // delta-kernel-rs read/mod.rs::data (as in src/query/read.test.ts): letter a → (1, 1.1), (4, 4.4); null letter → (6, 6.6).
  await runSql(page, "SELECT letter, number, a_float FROM t WHERE letter = 'a' ORDER BY number");
  expect(await gridRows(page)).toEqual([
    ['a', '1', '1.1'],
    ['a', '4', '4.4'],
  ]);
  const filesRead = Number(await page.getByTestId('sql-status').getAttribute('data-files-read'));
  await shot(page, 'sql-b-partition-pruning');
  await page.getByTestId('tab-overview').click();
  const numFiles = Number(await page.getByTestId('overview-num-files').getAttribute('data-value'));
  expect(filesRead).toBeGreaterThan(0);
  expect(filesRead).toBeLessThan(numFiles);
  // Back on the Data tab, the editor still holds the last query (kept in ?sql=).
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('sql-editor')).toHaveText("SELECT letter, number, a_float FROM t WHERE letter = 'a' ORDER BY number");

  await runSql(page, 'SELECT letter, number, a_float FROM t WHERE letter IS NULL');
  expect(await gridRows(page)).toEqual([['NULL', '6', '6.6']]);
  await expect(page.getByTestId('sql-cell').first().locator('.null')).toHaveText('NULL');
});

test('(c) "t$history" has one row per commit file', async ({ page }) => {
  const name = 'table_with_deletion_logs';
  await openFolder(page, name);
  await runSql(page, 'SELECT count(*) AS commits FROM "t$history"');
  expect(await gridRows(page)).toEqual([[String(commitFiles(name).length)]]);
  await shot(page, 'sql-c-history-count');
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', String(commitFiles(name).length), { timeout: 30_000 });
});

test('(d) table_changes(0, 3) on cdf-table-kernel: the 23 rows of kernel cdf.rs basic_cdf', async ({ page }) => {
  await openFolder(page, 'cdf-table-kernel');
  await runSql(page, 'SELECT * FROM table_changes(0, 3)');
  // kernel/tests/cdf.rs basic_cdf (BASIC_CDF in src/query/changes.test.ts): 10 inserts, 2 × 3 update pairs, 1 delete.
  expect(await statusRows(page)).toBe('23');
  await expect(page.getByTestId('sql-header')).toHaveText(['idINTEGER', 'nameVARCHAR', 'birthdayDATE', '_change_typeVARCHAR', '_commit_versionBIGINT', '_commit_timestampTIMESTAMPTZ']);
  await shot(page, 'sql-d-table-changes');

  await runSql(page, 'SELECT _change_type, count(*) AS n FROM table_changes(0, 3) GROUP BY ALL ORDER BY 1');
  expect(await gridRows(page)).toEqual([
    ['delete', '1'],
    ['insert', '10'],
    ['update_postimage', '6'],
    ['update_preimage', '6'],
  ]);
});

test('(e) a bad query shows QUERY_ERROR in place and the app stays usable', async ({ page }) => {
  await openFolder(page, 'table-with-dv-small-kernel');
  await runSql(page, 'SELECT no_such_column FROM t');
  const err = page.getByTestId('sql-error');
  await expect(err).toHaveAttribute('data-code', 'QUERY_ERROR');
  await expect(page.getByTestId('sql-error-code')).toHaveText('QUERY_ERROR');
  await expect(page.getByTestId('sql-error-message')).toContainText('no_such_column');
  await expect(page.getByTestId('sql-error-hint')).not.toBeEmpty();
  // In the panel, not the page-level error panel; the rest of the app is still there.
  await expect(page.getByTestId('error-panel')).toHaveCount(0);
  await expect(page.getByTestId('version-picker')).toBeVisible();
  await expect(page.getByTestId('tabs')).toBeVisible();
  await shot(page, 'sql-e-query-error');

  await runSql(page, 'SELECT count(*) FROM t');
  await expect(err).toHaveCount(0);
  expect(await gridRows(page)).toEqual([['8']]);
});

test('(f) Export CSV downloads the whole result; JSONL and Parquet too', async ({ page }) => {
  await openFolder(page, 'table-with-dv-small-kernel');
  await page.getByTestId('sql-editor').fill('SELECT * FROM t ORDER BY 1');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csv.suggestedFilename()).toBe('table-with-dv-small-kernel_v1.csv');
  expect(readFileSync(await csv.path(), 'utf8')).toBe('value\n1\n2\n3\n4\n5\n6\n7\n8\n');
  await expect(page.getByTestId('sql-note')).toContainText('Exported 8 rows');

  const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-jsonl').click()]);
  expect(jsonl.suggestedFilename()).toBe('table-with-dv-small-kernel_v1.jsonl');
  expect(readFileSync(await jsonl.path(), 'utf8').trim().split('\n').map((l) => JSON.parse(l).value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

  const [parquet] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-parquet').click()]);
  expect(parquet.suggestedFilename()).toBe('table-with-dv-small-kernel_v1.parquet');
  const bytes = readFileSync(await parquet.path());
  expect([bytes.subarray(0, 4).toString(), bytes.subarray(-4).toString()]).toEqual(['PAR1', 'PAR1']);
  await shot(page, 'sql-f-exported');
});

test('(g) the same query on the table opened by URL, and at an older version', async ({ page }) => {
  const name = 'table-with-dv-small-kernel';
  await page.goto(`/?url=/fixtures/${name}`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  await expect(page.getByTestId('overview-source')).toContainText(`/fixtures/${name}`);
  await page.getByTestId('tab-data').click();
  await runSql(page, 'SELECT * FROM t ORDER BY 1');
  expect(await gridRows(page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((v) => [String(v)]));
  await shot(page, 'sql-g-by-url');

  // Version 0 (before the deletion vector): all ten rows, 0..9; "t@v1" is still reachable.
  await page.goto(`/?url=/fixtures/${name}&version=0`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '0');
  await page.getByTestId('tab-data').click();
  await runSql(page, 'SELECT (SELECT count(*) FROM t) AS v0, (SELECT count(*) FROM "t@v1") AS v1');
  expect(await gridRows(page)).toEqual([['10', '8']]);
  await expect(page.getByTestId('sql-status')).toHaveAttribute('data-version', '0');
});

test('(h) a table needing an unsupported reader feature refuses SQL with UNSUPPORTED_READER_FEATURE', async ({ page }) => {
  await openFolder(page, 'simple_table_features');
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('read-support-problems')).toBeVisible();
  await page.getByTestId('tab-data').click();
  await runSql(page, 'SELECT * FROM t');
  await expect(page.getByTestId('sql-error')).toHaveAttribute('data-code', 'UNSUPPORTED_READER_FEATURE');
  // Refused before the engine was started.
  expect(duckdbWasmRequests).toEqual([]);
  await shot(page, 'sql-h-unsupported-feature');
});

test('(i) values are shown as text, never as HTML; many rows are virtualized', async ({ page }) => {
  await openFolder(page, 'table-with-dv-small-kernel');
  const html = `<img src=x onerror="window.__xss=1"><b>bold</b>`;
  await runSql(page, `SELECT '${html}' AS h, NULL AS n`);
  expect(await gridRows(page)).toEqual([[html, 'NULL']]);
  await expect(page.getByTestId('sql-grid').locator('img, b')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();

  await runSql(page, 'SELECT range AS i, range * 2 AS twice FROM range(5000)');
  expect(await statusRows(page)).toBe('5000');
  // The whole result scrolls: rows past the first page come from the worker as they come into view.
  const grid = page.getByTestId('sql-grid');
  await expect(grid).toHaveAttribute('data-rows', '5000');
  const rendered = await page.getByTestId('sql-row').count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(100);
  await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(page.locator('[data-testid=sql-row][data-index="4999"]')).toBeVisible();
  await expect(page.locator('[data-testid=sql-row][data-index="4999"] [data-testid=sql-cell]').first()).toHaveText('4999');
  await shot(page, 'sql-i-virtualized');
});
