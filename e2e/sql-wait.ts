/**
 * Waiting for a SQL result in the Data tab. The previous result stays on screen while the next
 * query runs, so "a status line is visible" does not mean "this query finished": wait until no
 * query runs and the status line names this query (`data-query`), or an error is shown.
 */
import { expect, type Page } from '@playwright/test';

/** Waits until `sql` finished in the Data tab (its status line, or an error panel). */
export async function waitForSql(page: Page, sql: string, timeout = 60_000): Promise<'done' | 'error'> {
  let state = '';
  await expect
    .poll(
      async () =>
        (state = await page.evaluate((q) => {
          if (document.querySelector('[data-testid=sql-busy]')) return 'running';
          if (document.querySelector('[data-testid=sql-error]')) return 'error';
          return document.querySelector('[data-testid=sql-status]')?.getAttribute('data-query') === q ? 'done' : 'waiting';
        }, sql)),
      { timeout },
    )
    .toMatch(/^(done|error)$/);
  return state as 'done' | 'error';
}
