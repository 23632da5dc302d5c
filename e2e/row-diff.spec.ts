/**
 * The row-level diff in the Compare tab (issue #13 item 4), in the built app, on a table with
 * deletion vectors and a Change Data Feed (`cdf-table-with-cdc-and-dvs-kernel`, delta-kernel-rs).
 * Expected rows are worked out from the log outside the app: delta-kernel-rs's transcribed change
 * feed of the table (`CDC_AND_DVS`), its net effect between the two versions (`test/row-diff-expected.ts`).
 * Also: no serious or critical axe-core violation with the diff on screen, light and dark; screenshots
 * at 1400 and 390 px wide (to `E2E_SHOTS` or `test-results/screenshots/`).
 */
import { expect, test, type Page } from '@playwright/test';
import { CDC_AND_DVS } from '../test/expected/kernel-cdf.ts';
import { expectedDiff, parseFeed } from '../test/row-diff-expected.ts';
import { failOnPageErrors } from './page-errors.ts';
import { shot, axeProblems } from './shots.ts';

const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;
const TABLE = 'cdf-table-with-cdc-and-dvs-kernel';

failOnPageErrors();
// Several reads, axe runs and full-page screenshots per test on a shared machine.
test.describe.configure({ timeout: 150_000 });

/** The grid's rows as (`_diff`, `_side`, id) texts, for a grid whose rows all fit on screen. */
async function gridRows(page: Page): Promise<string[]> {
  const grid = page.getByTestId('rowdiff-grid');
  const headers = await grid.getByTestId('sql-header').locator('.rg-name').allTextContents();
  const [d, s, id] = ['_diff', '_side', 'id'].map((n) => headers.indexOf(n));
  const out: string[] = [];
  for (const row of await grid.getByTestId('sql-row').all()) {
    const cells = await row.getByTestId('sql-cell').allTextContents();
    out.push(`${cells[d]} ${cells[s]} ${cells[id]}`);
  }
  return out.sort();
}

for (const [va, vb] of [
  [8, 18],
  [18, 25],
] as const) {
  test(`row diff of ${TABLE} ${va} → ${vb} by id: counts and rows equal the kernel change feed's net effect; whole rows too`, async ({ page }) => {
    const exp = expectedDiff(parseFeed(CDC_AND_DVS), va, vb);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`/?url=${BASE}/fixtures/${TABLE}&view=compare&compare=${va}&version=${vb}`);
    await expect(page.getByTestId('compare-result')).toBeVisible({ timeout: 30_000 });
    // `id` is offered as the key and checked by default.
    await expect(page.getByTestId('rowdiff-key').and(page.locator('[data-column="id"]'))).toBeChecked();
    await page.getByTestId('rowdiff-run').click();
    const result = page.getByTestId('rowdiff-result');
    await expect(result).toBeVisible({ timeout: 60_000 });
    await expect(result).toHaveAttribute('data-key', 'id');
    await expect(page.getByTestId('rowdiff-added')).toHaveAttribute('data-value', String(exp.added.length));
    await expect(page.getByTestId('rowdiff-removed')).toHaveAttribute('data-value', String(exp.removed.length));
    await expect(page.getByTestId('rowdiff-changed')).toHaveAttribute('data-value', String(exp.changed.length));
    await expect(page.getByTestId('rowdiff-checks')).toContainText('Agrees with the Change Data Feed');
    const n = exp.added.length + exp.removed.length + 2 * exp.changed.length;
    expect(n).toBeGreaterThan(0);
    await expect(page.getByTestId('rowdiff-grid')).toHaveAttribute('data-rows', String(n));
    const want = [
      ...exp.added.map((i) => `added B ${i}`),
      ...exp.removed.map((i) => `removed A ${i}`),
      ...exp.changed.flatMap((i) => [`changed A ${i}`, `changed B ${i}`]),
    ].sort();
    expect(await gridRows(page)).toEqual(want);
    await shot(page, `rowdiff-${va}-${vb}-light-1400`);

    // Whole rows: an update is one removed and one added row.
    await page.getByTestId('rowdiff-key').and(page.locator('[data-column="id"]')).uncheck();
    await page.getByTestId('rowdiff-run').click();
    await expect(page.getByTestId('rowdiff-result')).toHaveAttribute('data-key', '', { timeout: 60_000 });
    await expect(page.getByTestId('rowdiff-added')).toHaveAttribute('data-value', String(exp.added.length + exp.changed.length));
    await expect(page.getByTestId('rowdiff-removed')).toHaveAttribute('data-value', String(exp.removed.length + exp.changed.length));
    await expect(page.getByTestId('rowdiff-changed')).toHaveAttribute('data-value', '0');
    await expect(page.getByTestId('rowdiff-checks')).toContainText('Agrees with the Change Data Feed');
  });
}

test('row diff: a key that is not unique is refused with a message; axe clean light and dark; narrow screenshots', async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/?url=${BASE}/fixtures/${TABLE}&view=compare&compare=8&version=18`);
  await expect(page.getByTestId('compare-result')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('rowdiff-key').and(page.locator('[data-column="id"]')).uncheck();
  await page.getByTestId('rowdiff-key').and(page.locator('[data-column="comment"]')).check();
  await page.getByTestId('rowdiff-run').click();
  await expect(page.getByTestId('rowdiff-error')).toHaveAttribute('data-code', 'INVALID_ARGUMENT', { timeout: 60_000 });
  await expect(page.getByTestId('rowdiff-error')).toContainText('not unique');

  await page.getByTestId('rowdiff-key').and(page.locator('[data-column="comment"]')).uncheck();
  await page.getByTestId('rowdiff-key').and(page.locator('[data-column="id"]')).check();
  await page.getByTestId('rowdiff-run').click();
  await expect(page.getByTestId('rowdiff-grid')).toBeVisible({ timeout: 60_000 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeProblems(page), `axe (${scheme})`).toEqual([]);
    await page.setViewportSize({ width: 1400, height: 900 });
    await shot(page, `rowdiff-8-18-${scheme}-1400`);
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, `rowdiff-8-18-${scheme}-390`);
  }
});
