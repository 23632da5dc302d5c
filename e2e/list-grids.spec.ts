/**
 * The result grid in the History and Changes tabs (issue #13 item 2): the whole list is held in
 * the worker, so sorting and filtering run over all of it. Expected values come from the tables'
 * commit files (read here) and delta-kernel-rs's transcribed change feed, never from the app.
 * Axe (light and dark) with the grid on screen; screenshots at 1400 and 390 px.
 */
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASIC_CDF } from '../test/expected/kernel-cdf.ts';
import { failOnPageErrors } from './page-errors.ts';
import { shot, axeProblems } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;

failOnPageErrors();
// Several reads, axe runs and full-page screenshots per test on a shared machine.
test.describe.configure({ timeout: 150_000 });

/** Cells of one column of a grid's rendered rows, in row order. */
async function columnCells(page: Page, grid: string, column: string): Promise<string[]> {
  const g = page.getByTestId(grid);
  const headers = await g.getByTestId('sql-header').locator('.rg-name').allTextContents();
  const k = headers.indexOf(column);
  expect(k, `column ${column} in ${headers.join(', ')}`).toBeGreaterThanOrEqual(0);
  return g.getByTestId('sql-row').evaluateAll(
    (rows, k) =>
      rows
        .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
        .map((r) => r.querySelectorAll('[data-testid=sql-cell]')[k]?.textContent ?? ''),
    k,
  );
}

async function sortBy(page: Page, grid: string, column: string, dir: 'ascending' | 'descending') {
  const h = page.getByTestId(grid).locator(`[data-testid=sql-header][data-column="${column}"]`);
  for (let i = 0; i < 3 && (await h.getAttribute('aria-sort')) !== dir; i++) await h.getByTestId('grid-sort').click();
  await expect(h).toHaveAttribute('aria-sort', dir);
}

test('History opens as a grid: every commit, sorted and filtered in the worker, as the commit files say', async ({ page }) => {
  const table = 'checkpoints';
  const dir = join(TABLES, table, '_delta_log');
  const commits = readdirSync(dir)
    .filter((n) => /^\d{20}\.json$/.test(n))
    .map((n) => {
      const info = readFileSync(join(dir, n), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"commitInfo"'))
        .map((l) => JSON.parse(l).commitInfo)[0];
      return { version: Number(n.slice(0, 20)), operation: String(info?.operation ?? '') };
    });
  const writes = commits.filter((c) => c.operation === 'WRITE').length;
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/?url=${BASE}/fixtures/${table}&view=history`);
  await expect(page.getByTestId('history-count')).toHaveAttribute('data-value', String(commits.length), { timeout: 30_000 });
  // The grid is the default layout.
  await expect(page.getByTestId('history-as-grid')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', String(commits.length), { timeout: 30_000 });
  // Newest first, as DESCRIBE HISTORY; sorted ascending in the worker.
  await expect.poll(async () => (await columnCells(page, 'history-grid', 'version'))[0]).toBe(String(Math.max(...commits.map((c) => c.version))));
  await sortBy(page, 'history-grid', 'version', 'ascending');
  await expect.poll(() => columnCells(page, 'history-grid', 'version')).toEqual(commits.map((c) => String(c.version)).sort((a, b) => Number(a) - Number(b)));
  // A filter on the operation column: exactly the WRITE commits.
  const headers = await page.getByTestId('history-grid').getByTestId('sql-header').locator('.rg-name').allTextContents();
  await page.getByTestId('history-grid').getByTestId('grid-filter').nth(headers.indexOf('operation')).fill('=WRITE');
  await expect(page.getByTestId('history-grid-count')).toHaveAttribute('data-rows', String(writes));
  await shot(page, 'history-grid-light-1400');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeProblems(page), `axe (${scheme})`).toEqual([]);
  }
  await shot(page, 'history-grid-dark-1400');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'history-grid-dark-390');
  // The commit list, one switch away.
  await page.getByTestId('history-as-list').click();
  await expect(page.getByTestId('history-row')).toHaveCount(commits.length);
});

test('Changes grid: the whole feed held in the worker, sorted by id as the kernel feed says', async ({ page }) => {
  const lines = BASIC_CDF.trim().split('\n').slice(1).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  const ids = lines.map((r) => Number(r[0])).sort((a, b) => b - a);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/?url=${BASE}/fixtures/cdf-table-kernel&view=changes&from=0&to=3`);
  await expect(page.getByTestId('changes-status')).toHaveAttribute('data-rows', String(lines.length), { timeout: 45_000 });
  const grid = page.getByTestId('changes-grid').getByTestId('sql-grid');
  await expect(grid).toHaveAttribute('data-rows', String(lines.length));
  await sortBy(page, 'sql-grid', 'id', 'descending');
  await expect.poll(async () => (await columnCells(page, 'sql-grid', 'id')).map(Number)).toEqual(ids);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await axeProblems(page), 'axe (dark)').toEqual([]);
  await shot(page, 'changes-grid-sorted-dark-1400');
});
