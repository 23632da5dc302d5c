/**
 * Row tracking in the Data tab, in Chromium on the built app: a query over `"t$rows"` on Spark
 * 4.0.1's partitioned row-tracking table (test/fixtures/tables-generated/row-tracking) is pruned to
 * one partition's files (the status line says how many files were read) and its rows carry Spark's
 * own `_metadata.row_id` (from the reference Spark recorded beside the table), and "Open in …"
 * carries the query over to Spark SQL with `_metadata.row_id, _metadata.row_commit_version`, while
 * DuckDB says it cannot. Screenshot: `test-results/screenshots/open-in-rows.png`.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failOnPageErrors } from './page-errors.ts';
import { waitForSql } from './sql-wait.ts';

const DIR = join(import.meta.dirname, '..', 'test', 'fixtures', 'tables-generated', 'row-tracking');
const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');
failOnPageErrors();

test('"t$rows" pruned by partition, with Spark\'s row IDs, and Open in … Spark', async ({ page }) => {
  test.setTimeout(120_000);
  const ref = JSON.parse(readFileSync(join(DIR, 'spark_row_tracking_part.reference.json'), 'utf8')) as {
    versions: Record<string, { id: number; p: string; row_id: number }[]>;
  };
  const latest = String(Math.max(...Object.keys(ref.versions).map(Number)));
  const expected = ref.versions[latest].filter((r) => r.p === 'b').map((r) => `${r.id}:${r.row_id}`);

  await page.goto('/');
  await page.setInputFiles('#dir', join(DIR, 'spark_row_tracking_part'));
  await expect(page.getByTestId('overview-source')).toHaveText('spark_row_tracking_part', { timeout: 30_000 });
  await page.getByTestId('tab-data').click();
  const sql = `SELECT id, _metadata.row_id AS row_id FROM "t$rows" WHERE p = 'b'`;
  await page.getByTestId('sql-editor').fill(sql);
  await page.getByTestId('sql-run').click();
  expect(await waitForSql(page, sql)).toBe('done');
  const status = page.getByTestId('sql-status');
  await expect(status).toHaveAttribute('data-rows', String(expected.length));
  // Pruned: fewer files read than the version has.
  const m = /read (\d+) of (\d+) files?/.exec((await status.textContent()) ?? '');
  expect(m, 'status names files read').not.toBeNull();
  expect(Number(m![1])).toBeGreaterThan(0);
  expect(Number(m![1])).toBeLessThan(Number(m![2]));
  await expect.poll(() => page.getByTestId('sql-row').count()).toBe(expected.length);
  const cells = await page.getByTestId('sql-row').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('[data-testid=sql-cell]'), (c) => (c.textContent ?? '').trim())));
  expect(cells.map((c) => `${c[0]}:${c[1]}`).sort()).toEqual(expected.sort());

  const menu = page.getByTestId('data-panel').getByTestId('open-in');
  await menu.getByTestId('open-in-button').click();
  await menu.locator('button[data-engine="spark"]').click();
  await expect(menu.getByTestId('open-in-code')).toContainText('SELECT `id`, _metadata.row_id, _metadata.row_commit_version');
  await expect(menu.getByTestId('open-in-code')).toContainText("WHERE (p = 'b')");
  await menu.screenshot({ path: join(SHOTS, 'open-in-rows.png') });
  await menu.locator('button[data-engine="duckdb"]').click();
  await expect(menu.getByTestId('open-in-unsupported')).toContainText('does not expose row tracking');
});
