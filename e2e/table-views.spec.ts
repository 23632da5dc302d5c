/**
 * The Schema, Partitions and Files tabs in the built app, opened by URL (`?url=…&view=…&version=…`)
 * on fixture tables covering column mapping (with a rename), partitions (with a null partition),
 * deletion vectors, nested types, type widening and checkpoints. Expected values come from the
 * tables' own commit files (the naive forward replay `referenceReplay`, and the `metaData` schema
 * read here), never from the app. Each state is saved to `test-results/screenshots/`.
 */
import { expect, test, type Page } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceReplay } from '../test/fixtures.ts';
import { failOnPageErrors } from './page-errors.ts';
import { shot } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;

const open = (page: Page, table: string, view: string, version?: number) =>
  page.goto(`/?url=${BASE}/fixtures/${table}&view=${view}${version !== undefined ? `&version=${version}` : ''}`);

/** Top-level column names of a table's schema at a version, from its commits. */
const topColumns = (table: string, version: number): string[] =>
  (JSON.parse(referenceReplay(join(TABLES, table), version).metaData.schemaString) as { fields: { name: string }[] }).fields.map((f) => f.name);

/** Files per raw partition value of one partition column, from a forward replay. */
function filesPerPartition(table: string, version: number, key: string): Map<string, number> {
  const ref = referenceReplay(join(TABLES, table), version);
  // referenceReplay keeps paths only: count by the value in the path (Hive-style `key=value/`).
  const out = new Map<string, number>();
  for (const p of ref.paths) {
    const m = new RegExp(`(?:^|/)${key}=([^/]*)/`).exec(decodeURIComponent(p));
    const v = m ? (m[1] === '__HIVE_DEFAULT_PARTITION__' ? 'null' : m[1]) : 'null';
    out.set(v, (out.get(v) ?? 0) + 1);
  }
  return out;
}

failOnPageErrors();

test('schema: column mapping with a rename, physical names and ids, and time travel', async ({ page }) => {
  const table = 'table_with_partitioning_mapping';
  await open(page, table, 'schema');
  const view = page.getByTestId('view-schema');
  await expect(view).toBeVisible();
  const tree = page.getByTestId('schema-tree');
  for (const c of topColumns(table, 4)) await expect(tree.locator(`tr[data-column="${c}"]`)).toBeVisible();
  await expect(tree.locator('tr[data-column="newid"]')).toContainText('partition');
  await expect(tree.locator('tr[data-column="newid"] [data-detail="physical"]')).toBeVisible();
  await expect(tree.locator('tr[data-column="newid"] [data-detail="id"]')).toContainText('1');
  await expect(tree.locator('tr[data-column="newid"]')).toHaveAttribute('data-type', 'integer');
  // The timeline: created at v0, renamed at v3.
  const timeline = page.getByTestId('schema-timeline');
  await expect(timeline.locator('li[data-version="0"]')).toBeVisible();
  await expect(timeline.locator('li[data-kind="renamed"][data-column="newid"]')).toContainText('id → newid');
  await shot(page, 'views-schema-column-mapping');

  // Before the rename the column is `id`, and the later rename is not listed.
  await open(page, table, 'schema', 2);
  await expect(page.getByTestId('view-schema')).toHaveAttribute('data-version', '2');
  expect(topColumns(table, 2)).toContain('id');
  await expect(tree.locator('tr[data-column="id"]')).toBeVisible();
  await expect(tree.locator('tr[data-column="newid"]')).toHaveCount(0);
  await expect(timeline.locator('li[data-kind="renamed"]')).toHaveCount(0);
  await shot(page, 'views-schema-column-mapping-v2');
});

test('schema: nested types expand and collapse; type widening shows in the timeline', async ({ page }) => {
  await open(page, 'delta-1.2.1-only-struct-stats', 'schema');
  const tree = page.getByTestId('schema-tree');
  await expect(tree.locator('tr[data-column="struct"]')).toBeVisible();
  const nested = tree.locator('tr[data-column^="struct."]');
  expect(await nested.count()).toBeGreaterThan(0);
  await tree.getByRole('button', { name: 'Collapse struct', exact: true }).click();
  await expect(nested).toHaveCount(0);
  await tree.getByRole('button', { name: 'Expand struct', exact: true }).click();
  expect(await nested.count()).toBeGreaterThan(0);
  await shot(page, 'views-schema-nested');

  await open(page, 'type-widening', 'schema');
  await expect(page.getByTestId('schema-tree').locator('tr[data-column="byte_long"]')).toHaveAttribute('data-type', 'long');
  const change = page.getByTestId('schema-timeline').locator('li[data-version="2"] li[data-kind="type"][data-column="byte_long"]');
  await expect(change).toContainText('byte → long');
  await expect(page.getByTestId('schema-tree').locator('tr[data-column="byte_long"] [data-detail="type change"]')).toContainText('byte → long');
  await shot(page, 'views-schema-type-widening');
  await open(page, 'type-widening', 'schema', 0);
  await expect(page.getByTestId('schema-tree').locator('tr[data-column="byte_long"]')).toHaveAttribute('data-type', 'byte');
});

test('partitions: a null partition, counts from the log, and time travel', async ({ page }) => {
  const table = 'delta-0.8.0-null-partition';
  await open(page, table, 'partitions');
  const expected = filesPerPartition(table, 0, 'k');
  await expect(page.getByTestId('partition-count')).toHaveAttribute('data-value', String(expected.size));
  const rows = page.getByTestId('partition-table').locator('tbody tr');
  await expect(rows).toHaveCount(expected.size);
  for (const [value, files] of expected) {
    await expect(page.getByTestId('partition-table').locator(`tr[data-partition="${value}"]`)).toHaveAttribute('data-files', String(files));
  }
  await expect(page.getByTestId('partition-table').locator('tr[data-partition="null"] .null-value')).toHaveText('null');
  await expect(page.getByTestId('partition-chart').locator('.recharts-bar-rectangle')).toHaveCount(expected.size);
  await shot(page, 'views-partitions-null');

  // A table partitioned on a column: `checkpoints` (partitioned by date), at two versions.
  for (const version of [3, 12]) {
    await open(page, 'checkpoints', 'partitions', version);
    const byDate = filesPerPartition('checkpoints', version, 'date');
    await expect(page.getByTestId('view-partitions')).toHaveAttribute('data-version', String(version));
    await expect(page.getByTestId('partition-count')).toHaveAttribute('data-value', String(byDate.size));
    for (const [value, files] of byDate) {
      await expect(page.getByTestId('partition-table').locator(`tr[data-partition="${value}"]`)).toHaveAttribute('data-files', String(files));
    }
  }
  await shot(page, 'views-partitions-checkpoints');

  // Sorting by a header.
  await open(page, 'delta-0.8.0-partitioned', 'partitions');
  await page.getByTestId('partition-table').locator('button[data-column="files"]').click();
  await expect(page.getByTestId('partition-table').locator('th[aria-sort]').filter({ hasText: 'Files' })).not.toHaveAttribute('aria-sort', 'none');
  await shot(page, 'views-partitions-partitioned');

  await open(page, 'table-with-dv-small-kernel', 'partitions');
  await expect(page.getByTestId('unpartitioned')).toBeVisible();
});

/** The Files grid's rendered rows (the result grid's rows, test id `sql-row`). */
const fileRows = (page: Page) => page.getByTestId('files-grid').getByTestId('sql-row');

test('files: counts, search, deletion vectors, histogram and time travel', async ({ page }) => {
  const table = 'delta-0.8.0-partitioned';
  const ref = referenceReplay(join(TABLES, table), 0);
  await open(page, table, 'files');
  await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', String(ref.numFiles));
  await expect(page.getByTestId('size-histogram')).toHaveAttribute('data-files', String(ref.numFiles));
  await expect(fileRows(page).first()).toBeVisible();
  await shot(page, 'views-files-partitioned');

  // Search by partition value, then by path.
  await page.getByTestId('files-search').fill('month=2');
  const month2 = ref.paths.filter((p) => decodeURIComponent(p).includes('month=2/')).length;
  await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', String(month2));
  await expect(fileRows(page)).toHaveCount(month2);
  // The search is in the URL, so the filtered list is a link.
  await expect.poll(() => new URL(page.url()).searchParams.get('search')).toBe('month=2');
  await shot(page, 'views-files-search');
  await page.goto(page.url());
  await expect(page.getByTestId('files-search')).toHaveValue('month=2');
  await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', String(month2));
  await page.getByTestId('files-search').fill('no-such-file');
  await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('files-empty')).toBeVisible();

  // Deletion vectors: the cardinalities of the log.
  const dvRef = referenceReplay(join(TABLES, 'table-with-dv-small-kernel'), 1);
  await open(page, 'table-with-dv-small-kernel', 'files');
  await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', String(dvRef.numFiles));
  await expect(fileRows(page).first()).toContainText(String(dvRef.numDeleted));
  await shot(page, 'views-files-dv');

  // A table with many versions: the file count follows the selected version.
  for (const version of [2, 12]) {
    const r = referenceReplay(join(TABLES, 'checkpoints'), version);
    await open(page, 'checkpoints', 'files', version);
    await expect(page.getByTestId('view-files')).toHaveAttribute('data-version', String(version));
    await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', String(r.numFiles));
  }
  // Sorting by size descending (in the worker, over all files) puts the largest first.
  const sizeHeader = page.getByTestId('files-grid').locator('[data-testid=sql-header][data-column="size"]');
  await sizeHeader.getByTestId('grid-sort').click();
  await expect(sizeHeader).toHaveAttribute('aria-sort', 'ascending');
  await sizeHeader.getByTestId('grid-sort').click();
  await expect(sizeHeader).toHaveAttribute('aria-sort', 'descending');
  const headers = await page.getByTestId('files-grid').getByTestId('sql-header').locator('.rg-name').allTextContents();
  const k = headers.indexOf('size');
  await expect.poll(async () => {
    const sizes = await page.getByTestId('files-grid').getByTestId('sql-row').evaluateAll((rows, k) => rows.map((r) => Number(r.querySelectorAll('[data-testid=sql-cell]')[k]?.textContent)), k);
    return sizes.length > 1 && sizes.every((x, i) => i === 0 || sizes[i - 1] >= x);
  }).toBe(true);
  await shot(page, 'views-files-checkpoints');
});

test('files and schema of a table with a checkpoint (simple_table_with_checkpoint)', async ({ page }) => {
  const table = 'simple_table_with_checkpoint';
  const latest = 10;
  const ref = referenceReplay(join(TABLES, table), latest);
  await open(page, table, 'files');
  await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', String(ref.numFiles));
  const first = decodeURIComponent(ref.paths[0]);
  await page.getByTestId('files-search').fill(first.slice(0, 20));
  await expect(fileRows(page).filter({ hasText: first })).toHaveCount(1);
  await open(page, table, 'schema');
  for (const c of topColumns(table, latest)) await expect(page.getByTestId('schema-tree').locator(`tr[data-column="${c}"]`)).toBeVisible();
  await shot(page, 'views-schema-checkpoint');
});
