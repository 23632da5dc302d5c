/**
 * The explorer people keep open (issue #13), on real tables in real Chromium with real DuckDB-WASM:
 * - the frame: a header with name, location, version and commit time on every tab; ARIA tabs with
 *   arrow keys; no serious or critical axe-core violation on any view, light and dark;
 * - a reload of a picked folder reopens that folder (its handle saved in IndexedDB), a reload of a
 *   dropped folder says it must be picked again — never another table;
 * - the editor completes a column; the grid scrolls to the last of 1,111,930 rows, sorts, filters,
 *   profiles and copies, checked against the Delta log's own statistics (not against DuckDB);
 * - bad inputs get messages; a time after the last commit is said, not silently the latest.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { failOnPageErrors } from './page-errors.ts';

const TABLES = join(import.meta.dirname, '..', 'test', 'fixtures', 'tables');
const COVID = 'COVID-19_NYT';

failOnPageErrors();

/** Per-file stats of a table's first commit (numRecords, min/max, nullCount), from the log itself. */
function logStats(table: string): { numRecords: number; minValues: Record<string, number>; maxValues: Record<string, number>; nullCount: Record<string, number> }[] {
  return readFileSync(join(TABLES, table, '_delta_log', '00000000000000000000.json'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((a) => a.add?.stats)
    .map((a) => JSON.parse(a.add.stats));
}

/** Serious or critical axe violations of the page as it is (ids and the first targets). */
async function axeProblems(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')} — ${(v.nodes[0]?.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`);
}

test('frame: header on every tab, arrow keys between tabs, axe clean on every view (light and dark)', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`/?url=/fixtures/${COVID}`);
  await expect(page.getByTestId('header-name')).toHaveText(COVID, { timeout: 30_000 });
  await expect(page.getByTestId('header-location')).toHaveText(/\/fixtures\/COVID-19_NYT$/);
  await expect(page.getByTestId('header-version')).toHaveAttribute('data-value', '0');
  // The protocol's commit time without in-commit timestamps: the commit file's modification time (ISO 8601 UTC).
  const mtime = statSync(join(TABLES, COVID, '_delta_log', '00000000000000000000.json')).mtimeMs;
  await expect(page.getByTestId('header-time')).not.toHaveAttribute('data-value', '', { timeout: 30_000 });
  const shown = Number(await page.getByTestId('header-time').getAttribute('data-value'));
  expect(Math.abs(shown - mtime)).toBeLessThanOrEqual(1); // ms, as the listing rounds it
  await expect(page.getByTestId('header-time')).toContainText(new Date(shown).toISOString().replace(/\.000Z$/, 'Z'));

  // Arrow keys move along the tab list (ARIA tabs pattern) and select.
  await page.getByTestId('tab-overview').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-history')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tab-history')).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByTestId('tab-compare')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight'); // wraps
  await expect(page.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'true');

  const problems: string[] = [];
  for (const scheme of (process.env.AXE_SCHEMES ?? 'light,dark').split(',') as ('light' | 'dark')[]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(300); // colour transitions settle
    for (const tab of ['overview', 'history', 'schema', 'partitions', 'files', 'data', 'changes', 'compare']) {
      await page.getByTestId(`tab-${tab}`).click();
      await expect(page.getByTestId(`tabpanel-${tab}`)).toBeVisible();
      await expect(page.getByTestId('header-name')).toHaveText(COVID); // the header stays on every tab
      await page.waitForTimeout(600); // lazy chunk and first render
      for (const p of await axeProblems(page)) problems.push(`${scheme}/${tab}: ${p}`);
    }
  }
  expect(problems).toEqual([]);
});

test('reload: a picked folder reopens (permission kept), a dropped one asks to be picked again; never another table', async ({ page }) => {
  test.setTimeout(120_000);
  const table = 'table-with-dv-small-kernel';
  await page.goto('/');
  await expect(page.getByTestId('overview-version')).toBeVisible({ timeout: 30_000 }); // the default sample
  const sample = await page.getByTestId('header-name').textContent();
  // A REAL FileSystemDirectoryHandle (origin-private file system) stands in for the native dialog.
  await page.evaluate(async (name) => {
    const list = await (await fetch(`/fixtures/${name}/?list-type=2&prefix=`)).text();
    const keys = [...list.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(name, { create: true });
    for (const key of keys) {
      const parts = key.split('/');
      let d = dir;
      for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p, { create: true });
      const w = await (await d.getFileHandle(parts[parts.length - 1], { create: true })).createWritable();
      await w.write(await (await fetch(`/fixtures/${name}/${key}`)).arrayBuffer());
      await w.close();
    }
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () => dir;
  }, table);
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('header-name')).toHaveText(table, { timeout: 30_000 });
  await page.getByTestId('version-input').fill('0');
  await page.getByTestId('version-go').click();
  await expect(page.getByTestId('header-version')).toHaveAttribute('data-value', '0');

  await page.reload();
  await expect(page.getByTestId('header-name')).toHaveText(table, { timeout: 30_000 });
  await expect(page.getByTestId('header-version')).toHaveAttribute('data-value', '0'); // the version of the entry too
  await expect(page.getByTestId('header-location')).toContainText(table);

  // A dropped folder (no handle) cannot be reopened: a plain message, no table, not the sample.
  await page.setInputFiles('#dir', join(TABLES, 'basic_partitioned'));
  await expect(page.getByTestId('header-name')).toHaveText('basic_partitioned', { timeout: 30_000 });
  await page.reload();
  await expect(page.getByTestId('folder-restore')).toHaveAttribute('data-kind', 'pick');
  await expect(page.getByTestId('folder-restore')).toContainText('basic_partitioned');
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('table-header')).toHaveCount(0);
  expect(sample).not.toBe('basic_partitioned');
});

test('editor and grid on 1,111,930 rows: completion, scroll to the last row, sort, filter, profile, copy', async ({ page, context }) => {
  test.setTimeout(300_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const stats = logStats(COVID);
  const numRecords = stats.reduce((s, f) => s + f.numRecords, 0);
  const maxCases = Math.max(...stats.map((f) => f.maxValues.cases));
  const minFips = Math.min(...stats.map((f) => f.minValues.fips));
  const maxFips = Math.max(...stats.map((f) => f.maxValues.fips));
  const fipsNulls = stats.reduce((s, f) => s + f.nullCount.fips, 0);

  // A sql= link runs when the Data tab opens.
  await page.goto(`/?url=/fixtures/${COVID}&view=data&sql=${encodeURIComponent('SELECT * FROM t')}`);
  const grid = page.getByTestId('sql-grid');
  await expect(grid).toHaveAttribute('data-rows', String(numRecords), { timeout: 120_000 });
  await expect(page.getByTestId('sql-header').locator('.rg-type')).toHaveText(['VARCHAR', 'VARCHAR', 'VARCHAR', 'INTEGER', 'INTEGER', 'INTEGER']);

  // Completion offers the table's columns.
  const editor = page.getByTestId('sql-editor');
  await editor.fill('SELECT ca');
  await editor.press('End');
  await editor.press('Control+Space');
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('cases');
  await page.keyboard.press('Escape');
  await editor.fill('SELECT "t');
  await editor.press('End');
  await editor.press('Control+Space');
  await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('"t$history"');
  await page.keyboard.press('Escape');

  // Scroll to the very last row: it is fetched from the worker.
  await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = page.locator(`[data-testid=sql-row][data-index="${numRecords - 1}"]`);
  await expect(last).toBeVisible({ timeout: 30_000 });
  await expect(last.getByTestId('sql-cell').first()).toHaveText(/^\d{4}-\d\d-\d\d$/, { timeout: 30_000 });

  // Sort by cases, descending (two clicks): the first row holds the largest value the log's stats give.
  const casesHeader = page.getByTestId('sql-header').filter({ has: page.locator('.rg-name', { hasText: /^cases$/ }) });
  await casesHeader.getByTestId('grid-sort').click();
  await casesHeader.getByTestId('grid-sort').click();
  await expect(casesHeader).toHaveAttribute('aria-sort', 'descending');
  await grid.evaluate((el) => (el.scrollTop = 0));
  const firstCases = page.locator('[data-testid=sql-row][data-index="0"] [data-testid=sql-cell]').nth(4);
  await expect(firstCases).toHaveText(String(maxCases), { timeout: 60_000 });

  // Ctrl+C copies the selected cell.
  await firstCases.click();
  await grid.press('Control+c');
  await expect(page.getByTestId('grid-status')).toHaveText('Copied the cell.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(String(maxCases));

  // Profile of fips: NULLs, min and max as the log's statistics say.
  const fipsHeader = page.getByTestId('sql-header').filter({ has: page.locator('.rg-name', { hasText: /^fips$/ }) });
  await fipsHeader.getByTestId('grid-profile').click();
  await expect(page.getByTestId('profile-nulls')).toHaveAttribute('data-value', String(fipsNulls), { timeout: 60_000 });
  await expect(page.getByTestId('profile-min')).toHaveText(String(minFips));
  await expect(page.getByTestId('profile-max')).toHaveText(String(maxFips));

  // Filter: fips is NULL → as many rows as the log's null counts.
  const fipsIndex = 3;
  await page.getByTestId('grid-filter').nth(fipsIndex).fill('null');
  await expect(grid).toHaveAttribute('data-rows', String(fipsNulls), { timeout: 60_000 });
  await page.getByTestId('grid-clear-filters').click();
  await expect(grid).toHaveAttribute('data-rows', String(numRecords), { timeout: 60_000 });

  // Pin and resize a column.
  await fipsHeader.getByTestId('grid-pin').click();
  await expect(fipsHeader).toHaveClass(/pinned/);
  const before = (await fipsHeader.boundingBox())!.width;
  const handle = (await fipsHeader.getByTestId('grid-resize').boundingBox())!;
  await page.mouse.move(handle.x + 2, handle.y + 5);
  await page.mouse.down();
  await page.mouse.move(handle.x + 82, handle.y + 5, { steps: 4 });
  await page.mouse.up();
  expect((await fipsHeader.boundingBox())!.width).toBeGreaterThan(before + 50);

  // Query tabs and history.
  await page.getByTestId('query-tab-new').click();
  await expect(page.getByTestId('query-tab')).toHaveCount(2);
  await page.getByTestId('query-history-toggle').click();
  await expect(page.getByTestId('query-history-item').first()).toContainText('SELECT * FROM t');
});

test('inputs: an invalid version and a time after the last commit get messages', async ({ page }) => {
  await page.goto('/?url=/fixtures/table-with-dv-small-kernel');
  await expect(page.getByTestId('header-time')).not.toHaveAttribute('data-value', '', { timeout: 30_000 }); // history loaded
  await expect(page.getByTestId('header-version')).toHaveAttribute('data-value', '1', { timeout: 30_000 });
  await page.getByTestId('version-input').fill('7');
  await page.getByTestId('version-go').click();
  await expect(page.getByTestId('version-problem')).toContainText('latest version is 1');
  await page.getByTestId('timestamp-input').fill('yesterday');
  await page.getByTestId('timestamp-go').click();
  await expect(page.getByTestId('timestamp-problem')).toBeVisible();
  await page.getByTestId('timestamp-input').fill('2999-01-01T00:00:00Z');
  await page.getByTestId('timestamp-go').click();
  await expect(page.getByTestId('version-notice')).toContainText('is after the last commit');
  await expect(page.getByTestId('header-version')).toHaveAttribute('data-value', '1');
});
