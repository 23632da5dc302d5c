/**
 * The lakeFS source in Chromium, against the lakeFS test double (test/lakefs/double.ts) over the
 * `simple_table` fixture: branch `main` holds its first three commits, branch `dev` all five. The
 * app is served by `delta-explorer serve --lakefs <double>` (the real `serve`, started here on a
 * free port), so the page calls the lakeFS API on its own origin through the proxy (lakeFS sends no
 * CORS headers); data files are read from the double's presigned URLs (another origin, with CORS,
 * as a bucket would be).
 *
 * Connect, list repositories and refs, browse to the table, open it on `main` and on `dev`
 * (versions and files checked against an independent replay of the fixture's log), a SQL count on
 * each (against the same table opened from local files, and the manifest's row count), compare the
 * two refs, and the secret nowhere in the URL or in storage. Screenshots go to
 * `test-results/screenshots/`.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServeHandle } from '../src/cli/serve.ts';
import { FIXTURES, manifestEntry, referenceReplay } from '../test/fixtures.ts';
import { LakeFsDouble, seedDeltaRepositories, type SeededFacts } from '../test/lakefs/double.ts';
import { expectNoSecret, expectRequestsTo, recordTraffic } from './secrets.ts';
import { failOnPageErrors } from './page-errors.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = join(ROOT, 'test-results/screenshots');
const KEY = { accessKeyId: 'AKIALAKEFSE2E0000001', secretAccessKey: 'e2e-lakefs-secret-5f1c' };

let double: LakeFsDouble;
let facts: SeededFacts;
let app: ServeHandle;

test.beforeAll(async () => {
  double = new LakeFsDouble({ users: [KEY] });
  facts = seedDeltaRepositories(double, FIXTURES);
  await double.listen();
  app = await serve({ target: facts.tableDir, port: 0, appDir: process.env.E2E_APP_DIR ?? join(ROOT, 'dist'), lakefs: double.url, log: () => {} });
});

test.afterAll(async () => {
  await app?.close();
  await double?.close();
});

failOnPageErrors();

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Runs `SELECT count(*)` in the Data tab and returns the number shown. */
async function sqlCount(page: Page): Promise<number> {
  await page.getByTestId('tab-data').click();
  await page.getByTestId('sql-editor').fill('SELECT count(*) AS n FROM t');
  await page.getByTestId('sql-run').click();
  await expect(page.getByTestId('sql-status')).toBeVisible({ timeout: 120_000 }); // the first run starts DuckDB-WASM
  const cell = page.getByTestId('sql-row').first().getByTestId('sql-cell').first();
  await expect(cell).toHaveText(/^\d+$/);
  return Number(await cell.textContent());
}

/** Checks the Overview of the open table against the fixture replayed to `version`. */
async function expectTableAt(page: Page, version: number): Promise<void> {
  const expected = referenceReplay(facts.tableDir, version);
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(version), { timeout: 30_000 });
  await expect(page.getByTestId('overview-num-files')).toHaveAttribute('data-value', String(expected.numFiles));
  await expect(page.getByTestId('overview-size')).toHaveAttribute('data-value', String(expected.sizeBytes));
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(version + 1);
}

/** In the lakeFS panel at the current ref: into `tables/`, then opens `simple_table`. */
async function openTableAtRef(page: Page): Promise<void> {
  const browser = page.getByTestId('lakefs-browser');
  await expect(browser.locator('[data-testid=lakefs-folder][data-path="raw"]')).toBeVisible();
  await browser.locator('[data-testid=lakefs-folder][data-path="tables"] button').first().click();
  const row = browser.locator(`[data-testid=lakefs-folder][data-path="${facts.tablePath}"]`);
  await expect(row).toHaveAttribute('data-table', 'yes');
  await expect(browser.locator(`[data-testid=lakefs-folder][data-path="${facts.otherTablePath}"]`)).toHaveAttribute('data-table', 'yes');
  await row.getByTestId('lakefs-open').click();
}

test('lakeFS: connect through serve --lakefs, list repositories and refs, open a table on two branches, SQL, compare the refs', async ({ page, context }) => {
  test.setTimeout(360_000);
  const traffic = recordTraffic(context, page);
  // The same table from local files at main's version: the count the lakeFS read must give.
  await page.goto(`${app.baseUrl}/?url=${encodeURIComponent(app.tableUrl)}&version=${facts.mainVersion}`);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(facts.mainVersion), { timeout: 30_000 });
  const localMainCount = await sqlCount(page);

  await page.getByTestId('source-lakefs').click();
  const panel = page.getByTestId('lakefs-panel');
  await expect(panel.getByTestId('lakefs-endpoint')).toHaveValue(`${app.baseUrl}/lakefs`);
  await panel.getByTestId('lakefs-accessKeyId').fill(KEY.accessKeyId);
  await panel.getByTestId('lakefs-secretAccessKey').fill(KEY.secretAccessKey);
  await expect(panel.getByTestId('lakefs-remember')).not.toBeChecked();
  await panel.getByTestId('lakefs-connect').click();

  // Repositories, then the refs of one.
  await expect(panel.getByTestId('lakefs-repo')).toHaveCount(2);
  await expect(panel.getByTestId('lakefs-repo').first()).toHaveAttribute('data-repo', facts.repository);
  await panel.locator(`[data-testid=lakefs-repo][data-repo="${facts.repository}"]`).click();
  await expect(panel.getByTestId('lakefs-branch')).toHaveCount(2);
  await expect(panel.locator('[data-testid=lakefs-branch]')).toHaveText([/^dev\b/, /^main\b/]);
  await expect(panel.locator('[data-testid=lakefs-tag]')).toHaveAttribute('data-ref', facts.tag);
  await expect(panel.getByTestId('lakefs-commit')).toHaveCount(2); // main: the load, and the repository's first commit
  await expect(panel.getByTestId('lakefs-commit').first()).toHaveAttribute('data-commit', facts.mainCommit);
  await expect(panel.getByTestId('lakefs-browser')).toHaveAttribute('data-ref', 'main');
  await expect(panel.locator('[data-testid=lakefs-folder][data-path="raw"]')).toHaveAttribute('data-table', 'no');
  await shot(page, 'lakefs-refs');

  // main: the older state of the table.
  await openTableAtRef(page);
  await expectTableAt(page, facts.mainVersion);
  expect(await sqlCount(page)).toBe(localMainCount);
  await shot(page, 'lakefs-main');

  // dev: two more commits.
  await page.getByTestId('source-lakefs').click();
  await panel.locator('[data-testid=lakefs-branch][data-ref="dev"] button').click();
  await expect(panel.getByTestId('lakefs-browser')).toHaveAttribute('data-ref', 'dev');
  await openTableAtRef(page);
  await expectTableAt(page, facts.devVersion);
  expect(await sqlCount(page)).toBe(manifestEntry('simple_table').num_rows_expected);
  await shot(page, 'lakefs-dev');

  // Compare the table on main and on dev.
  await page.getByTestId('source-lakefs').click();
  const browser = panel.getByTestId('lakefs-browser');
  await browser.getByTestId('lakefs-crumbs').getByRole('button').first().click(); // back to the ref's root
  await browser.locator('[data-testid=lakefs-folder][data-path="tables"] button').first().click();
  await browser.locator(`[data-testid=lakefs-folder][data-path="${facts.tablePath}"] button`).first().click();
  const compare = panel.getByTestId('lakefs-compare');
  await compare.getByTestId('lakefs-compare-a').selectOption('main');
  await compare.getByTestId('lakefs-compare-b').selectOption('dev');
  await compare.getByTestId('lakefs-compare-run').click();
  await expect(compare.getByTestId('lakefs-compare-version-a')).toHaveText(String(facts.mainVersion), { timeout: 30_000 });
  await expect(compare.getByTestId('lakefs-compare-version-b')).toHaveText(String(facts.devVersion));
  const a = referenceReplay(facts.tableDir, facts.mainVersion).paths.map(decodeURIComponent);
  const b = referenceReplay(facts.tableDir, facts.devVersion).paths.map(decodeURIComponent);
  await expect(compare.getByTestId('compare-added')).toHaveAttribute('data-value', String(b.filter((p) => !a.includes(p)).length));
  await expect(compare.getByTestId('compare-removed')).toHaveAttribute('data-value', String(a.filter((p) => !b.includes(p)).length));
  await expect(compare.getByTestId('compare-unchanged')).toHaveAttribute('data-value', String(a.filter((p) => b.includes(p)).length));
  await expect(compare.getByTestId('compare-schema-none')).toBeVisible();
  await shot(page, 'lakefs-compare');

  // The secret went nowhere but to the worker (and, as basic auth, to the endpoint): not in any URL,
  // request URL, console line, storage, IndexedDB or page text; every request went to the app's
  // origin (which proxies lakeFS) or to the storage behind the presigned URLs.
  await expectNoSecret(page, traffic, KEY.secretAccessKey);
  expectRequestsTo(traffic, [app.baseUrl, new URL(double.url).origin]);
  // The API was called through the proxy with the key; data files came from presigned URLs (CORS, another origin).
  const api = double.requests.filter((r) => r.route !== 'presigned');
  expect(api.length).toBeGreaterThan(10);
  expect(api.every((r) => r.authenticated)).toBe(true);
  const presigned = double.requests.filter((r) => r.route === 'presigned' && r.status < 300);
  expect(presigned.length).toBeGreaterThan(0);
  expect(presigned.every((r) => r.origin === app.baseUrl)).toBe(true);
});

test('lakeFS: a wrong secret says so, and the secret is not shown', async ({ page }) => {
  await page.goto(`${app.baseUrl}/?url=${encodeURIComponent(app.tableUrl)}`);
  await page.getByTestId('source-lakefs').click();
  const panel = page.getByTestId('lakefs-panel');
  await panel.getByTestId('lakefs-accessKeyId').fill(KEY.accessKeyId);
  await panel.getByTestId('lakefs-secretAccessKey').fill('wrong-secret-e2e-77');
  await panel.getByTestId('lakefs-connect').click();
  const err = panel.getByTestId('error-panel');
  await expect(err).toBeVisible();
  await expect(err).toContainText(/refused the access key/);
  await expect(err).not.toContainText('wrong-secret-e2e-77');
  await shot(page, 'lakefs-wrong-secret');
});

test('lakeFS: a cross-origin lakeFS address is refused by CORS, and the error says how to deploy', async ({ page }) => {
  await page.goto(`${app.baseUrl}/?url=${encodeURIComponent(app.tableUrl)}`);
  await page.getByTestId('source-lakefs').click();
  const panel = page.getByTestId('lakefs-panel');
  await panel.getByTestId('lakefs-endpoint').fill(double.url); // lakeFS itself: another origin, no CORS headers
  await panel.getByTestId('lakefs-accessKeyId').fill(KEY.accessKeyId);
  await panel.getByTestId('lakefs-secretAccessKey').fill(KEY.secretAccessKey);
  await panel.getByTestId('lakefs-connect').click();
  const err = panel.getByTestId('error-panel');
  await expect(err).toHaveAttribute('data-code', 'CORS_REFUSED');
  await expect(err.getByTestId('error-hint')).toContainText('--lakefs');
  await expect(err).not.toContainText(KEY.secretAccessKey);
});

test('lakeFS: a share link pins the commit and opens without credentials after the branch moves', async ({ page, context, browser }) => {
  test.setTimeout(240_000);
  const traffic = recordTraffic(context, page);
  await page.goto(`${app.baseUrl}/`);
  await page.getByTestId('source-lakefs').click();
  const panel = page.getByTestId('lakefs-panel');
  await panel.getByTestId('lakefs-accessKeyId').fill(KEY.accessKeyId);
  await panel.getByTestId('lakefs-secretAccessKey').fill(KEY.secretAccessKey);
  await panel.getByTestId('lakefs-connect').click();
  await panel.locator(`[data-testid=lakefs-repo][data-repo="${facts.repository}"]`).click();
  await panel.locator('[data-testid=lakefs-branch][data-ref="dev"] button').click();
  await expect(panel.getByTestId('lakefs-browser')).toHaveAttribute('data-ref', 'dev');
  await openTableAtRef(page);
  await expectTableAt(page, facts.devVersion);
  const mine = await sqlCount(page);
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-create').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/#share=/);
  await expectNoSecret(page, traffic, KEY.secretAccessKey);

  // The branch moves on: the table's last two commits are gone from dev.
  double.commit(facts.repository, 'dev', 'drop the last commits', 1_900_000_000, new Map([
    [`${facts.tablePath}/_delta_log/${String(facts.devVersion).padStart(20, '0')}.json`, null],
  ]));

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const theirs = recordTraffic(fresh, other);
  await other.goto(link);
  await expect(other.getByTestId('share-banner')).toContainText(`version ${facts.devVersion}`);
  await other.getByTestId('tab-overview').click();
  await expect(other.getByTestId('overview-source')).toContainText(`lakefs://${facts.repository}/dev`);
  await expect(other.getByTestId('overview-version')).toHaveAttribute('data-value', String(facts.devVersion));
  expect(await sqlCount(other)).toBe(mine);
  // No credentials and no API call: only the presigned URLs (and the app itself).
  for (const r of theirs.requests) expect(r.headers.authorization, r.url).toBeUndefined();
  expect(theirs.requests.some((r) => r.url.includes('/api/v1/'))).toBe(false);
  await fresh.close();
});
