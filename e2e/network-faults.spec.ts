/**
 * The built app reading a table through network faults (issue #16): the e2e static server behind
 * the fault-injecting proxy (`test/fault-proxy.ts`), opened by URL; the page passes short retry
 * settings to its workers (`?dx-net=...`) so that stalls and exhausted retries take seconds.
 *
 * Transient faults on log and data files → the right numbers (expected values from the independent
 * forward replay `referenceReplay` of the fixture's commits); permanent faults → named errors in
 * place, the other tabs still working; a data read that failed does not poison the SQL session (the
 * same query succeeds once the server recovers, without reopening the table).
 */
import { expect, test, type Page } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceReplay } from '../test/fixtures.ts';
import { startFaultProxy, type FaultProxy } from '../test/fault-proxy.ts';
import { failOnPageErrors } from './page-errors.ts';
import { waitForSql } from './sql-wait.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;
/** Short retry settings for the page's workers: 5 attempts, 1.5 s stall timeout, 6 s deadline. */
const NET = 'dx-net=attempts:5,stall:1500,base:10,max:50,deadline:6000';

let proxy: FaultProxy;
test.beforeAll(async () => {
  proxy = await startFaultProxy({ target: BASE, seed: 16 });
});
test.afterAll(async () => {
  await proxy?.close();
});
test.beforeEach(() => {
  proxy.setRules([]);
  proxy.setRate(0);
});

failOnPageErrors();
// DuckDB-WASM (18 MB) is compiled once per page; some tests open two pages on a shared, busy machine.
test.describe.configure({ timeout: 180_000 });

const TABLE = 'table-with-dv-small-kernel';

async function open(page: Page, mount = 'fixtures', table = TABLE): Promise<void> {
  await page.goto(`/?${NET}&url=${encodeURIComponent(`${proxy.url}/${mount}/${table}`)}`);
}

/** Runs SQL in the Data tab and returns the first cell, or the error's code. */
async function sql(page: Page, text: string): Promise<{ value?: string; code?: string; message?: string }> {
  const editor = page.getByTestId('sql-editor');
  await editor.fill(text);
  await page.getByTestId('sql-run').click();
  if ((await waitForSql(page, text, 30_000)) === 'error') {
    return { code: (await page.getByTestId('sql-error').getAttribute('data-code')) ?? undefined, message: (await page.getByTestId('sql-error').textContent()) ?? undefined };
  }
  await expect(page.getByTestId('sql-row').first()).toBeVisible();
  return { value: (await page.getByTestId('sql-cell').first().textContent()) ?? undefined };
}

test('transient faults on the log and the data files: the right counts', async ({ page }) => {
  const want = referenceReplay(join(TABLES, TABLE), 1);
  proxy.setRules([
    { match: /_last_checkpoint/, fault: '503-retry-after', times: 1 },
    { match: /list-type=2/, fault: 'truncate', times: 1 },
    { match: /\d{20}\.json/, method: 'GET', fault: 'reset', times: 1 },
    { match: /\.parquet/, method: 'GET', fault: '503', times: 2 },
    { match: /\.parquet/, method: 'GET', fault: 'truncate', times: 2 },
    { match: /\.bin/, method: 'GET', fault: '500', times: 1 },
  ]);
  const start = proxy.requests.length;
  await open(page);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  await page.getByTestId('tab-data').click();
  expect(await sql(page, 'SELECT count(*) FROM t')).toEqual({ value: String(want.numRecords) });
  expect(proxy.requests.slice(start).filter((r) => r.fault).length).toBeGreaterThanOrEqual(4);
});

test('a data read that fails every attempt: a named error; the same query succeeds once the server recovers', async ({ page }) => {
  const want = referenceReplay(join(TABLES, TABLE), 1);
  await open(page);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  await page.getByTestId('tab-data').click();
  proxy.setRules([{ match: /\.parquet/, method: 'GET', fault: '503' }]);
  const failed = await sql(page, 'SELECT count(*) FROM t');
  expect(failed.code).toBe('STORAGE_ERROR');
  expect(failed.message).toMatch(/\.parquet/);
  expect(failed.message).toMatch(/5 attempts.*HTTP 503/);
  // The Overview still works while the data files fail.
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  // The server recovers: the next query reads cleanly, without reopening the table.
  proxy.setRules([]);
  await page.getByTestId('tab-data').click();
  expect(await sql(page, 'SELECT count(*) FROM t')).toEqual({ value: String(want.numRecords) });
});

/** Rows at version 1 are 1..8 (0..9 less two deleted by the deletion vector; upstream values, as in sql.spec.ts (g)). */
const SUM_V1 = 36;
/**
 * Data file reads. A table's first query reads each file's footer through the explorer's store
 * (one request), then DuckDB reads the file itself: `skip: 1` leaves the first to pass.
 */
const DATA = /\.parquet/;

test('DuckDB data reads: transient faults retried; failing for good, a named error; the next query clean (no poisoned session)', async ({ page }) => {
  const start = proxy.requests.length;
  proxy.setRules([
    { match: DATA, method: 'GET', skip: 1, fault: '503', times: 1 },
    { match: DATA, method: 'GET', skip: 1, fault: 'cut-fixed', times: 1 },
    { match: DATA, method: 'GET', skip: 1, fault: 'reset', times: 1 },
    { match: DATA, method: 'GET', skip: 1, fault: 'truncate', times: 1 },
  ]);
  await open(page);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  await page.getByTestId('tab-data').click();
  expect(await sql(page, 'SELECT sum(value) FROM t')).toEqual({ value: String(SUM_V1) });
  // DuckDB met the 503 and the cut body and still read right. (Chromium may answer a later
  // attempt from its HTTP cache, with the whole file an earlier read got: the rest need not be met.)
  expect(proxy.requests.slice(start).filter((r) => r.fault).map((r) => r.fault).slice(0, 2)).toEqual(['503', 'cut-fixed']);

  proxy.setRules([{ match: DATA, method: 'GET', skip: 1, fault: '503' }]);
  await open(page);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  await page.getByTestId('tab-data').click();
  const failed = await sql(page, 'SELECT sum(value) FROM t');
  expect(failed.code).toBe('STORAGE_ERROR');
  expect(failed.message).toMatch(/part-00000-fae5310a[^ ]*\.parquet/);
  expect(failed.message).toMatch(/5 attempts.*HTTP 503/);
  // The server recovers: the same session reads again (no reopening).
  proxy.setRules([]);
  expect(await sql(page, 'SELECT sum(value) + 2 FROM t')).toEqual({ value: String(SUM_V1 + 2) });
});

test('a missing data file over HTTP is FILE_NOT_FOUND naming it, not "damaged": from DuckDB and from the first read', async ({ page }) => {
  for (const skip of [1, 0]) {
    proxy.setRules([{ match: DATA, method: 'GET', skip, fault: '404' }]);
    await open(page);
    await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
    await page.getByTestId('tab-data').click();
    const failed = await sql(page, 'SELECT sum(value) FROM t');
    expect(failed.code, failed.message).toBe('FILE_NOT_FOUND');
    expect(failed.message).toMatch(/part-00000-fae5310a[^ ]*\.parquet/);
    expect(failed.message).not.toMatch(/damaged/i);
  }
});

test('a server answering an HTML page (200) for every path: a clear error within a few requests', async ({ page }) => {
  proxy.setRules([{ match: /./, fault: 'html200' }]);
  const before = proxy.requests.length;
  await open(page, 'plain-fixtures');
  await expect(page.getByTestId('error-panel')).toHaveAttribute('data-code', 'NOT_A_TABLE', { timeout: 20_000 });
  await expect(page.getByTestId('error-message')).toContainText('HTML page');
  expect(proxy.requests.length - before).toBeLessThan(40);
});

test('a commit that stalls for good: a named error within the deadline, not "Starting…" for ever', async ({ page }) => {
  proxy.setRules([{ match: /00000000000000000001\.json/, method: 'GET', fault: 'stall' }]);
  await open(page);
  await expect(page.getByTestId('error-panel')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('error-message')).toContainText('00000000000000000001.json');
  await expect(page.getByTestId('error-message')).toContainText('no data');
});
