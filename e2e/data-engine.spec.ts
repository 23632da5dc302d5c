/**
 * The Data tab's editor and engine beyond plain queries (issue #13): Format (sql-formatter's DuckDB
 * dialect) keeps `"t@v…"`/`"t$history"` intact and the query's answer unchanged; a real
 * WebAssembly trap in DuckDB-WASM 1.28 restarts the engine, the message says so, and the next
 * query (on the table, whose file registry is rebuilt) runs; reads show progress in bytes with a
 * percentage. Real Chromium, real DuckDB-WASM, fixture tables; screenshots in
 * `test-results/screenshots/` (light and dark, 1400 px and 390 px).
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { startFaultProxy } from '../test/fault-proxy.ts';
import { waitForSql } from './sql-wait.ts';
import { shot, axeProblems } from './shots.ts';

const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;

/** Opens a fixture table by URL on the Data tab. */
async function openData(page: Page, table: string): Promise<void> {
  await page.goto(`/?url=/fixtures/${table}&view=data`);
  await expect(page.getByTestId('data-panel')).toBeVisible({ timeout: 30_000 });
}

/** Replaces the editor's text, runs it, and waits for its status line or error. */
async function run(page: Page, sql: string): Promise<'done' | 'error'> {
  await page.getByTestId('sql-editor').fill(sql);
  await page.getByTestId('sql-run').click();
  return waitForSql(page, sql, 60_000);
}

let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
});
test.afterEach(() => expect(pageErrors, 'uncaught errors in the page').toEqual([]));

test('Format lays out the query, keeps "t$history" and "t@v1" intact, and the answer does not change', async ({ page }) => {
  // The SQL engine's first start (18 MB of wasm) takes most of a minute on a busy machine.
  test.setTimeout(180_000);
  await openData(page, 'simple_table');
  const q = `select version,operation from "t$history" where version>=(select count(*) from "t@v1$files")-1 order by version`;
  expect(await run(page, q)).toBe('done');
  const rowsBefore = await page.getByTestId('sql-status').getAttribute('data-rows');
  await page.getByTestId('sql-format').click();
  const editor = page.getByTestId('sql-editor');
  await expect(editor).toContainText('SELECT');
  const formatted = await editor.evaluate((el) => Array.from(el.querySelectorAll('.cm-line'), (l) => l.textContent ?? '').join('\n'));
  expect(formatted.split('\n').length).toBeGreaterThan(5);
  expect(formatted).toContain('"t$history"');
  expect(formatted).toContain('"t@v1$files"');
  expect(formatted).toMatch(/^SELECT\n/);
  await shot(page, 'data-format');
  expect(await run(page, formatted)).toBe('done');
  expect(await page.getByTestId('sql-status').getAttribute('data-rows')).toBe(rowsBefore);
  // Undo restores the text as typed (one step); Shift+Alt+F formats again.
  await editor.press('Control+z');
  await expect(editor).toContainText('select version,operation');
  await editor.press('Shift+Alt+F');
  await expect(editor).toContainText('SELECT');
  // A text the formatter cannot read stays as it is, and the panel says why.
  const broken = `select 'unterminated from t`;
  await editor.fill(broken);
  await page.getByTestId('sql-format').click();
  await expect(page.getByTestId('sql-format-note')).toContainText('Not formatted');
  await expect(editor).toHaveText(broken);
  // The completion list typing may have opened is keyboard-operated from the editor
  // (aria-activedescendant), which axe's scrollable-region rule does not follow: close it first.
  await editor.press('Escape');
  await expect(page.locator('.cm-tooltip-autocomplete')).toHaveCount(0);
  expect(await axeProblems(page)).toEqual([]);
});

test('a WebAssembly trap in DuckDB restarts the engine, says so, and the next query on the table runs', async ({ page }) => {
  // The SQL engine's first start (18 MB of wasm) takes most of a minute on a busy machine.
  test.setTimeout(180_000);
  await openData(page, 'table-with-dv-small-kernel');
  // Before: the table's rows (deletion vector applied), so its files are registered in the engine.
  // (delta-kernel-rs kernel/tests/dv.rs: values 1..8, rows 0 and 9 deleted by the DV.)
  expect(await run(page, 'SELECT value FROM t ORDER BY value')).toBe('done');
  await expect(page.getByTestId('sql-status')).toHaveAttribute('data-rows', '8');
  // DuckDB-WASM 1.28 traps ("memory access out of bounds") building a list of 10^9 elements.
  expect(await run(page, 'SELECT len(range(1000000000)) AS n')).toBe('error');
  await expect(page.getByTestId('sql-error')).toHaveAttribute('data-code', 'ENGINE_RESTARTED');
  await expect(page.getByTestId('sql-error-message')).toContainText(/crashed \((memory access out of bounds|unreachable)[^)]*\) and was restarted/);
  await expect(page.getByTestId('sql-error')).toContainText('SQL engine restarted');
  await shot(page, 'data-engine-restarted');
  // After: the restarted engine answers, on the table too (its files registered again).
  expect(await run(page, 'SELECT 41 + 1 AS v')).toBe('done');
  expect(await run(page, 'SELECT value FROM t ORDER BY value DESC')).toBe('done');
  await expect(page.getByTestId('sql-status')).toHaveAttribute('data-rows', '8');
  const ids = await page.getByTestId('sql-row').evaluateAll((rows) => rows.map((r) => r.querySelector('[data-testid=sql-cell]')?.textContent));
  expect(ids.slice(0, 8)).toEqual(['8', '7', '6', '5', '4', '3', '2', '1']);
});

test('a query reading data files shows progress in bytes with a percentage of the planned files', async ({ page }) => {
  test.setTimeout(180_000);
  // The table through a proxy that answers each request after 250 ms: DuckDB's ranged reads of
  // the 8 files (6 MB) then take seconds, long enough to see the progress line move.
  const proxy = await startFaultProxy({ target: BASE, latencyMs: 250 });
  try {
    await page.goto(`/?view=data&url=${encodeURIComponent(`${proxy.url}/fixtures/COVID-19_NYT`)}`);
    await expect(page.getByTestId('data-panel')).toBeVisible({ timeout: 60_000 });
    // Load the engine first, so the next query's time is reading.
    expect(await run(page, 'SELECT 1 AS one')).toBe('done');
    const percents: number[] = [];
    await page.exposeFunction('dxPercent', (p: string) => percents.push(Number(p)));
    await page.evaluate(() => {
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid=sql-busy] [data-testid=progress][data-unit=bytes]');
        const p = el?.getAttribute('data-percent');
        if (p) (window as unknown as { dxPercent: (p: string) => void }).dxPercent(p);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-percent'] });
    });
    const q = 'SELECT count(*) AS n, sum(cases) AS cases, max(date) AS last FROM t';
    await page.getByTestId('sql-editor').fill(q);
    await page.getByTestId('sql-run').click();
    const line = page.getByTestId('sql-busy').getByTestId('progress');
    await expect(line).toHaveAttribute('data-unit', 'bytes', { timeout: 60_000 });
    await expect(line).toContainText(/Reading data files [\d.,]+ (B|KiB|MiB) of [\d.,]+ MiB \(\d+%\)/);
    await shot(page, 'data-progress-bytes');
    expect(await waitForSql(page, q, 120_000)).toBe('done');
    expect(percents.length).toBeGreaterThan(0);
    expect(Math.max(...percents)).toBeLessThanOrEqual(99);
    expect(Math.max(...percents)).toBeGreaterThan(0);
    // Reported percentages never go back.
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
  } finally {
    await proxy.close();
  }
});
