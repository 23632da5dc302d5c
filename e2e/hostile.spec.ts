/**
 * The hostile table (test/fixtures/tables-generated/hostile/, written by test/gen/hostile-table.ts):
 * HTML/JS injection payloads in column names, a nested field name, column comments, partition
 * values, string values and stats, the table name and description, property keys and values, a txn
 * app id and commitInfo fields. Opened by dropping its folder, every tab is visited (a commit's raw
 * actions, a SELECT * in the SQL grid, the Change Data Feed, Compare) and the Data tab's CSV and
 * JSON Lines exports are downloaded. Throughout: `window.__pwned` stays undefined, no element the
 * payloads describe is ever created (a MutationObserver installed before the app starts records any
 * `on*` attribute, `javascript:` URL, `img[src=x]` or script that mentions the payload, even one
 * removed again), and the payload text IS on the screen as text.
 *
 * The app's Content Security Policy would block inline handlers anyway; the DOM checks are what
 * proves the rendering is text-only (with the CSP off, any of these elements would run).
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTILE_DIR, PAYLOADS } from '../test/gen/hostile-payloads.ts';

const ALL = Object.values(PAYLOADS);

/** Installed before any page script: records every element that could run a payload. */
function watchForInjections(): void {
  const w = window as unknown as { __injected: string[] };
  w.__injected = [];
  const check = (el: Element) => {
    const tag = el.tagName.toLowerCase();
    for (const a of Array.from(el.attributes)) {
      const name = a.name.toLowerCase();
      const value = a.value.trim().toLowerCase();
      if (name.startsWith('on')) w.__injected.push(`<${tag} ${a.name}="${a.value}">`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name) && value.startsWith('javascript:')) {
        w.__injected.push(`<${tag} ${a.name}="${a.value}">`);
      }
    }
    if (tag === 'img' && el.getAttribute('src') === 'x') w.__injected.push('<img src=x>');
    if (tag === 'script' && (el.textContent ?? '').includes('__pwned')) w.__injected.push('<script>__pwned</script>');
    if (tag === 'iframe' || tag === 'object' || tag === 'embed') w.__injected.push(`<${tag}>`);
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' && r.target instanceof Element) check(r.target);
      r.addedNodes.forEach((n) => {
        if (!(n instanceof Element)) return;
        check(n);
        n.querySelectorAll('*').forEach(check);
      });
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
}

/** Nothing ran and nothing that could run was created, now or at any time before. */
async function expectClean(page: Page, where: string): Promise<void> {
  const state = await page.evaluate(() => {
    const w = window as unknown as { __pwned?: unknown; __injected: string[] };
    const onAttrs = Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.toLowerCase().startsWith('on'))).length;
    return {
      pwned: w.__pwned,
      injected: w.__injected,
      onAttrs,
      imgX: document.querySelectorAll('img[src="x"]').length,
      svgOnload: document.querySelectorAll('svg[onload]').length,
      scripts: Array.from(document.scripts).filter((s) => s.textContent?.includes('__pwned') || !s.src).length,
      jsLinks: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length,
    };
  });
  expect(state, where).toEqual({ pwned: undefined, injected: [], onAttrs: 0, imgX: 0, svgOnload: 0, scripts: 0, jsLinks: 0 });
}

async function tab(page: Page, name: string): Promise<void> {
  await page.getByTestId(`tab-${name}`).click();
  await expect(page.getByTestId(`tab-${name}`)).toHaveAttribute('aria-selected', 'true');
}

let pageErrors: string[] = [];
test.beforeEach(async ({ page }) => {
  pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.addInitScript(watchForInjections);
});
test.afterEach(() => {
  expect(pageErrors, 'uncaught errors in the page').toEqual([]);
});

test('every view shows the payloads as text and runs none of them; exports carry them verbatim', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.setInputFiles('#dir', HOSTILE_DIR);
  await expect(page.getByTestId('overview-source')).toHaveText('hostile', { timeout: 30_000 });

  // Overview: the name, the description, property keys and values.
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '3');
  await expect(page.getByTestId('overview-name')).toHaveText(PAYLOADS.img);
  await expect(page.getByTestId('overview-description')).toHaveText(`${PAYLOADS.svg} ${PAYLOADS.img}`);
  await expect(page.getByTestId('overview-properties')).toContainText(PAYLOADS.svg);
  await expect(page.getByTestId('overview-properties')).toContainText(PAYLOADS.js);
  await expect(page.getByTestId('overview-properties')).toContainText(PAYLOADS.script);
  await expectClean(page, 'overview');

  // History (the grid): operations, user names; a commit's actions with parameters, metrics and raw actions.
  await tab(page, 'history');
  await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', '4', { timeout: 30_000 });
  await expect(page.getByTestId('history-grid').getByTestId('sql-cell').getByText(PAYLOADS.img, { exact: true }).first()).toBeVisible();
  for (const v of [0, 1, 3]) {
    await page.getByTestId('history-grid').getByRole('button', { name: `Actions for version ${v}`, exact: true }).click();
    await expect(page.getByTestId('history-detail')).toHaveAttribute('data-version', String(v));
    await expect(page.getByTestId('detail-actions')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('detail-actions')).toContainText(PAYLOADS.script);
    await expectClean(page, `history detail v${v}`);
  }
  await expect(page.getByTestId('detail-metrics')).toContainText(PAYLOADS.img.replace(/"/g, '\\"'));
  await expect(page.getByTestId('history')).toContainText(PAYLOADS.svg); // userMetadata of the open commit

  // Schema: payload column names (also nested) and comments.
  await tab(page, 'schema');
  const tree = page.getByTestId('schema-tree');
  for (const p of [PAYLOADS.img, PAYLOADS.svg, PAYLOADS.script, PAYLOADS.js]) await expect(tree).toContainText(p);
  await expect(tree.locator(`tr[data-column="${PAYLOADS.img.replace(/"/g, '\\"')}"]`)).toBeVisible();
  await expectClean(page, 'schema');

  // Partitions: the partition values.
  await tab(page, 'partitions');
  await expect(page.getByTestId('partition-count')).toHaveAttribute('data-value', '2', { timeout: 30_000 });
  await expect(page.getByTestId('partition-table')).toContainText(PAYLOADS.script);
  await expect(page.getByTestId('partition-table')).toContainText(PAYLOADS.js);
  await expectClean(page, 'partitions');

  // Files: partition values and min/max stats.
  await tab(page, 'files');
  await expect(page.getByTestId('files-matched')).toHaveAttribute('data-value', '2', { timeout: 30_000 });
  await expect(page.getByTestId('files-grid')).toContainText(PAYLOADS.svg);
  await expectClean(page, 'files');

  // Data: SELECT * in the grid (payload column names and values), then the exports.
  await tab(page, 'data');
  await page.getByTestId('sql-editor').fill('SELECT * FROM t ORDER BY id');
  await page.getByTestId('sql-run').click();
  await expect(page.getByTestId('sql-grid')).toHaveAttribute('data-rows', '3', { timeout: 60_000 });
  const grid = page.getByTestId('sql-grid');
  for (const p of ALL) await expect(grid).toContainText(p);
  await expect(grid.getByRole('columnheader').filter({ hasText: PAYLOADS.img })).toHaveCount(1);
  await expectClean(page, 'data grid');

  for (const format of ['csv', 'jsonl'] as const) {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId(`export-${format}`).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    if (format === 'jsonl') {
      const rows = text.trim().split('\n').map((l) => JSON.parse(l));
      expect(rows.map((r) => r.id)).toEqual([3, 4, 5]);
      expect(rows[0][PAYLOADS.img]).toBe(PAYLOADS.script);
      expect(rows[1].note).toBe(PAYLOADS.js);
      expect(rows[2][PAYLOADS.svg]).toBe(PAYLOADS.js);
    } else {
      // RFC 4180: fields with quotes are quoted and their quotes doubled; the others verbatim
      for (const p of ALL) expect(text).toContain(/["\n,]/.test(p) ? `"${p.replace(/"/g, '""')}"` : p);
    }
    // the file name comes from the table name, made safe
    expect(download.suggestedFilename()).toMatch(/^[A-Za-z0-9._-]+_v3\.(csv|jsonl)$/);
    await expectClean(page, `export ${format}`);
  }

  // Changes: the feed's rows (inserts and the deleted file's rows) with payload values.
  await tab(page, 'changes');
  await expect(page.getByTestId('changes-status')).toHaveAttribute('data-rows', '7', { timeout: 60_000 });
  await expect(page.getByTestId('changes-grid')).toContainText(PAYLOADS.script);
  await expectClean(page, 'changes');

  // Compare version 1 with 3: the properties and the description changed, files added and removed.
  await tab(page, 'compare');
  await page.getByTestId('compare-a').selectOption('1');
  await expect(page.getByTestId('compare-result')).toHaveAttribute('data-a', '1', { timeout: 30_000 });
  await expect(page.getByTestId('compare-properties')).toContainText(PAYLOADS.script);
  await expectClean(page, 'compare');

  // The payloads are on screen as text (the whole page's text, not its markup).
  await tab(page, 'overview');
  await expect(page.getByText(PAYLOADS.img, { exact: true }).first()).toBeVisible();
  await expectClean(page, 'end');
});
