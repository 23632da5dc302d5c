/**
 * Shared steps of the browser tests against real systems (`e2e-peers/`, run by `npm run
 * test:peers`): screenshots into `test-results/peers/`, SQL in the Data tab, the peers' addresses.
 */
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForSql } from '../e2e/sql-wait.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = join(ROOT, 'test-results/peers');
/** The app as Playwright's web server serves it (an origin MinIO's CORS setting allows). */
export const BASE = `http://127.0.0.1:${process.env.DX_APP_PORT ?? 4339}`;

/** Full-page screenshot to `test-results/peers/<name>.png`. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Runs `sql` in the Data tab and returns the rows shown (cell texts), in order. */
export async function runSql(page: Page, sql: string): Promise<string[][]> {
  await page.getByTestId('tab-data').click();
  await page.getByTestId('sql-editor').fill(sql);
  await page.getByTestId('sql-run').click();
  await waitForSql(page, sql, 120_000);
  await expect(page.getByTestId('sql-error')).toHaveCount(0);
  await expect.poll(() => page.getByTestId('sql-row').count()).toBeGreaterThan(0);
  return page.getByTestId('sql-row').evaluateAll((rows) =>
    rows
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((r) => Array.from(r.querySelectorAll('[data-testid=sql-cell]'), (c) => c.textContent ?? '')),
  );
}

/** `SELECT count(*) FROM t` in the Data tab, as a number. */
export async function sqlCount(page: Page, from = 't'): Promise<number> {
  const rows = await runSql(page, `SELECT count(*) AS n FROM ${from}`);
  return Number(rows[0][0]);
}
