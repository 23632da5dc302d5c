/**
 * Opening tables by URL in the built app, and the URL as the app's state: the default sample on
 * first start (found by probing: `/` has no listing), `?url=&version=` links to the fixtures (listed:
 * `/fixtures/` answers S3 ListObjectsV2), version changes in the URL with back/forward, errors in
 * place (not a table, a server answering 404, a server without CORS, nothing listening), sample
 * buttons, and a folder of tables by URL. Expected values come from the tables themselves (`.crc`
 * files, commit files) and the independent forward replay `referenceReplay`, never from the app.
 * Each state is saved to `test-results/screenshots/`.
 */
import { expect, test, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer, type RunningStaticServer } from '../src/server/static.ts';
import { referenceReplay } from '../test/fixtures.ts';
import { failOnPageErrors } from './page-errors.ts';
import { shot } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');
const SAMPLES = join(ROOT, 'public/samples');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;

/** Files and records at a version from the writer's checksum file (records: stats minus rows hidden by deletion vectors). */
function crcState(tableDir: string, version: number): { numFiles: number; numRecords: number } {
  const crc = JSON.parse(readFileSync(join(tableDir, '_delta_log', `${String(version).padStart(20, '0')}.crc`), 'utf8')) as {
    numFiles: number;
    numDeletedRecordsOpt?: number;
    allFiles: { stats: string }[];
  };
  const records = crc.allFiles.reduce((n, f) => n + (JSON.parse(f.stats) as { numRecords: number }).numRecords, 0);
  return { numFiles: crc.numFiles, numRecords: records - (crc.numDeletedRecordsOpt ?? 0) };
}

/** The newest commit version in a table's `_delta_log`. */
const latestCommit = (tableDir: string) =>
  Math.max(...readdirSync(join(tableDir, '_delta_log')).filter((n) => /^\d{20}\.json$/.test(n)).map((n) => Number(n.slice(0, 20))));

/** The History tab's rows (its grid, the default layout): opens the tab, checks the count, and returns to the Overview. */
async function expectHistoryRows(page: Page, count: number, check?: () => Promise<void>): Promise<void> {
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', String(count), { timeout: 30_000 });
  if (check) await check();
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview')).toBeVisible();
}

/** A fact's raw value, once the Overview is not waiting for checkpoint stats (the record count fills in after the first paint). */
const factValue = async (page: Page, testId: string) => {
  await expect(page.getByTestId(testId).first()).not.toHaveAttribute('data-state', 'loading');
  return page.getByTestId(testId).first().getAttribute('data-value');
};
const query = (page: Page) => new URL(page.url()).searchParams;

failOnPageErrors();

/** Servers of the error cases and of a folder of tables, started in this process. */
let notFound: http.Server;
let noCors: http.Server;
let warehouse: RunningStaticServer;
let goneUrl: string;
const urlOf = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

test.beforeAll(async () => {
  // Answers 404 to everything, with CORS (so the browser sees the 404s).
  notFound = http.createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Range');
    res.statusCode = req.method === 'OPTIONS' ? 204 : 404;
    res.end(req.method === 'OPTIONS' ? undefined : 'Not found');
  });
  // Serves a real table but sends no CORS headers: the browser refuses the answers.
  const plain = (await import('../src/server/static.ts')).createStaticHandler({ mounts: [{ urlPrefix: '/', root: TABLES }], cors: false });
  noCors = http.createServer(plain);
  await Promise.all([notFound, noCors].map((s) => new Promise<void>((done) => s.listen(0, '127.0.0.1', done))));
  const gone = http.createServer();
  await new Promise<void>((done) => gone.listen(0, '127.0.0.1', done));
  goneUrl = urlOf(gone);
  await new Promise((done) => gone.close(done));
  // A folder holding three tables, listed like S3.
  const dir = mkdtempSync(join(tmpdir(), 'e2e-warehouse-'));
  for (const n of ['simple_table', 'app-txn-checkpoint', 'delta-0.8.0']) cpSync(join(TABLES, n), join(dir, 'lake', n), { recursive: true });
  warehouse = await startStaticServer({ mounts: [{ urlPrefix: '/', root: dir, listing: true }] });
});
test.afterAll(async () => {
  for (const s of [notFound, noCors]) {
    s?.closeAllConnections();
    await new Promise((done) => s?.close(done));
  }
  await warehouse?.close();
});

test('(a) with no query, the default sample opens by itself', async ({ page }) => {
  const sample = join(SAMPLES, 'table_with_deletion_logs');
  const expected = crcState(sample, 20);
  expect(expected.numRecords).toBe(98);
  await page.goto('/');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '20');
  await expect(page.getByTestId('version-current')).toHaveText('20');
  expect(await factValue(page, 'overview-num-records')).toBe(String(expected.numRecords));
  expect(await factValue(page, 'overview-num-files')).toBe(String(expected.numFiles));
  await expect(page.getByTestId('overview-name')).toHaveText('table_with_deletion_logs');
  await expect(page.getByTestId('overview-source')).toHaveText(`${BASE}/samples/table_with_deletion_logs`);
  // The URL now names the sample, so the page is a link to what it shows.
  expect(query(page).get('url')).toBe('samples/table_with_deletion_logs');
  expect(query(page).get('version')).toBeNull();
  await expect(page.getByTestId('url-input')).toHaveValue('samples/table_with_deletion_logs');
  await expectHistoryRows(page, latestCommit(sample) + 1);
  await expect(page.getByTestId('error-panel')).toHaveCount(0);
  await shot(page, 'url-a-default-sample');
});

test('(b) ?url=…&version=2 shows that version, as a forward replay of the commits says', async ({ page }) => {
  const ref = referenceReplay(join(TABLES, 'simple_table'), 2);
  const latest = latestCommit(join(TABLES, 'simple_table'));
  await page.goto(`/?url=${BASE}/fixtures/simple_table&version=2`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '2');
  await expect(page.getByTestId('overview-version')).toContainText(`(latest ${latest})`);
  await expect(page.getByTestId('version-current')).toHaveText('2');
  await expect(page.getByTestId('time-travel')).toBeVisible();
  expect(await factValue(page, 'overview-num-files')).toBe(String(ref.numFiles));
  expect(await factValue(page, 'overview-size')).toBe(String(ref.sizeBytes));
  await expectHistoryRows(page, latest + 1);
  await expect(page).toHaveTitle(/@ v2/);
  await shot(page, 'url-b-version-2');
});

test('(c) changing the version updates the URL; back and forward restore it', async ({ page }) => {
  const table = join(TABLES, 'simple_table');
  const latest = latestCommit(table);
  const files = (v: number) => String(referenceReplay(table, v).numFiles);
  await page.goto(`/?url=${BASE}/fixtures/simple_table`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latest));
  // History loaded (the commit time of the version shown comes from it); the tab itself is checked in views.spec.ts.
  await expect(page.getByTestId('overview-last-modified')).toHaveAttribute('data-value', /^\d+$/);

  // The number box.
  await page.getByTestId('version-input').fill('1');
  await page.getByTestId('version-input').press('Enter');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  expect(query(page).get('version')).toBe('1');
  expect(await factValue(page, 'overview-num-files')).toBe(files(1));

  // The slider (loads once it rests).
  await page.getByTestId('version-slider').fill('3');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '3');
  await expect.poll(() => query(page).get('version')).toBe('3');
  expect(await factValue(page, 'overview-num-files')).toBe(files(3));
  await shot(page, 'url-c-version-3');

  await page.goBack();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  expect(query(page).get('version')).toBe('1');
  await expect(page.getByTestId('version-input')).toHaveValue('1');
  await page.goBack();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latest));
  expect(query(page).get('version')).toBeNull();
  await page.goForward();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  await page.goForward();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '3');
  expect(await factValue(page, 'overview-num-files')).toBe(files(3));

  // "Latest" drops the version from the URL.
  await page.getByTestId('version-latest').click();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latest));
  expect(query(page).get('version')).toBeNull();
  expect(query(page).get('url')).toBe(`${BASE}/fixtures/simple_table`);

  // Another table; back returns to this one.
  await page.getByTestId('sample').and(page.locator('[data-sample="delta-0.8.0-partitioned"]')).click();
  await expect(page.getByTestId('overview-source')).toHaveText(`${BASE}/samples/delta-0.8.0-partitioned`);
  await page.goBack();
  await expect(page.getByTestId('overview-source')).toHaveText(`${BASE}/fixtures/simple_table`);
});

test('(c2) a link to a version that does not exist says so and shows the latest', async ({ page }) => {
  const latest = latestCommit(join(TABLES, 'simple_table'));
  await page.goto(`/?url=${BASE}/fixtures/simple_table&version=99`);
  await expect(page.getByTestId('error-panel')).toHaveAttribute('data-code', 'VERSION_NOT_FOUND');
  await expect(page.getByTestId('error-message')).toContainText('99');
  await expect(page.getByTestId('error-hint')).toContainText('Showing the latest version');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latest));
  expect(query(page).get('version')).toBeNull();
  expect(query(page).get('url')).toBe(`${BASE}/fixtures/simple_table`);
  await shot(page, 'url-c2-version-not-found');
});

test('(d) what is not a table, or cannot be reached, says so in place; the app stays usable', async ({ page }) => {
  // A folder of data files, no _delta_log (the listing shows it): typed into the URL box.
  await page.goto(`/?url=${BASE}/fixtures/simple_table&version=0`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '0');
  const notTable = `${BASE}/fixtures/delta-0.8.0-partitioned/year=2020`;
  await page.getByTestId('url-input').fill(notTable);
  await page.getByTestId('url-open').click();
  const panel = page.getByTestId('error-panel');
  await expect(panel).toHaveAttribute('data-code', 'NOT_A_TABLE');
  await expect(page.getByTestId('error-message')).toContainText(notTable);
  await expect(page.getByTestId('error-hint')).toContainText('table root');
  await expect(page.getByTestId('error-hint')).toContainText('_delta_log');
  await expect(page.getByTestId('overview')).toHaveCount(0);
  expect(query(page).get('url')).toBe(notTable);
  expect(query(page).get('version')).toBeNull();
  await shot(page, 'url-d-not-a-table');

  // A server that answers 404 to everything.
  await page.goto(`/?url=${urlOf(notFound)}/warehouse/t`);
  await expect(panel).toHaveAttribute('data-code', 'NOT_A_TABLE');
  await expect(page.getByTestId('error-hint')).toContainText('_delta_log');
  await shot(page, 'url-d-404-server');

  // A server without CORS headers, and one that is not there: the request fails before any answer;
  // an opaque no-cors request tells the two apart.
  await page.goto(`/?url=${urlOf(noCors)}/simple_table`);
  await expect(panel).toHaveAttribute('data-code', 'CORS_REFUSED');
  await expect(page.getByTestId('error-message')).toContainText('without CORS headers');
  await expect(page.getByTestId('error-hint')).toContainText(`Access-Control-Allow-Origin: ${BASE}`);
  await shot(page, 'url-d-no-cors');
  await page.getByTestId('url-input').fill(`${goneUrl}/t`);
  await page.getByTestId('url-input').press('Enter');
  await expect(panel).toHaveAttribute('data-code', 'STORAGE_ERROR');
  await expect(page.getByTestId('error-message')).toContainText(goneUrl);

  // Not a URL at all.
  await page.getByTestId('url-input').fill('s3://bucket/table');
  await page.getByTestId('url-open').click();
  await expect(panel).toHaveAttribute('data-code', 'INVALID_ARGUMENT');
  await expect(page.getByTestId('error-hint')).toContainText('HTTPS endpoint');

  // Still usable: a sample opens, and the error is gone.
  await page.locator('[data-testid=sample][data-sample="table_with_deletion_logs"]').click();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '20');
  await expect(panel).toHaveCount(0);
});

test('(e) a sample button opens that sample', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '20');
  await expect(page.getByTestId('sample')).toHaveCount(3);

  const partitioned = join(SAMPLES, 'delta-0.8.0-partitioned');
  const partitionBy = (JSON.parse(readFileSync(join(partitioned, '_delta_log/00000000000000000000.json'), 'utf8').split('\n').find((l) => l.includes('"metaData"'))!) as {
    metaData: { partitionColumns: string[] };
  }).metaData.partitionColumns;
  await page.locator('[data-testid=sample][data-sample="delta-0.8.0-partitioned"]').click();
  await expect(page.getByTestId('overview-source')).toHaveText(`${BASE}/samples/delta-0.8.0-partitioned`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latestCommit(partitioned)));
  expect(await factValue(page, 'overview-partition-columns')).toBe(partitionBy.join(','));
  expect(await factValue(page, 'overview-num-files')).toBe(String(referenceReplay(partitioned, latestCommit(partitioned)).numFiles));
  expect(query(page).get('url')).toBe('samples/delta-0.8.0-partitioned');
  await shot(page, 'url-e-sample-partitioned');

  const cdf = join(SAMPLES, 'cdf-table-kernel');
  await page.locator('[data-testid=sample][data-sample="cdf-table-kernel"]').click();
  await expect(page.getByTestId('overview-source')).toHaveText(`${BASE}/samples/cdf-table-kernel`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latestCommit(cdf)));
  expect(await factValue(page, 'overview-num-files')).toBe(String(referenceReplay(cdf, latestCommit(cdf)).numFiles));
  await expectHistoryRows(page, latestCommit(cdf) + 1);
  // It has no _last_checkpoint: the probe must see a 404 there, not the app's index.html.
  await expect(page.getByTestId('overview-log')).toContainText('_last_checkpoint missing');
  await expect(page.getByTestId('overview-warnings')).toHaveCount(0);
  await shot(page, 'url-e-sample-cdf');
});

test('(f) a folder of tables by URL lists them; the pick gets its own URL', async ({ page }) => {
  const folder = `${warehouse.url}/lake`;
  await page.goto(`/?url=${folder}`);
  const items = page.getByTestId('candidate');
  await expect(items).toHaveCount(3);
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).toEqual(['app-txn-checkpoint', 'delta-0.8.0', 'simple_table']);
  await shot(page, 'url-f-candidates');

  await page.locator('[data-testid=candidate][data-path="simple_table"]').click();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latestCommit(join(TABLES, 'simple_table'))));
  expect(query(page).get('url')).toBe(`${folder}/simple_table`);
  await page.getByTestId('version-input').fill('2');
  await page.getByTestId('version-input').press('Enter');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '2');
  expect(await factValue(page, 'overview-num-files')).toBe(String(referenceReplay(join(TABLES, 'simple_table'), 2).numFiles));
  await shot(page, 'url-f-picked');

  // Back: the table at its latest, then the folder's list again.
  await page.goBack();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latestCommit(join(TABLES, 'simple_table'))));
  await page.goBack();
  await expect(items).toHaveCount(3);
  expect(query(page).get('url')).toBe(folder);

  // The link of the picked table opens it directly.
  await page.goto(`/?url=${folder}/simple_table&version=2`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '2');
});

test('(g) a local folder keeps everything but the folder in the URL', async ({ page }) => {
  await page.goto('/?url=samples/table_with_deletion_logs&version=5');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '5');
  const table = join(TABLES, 'simple_table');
  await page.setInputFiles('#dir', table);
  await expect(page.getByTestId('overview-source')).toHaveText('simple_table');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latestCommit(table)));
  expect(query(page).get('url')).toBeNull();
  expect(query(page).get('version')).toBeNull();
  await expect(page.getByTestId('url-input')).toHaveValue('');

  await page.getByTestId('version-input').fill('2');
  await page.getByTestId('version-input').press('Enter');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '2');
  expect(new URL(page.url()).search).toBe('?version=2');
  expect(await factValue(page, 'overview-num-files')).toBe(String(referenceReplay(table, 2).numFiles));
  await shot(page, 'url-g-local-version-2');

  await page.goBack();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latestCommit(table)));
  await expect(page.getByTestId('overview-source')).toHaveText('simple_table');
  // Back again: the sample the page showed before, at the version its link named.
  await page.goBack();
  await expect(page.getByTestId('overview-source')).toHaveText(`${BASE}/samples/table_with_deletion_logs`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '5');
});

test('(h) a plain static host (Range, no listing): a table with a checkpoint and no _last_checkpoint opens, and SQL reads it by range', async ({ page, context }) => {
  const name = 'with_checkpoint_no_last_checkpoint-kernel';
  const dir = join(TABLES, name);
  const latest = latestCommit(dir);
  const ref = referenceReplay(dir, latest);
  const heads: string[] = [];
  context.on('request', (r) => {
    if (r.method() === 'HEAD' && r.url().endsWith('.parquet') && !r.url().includes('_delta_log')) heads.push(r.url());
  });
  await page.goto(`/?url=${encodeURIComponent(`plain-fixtures/${name}`)}`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latest));
  expect(await factValue(page, 'overview-num-files')).toBe(String(ref.numFiles));
  // That table is log-only; SQL on one with data files (and deletion vectors), same host.
  const dv = 'table_with_deletion_logs';
  await page.goto(`/?url=${encodeURIComponent(`plain-fixtures/${dv}`)}&view=data`);
  await page.getByTestId('sql-editor').fill('SELECT count(*) FROM t');
  await page.getByTestId('sql-run').click();
  await expect(page.getByTestId('sql-status')).toBeVisible({ timeout: 60_000 });
  const expected = referenceReplay(join(TABLES, dv), latestCommit(join(TABLES, dv))).numRecords;
  expect(expected).toBe(98);
  await expect(page.getByTestId('sql-cell').first()).toHaveText(String(expected));
  // Data files are read with the sizes from the log: DuckDB sends no HEAD.
  expect(heads).toEqual([]);
});
