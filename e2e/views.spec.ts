/**
 * The tabs of the app, opened by URL (`?url=<fixture>&view=…&version=N`): the Overview facts and
 * health hints, and the History tab (one row per commit file, sorting, filtering, a commit opened
 * into its parameters and raw actions, travelling to a version by clicking it) for tables with a
 * checkpoint, with deletion vectors, partitioned, and with Change Data Feed. Expected values come
 * from the tables' own files (commit files, `.crc`, the forward replay `referenceReplay`), never from
 * the app. Screenshots of Overview and History, light and dark, go to `test-results/screenshots/`.
 */
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceReplay } from '../test/fixtures.ts';
import { failOnPageErrors } from './page-errors.ts';
import { shot } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4329}`;

interface Commit {
  version: number;
  lines: string[];
  commitInfo: Record<string, unknown> | null;
  metaData: { partitionColumns: string[] } | null;
}

/** The commit files of a table, oldest first, parsed. */
function commits(table: string): Commit[] {
  const dir = join(TABLES, table, '_delta_log');
  return readdirSync(dir)
    .filter((n) => /^\d{20}\.json$/.test(n))
    .sort()
    .map((n) => {
      const lines = readFileSync(join(dir, n), 'utf8').split('\n').filter((l) => l.trim());
      const actions = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      return {
        version: Number(n.slice(0, 20)),
        lines,
        commitInfo: (actions.find((a) => a.commitInfo)?.commitInfo as Record<string, unknown>) ?? null,
        metaData: (actions.find((a) => a.metaData)?.metaData as Commit['metaData']) ?? null,
      };
    });
}

/** What the History filter matches for a commit (operation, user, engine, parameters, version), lower case. */
function haystack(c: Commit): string {
  const ci = c.commitInfo ?? {};
  return [ci.operation, ci.userName, ci.userId, ci.engineInfo, ci.operationParameters ? JSON.stringify(ci.operationParameters) : null, String(c.version)]
    .filter(Boolean)
    .join('\u0000')
    .toLowerCase();
}

const query = (page: Page) => new URL(page.url()).searchParams;
const fact = (page: Page, testId: string) => page.getByTestId(testId).getAttribute('data-value');

failOnPageErrors();

const TABLES_UNDER_TEST = [
  { name: 'simple_table_with_checkpoint', what: 'a checkpoint' },
  { name: 'table_with_deletion_logs', what: 'deletion vectors (and checkpoints)' },
  { name: 'v1-multi-part-partitioned-struct-stats-only', what: 'partitions and a multi-part checkpoint' },
  { name: 'cdf-table-kernel', what: 'Change Data Feed' },
];

for (const { name, what } of TABLES_UNDER_TEST) {
  test(`${name} (${what}): Overview facts and History rows, sorting, filter, detail, travel`, async ({ page }) => {
    const all = commits(name);
    const latest = all[all.length - 1].version;
    const ref = referenceReplay(join(TABLES, name), latest);
    const partitionColumns = [...all].reverse().find((c) => c.metaData)?.metaData?.partitionColumns ?? [];

    // Overview.
    await page.goto(`/?url=${BASE}/fixtures/${name}&view=overview`);
    await expect(page.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', String(latest));
    await expect(page.getByTestId('version-current')).toHaveText(String(latest));
    expect(await fact(page, 'overview-num-files')).toBe(String(ref.numFiles));
    expect(await fact(page, 'overview-size')).toBe(String(ref.sizeBytes));
    expect(await fact(page, 'overview-partition-columns')).toBe(partitionColumns.join(','));
    await expect(page.getByTestId('overview-source')).toHaveText(`${BASE}/fixtures/${name}`);
    await expect(page.getByTestId('overview-id')).not.toBeEmpty();
    // The commit time of the version shown, from history: relative and absolute.
    await expect(page.getByTestId('overview-last-modified')).toHaveAttribute('data-value', /^\d+$/);
    await expect(page.getByTestId('overview-last-modified')).toContainText(' · ');
    await expect(page.getByTestId('overview-last-modified')).toContainText(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    await expect(page.getByTestId('health-hint')).toHaveCount(7);
    await expect(page.getByTestId('health-hint').first()).toHaveAttribute('data-status', /^(ok|warn)$/);

    // History: the grid by default, one row per commit file; then the commit list, newest first.
    await page.getByTestId('tab-history').click();
    expect(query(page).get('view')).toBe('history');
    await expect(page.getByTestId('history-grid')).toHaveAttribute('data-rows', String(all.length), { timeout: 30_000 });
    await page.getByTestId('history-as-list').click();
    expect(query(page).get('layout')).toBe('list');
    const rows = page.getByTestId('history-row');
    await expect(rows).toHaveCount(all.length);
    await expect(rows.first()).toHaveAttribute('data-version', String(latest));
    const ops = all.map((c) => String(c.commitInfo?.operation ?? '—')).reverse();
    await expect(page.getByTestId('history-operation')).toHaveText(ops);

    // Sorting by version: ascending, then descending again.
    await page.getByTestId('history-sort-version').click();
    await expect(rows.first()).toHaveAttribute('data-version', String(all[0].version));
    await page.getByTestId('history-sort-version').click();
    await expect(rows.first()).toHaveAttribute('data-version', String(latest));

    // Filter by the last commit's operation.
    const op = String(all[all.length - 1].commitInfo?.operation ?? '');
    if (op) {
      await page.getByTestId('history-filter').fill(op);
      await expect(rows).toHaveCount(all.filter((c) => haystack(c).includes(op.toLowerCase())).length);
      await page.getByTestId('history-filter').fill('no such operation at all');
      await expect(rows).toHaveCount(0);
      await page.getByTestId('history-filter').fill('');
      await expect(rows).toHaveCount(all.length);
    }

    // A commit opens into its parameters, metrics and raw actions.
    const first = all[0];
    await page.locator(`[data-testid=history-row][data-version="${first.version}"]`).click();
    const detail = page.getByTestId('history-detail');
    await expect(detail).toHaveAttribute('data-version', String(first.version));
    expect(query(page).get('commit')).toBe(String(first.version));
    const counts: Record<string, number> = {};
    for (const l of first.lines) {
      const k = Object.keys(JSON.parse(l) as object)[0];
      counts[k] = (counts[k] ?? 0) + 1;
    }
    await expect(page.getByTestId('detail-action-counts')).toHaveText(
      Object.entries(counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(' · '),
    );
    if (first.commitInfo?.operationParameters) {
      expect(JSON.parse((await page.getByTestId('detail-parameters').textContent()) ?? '')).toEqual(first.commitInfo.operationParameters);
    }
    await expect(page.getByTestId('detail-actions')).toContainText(`"${Object.keys(JSON.parse(first.lines[0]) as object)[0]}"`);

    // Clicking a version travels there; the URL says so and reproduces the same screen.
    if (all.length > 1) {
      const target = all[all.length - 2].version;
      await page.locator(`[data-testid=history-row][data-version="${target}"]`).getByTestId('history-travel').click();
      await expect(page.getByTestId('version-current')).toHaveText(String(target));
      await expect.poll(() => query(page).get('version')).toBe(String(target));
      expect(query(page).get('view')).toBe('history');
      await expect(page.locator('[data-testid=history-row].current')).toHaveAttribute('data-version', String(target));

      const link = page.url();
      await page.goto('about:blank');
      await page.goto(link);
      await expect(page.getByTestId('tab-history')).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByTestId('version-current')).toHaveText(String(target));
      await expect(rows).toHaveCount(all.length);
      await expect(page.locator('[data-testid=history-row].current')).toHaveAttribute('data-version', String(target));
      await expect(page.getByTestId('history-detail')).toHaveAttribute('data-version', String(first.version));
    }
  });
}

test('?view=history&version=N opens exactly that screen; back/forward switch tabs', async ({ page }) => {
  const name = 'table_with_deletion_logs';
  const all = commits(name);
  await page.goto(`/?url=${BASE}/fixtures/${name}&version=5&view=history&layout=list`);
  await expect(page.getByTestId('tab-history')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('version-current')).toHaveText('5');
  await expect(page.getByTestId('history-row')).toHaveCount(all.length);
  await expect(page.locator('[data-testid=history-row].current')).toHaveAttribute('data-version', '5');
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '5');
  expect(query(page).get('view')).toBeNull();
  await page.goBack();
  await expect(page.getByTestId('tab-history')).toHaveAttribute('aria-selected', 'true');
  expect(query(page).get('view')).toBe('history');
  await page.goForward();
  await expect(page.getByTestId('overview')).toBeVisible();
  // Every tab is reachable by URL.
  for (const view of ['schema', 'partitions', 'files', 'data', 'changes', 'compare']) {
    await page.goto(`/?url=${BASE}/fixtures/${name}&view=${view}`);
    await expect(page.getByTestId(`tab-${view}`)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId(`tabpanel-${view}`)).toBeVisible();
  }
  // A view that is no tab says so and shows the Overview.
  await page.goto(`/?url=${BASE}/fixtures/${name}&view=nope`);
  await expect(page.getByTestId('overview')).toBeVisible();
  await expect(page.getByTestId('error-message')).toContainText('"nope"');
});

test('timestamp picker travels to the version current at that time; a time before the log says so in place', async ({ page }) => {
  const name = 'table_with_deletion_logs';
  await page.goto(`/?url=${BASE}/fixtures/${name}&version=7&view=history&layout=list`);
  await expect(page.getByTestId('version-current')).toHaveText('7');
  // The picker shows the commit time of the version shown (UTC, to the millisecond).
  await expect(page.getByTestId('timestamp-input')).not.toHaveValue('');
  const at7 = await page.getByTestId('timestamp-input').inputValue();
  await page.getByTestId('version-latest').click();
  await expect(page.getByTestId('version-current')).toHaveText(String(commits(name).length - 1));
  await expect.poll(() => query(page).get('version')).toBeNull();

  await page.getByTestId('timestamp-input').fill(at7);
  await page.getByTestId('timestamp-go').click();
  await expect(page.getByTestId('version-current')).toHaveText('7');
  await expect.poll(() => query(page).get('version')).toBe('7');

  // Before the first commit: an error where it happened, the version shown stays.
  await page.getByTestId('timestamp-input').fill('2000-01-01T00:00:00');
  await page.getByTestId('timestamp-go').click();
  await expect(page.getByTestId('error-panel')).toBeVisible();
  await expect(page.getByTestId('version-current')).toHaveText('7');
  await expect(page.getByTestId('history-row')).toHaveCount(commits(name).length);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of Overview and History (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const name = 'table_with_deletion_logs';
    await page.goto(`/?url=${BASE}/fixtures/${name}`);
    await expect(page.getByTestId('overview-last-modified')).toHaveAttribute('data-value', /^\d+$/);
    await shot(page, `views-overview-${scheme}`);
    await page.getByTestId('tab-history').click();
    await expect(page.getByTestId('history-chart')).toBeVisible();
    await page.getByTestId('history-grid').getByRole('button', { name: 'Actions for version 1', exact: true }).click();
    await expect(page.getByTestId('history-actions')).toHaveAttribute('data-version', '1');
    await expect(page.getByTestId('detail-actions')).toBeVisible();
    await shot(page, `views-history-${scheme}`);
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe(scheme === 'dark' ? 'rgb(15, 20, 25)' : 'rgb(246, 247, 249)');
  });
}
