/**
 * Every tab on eleven real fixture tables opened by DROPPING their folder (the directory input),
 * covering checkpoints (classic, multi-part), deletion vectors, column mapping (name and id),
 * partitions (with a null partition) and the Change Data Feed. For each table: the Overview facts,
 * the History rows, the Schema columns, the Partitions and Files counts and a SQL count, then time
 * travel changes them, and opening the same table by URL reproduces the same screen.
 *
 * Expected values come from the tables' own log files through the naive forward replay
 * `referenceReplay` (test/fixtures.ts), never from the app.
 */
import { expect, test, type Page } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { referenceReplay } from '../test/fixtures.ts';
import { failOnPageErrors } from './page-errors.ts';

const TABLES = join(import.meta.dirname, '..', 'test', 'fixtures', 'tables');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;

const CASES: { name: string; what: string }[] = [
  { name: 'table_with_deletion_logs', what: 'deletion vectors, checkpoint' },
  { name: 'simple_table_with_checkpoint', what: 'classic checkpoint' },
  { name: 'v1-multi-part-partitioned-struct-stats-only', what: 'multi-part checkpoint, partitions' },
  { name: 'basic_partitioned', what: 'partitions with a null partition' },
  { name: 'delta-0.8.0-partitioned', what: 'three partition columns' },
  { name: 'table_with_partitioning_mapping', what: 'column mapping (name), partitions' },
  { name: 'cdf-column-mapping-id-mode', what: 'column mapping (id), CDF' },
  { name: 'cdf-table-kernel', what: 'Change Data Feed' },
  { name: 'table-with-dv-small-kernel', what: 'on-disk deletion vector' },
  { name: 'simple_table', what: 'updates, deletes, overwrite' },
  { name: 'data-reader-timestamp_ntz', what: 'timestamp_ntz partitions' },
];

const commitVersions = (table: string) =>
  readdirSync(join(TABLES, table, '_delta_log'))
    .filter((n) => /^\d{20}\.json$/.test(n))
    .map((n) => Number(n.slice(0, 20)))
    .sort((a, b) => a - b);

/** A fact's raw value, once the Overview is not waiting for checkpoint stats (the record count fills in after the first paint). */
const value = async (page: Page, testId: string) => {
  await expect(page.getByTestId(testId).first()).not.toHaveAttribute('data-state', 'loading');
  return page.getByTestId(testId).first().getAttribute('data-value');
};

async function tab(page: Page, name: string): Promise<void> {
  await page.getByTestId(`tab-${name}`).click();
  await expect(page.getByTestId(`tab-${name}`)).toHaveAttribute('aria-selected', 'true');
}

/** Checks the Overview facts of the version shown against the forward replay. */
async function checkOverview(page: Page, table: string, version: number): Promise<void> {
  const ref = referenceReplay(join(TABLES, table), version);
  await tab(page, 'overview');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(version));
  expect(await value(page, 'overview-num-files')).toBe(String(ref.numFiles));
  if (ref.numRecords !== null) expect(await value(page, 'overview-num-records')).toBe(String(ref.numRecords));
}

failOnPageErrors();

for (const { name, what } of CASES) {
  test(`${name} (${what}): dropped folder, every view, time travel, same screen by URL`, async ({ page }) => {
    test.setTimeout(120_000);
    const versions = commitVersions(name);
    const latest = versions[versions.length - 1];
    const ref = referenceReplay(join(TABLES, name), latest);
    const columns = (JSON.parse(ref.metaData.schemaString) as { fields: { name: string }[] }).fields.map((f) => f.name);

    await page.goto('/');
    await page.setInputFiles('#dir', join(TABLES, name));
    await expect(page.getByTestId('overview-source')).toHaveText(name, { timeout: 30_000 });
    await checkOverview(page, name, latest);

    await tab(page, 'history');
    await expect(page.getByTestId('history-count')).toHaveAttribute('data-value', String(versions.length), { timeout: 30_000 });

    await tab(page, 'schema');
    for (const c of columns) await expect(page.getByTestId('schema-tree').locator(`tr[data-column="${c}"]`)).toBeVisible();

    await tab(page, 'partitions');
    if (ref.metaData.partitionColumns.length) {
      await expect(page.getByTestId('partition-count')).toHaveAttribute('data-value', String(ref.partitions.length), { timeout: 30_000 });
    } else {
      await expect(page.getByTestId('view-partitions')).toContainText(/not partitioned/i);
    }

    await tab(page, 'files');
    await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', String(ref.numFiles), { timeout: 30_000 });

    if (ref.numRecords !== null) {
      await tab(page, 'data');
      await page.getByTestId('sql-editor').fill('SELECT count(*) AS n FROM t');
      await page.getByTestId('sql-run').click();
      await expect(page.getByTestId('sql-cell').first()).toHaveText(String(ref.numRecords), { timeout: 60_000 });
    }

    // Time travel to an earlier version changes the facts.
    if (latest > 0) {
      const earlier = Math.floor(latest / 2);
      await page.getByTestId('version-input').fill(String(earlier));
      await page.getByTestId('version-input').press('Enter');
      await checkOverview(page, name, earlier);
      await tab(page, 'files');
      await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', String(referenceReplay(join(TABLES, name), earlier).numFiles), { timeout: 30_000 });
    }

    // The same table by URL: the same Overview facts at the same version.
    await page.goto(`/?url=${BASE}/fixtures/${name}&version=${latest}&view=overview`);
    await checkOverview(page, name, latest);
  });
}
