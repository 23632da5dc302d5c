/**
 * "Count rows" where the log has no row counts (issue #13 item 6): tables written without
 * `numRecords` in their stats show a neutral empty state on the Overview and the Partitions view,
 * and the action counts through the data plane (DuckDB over the data files), labelled "counted".
 * Expected counts are read from the data files' own parquet footers (hyparquet in Node), per the
 * log's `add` actions, independently of the app.
 */
import { expect, test } from '@playwright/test';
import { parquetMetadata } from 'hyparquet';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shot, axeProblems } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');

/** Rows per partition (values joined as the Partitions view labels them) from each added file's footer. */
function footerRowsByPartition(table: string, columns: string[]): Map<string, number> {
  const log = readFileSync(join(TABLES, table, '_delta_log/00000000000000000000.json'), 'utf8');
  const out = new Map<string, number>();
  for (const line of log.split('\n').filter(Boolean)) {
    const add = JSON.parse(line).add;
    if (!add) continue;
    expect(add.stats === undefined || !JSON.parse(add.stats).numRecords, 'the fixture has no numRecords').toBe(true);
    const bytes = readFileSync(join(TABLES, table, decodeURIComponent(add.path)));
    const rows = Number(parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).num_rows);
    const key = columns.map((c) => add.partitionValues[c] ?? 'null').join(' / ');
    out.set(key, (out.get(key) ?? 0) + rows);
  }
  return out;
}

let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
});
test.afterEach(() => expect(pageErrors, 'uncaught errors in the page').toEqual([]));

for (const { table, columns } of [
  { table: 'delta-0.8.0-partitioned', columns: ['year', 'month', 'day'] },
  { table: 'delta-0.8.0-null-partition', columns: ['k'] },
]) {
  test(`${table}: no numRecords in the log → "Count rows" counts the data, labelled counted (Overview and Partitions)`, async ({ page }) => {
    // The SQL engine's first start, two counts and axe runs: more than a minute on a busy machine.
    test.setTimeout(180_000);
    const expected = footerRowsByPartition(table, columns);
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);

    await page.goto(`/?url=/fixtures/${table}`);
    const records = page.getByTestId('overview-num-records');
    await expect(records.getByTestId('count-rows')).toContainText(`${expected.size === 0 ? '' : ''}files have no numRecords stats`, { timeout: 30_000 });
    // Nothing is counted until asked: the SQL engine is not even loaded.
    await expect(records.getByTestId('count-rows-result')).toHaveCount(0);
    expect(await axeProblems(page)).toEqual([]);
    await records.getByTestId('count-rows-button').click();
    await expect(records.getByTestId('count-rows-result')).toHaveAttribute('data-value', String(total), { timeout: 60_000 });
    await expect(records.getByTestId('count-rows-result')).toContainText('counted');
    await shot(page, `count-rows-overview-${table}`);

    await page.getByTestId('tab-partitions').click();
    const note = page.getByTestId('partition-count-rows');
    await expect(note).toContainText('no numRecords stats');
    // Before counting: every partition's records are unknown (—), none counted.
    await expect(page.getByTestId('partition-counted')).toHaveCount(0);
    await note.getByTestId('count-rows-button').click();
    await expect(note).toContainText('counted from the data files', { timeout: 60_000 });
    await expect(note).not.toContainText('could not be matched');
    const shown = new Map<string, number>();
    for (const row of await page.locator('[data-testid=partition-table] tbody tr').all()) {
      const key = (await row.getAttribute('data-partition'))!;
      shown.set(key, Number(await row.getByTestId('partition-counted').getAttribute('data-value')));
    }
    expect(shown).toEqual(expected);
    expect(await axeProblems(page)).toEqual([]);
    await shot(page, `count-rows-partitions-${table}`);
  });
}

test('Count rows and the Data tab at 1400 px and 390 px, light and dark (screenshots looked at; axe clean)', async ({ page }) => {
  // Four page loads, two counts and eight axe runs: minutes on a busy machine.
  test.setTimeout(600_000);
  for (const [width, scheme] of [
    [1400, 'light'],
    [390, 'dark'],
    [1400, 'dark'],
    [390, 'light'],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/?url=/fixtures/delta-0.8.0-partitioned&view=partitions');
    const note = page.getByTestId('partition-count-rows');
    await expect(note).toContainText('no numRecords stats', { timeout: 30_000 });
    expect(await axeProblems(page)).toEqual([]);
    await note.getByTestId('count-rows-button').click();
    await expect(page.getByTestId('partition-counted')).toHaveCount(6, { timeout: 60_000 });
    expect(await axeProblems(page)).toEqual([]);
    await shot(page, `count-rows-partitions-${width}-${scheme}`);
    await page.getByTestId('tab-data').click();
    await page.getByTestId('sql-editor').fill('select year, count(*) as n from t group by all order by 1');
    await page.getByTestId('sql-format').click();
    await expect(page.getByTestId('sql-editor')).toContainText('GROUP BY');
    expect(await axeProblems(page)).toEqual([]);
    await shot(page, `data-format-${width}-${scheme}`);
  }
});
