/**
 * Damaged tables in the app: the error appears where the damage is met, names the file and the
 * version, and everything else keeps working. Damaged copies of real fixture tables are made in a
 * temp folder and dropped (the directory input):
 *
 * - a table with one data file deleted and another overwritten with garbage: Overview, History,
 *   Schema, Partitions and Files work (they read only the log); the Data tab shows the error in
 *   place, naming the file and the version, and queries that never touch the damaged files work;
 * - a table with a garbled commit in the middle of its log: the error panel names the commit file
 *   and version, the page does not go blank, and another table can still be opened.
 *
 * Expected values come from the fixtures' logs (`referenceReplay`), never from the app.
 */
import { expect, test, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, referenceReplay } from '../test/fixtures.ts';
import { failOnPageErrors } from './page-errors.ts';
import { waitForSql } from './sql-wait.ts';

/** basic_partitioned's data files of partitions b and c (one row each: numbers 2 and 3). */
const B_FILE = 'letter=b/part-00000-41954fb0-ef91-47e5-bd41-b75169c41c17.c000.snappy.parquet';
const C_FILE = 'letter=c/part-00000-27a17b8f-be68-485c-9c49-70c742be30c0.c000.snappy.parquet';

const made: string[] = [];
failOnPageErrors();
test.afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A damaged copy of a fixture in a temp folder named `name` (the app shows the folder name). */
function damagedCopy(fixtureName: string, name: string, damage: (dir: string) => void): string {
  const parent = mkdtempSync(join(tmpdir(), 'dx-broken-'));
  made.push(parent);
  const dir = join(parent, name);
  cpSync(fixture(fixtureName), dir, { recursive: true });
  damage(dir);
  return dir;
}

async function tab(page: Page, name: string): Promise<void> {
  await page.getByTestId(`tab-${name}`).click();
  await expect(page.getByTestId(`tab-${name}`)).toHaveAttribute('aria-selected', 'true');
}

async function runSql(page: Page, sql: string): Promise<void> {
  await page.getByTestId('sql-editor').fill(sql);
  await page.getByTestId('sql-run').click();
  await waitForSql(page, sql);
}

test('missing and garbage data files: the log views work, the Data tab names the file and version', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = damagedCopy('basic_partitioned', 'missing_data_file', (d) => {
    rmSync(join(d, B_FILE));
    writeFileSync(join(d, C_FILE), 'this is not a parquet file\n'.repeat(20));
  });
  const ref = referenceReplay(dir, 1);
  const columns = (JSON.parse(ref.metaData.schemaString) as { fields: { name: string }[] }).fields.map((f) => f.name);

  await page.goto('/');
  await page.setInputFiles('#dir', dir);
  await expect(page.getByTestId('overview-source')).toHaveText('missing_data_file', { timeout: 30_000 });
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  await expect(page.getByTestId('overview-num-files')).toHaveAttribute('data-value', String(ref.numFiles));

  await tab(page, 'history');
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', '2', { timeout: 30_000 });
  await tab(page, 'schema');
  for (const c of columns) await expect(page.getByTestId('schema-tree').locator(`tr[data-column="${c}"]`)).toBeVisible();
  await tab(page, 'partitions');
  await expect(page.getByTestId('partition-count')).toHaveAttribute('data-value', String(ref.partitions.length), { timeout: 30_000 });
  await tab(page, 'files');
  await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', String(ref.numFiles), { timeout: 30_000 });
  await expect(page.getByTestId('error-panel')).toHaveCount(0);

  await tab(page, 'data');
  // Reading every file meets the missing one: FILE_NOT_FOUND naming it and the version.
  await runSql(page, 'SELECT * FROM t');
  await expect(page.getByTestId('sql-error')).toHaveAttribute('data-code', 'FILE_NOT_FOUND');
  await expect(page.getByTestId('sql-error-message')).toContainText(B_FILE);
  await expect(page.getByTestId('sql-error-message')).toContainText('version 1');
  // The garbage file, read alone (partition pruning): its footer is no parquet footer, so a
  // DATA_INTEGRITY error naming it (never DuckDB's internal name, never rows).
  await runSql(page, `SELECT * FROM t WHERE letter = 'c'`);
  await expect(page.getByTestId('sql-error')).toHaveAttribute('data-code', 'DATA_INTEGRITY');
  await expect(page.getByTestId('sql-error-message')).toContainText(C_FILE);
  await expect(page.getByTestId('sql-error-message')).toContainText('version 1');
  // Partitions whose files are intact still read (pruning never touches the damaged ones).
  await runSql(page, `SELECT number FROM t WHERE letter = 'a' ORDER BY number`);
  await expect(page.getByTestId('sql-status')).toHaveAttribute('data-rows', '2');
  await expect(page.getByTestId('sql-cell')).toHaveText(['1', '4']);
  // The other tabs are still there after the errors.
  await tab(page, 'overview');
  await expect(page.getByTestId('overview-num-files')).toHaveAttribute('data-value', String(ref.numFiles));
});

test('a garbled commit in the middle: the error names the file and version, the page stays, another table opens', async ({ page }) => {
  test.setTimeout(120_000);
  const dir = damagedCopy('simple_table', 'garbled_commit', (d) => {
    const p = join(d, '_delta_log', '00000000000000000002.json');
    const lines = readFileSync(p, 'utf8').split('\n').filter((l) => l.trim());
    lines[1] = '{"add":{"path":"part-0000' + '\u0000\u0007garbled';
    writeFileSync(p, lines.join('\n') + '\n');
  });

  await page.goto('/');
  await page.setInputFiles('#dir', dir);
  const panel = page.getByTestId('error-panel');
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(panel).toHaveAttribute('data-code', 'CORRUPT_COMMIT');
  await expect(page.getByTestId('error-message')).toContainText('_delta_log/00000000000000000002.json');
  await expect(page.getByTestId('error-message')).toContainText('version 2');
  await expect(panel).toContainText('Version: 2');
  // The page is not blank: the header and the ways to open a table are still there.
  await expect(page.getByRole('heading', { name: 'Delta Explorer' })).toBeVisible();
  await expect(page.getByTestId('open-folder')).toBeVisible();

  // Another table opens, and its views work.
  const other = 'basic_partitioned';
  await page.setInputFiles('#dir', fixture(other));
  await expect(page.getByTestId('overview-source')).toHaveText(other, { timeout: 30_000 });
  await expect(page.getByTestId('overview-num-files')).toHaveAttribute('data-value', String(referenceReplay(fixture(other), 1).numFiles));
  await expect(page.getByTestId('error-panel')).toHaveCount(0);
  await tab(page, 'history');
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', '2', { timeout: 30_000 });
});
