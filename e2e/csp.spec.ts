/**
 * The built app ships a Content Security Policy that forbids inline and foreign scripts while the
 * app itself (its worker, parquet-wasm and DuckDB-WASM) keeps working.
 */
import { expect, test } from '@playwright/test';

test('inline and foreign scripts are refused by the CSP; the app and its WebAssembly still run', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto('/');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const scriptSrc = csp!.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
  expect(scriptSrc).toBe("script-src 'self' 'wasm-unsafe-eval'"); // no 'unsafe-inline', no other origins
  // The default sample opens (worker + parquet-wasm under the policy).
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '20', { timeout: 30_000 });
  // An inline script and a foreign script added to the page do not run.
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { __inline?: boolean; __foreign?: boolean };
    const inline = document.createElement('script');
    inline.textContent = 'window.__inline = true';
    document.body.appendChild(inline);
    const foreign = document.createElement('script');
    foreign.src = 'http://127.0.0.2:9/evil.js';
    document.body.appendChild(foreign);
    await new Promise((r) => setTimeout(r, 300));
    return { inline: !!w.__inline, foreign: !!w.__foreign };
  });
  expect(ran).toEqual({ inline: false, foreign: false });
  expect(violations.length).toBeGreaterThan(0);
  // DuckDB-WASM compiles and runs a query under the policy.
  await page.getByTestId('tab-data').click();
  await page.getByTestId('sql-editor').fill('SELECT count(*) AS n FROM t');
  await page.getByTestId('sql-run').click();
  await expect(page.getByTestId('sql-cell').first()).toHaveText('98', { timeout: 60_000 }); // .crc of v20: 100 rows, 2 deleted
});
