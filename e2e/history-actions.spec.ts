/**
 * History's default view: the result grid over the worker-held history, with row actions (issue
 * #13). On a real Change Data Feed table (`cdf-table-kernel`, delta-kernel-rs's fixture) every
 * expectation comes from its commit files, read here: the versions in the grid, the action kinds
 * of a commit, the files a Compare adds and removes (a replay of add/remove paths), the version
 * opened, and the feed of one version from kernel's transcribed `table_changes` rows. Keyboard:
 * Enter on a selected row opens its actions, Tab reaches them, Escape gives focus back to the grid.
 * Axe (light and dark) with the actions open; screenshots at 1400 and 390 px, light and dark.
 * A generated 20,000-commit table: the grid pages from the worker (a few dozen rows in the page),
 * scrolls to the oldest commit by keyboard and opens its actions.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateManyCommitsTable } from '../bench/gen/json-tables.ts';
import { BASIC_CDF } from '../test/expected/kernel-cdf.ts';
import { failOnPageErrors } from './page-errors.ts';
import { axeProblems, shot } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;
const NAME = 'cdf-table-kernel';

failOnPageErrors();
test.describe.configure({ timeout: 150_000 });

interface Commit {
  version: number;
  actions: Record<string, unknown>[];
}

/** The table's commit files, oldest first. */
function commits(name: string): Commit[] {
  const dir = join(TABLES, name, '_delta_log');
  return readdirSync(dir)
    .filter((n) => /^\d{20}\.json$/.test(n))
    .sort()
    .map((n) => ({
      version: Number(n.slice(0, 20)),
      actions: readFileSync(join(dir, n), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    }));
}

/** Actions per kind in one commit. */
function kindCounts(c: Commit): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of c.actions) for (const k of Object.keys(a)) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** The active file paths at `version`: a replay of add and remove paths. */
function activePaths(all: Commit[], version: number): Set<string> {
  const live = new Set<string>();
  for (const c of all.filter((x) => x.version <= version)) {
    for (const a of c.actions) {
      if (a.add) live.add((a.add as { path: string }).path);
      if (a.remove) live.delete((a.remove as { path: string }).path);
    }
  }
  return live;
}

/** Files added and removed going from version a to version b. */
function fileDelta(all: Commit[], a: number, b: number): { added: number; removed: number } {
  const pa = activePaths(all, a);
  const pb = activePaths(all, b);
  return { added: [...pb].filter((p) => !pa.has(p)).length, removed: [...pa].filter((p) => !pb.has(p)).length };
}

const query = (page: Page) => new URL(page.url()).searchParams;

/** Opens History (grid by default) and waits for every commit in the grid. */
async function openHistory(page: Page, all: Commit[], extra = '') {
  await page.goto(`/?url=${BASE}/fixtures/${NAME}&view=history${extra}`);
  await expect(page.getByTestId('history-as-grid')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', String(all.length), { timeout: 45_000 });
}

/** The grid row (by its `version` cell) and its actions button. */
function actionsButton(page: Page, version: number) {
  return page.getByTestId('history-grid').getByRole('button', { name: `Actions for version ${version}`, exact: true });
}

test('History opens on the grid; a row opens its commit: every action kind counted as the commit file has it', async ({ page }) => {
  const all = commits(NAME);
  const latest = all[all.length - 1].version;
  await page.setViewportSize({ width: 1400, height: 900 });
  await openHistory(page, all);
  // Newest first: the first row's actions name the latest version.
  await expect(page.getByTestId('history-grid').getByTestId('grid-row-actions').first()).toHaveAttribute('aria-label', `Actions for version ${latest}`);
  for (const c of all) await expect(actionsButton(page, c.version)).toHaveCount(1);

  // The commit with the most kinds of action.
  const target = [...all].sort((x, y) => Object.keys(kindCounts(y)).length - Object.keys(kindCounts(x)).length)[0];
  await actionsButton(page, target.version).click();
  const panel = page.getByTestId('history-actions');
  await expect(panel).toHaveAttribute('data-version', String(target.version));
  expect(query(page).get('commit')).toBe(String(target.version));
  await expect(actionsButton(page, target.version)).toHaveAttribute('aria-expanded', 'true');
  const counts = kindCounts(target);
  const kinds = panel.getByTestId('detail-kind-counts');
  for (const kind of ['add', 'remove', 'metaData', 'protocol', 'commitInfo', 'cdc', 'domainMetadata', ...Object.keys(counts)]) {
    await expect(kinds.locator(`[data-kind="${kind}"]`)).toHaveAttribute('data-count', String(counts[kind] ?? 0));
  }
  // The raw commit JSON: every action line of the file, in order.
  const raw = (await panel.getByTestId('detail-actions').textContent()) ?? '';
  const parsed = raw.split(/\n(?=\{)/).map((t) => JSON.parse(t) as unknown);
  expect(parsed).toEqual(target.actions);

  // Copy version and commit time (the time shown in the grid's `timestamp` cell for that row).
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await panel.getByTestId('history-action-copy-version').click();
  await expect(panel.getByTestId('history-action-copy-version')).toHaveAttribute('data-state', 'copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(String(target.version));
  await panel.getByTestId('history-action-copy-timestamp').click();
  await expect(panel.getByTestId('history-action-copy-timestamp')).toHaveAttribute('data-state', 'copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
  const headers = await page.getByTestId('history-grid').getByTestId('sql-header').locator('.rg-name').allTextContents();
  const row = page.getByTestId('history-grid').locator('[data-testid=sql-row][data-open=true]');
  const cell = (await row.getByTestId('sql-cell').nth(headers.indexOf('timestamp')).textContent()) ?? '';
  expect(Date.parse(cell.replace(' ', 'T'))).toBe(Date.parse(copied));

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeProblems(page), `axe (${scheme})`).toEqual([]);
    await shot(page, `history-actions-${scheme}-1400`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeProblems(page), `axe 390 (${scheme})`).toEqual([]);
    await shot(page, `history-actions-${scheme}-390`);
  }
});

test('row actions by keyboard: open at a version, compare with the previous and with the latest, as the log says', async ({ page }) => {
  const all = commits(NAME);
  const latest = all[all.length - 1].version;
  expect(all.length, 'the fixture has several versions').toBeGreaterThanOrEqual(3);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openHistory(page, all);

  // Keyboard: focus the grid, select the second row (newest first: latest - 1), Enter opens it.
  const grid = page.getByTestId('history-grid');
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  const second = all[all.length - 2].version;
  const panel = page.getByTestId('history-actions');
  await expect(panel).toHaveAttribute('data-version', String(second));
  await expect(panel.getByRole('heading', { level: 3 })).toBeFocused();
  // Escape closes and gives focus back to the grid; Enter opens the same row again.
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(grid).toBeFocused();
  expect(query(page).get('commit')).toBeNull();
  await page.keyboard.press('Enter');
  await expect(panel).toHaveAttribute('data-version', String(second));
  // Tab walks the actions: Close, then "Open at version N"; Enter travels there.
  await page.keyboard.press('Tab');
  await expect(panel.getByTestId('history-action-close')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(panel.getByTestId('history-action-open')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('version-current')).toHaveText(String(second));
  await expect.poll(() => query(page).get('version')).toBe(String(second));
  await expect(panel.getByTestId('history-action-shown')).toBeVisible();

  // Compare with the previous version: Compare A = version - 1, B = version; files as the log replays them.
  await panel.getByTestId('history-action-compare-previous').click();
  await expect(page.getByTestId('tab-compare')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('compare-a')).toHaveValue(String(second - 1));
  await expect(page.getByTestId('compare-b')).toHaveText(String(second));
  expect(query(page).get('compare')).toBe(String(second - 1));
  let d = fileDelta(all, second - 1, second);
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-a', String(second - 1), { timeout: 45_000 });
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-b', String(second));
  await expect(page.getByTestId('compare-added')).toHaveAttribute('data-value', String(d.added));
  await expect(page.getByTestId('compare-removed')).toHaveAttribute('data-value', String(d.removed));
  // Back returns to History (one browser-history entry for the jump).
  await page.goBack();
  await expect(page.getByTestId('tab-history')).toHaveAttribute('aria-selected', 'true');

  // Compare the first version with the latest: A = 0, B = latest.
  const first = all[0].version;
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', String(all.length), { timeout: 45_000 });
  await actionsButton(page, first).click();
  await expect(panel).toHaveAttribute('data-version', String(first));
  await expect(panel.getByTestId('history-action-compare-previous')).toBeDisabled();
  await panel.getByTestId('history-action-compare-latest').click();
  await expect(page.getByTestId('tab-compare')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('compare-a')).toHaveValue(String(first));
  await expect(page.getByTestId('compare-b')).toHaveText(String(latest));
  await expect(page.getByTestId('version-current')).toHaveText(String(latest));
  d = fileDelta(all, first, latest);
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-b', String(latest), { timeout: 45_000 });
  await expect(page.getByTestId('compare-added')).toHaveAttribute('data-value', String(d.added));
  await expect(page.getByTestId('compare-removed')).toHaveAttribute('data-value', String(d.removed));
});

test("a commit's Change Data Feed: the Changes view for that one version, rows as kernel's feed has them", async ({ page }) => {
  const all = commits(NAME);
  const feed = BASIC_CDF.trim().split('\n').slice(1).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  // A version that wrote cdc files (from the log), and kernel's rows for it.
  const withCdc = all.filter((c) => c.actions.some((a) => a.cdc));
  expect(withCdc.length).toBeGreaterThan(0);
  const v = withCdc[withCdc.length - 1].version;
  const expected = feed.filter((r) => Number(r[r.length - 1]) === v).length;
  expect(expected).toBeGreaterThan(0);
  await page.setViewportSize({ width: 1400, height: 900 });
  await openHistory(page, all, `&commit=${v}`);
  const panel = page.getByTestId('history-actions');
  await expect(panel).toHaveAttribute('data-version', String(v));
  await panel.getByTestId('history-action-cdf').click();
  await expect(page.getByTestId('tab-changes')).toHaveAttribute('aria-selected', 'true');
  expect(query(page).get('from')).toBe(String(v));
  expect(query(page).get('to')).toBe(String(v));
  const status = page.getByTestId('changes-status');
  await expect(status).toHaveAttribute('data-from', String(v), { timeout: 45_000 });
  await expect(status).toHaveAttribute('data-to', String(v));
  await expect(status).toHaveAttribute('data-rows', String(expected));
});

test('a table without a Change Data Feed says so in the actions; the list stays one switch away', async ({ page }) => {
  const name = 'simple_table_with_checkpoint';
  const dir = join(TABLES, name, '_delta_log');
  const versions = readdirSync(dir).filter((n) => /^\d{20}\.json$/.test(n)).length;
  await page.goto(`/?url=${BASE}/fixtures/${name}&view=history`);
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', String(versions), { timeout: 45_000 });
  await page.getByTestId('history-grid').getByTestId('grid-row-actions').first().click();
  await expect(page.getByTestId('history-action-no-cdf')).toBeVisible();
  await expect(page.getByTestId('history-action-cdf')).toHaveCount(0);
  // The list: same commits, the opened commit kept; reloading keeps the layout.
  await page.getByTestId('history-as-list').click();
  expect(query(page).get('layout')).toBe('list');
  await expect(page.getByTestId('history-row')).toHaveCount(versions);
  await expect(page.getByTestId('history-detail')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('history-row')).toHaveCount(versions, { timeout: 45_000 });
  await page.getByTestId('history-as-grid').click();
  expect(query(page).get('layout')).toBeNull();
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', String(versions), { timeout: 45_000 });
});

test('20,000 commits: the grid holds them in the worker, renders a few dozen, reaches the oldest by keyboard', async ({ page }) => {
  test.setTimeout(300_000);
  const COMMITS = 20_000;
  const dir = join(mkdtempSync(join(tmpdir(), 'dx-e2e-history-')), 'many_commits');
  mkdirSync(dir);
  await generateManyCommitsTable(dir, { commits: COMMITS, addsPerCommit: 1, partitions: 10 });
  const latest = COMMITS - 1;
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/?view=history');
  await page.setInputFiles('#dir', dir);
  await expect(page.getByTestId('overview-source').or(page.getByTestId('header-name')).first()).toContainText('many_commits', { timeout: 180_000 });
  await page.getByTestId('tab-history').click();
  const grid = page.getByTestId('history-grid');
  await expect(grid).toHaveAttribute('data-rows', String(COMMITS), { timeout: 180_000 });
  await expect(page.getByTestId('history-count')).toHaveAttribute('data-value', String(COMMITS));
  // Virtualized: only the rows in view (plus overscan) are in the page.
  expect(await grid.getByTestId('sql-row').count()).toBeLessThan(80);
  await expect(grid.getByTestId('grid-row-actions').first()).toHaveAttribute('aria-label', `Actions for version ${latest}`);
  // Ctrl+End selects the last row (the oldest commit, fetched from the worker as a page); Enter opens it.
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Control+End');
  await expect(grid.getByRole('button', { name: 'Actions for version 0', exact: true })).toBeVisible({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('history-actions');
  await expect(panel).toHaveAttribute('data-version', '0');
  await expect(panel.getByTestId('history-action-compare-previous')).toBeDisabled();
  await expect(panel.getByTestId('history-action-compare-latest')).toContainText(`latest (${latest})`);
  // The commit file of version 0: commitInfo, protocol, metaData and one add.
  const kinds = panel.getByTestId('detail-kind-counts');
  for (const [kind, n] of Object.entries({ commitInfo: 1, protocol: 1, metaData: 1, add: 1, remove: 0 })) {
    await expect(kinds.locator(`[data-kind="${kind}"]`)).toHaveAttribute('data-count', String(n));
  }
  expect(await grid.getByTestId('sql-row').count()).toBeLessThan(80);
});
