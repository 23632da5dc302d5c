/**
 * Charts from SQL results (issue #13 item 5) in the built app: a `sql=` link over the Change Data
 * Feed of `cdf-table-with-cdc-and-dvs-kernel` counts rows per commit version and change type; the
 * expected bars, points and lines come from delta-kernel-rs's transcribed feed of that table
 * (`CDC_AND_DVS`), not from the app. Checks the text alternative (role=img label, the data table),
 * bar/line/scatter with a series column, axe (light and dark), and takes screenshots at 1400 and
 * 390 px (to `E2E_SHOTS` or `test-results/screenshots/`).
 */
import { expect, test } from '@playwright/test';
import { CDC_AND_DVS } from '../test/expected/kernel-cdf.ts';
import { parseFeed } from '../test/row-diff-expected.ts';
import { failOnPageErrors } from './page-errors.ts';
import { waitForSql } from './sql-wait.ts';
import { shot, axeProblems } from './shots.ts';

const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;
const TABLE = 'cdf-table-with-cdc-and-dvs-kernel';

failOnPageErrors();
// Several reads, axe runs and full-page screenshots per test on a shared machine.
test.describe.configure({ timeout: 150_000 });

test('chart of a result: bar/line/scatter by version and change type equal the kernel feed; text alternative; axe clean', async ({ page }) => {
  // Expected (version, type) → rows, from the kernel feed.
  const feed = parseFeed(CDC_AND_DVS);
  const counts = new Map<string, number>();
  for (const r of feed) counts.set(`${r.version}|${r.type}`, (counts.get(`${r.version}|${r.type}`) ?? 0) + 1);
  const types = [...new Set(feed.map((r) => r.type))];
  const versions = [...new Set(feed.map((r) => r.version))];
  const perVersion = versions.map((v) => feed.filter((r) => r.version === v).length);

  const sql = 'SELECT _commit_version AS version, _change_type AS kind, count(*) AS n FROM table_changes(0, 25) GROUP BY ALL ORDER BY version, kind';
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(`/?url=${BASE}/fixtures/${TABLE}&view=data&sql=${encodeURIComponent(sql)}`);
  expect(await waitForSql(page, sql)).toBe('done');
  await expect(page.getByTestId('sql-status')).toHaveAttribute('data-rows', String(counts.size));

  await page.getByTestId('chart-toggle').click();
  const chart = page.getByTestId('result-chart');
  await expect(chart).toBeVisible();
  // The default: X the first non-numeric column (kind), Y the first numeric other column (version): a bar per type.
  await expect(chart).toHaveAttribute('data-kind', 'bar');
  await expect(page.getByTestId('chart-x')).toHaveValue('1');
  await expect(chart).toHaveAttribute('data-points', String(types.length));
  // Scatter of n against version: one point per row.
  await page.getByTestId('chart-x').selectOption('0');
  await page.getByTestId('chart-y').selectOption('2');
  await page.getByTestId('chart-kind').selectOption('scatter');
  await expect(chart.locator('.recharts-scatter-symbol')).toHaveCount(counts.size);

  // Bar, one series per change type: one bar per (version, type) of the feed.
  await page.getByTestId('chart-kind').selectOption('bar');
  await page.getByTestId('chart-series').selectOption('1');
  await expect(chart).toHaveAttribute('data-points', String(counts.size));
  await expect(chart.locator('.recharts-bar-rectangle path, .recharts-bar-rectangle rect, path.recharts-rectangle')).toHaveCount(counts.size);
  await expect(chart.locator('.recharts-legend-item')).toHaveCount(types.length);
  const max = Math.max(...counts.values());
  const alt = await page.getByTestId('chart-alt').getAttribute('aria-label');
  expect(alt).toContain(`Bar chart of n by version, one series per kind (${types.length})`);
  expect(alt).toContain(`${counts.size} bars from ${counts.size} rows`);
  expect(alt).toContain(`to ${max} (at version`);
  await expect(page.getByTestId('chart-summary')).toHaveText(alt!);
  // The plotted values as a table.
  await page.locator('.chart-table summary').click();
  await expect(page.getByTestId('chart-table').locator('tbody tr')).toHaveCount(counts.size);
  await shot(page, 'chart-bar-series-light-1400');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await axeProblems(page), `axe (${scheme})`).toEqual([]);
  }
  await shot(page, 'chart-bar-series-dark-1400');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'chart-bar-series-dark-390');
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, 'chart-bar-series-light-390');
  await page.setViewportSize({ width: 1400, height: 900 });

  // Line without a series: the rows per version (summed over the types).
  await page.getByTestId('chart-series').selectOption({ label: '(none)' });
  await page.getByTestId('chart-kind').selectOption('line');
  await expect(chart).toHaveAttribute('data-points', String(versions.length));
  await expect(chart.locator('.recharts-line-curve')).toHaveCount(1);
  const lineAlt = await page.getByTestId('chart-alt').getAttribute('aria-label');
  expect(lineAlt).toContain('Line chart of the sum of n by version');
  expect(lineAlt).toContain(`to ${Math.max(...perVersion)} (at version`);
  expect(lineAlt).toContain(`from ${Math.min(...perVersion)} (at version`);
});
