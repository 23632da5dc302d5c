/**
 * S3 sources, share links and secrets in the built app, against a real S3-protocol server (s3rver
 * on 127.0.0.1, see `s3-server.ts`) holding fixture tables, with a CORS rule for the app's origin on
 * bucket `lake` and none on bucket `nocors`.
 *
 * Shown here: connect, browse, open, Overview facts against the fixture, a SQL preview read by
 * ranged GETs (the server's byte counts: no data file fetched whole, no HEAD), time travel; a wrong
 * access key and a missing CORS rule each give their own error; a share link made in one browser
 * context opens in a fresh one without credentials with the same rows; an expired link says so;
 * and the secret key appears in no URL, link, storage, console line, page text or request.
 * s3rver does not verify signatures, which is why a made-up secret is accepted (and can be looked
 * for everywhere); an unknown access key is refused.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3RVER_KEY, startS3Server, type S3Server } from './s3-server.ts';
import { expectNoSecret, expectRequestsTo, recordTraffic } from './secrets.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;
/** s3rver accepts any secret for its key: a distinctive one can be searched for everywhere. */
const SECRET = 'Zq9-TopSecret-Value-7xK';

let s3: S3Server;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(join(ROOT, 'test-results/screenshots'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'test-results/screenshots', `${name}.png`), fullPage: true });
}

test.beforeAll(async () => {
  s3 = await startS3Server({
    buckets: [{ name: 'lake', corsOrigin: BASE }, { name: 'nocors' }],
    tables: [
      { bucket: 'lake', prefix: 'warehouse/covid', dir: join(TABLES, 'COVID-19_NYT') },
      { bucket: 'lake', prefix: 'warehouse/dv_table', dir: join(TABLES, 'table_with_deletion_logs') },
      { bucket: 'nocors', prefix: 'sales', dir: join(TABLES, 'delta-0.8.0-partitioned') },
    ],
  });
});

test.afterAll(async () => {
  await s3?.stop();
});

async function connect(page: Page, options: { bucket?: string; key?: string; remember?: boolean } = {}): Promise<void> {
  await page.getByTestId('source-s3').click();
  await page.getByTestId('s3-endpoint').fill(s3.endpoint);
  await page.getByTestId('s3-bucket').fill(options.bucket ?? 'lake');
  await page.getByTestId('s3-accessKeyId').fill(options.key ?? S3RVER_KEY);
  await page.getByTestId('s3-secretAccessKey').fill(SECRET);
  if (options.remember) await page.getByTestId('s3-remember').check();
  await page.getByTestId('s3-connect').click();
}

async function openTable(page: Page, folder: string): Promise<void> {
  await page.getByTestId('s3-folder').filter({ hasText: 'warehouse' }).getByRole('button').first().click();
  const row = page.locator(`[data-testid=s3-folder][data-path="warehouse/${folder}"]`);
  await expect(row).toHaveAttribute('data-table', 'yes');
  await row.getByTestId('s3-open').click();
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview-source')).toHaveText(`s3://lake/warehouse/${folder}`);
}

async function runSql(page: Page, sql: string): Promise<string[][]> {
  await page.getByTestId('tab-data').click();
  await page.getByTestId('sql-editor').fill(sql);
  await page.getByTestId('sql-run').click();
  await expect(page.getByTestId('sql-status').or(page.getByTestId('sql-error'))).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('sql-error')).toHaveCount(0);
  await expect.poll(() => page.getByTestId('sql-row').count()).toBeGreaterThan(0);
  return page.getByTestId('sql-row').evaluateAll((rows) =>
    rows
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((r) => Array.from(r.querySelectorAll('[data-testid=sql-cell]'), (c) => c.textContent ?? '')),
  );
}

/** Sizes of a fixture's data files, by key under `prefix`. */
function dataFileSizes(table: string, prefix: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of readdirSync(join(TABLES, table))) {
    if (name.endsWith('.parquet')) out.set(`lake/${prefix}/${name}`, statSync(join(TABLES, table, name)).size);
  }
  return out;
}

test('connect, browse, open, preview by ranged reads only, time travel', async ({ page, context }) => {
  const rec = recordTraffic(context, page);
  await page.goto('/');
  await connect(page);
  await expect(page.getByTestId('s3-folder')).toHaveCount(1);
  await page.getByTestId('s3-folder').getByRole('button').first().click();
  await expect(page.getByTestId('s3-folder')).toHaveCount(2);
  await shot(page, 's3-browser');
  await page.locator('[data-testid=s3-crumbs] button').first().click();
  await openTable(page, 'covid');
  await expect(page.getByTestId('overview-num-records')).toHaveAttribute('data-value', '1111930'); // MANIFEST: delta-rs test_read_tables

  await s3.reset();
  const rows = await runSql(page, 'SELECT county, state FROM t LIMIT 5');
  expect(rows).toHaveLength(5);
  const stats = await s3.stats();
  const sizes = dataFileSizes('COVID-19_NYT', 'warehouse/covid');
  const read = [...sizes].filter(([k]) => stats[k]);
  expect(read.length, 'the preview read at least one data file').toBeGreaterThan(0);
  for (const [key, size] of read) {
    expect(stats[key].methods, `${key}: ranged GETs only`).toEqual(['GET']);
    expect(stats[key].bytes, `${key}: not fetched whole`).toBeLessThan(size);
  }
  const total = read.reduce((s, [k]) => s + stats[k].bytes, 0);
  const whole = [...sizes.values()].reduce((a, b) => a + b, 0);
  expect(total).toBeLessThan(whole / 4);
  test.info().annotations.push({ type: 'bytes', description: `preview read ${total} of ${whole} data bytes in ${read.length} file(s)` });

  // Time travel on a table with deletion vectors and checkpoints.
  await page.getByTestId('source-s3').click();
  await page.locator('[data-testid=s3-crumbs] button').first().click();
  await openTable(page, 'dv_table');
  await expect(page.getByTestId('version-current')).toHaveText('20');
  await page.getByTestId('version-input').fill('10');
  await page.getByTestId('version-go').click();
  await expect(page.getByTestId('version-current')).toHaveText('10');
  await expect(page.getByTestId('time-travel')).toBeVisible();
  const atTen = await runSql(page, 'SELECT count(*) FROM t');
  const latest = await runSql(page, 'SELECT count(*) FROM "t@v20"');
  expect(Number(latest[0][0])).toBe(98); // the CLI and the .crc agree: 100 rows, 2 deleted by DVs
  expect(Number(atTen[0][0])).toBeGreaterThan(0);

  // Every request went to the app or the S3 endpoint, and the secret went nowhere.
  expectRequestsTo(rec, [BASE, s3.endpoint]);
  await expectNoSecret(page, rec, SECRET);
});

test('a wrong access key and a missing CORS rule give their own errors', async ({ page }) => {
  await page.goto('/');
  await connect(page, { key: 'AKIANOTAKEY' });
  const panel = page.getByTestId('s3-panel');
  await expect(panel.getByTestId('error-code')).toHaveText('WRONG_CREDENTIALS');
  await expect(panel.getByTestId('error-message')).toContainText('refused the credentials');
  await expect(panel).not.toContainText(SECRET);

  await page.getByTestId('s3-accessKeyId').fill(S3RVER_KEY);
  await page.getByTestId('s3-secretAccessKey').fill(SECRET);
  await page.getByTestId('s3-bucket').fill('nocors');
  await page.getByTestId('s3-connect').click();
  await expect(panel.getByTestId('error-code')).toHaveText('CORS_REFUSED');
  await expect(panel.getByTestId('error-hint')).toContainText(`"AllowedOrigins":["${BASE}"]`);
  await expect(panel.getByTestId('error-hint')).toContainText('put-bucket-cors --bucket nocors');
  await shot(page, 's3-cors-refused');
  // The app still works: open the bundled sample.
  await page.getByTestId('sample').first().click();
  await expect(page.getByTestId('overview')).toBeVisible();
});

test('a share link opens in a fresh context with no credentials and the same rows; an expired one says so', async ({ page, context, browser }) => {
  const rec = recordTraffic(context, page);
  await page.goto('/');
  await connect(page);
  await openTable(page, 'dv_table');
  const query = 'SELECT id, count(*) OVER () AS n FROM t ORDER BY id LIMIT 20';
  const mine = await runSql(page, query);
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-expiry').selectOption('3600');
  await page.getByTestId('share-create').click();
  const link = await page.getByTestId('share-link').inputValue();
  await shot(page, 's3-share-panel');
  expect(link.startsWith(`${BASE}/?`)).toBe(true);
  expect(link).toContain('view=data');
  expect(link).toMatch(/#share=/);
  expect(link).not.toContain(SECRET);
  await expectNoSecret(page, rec, SECRET);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const rec2 = recordTraffic(fresh, other);
  await other.goto(link);
  await expect(other.getByTestId('share-banner')).toContainText('read-only: version 20');
  await expect(other.getByTestId('share-banner')).toContainText('expires');
  await expect(other.getByTestId('share-open')).toHaveCount(0);
  await expect(other.getByTestId('source-s3')).toBeVisible();
  const theirs = await runSql(other, query);
  expect(theirs).toEqual(mine);
  await shot(other, 's3-share-recipient');
  const stored = await other.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(stored).toBe('{}{}');
  for (const r of rec2.requests) expect(r.headers.authorization, r.url).toBeUndefined();
  await fresh.close();

  // The same link two hours later.
  const later = await browser.newContext();
  const late = await later.newPage();
  await late.clock.install({ time: Date.now() + 2 * 3600_000 });
  await late.goto(link);
  await expect(late.getByTestId('error-code')).toHaveText('EXPIRED');
  await expect(late.getByTestId('error-message')).toContainText('This share link expired on');
  await shot(late, 's3-share-expired');
  await later.close();
});

test('remembering the keys is opt-in, and forgetting removes them', async ({ page, context }) => {
  const rec = recordTraffic(context, page);
  await page.goto('/');
  await connect(page);
  await expect(page.getByTestId('s3-browser')).toBeVisible();
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(SECRET);
  await expectNoSecret(page, rec, SECRET);
  await page.getByTestId('s3-disconnect').click();
  await page.getByTestId('s3-secretAccessKey').fill(SECRET);
  await page.getByTestId('s3-remember').check();
  await page.getByTestId('s3-connect').click();
  await expect(page.getByTestId('s3-browser')).toBeVisible();
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).toContain(SECRET);
  await page.getByTestId('s3-disconnect').click();
  await page.getByTestId('s3-remember').uncheck();
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(SECRET);
});
