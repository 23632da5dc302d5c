/**
 * The Data tab's editor and engine beyond plain queries (issue #13): Format (sql-formatter's DuckDB
 * dialect) keeps `"t@v…"`/`"t$history"` intact and the query's answer unchanged; a real
 * WebAssembly trap in DuckDB-WASM 1.28 restarts the engine, the message says so, and the next
 * query (on the table, whose file registry is rebuilt) runs; reads show progress in bytes with a
 * percentage. Real Chromium, real DuckDB-WASM, fixture tables; screenshots in
 * `test-results/screenshots/` (light and dark, 1400 px and 390 px).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForSql } from './sql-wait.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = join(ROOT, 'test-results/screenshots');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function axeProblems(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
}

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
  expect(await axeProblems(page)).toEqual([]);
});

test('a WebAssembly trap in DuckDB restarts the engine, says so, and the next query on the table runs', async ({ page }) => {
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
