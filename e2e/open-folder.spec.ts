/**
 * Opening local folders in the built app: the folder input, a real folder drop, a synthetic drop,
 * a folder that is not a table, and a folder holding several tables. Expected values are read from
 * the fixtures themselves (`.crc` files, commit files, MANIFEST.json), never from the app's code.
 * Each state is saved to `test-results/screenshots/`.
 */
import { expect, test, type Page } from '@playwright/test';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shot } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');

interface ManifestEntry {
  name: string;
  latest_version: number;
  partition_columns: string[];
  num_rows_expected: number | null;
}
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/MANIFEST.json'), 'utf8')) as ManifestEntry[];
const manifest = (name: string) => MANIFEST.find((m) => m.name === name)!;

/** The Delta checksum file of a version (written by Databricks / Spark next to the commit). */
function crcOf(table: string, version: number): { numFiles: number; numDeletedRecordsOpt?: number; allFiles: { stats: string }[] } {
  return JSON.parse(readFileSync(join(TABLES, table, '_delta_log', `${String(version).padStart(20, '0')}.crc`), 'utf8'));
}

/** Commit files (`NNN.json`) in a table's `_delta_log`. */
const commitFiles = (table: string) => readdirSync(join(TABLES, table, '_delta_log')).filter((n) => /^\d{20}\.json$/.test(n));

/** `add` actions of one commit file. */
const addsIn = (table: string, version: number) =>
  readFileSync(join(TABLES, table, '_delta_log', `${String(version).padStart(20, '0')}.json`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && 'add' in JSON.parse(l)).length;

/** `add` actions of one commit file that carry stats. */
const statsInCommit = (table: string, version: number) =>
  readFileSync(join(TABLES, table, '_delta_log', `${String(version).padStart(20, '0')}.json`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && typeof JSON.parse(l).add?.stats === 'string').length;

async function openWithInput(page: Page, dir: string): Promise<void> {
  await page.goto('/');
  await page.setInputFiles('#dir', dir);
}

/** The raw number an overview fact carries (`data-value`). */
/** The History tab's rows (its grid, the default layout): opens the tab, checks the count, and returns to the Overview. */
async function expectHistoryRows(page: Page, count: number, check?: () => Promise<void>): Promise<void> {
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', String(count), { timeout: 30_000 });
  if (check) await check();
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview')).toBeVisible();
}

/** A fact's raw value, once the Overview is not waiting for checkpoint stats (the record count fills in after the first paint). */
const factValue = async (page: Page, testId: string) => {
  await expect(page.getByTestId(testId).first()).not.toHaveAttribute('data-state', 'loading');
  return page.getByTestId(testId).first().getAttribute('data-value');
};

test.beforeEach(async ({ page }) => {
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
});

test('(a) the folder input opens a checkpointed table with deletion vectors', async ({ page }) => {
  const name = 'table_with_deletion_logs';
  await page.goto('/');
  await expect(page.getByTestId('open-folder')).toBeVisible();
  await shot(page, 'idle');
  await page.setInputFiles('#dir', join(TABLES, name));
  // The page opened the bundled sample of the same name first: the source tells them apart.
  await expect(page.getByTestId('overview-source')).toHaveText(name);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '20');
  // A local folder cannot be named in the URL.
  expect(new URL(page.url()).searchParams.get('url')).toBeNull();

  // From _delta_log/00000000000000000020.crc: numFiles, and records = the numRecords in the stats
  // of its allFiles minus numDeletedRecordsOpt (the rows deletion vectors hide).
  const crc = crcOf(name, 20);
  const records = crc.allFiles.reduce((n, f) => n + (JSON.parse(f.stats) as { numRecords: number }).numRecords, 0) - (crc.numDeletedRecordsOpt ?? 0);
  expect(records).toBe(98);
  expect(await factValue(page, 'overview-num-files')).toBe(String(crc.numFiles));
  expect(await factValue(page, 'overview-num-records')).toBe(String(records));
  await expect(page.getByTestId('overview-protocol')).toHaveText('reader 3 · writer 7');
  await expect(page.getByTestId('overview-checkpoint')).toContainText('v20 · classic parquet');
  await expect(page.getByTestId('overview-name')).toHaveText(name);

  // History: one row per commit file, newest first.
  await expectHistoryRows(page, commitFiles(name).length, async () => {
    await expect(page.getByTestId('history-grid').getByTestId('grid-row-actions').first()).toHaveAttribute('aria-label', 'Actions for version 20');
    // The commit list, one switch away: newest first, the first commit a WRITE.
    await page.getByTestId('history-as-list').click();
    await expect(page.getByTestId('history-row').first()).toHaveAttribute('data-version', '20');
    await expect(page.getByTestId('history-row').last().getByTestId('history-operation')).toHaveText('WRITE');
    await page.getByTestId('history-as-grid').click();
  });
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await shot(page, 'a-input-table-with-deletion-logs');
});

test('(a2) features of a table whose protocol comes from a parquet checkpoint', async ({ page }) => {
  // Regression: list columns of checkpoint rows (protocol features, partitionColumns) must survive
  // the minified production build (toPlain once recognised Arrow values by class name).
  await openWithInput(page, join(TABLES, 'table_with_deletion_logs'));
  await expect(page.getByTestId('overview-source')).toHaveText('table_with_deletion_logs');
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '20');
  await expect(page.getByTestId('overview-features').locator('[data-feature]')).toHaveCount(3, { timeout: 3_000 });
});

test('(b) a V2 parquet checkpoint with sidecars (parquet-wasm in the worker)', async ({ page }) => {
  const name = 'v2-checkpoints-parquet-with-sidecars';
  const m = manifest(name);
  await openWithInput(page, join(TABLES, name));
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(m.latest_version));
  expect(m.latest_version).toBe(6);
  await expect(page.getByTestId('overview-checkpoint')).toContainText('v6 · v2 parquet');
  // MANIFEST num_rows_expected (1233, from delta-kernel-rs's v2_checkpoints.rs); the table's stats give numRecords for every file.
  expect(m.num_rows_expected).toBe(1233);
  expect(await factValue(page, 'overview-num-records')).toBe(String(m.num_rows_expected));
  await expect(page.getByTestId('overview-num-records')).toContainText('1,233');
  await expectHistoryRows(page, commitFiles(name).length);
  await shot(page, 'b-input-v2-checkpoint-sidecars');
});

test('(c1) a real folder drop (Chromium drag with a directory) walks the entries', async ({ page }) => {
  // Input.dispatchDragEvent with a directory path makes Chromium build a native drag whose item's
  // webkitGetAsEntry() is a FileSystemDirectoryEntry, so this runs the recursive entry walk.
  const name = 'delta-0.8.0-partitioned';
  const m = manifest(name);
  await page.goto('/');
  // The default sample opens first and makes the drop zone compact (it moves): measure it after.
  await expect(page.getByTestId('overview')).toBeVisible();
  const zone = page.getByTestId('drop-zone');
  const box = (await zone.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const data = { items: [], files: [join(TABLES, name)], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver'] as const) await cdp.send('Input.dispatchDragEvent', { type, ...at, data });
  await shot(page, 'c1-drag-over');
  await cdp.send('Input.dispatchDragEvent', { type: 'drop', ...at, data });

  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(m.latest_version));
  expect(await factValue(page, 'overview-partition-columns')).toBe(m.partition_columns.join(','));
  // Files: the add actions of its only commit. Records: that commit's adds carry no stats (Delta
  // 0.8.0), so the log has no count: the Overview offers "Count rows" (MANIFEST's num_rows_expected 7 comes from reading the data).
  expect(await factValue(page, 'overview-num-files')).toBe(String(addsIn(name, 0)));
  expect(statsInCommit(name, 0)).toBe(0);
  expect(await factValue(page, 'overview-num-records')).toBeNull();
  await expect(page.getByTestId('overview-num-records')).toContainText('have no numRecords stats');
  await expect(page.getByTestId('overview-num-records').getByTestId('count-rows-button')).toBeVisible();
  await shot(page, 'c1-drop-folder');
});

test('(c2) a synthetic drop of files with relative paths takes the fallback path', async ({ page }) => {
  // A DataTransfer built by script has no file-system entries (webkitGetAsEntry() returns null),
  // so this exercises the drop handler's fallback on dataTransfer.files + webkitRelativePath, not the
  // entry walk (c1 covers that). webkitRelativePath is read-only on File, hence defineProperty.
  const name = 'delta-0.8.0';
  const m = manifest(name);
  const files: { rel: string; base64: string }[] = [];
  const walk = (dir: string, rel: string) => {
    for (const n of readdirSync(dir)) {
      const abs = join(dir, n);
      if (statSync(abs).isDirectory()) walk(abs, `${rel}/${n}`);
      else files.push({ rel: `${rel}/${n}`, base64: readFileSync(abs).toString('base64') });
    }
  };
  walk(join(TABLES, name), name);
  await page.goto('/');
  await page.getByTestId('drop-zone').evaluate((zone, list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      const file = new File([bytes], f.rel.slice(f.rel.lastIndexOf('/') + 1));
      Object.defineProperty(file, 'webkitRelativePath', { value: f.rel });
      dt.items.add(file);
    }
    zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, files);
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(m.latest_version));
  await expect(page.getByTestId('overview-source')).toHaveText(name);
  expect(await factValue(page, 'overview-num-records')).toBe(String(m.num_rows_expected));
  await shot(page, 'c2-synthetic-drop');
});

test('(d1) a folder that is not a table says so', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'not-a-table-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'README.txt'), 'no table here');
  cpSync(join(TABLES, 'table_with_deletion_logs/part-00000-cb251d5e-b665-437a-a9a7-fbfc5137c77d.c000.snappy.parquet'), join(dir, 'data/part-0.parquet'));
  await openWithInput(page, dir);
  const panel = page.getByTestId('error-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toHaveAttribute('data-code', 'NOT_A_TABLE');
  await expect(page.getByTestId('error-code')).toHaveText('NOT_A_TABLE');
  await expect(page.getByTestId('error-message')).toContainText('No Delta table in');
  await expect(page.getByTestId('error-message')).toContainText(dir.slice(dir.lastIndexOf('/') + 1));
  await expect(page.getByTestId('error-hint')).toContainText('_delta_log');
  await expect(page.getByTestId('overview')).toHaveCount(0);
  await shot(page, 'd1-not-a-table');
});

test('(d2) a folder holding several tables lists them to pick from', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'several-tables-'));
  const names = ['simple_table', 'app-txn-no-checkpoint', 'delta-0.8.0'];
  for (const n of names) cpSync(join(TABLES, n), join(dir, 'warehouse', n), { recursive: true });
  await openWithInput(page, dir);
  const items = page.getByTestId('candidate');
  await expect(items).toHaveCount(names.length);
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).toEqual(names.map((n) => `warehouse/${n}`).sort());
  await shot(page, 'd2-candidates');

  const pick = 'simple_table';
  await page.locator(`[data-testid=candidate][data-path="warehouse/${pick}"]`).click();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(manifest(pick).latest_version));
  await expect(page.getByTestId('overview-source')).toContainText(`warehouse/${pick}`);
  await expectHistoryRows(page, commitFiles(pick).length);
  await shot(page, 'd2-picked-candidate');

  await page.getByTestId('back-to-candidates').click();
  await expect(items).toHaveCount(names.length);
  await page.locator('[data-testid=candidate][data-path="warehouse/delta-0.8.0"]').click();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(manifest('delta-0.8.0').latest_version));
});

test('(e) a lone _delta_log folder opens as metadata only', async ({ page }) => {
  await openWithInput(page, join(TABLES, 'table_with_deletion_logs/_delta_log'));
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '20');
  await expect(page.getByText('Only the _delta_log folder was opened')).toBeVisible();
});
