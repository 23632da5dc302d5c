/**
 * The Overview's engine-compatibility matrix and the "Open in …" menu, in Chromium on the built app,
 * over a real fixture table (cdf-table-with-dv: deletion vectors + Change Data Feed). Expected
 * verdicts come from the compatibility data's sources (docs.delta.io: deletion vectors from Delta
 * Lake 2.3.0; delta-io/delta#2874: the Flink connector cannot read them), expected code from the
 * engines' documented syntax. Screenshots go to `test-results/screenshots/`.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { fixture } from '../test/fixtures.ts';
import { failOnPageErrors } from './page-errors.ts';

const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');
failOnPageErrors();

test('compatibility matrix on the Overview, Open in … on Changes', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.setInputFiles('#dir', fixture('cdf-table-with-dv'));
  await expect(page.getByTestId('overview-source')).toHaveText('cdf-table-with-dv', { timeout: 30_000 });

  const matrix = page.getByTestId('compat-matrix');
  await expect(matrix).toBeVisible();
  const row = (id: string) => matrix.locator(`tr[data-engine="${id}"]`);
  await expect(row('spark').getByTestId('compat-read')).toHaveAttribute('data-verdict', 'yes');
  await expect(row('spark')).toContainText('since 2.3.0');
  await expect(row('explorer').getByTestId('compat-read')).toHaveAttribute('data-verdict', 'yes');
  await expect(row('explorer').getByTestId('compat-write')).toHaveAttribute('data-verdict', 'no');
  await expect(row('flink').getByTestId('compat-read')).toHaveAttribute('data-verdict', 'no');
  await expect(row('flink')).toContainText('blocked by deletionVectors');
  await expect(row('clickhouse').getByTestId('compat-read')).toHaveAttribute('data-verdict', 'unknown');
  // Every cell names its source in the tooltip.
  const cell = row('trino').locator('td[data-feature="deletionVectors"] a').first();
  await expect(cell).toHaveAttribute('title', /Source: Trino DeltaLakeTableFeatures\.java/);
  await page.getByTestId('compat-unblock').locator('summary').click();
  await expect(page.getByTestId('compat-unblock')).toContainText('REORG TABLE t APPLY (PURGE)');
  await matrix.scrollIntoViewIfNeeded();
  await matrix.screenshot({ path: join(SHOTS, 'compat-matrix.png') });

  await page.getByTestId('tab-changes').click();
  const menu = page.getByTestId('open-in');
  await menu.getByTestId('open-in-button').click();
  await expect(menu.getByTestId('open-in-code')).toContainText('table_changes_by_path(');
  await menu.locator('[data-engine="duckdb"]').first().click();
  await expect(menu.getByTestId('open-in-unsupported')).toContainText('Change Data Feed');
  await menu.locator('button[data-engine="pyspark"]').click();
  await expect(menu.getByTestId('open-in-code')).toContainText('.option("readChangeFeed", "true")');
  await expect(menu.getByTestId('open-in-location-note')).toContainText('/path/to/cdf-table-with-dv');
  await menu.screenshot({ path: join(SHOTS, 'open-in-changes.png') });

  await page.getByTestId('tab-data').click();
  const dataMenu = page.getByTestId('data-panel').getByTestId('open-in');
  await dataMenu.getByTestId('open-in-button').click();
  await dataMenu.locator('button[data-engine="duckdb"]').click();
  await expect(dataMenu.getByTestId('open-in-code')).toContainText("ATTACH '/path/to/cdf-table-with-dv' AS t (TYPE delta);");
  await dataMenu.screenshot({ path: join(SHOTS, 'open-in-data.png') });
});
