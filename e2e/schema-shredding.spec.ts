/**
 * The Schema tab's "Variant shredding" section, in Chromium on the built app, over real files: the
 * hand-built shredded-variant table (test/gen/shredded-variant.py, from the specs: `n` shredded as
 * int64, `v` as an object of six typed fields) and Spark 4.0.1's shredded table
 * (tables-generated/peers/spark_variant_shredded: `a int, b string` in two files). Expected layouts
 * come from the writers' schemas. Screenshot to `$E2E_SHOTS` (default test-results/screenshots).
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { failOnPageErrors } from './page-errors.ts';

const ROOT = join(import.meta.dirname, '..');
const GENERATED = join(ROOT, 'test', 'fixtures', 'tables-generated');
const SHOTS = process.env.E2E_SHOTS ?? join(ROOT, 'test-results', 'screenshots');
failOnPageErrors();

test('Schema tab shows which variant fields are shredded and their typed_value types', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.setInputFiles('#dir', join(GENERATED, 'shredded-variant'));
  await expect(page.getByTestId('overview-source')).toHaveText('shredded-variant', { timeout: 30_000 });
  await page.getByTestId('tab-schema').click();
  const section = page.getByTestId('schema-shredding');
  await expect(section).toBeVisible();
  await expect(section.getByTestId('shredding-facts')).toContainText('variantShredding');
  await expect(section.getByTestId('shredding-facts')).toContainText('footers of 1 data file read');
  const v = section.locator('tr[data-column="v"]');
  await expect(v).toHaveCount(1);
  await expect(v).toContainText('shredded');
  for (const [field, type] of [['a', 'int64'], ['b', 'string'], ['d', 'decimal(9,2)'], ['day', 'date'], ['tags', 'array<string>'], ['ts', 'timestamp']]) {
    await expect(v.locator(`li[data-field="${field}"]`)).toHaveText(`${field}: ${type}`);
  }
  await expect(section.locator('tr[data-column="n"]')).toContainText('the value: int64');
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(SHOTS, 'schema-shredding.png') });
});

test('a Spark-written shredded table: a int, b string in both files', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.setInputFiles('#dir', join(GENERATED, 'peers', 'spark_variant_shredded'));
  await expect(page.getByTestId('overview-source')).toHaveText('spark_variant_shredded', { timeout: 30_000 });
  await page.getByTestId('tab-schema').click();
  const v = page.getByTestId('schema-shredding').locator('tr[data-column="v"]');
  await expect(v.locator('li[data-field="a"]')).toHaveText('a: int32');
  await expect(v.locator('li[data-field="b"]')).toHaveText('b: string');
  await expect(v.locator('td').last()).toHaveText('2');
  await expect(page.getByTestId('schema-shredding').getByTestId('shredding-facts')).toContainText('variantShredding-preview');
});

test('one column in three layouts across files (Spark: two shredding schemas and unshredded)', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.setInputFiles('#dir', join(GENERATED, 'variant-mixed', 'spark_variant_mixed_shredding'));
  await expect(page.getByTestId('overview-source')).toHaveText('spark_variant_mixed_shredding', { timeout: 30_000 });
  await page.getByTestId('tab-schema').click();
  const section = page.getByTestId('schema-shredding');
  const v = section.locator('tr[data-column="v"]');
  await expect(v.first()).toContainText('layouts');
  await expect(section.locator('tr[data-column="v"][data-layout="unshredded"]')).toHaveCount(1);
  await expect(section.locator('li[data-field="c"]')).toHaveText('c: array<int32>');
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(SHOTS, 'schema-shredding-mixed.png') });
});
