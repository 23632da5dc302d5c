/**
 * The lakeFS source against a real lakeFS (v1.80.0, started by `npm run test:peers`: local KV
 * database, blockstore s3 on MinIO, so it presigns). Its repository `delta-lake` holds tables
 * written through lakeFS's S3 gateway by delta-rs (`tables/rs_events`) and by Spark
 * (`tables/spark_sales`, s3a://), committed on `main` (tagged `v1-load`); branch `dev` adds a
 * Spark UPDATE, a DELETE with deletion vectors and a schema change (`scripts/peers/seed_lakefs.py`).
 * Every expected number (version, active files, bytes, rows) is what delta-rs and Spark read back
 * at the same commit ($DX_LAKEFS_FACTS).
 *
 * lakeFS sends no CORS headers: the app is served by the real `delta-explorer serve --lakefs`, whose
 * proxy puts the API on the page's origin; data files come from presigned MinIO URLs (MinIO's CORS
 * setting allows that origin). A second lakeFS whose blockstore does not presign
 * (`disable_pre_signed`) shows reads through the API instead. The S3 form reaches lakeFS's S3
 * gateway through a CORS-adding proxy (`cors-proxy.ts`), as a deployment would put nginx in front.
 * Screenshots: `test-results/peers/lakefs-*.png`.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, type ServeHandle } from '../src/cli/serve.ts';
import { lakeFsPeer, minioPeer, requireEnv } from '../peers/env.ts';
import { expectNoSecret, expectRequestsTo, recordTraffic } from '../e2e/secrets.ts';
import { failOnPageErrors } from '../e2e/page-errors.ts';
import { startCorsProxy, type CorsProxy } from './cors-proxy.ts';
import { ROOT, runSql, shot, sqlCount } from './helpers.ts';

interface TableAtRef {
  version: number;
  numFiles: number;
  sizeBytes: number;
  rows: number;
  columns: string[];
}
interface Facts {
  repository: string;
  otherRepository: string;
  tag: string;
  branches: { main: string; dev: string };
  tables: Record<'rs_events' | 'spark_sales', { path: string; writer: string; main: TableAtRef; dev: TableAtRef }>;
  rawFolder: string;
  noPresign?: { repository: string; branches: { main: string }; tables: { rs_events: { path: string; main: TableAtRef } } };
}

const lakefs = lakeFsPeer();
const minio = minioPeer();
const facts = JSON.parse(readFileSync(lakefs.factsPath, 'utf8')) as Facts;
const SALES = facts.tables.spark_sales;
const EVENTS = facts.tables.rs_events;

let app: ServeHandle;
let plainApp: ServeHandle | undefined;
let gateway: CorsProxy | undefined;

test.beforeAll(async () => {
  const appDir = process.env.E2E_APP_DIR ?? join(ROOT, 'dist');
  app = await serve({ target: join(ROOT, 'test/fixtures/tables/simple_table'), port: Number(requireEnv('DX_SERVE_PORT')), appDir, lakefs: lakefs.endpoint, log: () => {} });
  if (process.env.DX_LAKEFS_NOPRESIGN_ENDPOINT) {
    plainApp = await serve({ target: join(ROOT, 'test/fixtures/tables/simple_table'), port: 0, appDir, lakefs: process.env.DX_LAKEFS_NOPRESIGN_ENDPOINT, log: () => {} });
  }
});

test.afterAll(async () => {
  await app?.close();
  await plainApp?.close();
  await gateway?.close();
});

failOnPageErrors();

async function connect(page: Page, o: { secret?: string; endpoint?: string; key?: string } = {}): Promise<void> {
  await page.getByTestId('source-lakefs').click();
  const panel = page.getByTestId('lakefs-panel');
  if (o.endpoint) await panel.getByTestId('lakefs-endpoint').fill(o.endpoint);
  await panel.getByTestId('lakefs-accessKeyId').fill(o.key ?? lakefs.accessKeyId);
  await panel.getByTestId('lakefs-secretAccessKey').fill(o.secret ?? lakefs.secretAccessKey);
  await panel.getByTestId('lakefs-connect').click();
}

/** In the lakeFS panel at the current ref: from the ref's root into `tables/`, then opens `name`. */
async function openTable(page: Page, name: string): Promise<void> {
  const browser = page.getByTestId('lakefs-browser');
  await browser.getByTestId('lakefs-crumbs').getByRole('button').first().click();
  await expect(browser.locator('[data-testid=lakefs-folder][data-path="raw"]')).toHaveAttribute('data-table', 'no');
  await browser.locator('[data-testid=lakefs-folder][data-path="tables"] button').first().click();
  const row = browser.locator(`[data-testid=lakefs-folder][data-path="tables/${name}"]`);
  await expect(row).toHaveAttribute('data-table', 'yes');
  await row.getByTestId('lakefs-open').click();
}

/** The open table's Overview equals what the peers read at that commit. */
async function expectTable(page: Page, t: TableAtRef): Promise<void> {
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(t.version), { timeout: 60_000 });
  await expect(page.getByTestId('overview-num-files')).toHaveAttribute('data-value', String(t.numFiles));
  await expect(page.getByTestId('overview-size')).toHaveAttribute('data-value', String(t.sizeBytes));
  expect(await sqlCount(page)).toBe(t.rows);
}

async function pickRef(page: Page, kind: 'branch' | 'tag', name: string): Promise<void> {
  const panel = page.getByTestId('lakefs-panel');
  if (!(await panel.isVisible())) await page.getByTestId('source-lakefs').click();
  await panel.locator(`[data-testid=lakefs-${kind}][data-ref="${name}"] button`).first().click();
  await expect(panel.getByTestId('lakefs-browser')).toHaveAttribute('data-ref', name);
}

test('real lakeFS: connect through serve --lakefs, repositories, branches, tags, commits; tables by delta-rs and Spark on two branches, presigned reads', async ({ page, context }) => {
  test.setTimeout(600_000);
  const traffic = recordTraffic(context, page);
  await page.goto(`${app.baseUrl}/`);
  await page.getByTestId('source-lakefs').click();
  const panel = page.getByTestId('lakefs-panel');
  await expect(panel.getByTestId('lakefs-endpoint')).toHaveValue(`${app.baseUrl}/lakefs`); // the serve proxy, by default
  await page.getByTestId('source-lakefs').click();
  await connect(page);
  await expect(panel.getByTestId('lakefs-repo')).toHaveCount(2);
  await expect(panel.getByTestId('lakefs-repo').first()).toHaveAttribute('data-repo', [facts.repository, facts.otherRepository].sort()[0]);
  await panel.locator(`[data-testid=lakefs-repo][data-repo="${facts.repository}"]`).click();
  await expect(panel.locator('[data-testid=lakefs-branch]')).toHaveText([/^dev\b/, /^main\b/]);
  await expect(panel.locator('[data-testid=lakefs-tag]')).toHaveAttribute('data-ref', facts.tag);
  // main's log: our commit, then lakeFS's "Repository created" commit.
  await expect(panel.getByTestId('lakefs-commit')).toHaveCount(2);
  await expect(panel.getByTestId('lakefs-commit').first()).toHaveAttribute('data-commit', facts.branches.main);
  await shot(page, 'lakefs-real-refs');

  // main: Spark's table (v2), then delta-rs's (v1).
  await openTable(page, 'spark_sales');
  await expectTable(page, SALES.main);
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview-source')).toContainText(`lakefs://${facts.repository}/`);
  await shot(page, 'lakefs-real-main-spark');
  await page.getByTestId('source-lakefs').click();
  await openTable(page, 'rs_events');
  await expectTable(page, EVENTS.main);

  // dev: UPDATE, DELETE with deletion vectors, a new column.
  await pickRef(page, 'branch', 'dev');
  await openTable(page, 'spark_sales');
  await expectTable(page, SALES.dev);
  await page.getByTestId('tab-schema').click();
  await expect(page.getByTestId('schema-panel').or(page.locator('main'))).toContainText('note');
  await shot(page, 'lakefs-real-dev-spark');
  const dvRows = await runSql(page, "SELECT count(*) FROM t WHERE id % 10 = 3");
  expect(Number(dvRows[0][0]), 'rows deleted through deletion vectors are gone').toBe(0);
  const updated = await runSql(page, "SELECT qty FROM t WHERE id = 1");
  expect(Number(updated[0][0]), 'UPDATE on dev (south +1)').toBe(11);

  // The tag: the commit main was loaded in.
  await pickRef(page, 'tag', facts.tag);
  await openTable(page, 'spark_sales');
  await expectTable(page, SALES.main);

  // Data files came from presigned MinIO URLs; the API only through the page's own origin.
  const dataFromMinio = traffic.requests.filter((r) => r.url.startsWith(minio.endpoint) && r.url.includes('X-Amz-Signature'));
  expect(dataFromMinio.length, 'presigned reads from MinIO').toBeGreaterThan(0);
  for (const r of dataFromMinio) expect(r.headers.authorization, r.url).toBeUndefined();
  expectRequestsTo(traffic, [app.baseUrl, minio.endpoint]);
  await expectNoSecret(page, traffic, lakefs.secretAccessKey);
});

test('real lakeFS: compare the Spark table on main and dev', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto(`${app.baseUrl}/`);
  await connect(page);
  const panel = page.getByTestId('lakefs-panel');
  await panel.locator(`[data-testid=lakefs-repo][data-repo="${facts.repository}"]`).click();
  const browser = panel.getByTestId('lakefs-browser');
  await browser.locator('[data-testid=lakefs-folder][data-path="tables"] button').first().click();
  await browser.locator('[data-testid=lakefs-folder][data-path="tables/spark_sales"] button').first().click();
  const compare = panel.getByTestId('lakefs-compare');
  await compare.getByTestId('lakefs-compare-a').selectOption('main');
  await compare.getByTestId('lakefs-compare-b').selectOption('dev');
  await compare.getByTestId('lakefs-compare-run').click();
  await expect(compare.getByTestId('lakefs-compare-version-a')).toHaveText(String(SALES.main.version), { timeout: 60_000 });
  await expect(compare.getByTestId('lakefs-compare-version-b')).toHaveText(String(SALES.dev.version));
  const added = compare.locator('[data-testid=compare-schema-change][data-kind=added]');
  await expect(added).toHaveCount(1);
  await expect(added).toContainText('note');
  await shot(page, 'lakefs-real-compare');

  // Row-level diff of the two refs by id. Expected from the seed's writes (scripts/peers/seed_lakefs.py):
  // main has ids 0..199 (region by id % 4, qty id*10) and 200..259; dev ran UPDATE qty+1 WHERE region
  // 'south', DELETE WHERE id % 10 = 3, added `note`, and inserted ids 1000, 1001.
  const region = (i: number) => (i < 200 ? ['north', 'south', 'east', 'west'][i % 4] : 'north');
  const mainIds = Array.from({ length: 260 }, (_, i) => i);
  const removed = mainIds.filter((i) => i % 10 === 3).length;
  const changed = mainIds.filter((i) => i % 10 !== 3 && region(i) === 'south').length;
  await compare.getByTestId('rowdiff-key-text').fill('id');
  await compare.getByTestId('rowdiff-run').click();
  await expect(compare.getByTestId('rowdiff-result')).toHaveAttribute('data-key', 'id', { timeout: 120_000 });
  await expect(compare.getByTestId('rowdiff-removed')).toHaveAttribute('data-value', String(removed));
  await expect(compare.getByTestId('rowdiff-added')).toHaveAttribute('data-value', '2');
  await expect(compare.getByTestId('rowdiff-changed')).toHaveAttribute('data-value', String(changed));
  // Rows per side as Spark counted them (the facts), checked against each ref's log by the diff.
  await expect(compare.getByTestId('rowdiff-unchanged')).toHaveAttribute('data-value', String(SALES.main.rows - removed - changed));
  await expect(compare.getByTestId('rowdiff-checks')).toContainText(`${SALES.main.rows}, as the log says`);
  await expect(compare.getByTestId('rowdiff-checks')).toContainText(`${SALES.dev.rows}, as the log says`);
  await expect(compare.getByTestId('rowdiff-columns-note')).toContainText('note');
  await shot(page, 'lakefs-real-rowdiff');
});

test('real lakeFS: a share link pins the commit; a recipient with no credentials reads it from presigned URLs after the branch moves', async ({ page, context, browser }) => {
  test.setTimeout(300_000);
  const traffic = recordTraffic(context, page);
  await page.goto(`${app.baseUrl}/`);
  await connect(page);
  const panel = page.getByTestId('lakefs-panel');
  await panel.locator(`[data-testid=lakefs-repo][data-repo="${facts.repository}"]`).click();
  await pickRef(page, 'branch', 'dev');
  await openTable(page, 'spark_sales');
  await expectTable(page, SALES.dev);
  const query = 'SELECT id, region, qty, note FROM t ORDER BY id LIMIT 30';
  const mine = await runSql(page, query);
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-create').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#share=/);
  await expectNoSecret(page, traffic, lakefs.secretAccessKey);

  // dev moves on: a new commit deletes the table's log through the lakeFS API.
  const auth = `Basic ${Buffer.from(`${lakefs.accessKeyId}:${lakefs.secretAccessKey}`).toString('base64')}`;
  const api = `${lakefs.endpoint}/api/v1/repositories/${facts.repository}`;
  const del = await fetch(`${api}/branches/dev/objects?path=${encodeURIComponent(`${SALES.path}/_delta_log/${String(SALES.dev.version).padStart(20, '0')}.json`)}`, { method: 'DELETE', headers: { authorization: auth } });
  expect(del.status).toBe(204);
  const moved = await fetch(`${api}/branches/dev/commits`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ message: 'drop the last commit file' }) });
  expect(moved.status).toBe(201);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const theirs = recordTraffic(fresh, other);
  await other.goto(link);
  await expect(other.getByTestId('share-banner')).toContainText(`version ${SALES.dev.version}`);
  await other.getByTestId('tab-overview').click();
  await expect(other.getByTestId('overview-source')).toContainText(`lakefs://${facts.repository}/dev/${SALES.path} (commit ${facts.branches.dev.slice(0, 12)})`);
  expect(await runSql(other, query)).toEqual(mine);
  await shot(other, 'lakefs-real-share-recipient');
  for (const r of theirs.requests) expect(r.headers.authorization, r.url).toBeUndefined();
  expect(theirs.requests.some((r) => r.url.includes('/api/v1/'))).toBe(false);
  expectRequestsTo(theirs, [app.baseUrl, minio.endpoint]);
  await fresh.close();
});

test('real lakeFS: a wrong secret is WRONG_CREDENTIALS; an address with no lakeFS API says so; lakeFS cross-origin is CORS_REFUSED', async ({ page }) => {
  await page.goto(`${app.baseUrl}/`);
  const wrong = 'wrong-lakefs-secret-e2e-5521';
  await connect(page, { secret: wrong });
  const err = page.getByTestId('lakefs-panel').getByTestId('error-panel');
  await expect(err).toHaveAttribute('data-code', 'WRONG_CREDENTIALS');
  await expect(err).not.toContainText(wrong);
  await shot(page, 'lakefs-real-wrong-secret');

  // MinIO is a real server at that address, and it allows this origin by CORS, but it has no lakeFS API.
  await page.getByTestId('lakefs-panel').getByTestId('lakefs-endpoint').fill(minio.endpoint);
  await page.getByTestId('lakefs-panel').getByTestId('lakefs-secretAccessKey').fill(lakefs.secretAccessKey);
  await page.getByTestId('lakefs-panel').getByTestId('lakefs-connect').click();
  await expect(err).toHaveAttribute('data-code', 'STORAGE_ERROR');
  await expect(err).toContainText('lakeFS API');
  await shot(page, 'lakefs-real-not-lakefs');

  // lakeFS itself, cross-origin: it sends no CORS headers, so the browser refuses, and the error says how to deploy.
  await page.getByTestId('lakefs-panel').getByTestId('lakefs-endpoint').fill(lakefs.endpoint);
  await page.getByTestId('lakefs-panel').getByTestId('lakefs-secretAccessKey').fill(lakefs.secretAccessKey);
  await page.getByTestId('lakefs-panel').getByTestId('lakefs-connect').click();
  await expect(err).toHaveAttribute('data-code', 'CORS_REFUSED');
  await expect(err.getByTestId('error-hint')).toContainText('--lakefs');
  await expect(err).not.toContainText(lakefs.secretAccessKey);
});

test('real lakeFS without presigned URLs: the table is read through the API', async ({ page, context }) => {
  test.skip(!plainApp, 'DX_LAKEFS_NOPRESIGN_ENDPOINT not set');
  const plain = facts.noPresign!;
  const traffic = recordTraffic(context, page);
  await page.goto(`${plainApp!.baseUrl}/`);
  await connect(page, { key: requireEnv('DX_LAKEFS_NOPRESIGN_ACCESS_KEY'), secret: requireEnv('DX_LAKEFS_NOPRESIGN_SECRET_KEY') });
  const panel = page.getByTestId('lakefs-panel');
  await panel.locator(`[data-testid=lakefs-repo][data-repo="${plain.repository}"]`).click();
  const browser = panel.getByTestId('lakefs-browser');
  await browser.locator('[data-testid=lakefs-folder][data-path="tables"] button').first().click();
  await browser.locator('[data-testid=lakefs-folder][data-path="tables/rs_events"]').getByTestId('lakefs-open').click();
  await expectTable(page, plain.tables.rs_events.main);
  await shot(page, 'lakefs-real-no-presign');
  expect(traffic.requests.some((r) => r.url.startsWith(minio.endpoint)), 'nothing read from the storage directly').toBe(false);
  expectRequestsTo(traffic, [plainApp!.baseUrl]);
});

test("real lakeFS: the S3 form at lakeFS's S3 gateway (bucket = repository, prefix = branch/path) opens the same table", async ({ page, context }) => {
  test.setTimeout(300_000);
  gateway = await startCorsProxy(lakefs.endpoint, app.baseUrl);
  const traffic = recordTraffic(context, page);
  await page.goto(`${app.baseUrl}/`);
  await page.getByTestId('source-s3').click();
  await page.getByTestId('s3-endpoint').fill(gateway.url);
  await page.getByTestId('s3-bucket').fill(facts.repository);
  await page.getByTestId('s3-prefix').fill(`main/${SALES.path.replace(/\/[^/]+$/, '')}/`);
  await page.getByTestId('s3-accessKeyId').fill(lakefs.accessKeyId);
  await page.getByTestId('s3-secretAccessKey').fill(lakefs.secretAccessKey);
  await page.getByTestId('s3-connect').click();
  const row = page.locator('[data-testid=s3-folder][data-path="main/tables/spark_sales"]');
  await expect(row).toHaveAttribute('data-table', 'yes', { timeout: 60_000 });
  await row.getByTestId('s3-open').click();
  await expectTable(page, SALES.main);
  await shot(page, 'lakefs-real-s3-gateway');
  expectRequestsTo(traffic, [app.baseUrl, gateway.url]);
  await expectNoSecret(page, traffic, lakefs.secretAccessKey);
});
