/**
 * The Changes and Compare tabs in the built app, opened by URL (`?url=…&view=changes|compare`).
 * Expected values come from outside the app: the Change Data Feed rows of delta-kernel-rs
 * `kernel/tests/cdf.rs` (as transcribed in `src/query/changes.test.ts`), and the independent
 * forward replay `referenceReplay` of the JSON commits. Each state is saved to `test-results/screenshots/`.
 */
import { expect, test, type Page } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceReplay } from '../test/fixtures.ts';
import { BASIC_CDF, CDF_WITH_DV } from '../test/expected/kernel-cdf.ts';
import { failOnPageErrors } from './page-errors.ts';
import { shot } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;

failOnPageErrors();

type Counts = Record<'insert' | 'update_preimage' | 'update_postimage' | 'delete', number>;
const zero = (): Counts => ({ insert: 0, update_preimage: 0, update_postimage: 0, delete: 0 });

/** Rows per version and change type of a kernel expectation table (`| … | _change_type | _commit_version |`). */
function countsOf(table: string): Map<number, Counts> {
  const lines = table.trim().split('\n').map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  const header = lines[0];
  const ct = header.indexOf('_change_type');
  const cv = header.indexOf('_commit_version');
  const out = new Map<number, Counts>();
  for (const row of lines.slice(1)) {
    const v = Number(row[cv]);
    if (!out.has(v)) out.set(v, zero());
    out.get(v)![row[ct] as keyof Counts]++;
  }
  return out;
}

// Upstream expectations: delta-kernel-rs kernel/tests/cdf.rs `basic_cdf` and `cdf_with_deletion_vector`.

/** Checks the counts table (per version, per type, and totals), the chart and the grid against the expectation. */
async function expectFeed(page: Page, expected: Map<number, Counts>, from: number, to: number) {
  const status = page.getByTestId('changes-status');
  await expect(status).toBeVisible({ timeout: 45_000 });
  let total = 0;
  const totals = zero();
  for (let v = from; v <= to; v++) {
    const c = expected.get(v) ?? zero();
    for (const t of Object.keys(c) as (keyof Counts)[]) {
      await expect(page.getByTestId(`changes-count-${v}-${t}`), `version ${v} ${t}`).toHaveAttribute('data-value', String(c[t]));
      totals[t] += c[t];
      total += c[t];
    }
  }
  for (const t of Object.keys(totals) as (keyof Counts)[]) await expect(page.getByTestId(`changes-total-${t}`)).toHaveAttribute('data-value', String(totals[t]));
  await expect(status).toHaveAttribute('data-rows', String(total));
  await expect(page.getByTestId('changes-version')).toHaveCount(to - from + 1);
  // The chart: one bar segment per non-zero (version, type).
  const segments = [...expected.entries()].filter(([v]) => v >= from && v <= to).reduce((n, [, c]) => n + Object.values(c).filter((x) => x > 0).length, 0);
  await expect(page.getByTestId('changes-chart').locator('.recharts-bar-rectangle path, .recharts-bar-rectangle rect, path.recharts-rectangle')).toHaveCount(segments);
  // The grid: every row (fewer than the page size), with the CDF columns.
  await expect(page.getByTestId('changes-grid').getByTestId('sql-grid')).toHaveAttribute('data-rows', String(total));
  const headers = await page.getByTestId('changes-grid').getByTestId('sql-header').locator('.rg-name').allTextContents();
  expect(headers.slice(-3)).toEqual(['_change_type', '_commit_version', '_commit_timestamp']);
}

test('Changes of cdf-table-kernel 0..3: counts per type and version, chart and rows equal the kernel expectation', async ({ page }) => {
  await page.goto(`/?url=${BASE}/fixtures/cdf-table-kernel&view=changes&from=0&to=3`);
  await expect(page.getByTestId('view-changes')).toBeVisible({ timeout: 30_000 });
  await expectFeed(page, countsOf(BASIC_CDF), 0, 3);
  await shot(page, 'changes-cdf-table-kernel');
});

test('Changes of cdf-table-with-dv: the default range ends at the selected version; changing "from" goes to the URL', async ({ page }) => {
  const expected = countsOf(CDF_WITH_DV);
  await page.goto(`/?url=${BASE}/fixtures/cdf-table-with-dv&view=changes`);
  await expect(page.getByTestId('view-changes')).toBeVisible({ timeout: 30_000 });
  // Default: the last 5 versions up to the latest (6).
  await expect(page.getByTestId('changes-to')).toHaveValue('6');
  await expect(page.getByTestId('changes-from')).toHaveValue('2');
  await expectFeed(page, expected, 2, 6);
  await page.getByTestId('changes-from').selectOption('0');
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('0');
  await expect(page.getByTestId('changes-status')).toHaveAttribute('data-from', '0', { timeout: 30_000 });
  await expectFeed(page, expected, 0, 6);
  await shot(page, 'changes-cdf-table-with-dv');
});

test('Changes of simple_table (no Change Data Feed): CDF_NOT_ENABLED in place, with its hint and the versions', async ({ page }) => {
  await page.goto(`/?url=${BASE}/fixtures/simple_table&view=changes&from=0&to=4`);
  const err = page.getByTestId('changes-error');
  await expect(err).toBeVisible({ timeout: 45_000 });
  await expect(err).toHaveAttribute('data-code', 'CDF_NOT_ENABLED');
  await expect(page.getByTestId('changes-error-message')).toContainText('delta.enableChangeDataFeed');
  await expect(page.getByTestId('changes-error-hint')).toContainText('delta.enableChangeDataFeed');
  await expect(page.getByTestId('changes-error-versions')).toContainText('versions 0–4');
  await expect(page.getByTestId('changes-chart')).toHaveCount(0);
  await shot(page, 'changes-cdf-not-enabled');
});

test('Compare of simple_table: version 0 vs the latest shows the files added and removed by the forward replay', async ({ page }) => {
  const dir = join(TABLES, 'simple_table');
  const a = new Set(referenceReplay(dir, 0).paths);
  const b = new Set(referenceReplay(dir, 4).paths);
  const added = [...b].filter((p) => !a.has(p));
  const removed = [...a].filter((p) => !b.has(p));
  await page.goto(`/?url=${BASE}/fixtures/simple_table&view=compare&compare=0`);
  await expect(page.getByTestId('compare-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-a', '0');
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-b', '4');
  await expect(page.getByTestId('compare-added')).toHaveAttribute('data-value', String(added.length));
  await expect(page.getByTestId('compare-removed')).toHaveAttribute('data-value', String(removed.length));
  await expect(page.getByTestId('compare-unchanged')).toHaveAttribute('data-value', String(b.size - added.length));
  if (added.length) {
    const shown = await page.getByTestId('compare-added-paths').locator('.path').allTextContents();
    expect(shown.sort()).toEqual(added.map((p) => decodeURIComponent(p)).sort());
  }
  await shot(page, 'compare-simple-table-0-4');

  // Another version A through the select: the URL follows, and so do the counts.
  const a3 = new Set(referenceReplay(dir, 3).paths);
  await page.getByTestId('compare-a').selectOption('3');
  await expect.poll(() => new URL(page.url()).searchParams.get('compare')).toBe('3');
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-a', '3');
  await expect(page.getByTestId('compare-added')).toHaveAttribute('data-value', String([...b].filter((p) => !a3.has(p)).length));
  await expect(page.getByTestId('compare-removed')).toHaveAttribute('data-value', String([...a3].filter((p) => !b.has(p)).length));
});

test('Compare of delta-live-table 0 → 1: columns added and the protocol change', async ({ page }) => {
  await page.goto(`/?url=${BASE}/fixtures/delta-live-table&view=compare&compare=0&version=1`);
  await expect(page.getByTestId('compare-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('compare-schema-change')).toHaveCount(10);
  await expect(page.getByTestId('compare-protocol')).toHaveAttribute('data-changed', 'true');
  await expect(page.getByTestId('compare-protocol-row').filter({ hasText: 'Writer version' })).toContainText('5');
  await shot(page, 'compare-delta-live-table');
});
