/**
 * The Overview opens without checkpoint stats (issue #16, "stats only when a view asks"): a table
 * opened by URL paints files, size, partition columns, protocol and schema before the checkpoint's
 * `add.stats` column chunk has arrived — the record count says "loading stats…" and the
 * stats-derived health hints are pending — then fills in with the count an eager load gives. The
 * Partitions tab asked meanwhile waits for the stats (it never shows partitions "without stats");
 * a refused stats read is shown in place as an error, never as 0 or "unknown", and "Load stats
 * again" then gives the count.
 *
 * Deterministic without timing: the real checkpoint (`tables-generated/lazy-stats/classic_2k`,
 * whose stats chunk lies outside the 64 KB footer probe) is served by a server in this process that
 * holds back (or refuses) exactly the ranged reads reaching into the stats chunk until the test
 * releases them. Expected numbers come from an eager load of the same folder in Node.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetMetadata } from 'hyparquet';
import { createStaticHandler } from '../src/server/static.ts';
import { DeltaTable } from '../src/delta/table.ts';
import { NodeFsStore } from '../src/delta/storage/node-fs.ts';
import { partitionSummary } from '../src/explore/aggregates.ts';
import { formatCount } from '../src/explore/format.ts';
import { failOnPageErrors } from './page-errors.ts';
import { axeProblems, shot } from './shots.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const GENERATED = join(ROOT, 'test/fixtures/tables-generated');
const TABLE = 'lazy-stats/classic_2k';
const CHECKPOINT = `/${TABLE}/_delta_log/00000000000000001000.checkpoint.parquet`;

failOnPageErrors();

/** Byte span of the checkpoint's `add.stats` column chunk, and the file's size. */
function statsSpan(): { start: number; end: number; size: number } {
  const b = readFileSync(join(GENERATED, TABLE, '_delta_log/00000000000000001000.checkpoint.parquet'));
  const meta = parquetMetadata(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  const md = meta.row_groups[0].columns.find((c) => c.meta_data!.path_in_schema.join('.') === 'add.stats')!.meta_data!;
  const start = Number(md.dictionary_page_offset ?? md.data_page_offset);
  return { start, end: start + Number(md.total_compressed_size), size: b.length };
}

/**
 * The generated tables (S3 listings, CORS), with the checkpoint's stats reads (a `Range` reaching
 * into the stats chunk that is not the footer probe at the file's end) held until `release()`, or
 * answered 403 when `refuse`. `sawStats` resolves at the first one.
 */
async function statsServer(refuse: boolean) {
  const span = statsSpan();
  let refusing = refuse;
  const handler = createStaticHandler({ mounts: [{ urlPrefix: '/', root: GENERATED, dotfiles: true, listing: true }] });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let saw!: () => void;
  const sawStats = new Promise<void>((r) => (saw = r));
  const server = http.createServer((req, res) => {
    const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
    const isStats = req.method === 'GET' && req.url?.split('?')[0] === CHECKPOINT && !!m && Number(m[1]) < span.end && Number(m[2]) + 1 > span.start && Number(m[2]) + 1 < span.size;
    if (!isStats) return handler(req, res);
    saw();
    if (refusing) {
      res.writeHead(403, { 'content-type': 'application/xml', 'access-control-allow-origin': '*' }).end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    void released.then(() => handler(req, res));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    span,
    sawStats,
    release,
    /** Stops refusing (stats reads pass). */
    allow: () => {
      refusing = false;
      release();
    },
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

test('the Overview paints without checkpoint stats, then shows the record count an eager load gives', async ({ page }) => {
  const eager = await new DeltaTable(new NodeFsStore(join(GENERATED, TABLE))).snapshot();
  const records = eager.totals.numRecords!;
  expect(records).toBeGreaterThan(0);
  const largest = partitionSummary(eager).rows[0];
  const server = await statsServer(false);
  try {
    expect(server.span.end).toBeLessThan(server.span.size - 64 * 1024); // else the probe brings the stats
    await page.goto(`/?url=${server.url}/${TABLE}`);
    await server.sawStats;
    // The Overview is up while the stats bytes are held.
    await expect(page.getByTestId('overview')).toBeVisible();
    await expect(page.getByTestId('overview-num-files')).toHaveAttribute('data-value', String(eager.totals.numFiles));
    await expect(page.getByTestId('overview-size')).toHaveAttribute('data-value', String(eager.totals.sizeInBytes));
    await expect(page.getByTestId('overview-partition-columns')).toHaveAttribute('data-value', 'day');
    await expect(page.getByTestId('overview-protocol')).toHaveAttribute('data-value', `${eager.protocol.minReaderVersion}/${eager.protocol.minWriterVersion}`);
    await expect(page.getByTestId('overview-num-columns')).toHaveAttribute('data-value', String(eager.schema.fields.length));
    const recordsFact = page.getByTestId('overview-num-records');
    await expect(recordsFact).toHaveAttribute('data-state', 'loading');
    await expect(recordsFact).not.toHaveAttribute('data-value', /.*/);
    await expect(page.getByTestId('overview-stats-loading')).toHaveText('loading stats…');
    await expect(page.getByTestId('count-rows')).toHaveCount(0); // not "unknown, count them"
    const statsHint = page.locator('[data-testid="health-hint"][data-hint="stats"]');
    await expect(statsHint).toHaveAttribute('data-status', 'pending');
    await expect(statsHint).toContainText('loading stats…');
    await shot(page, 'overview-loading-stats');
    expect(await axeProblems(page)).toEqual([]);

    // The Partitions tab, asked while the stats are held, waits for them.
    await page.getByTestId('tab-partitions').click();
    await expect(page.getByTestId('view-partitions')).toContainText('Computing partitions…');
    await expect(page.getByTestId('partition-count-rows')).toHaveCount(0);

    server.release();
    const view = page.locator('[data-testid="view-partitions"][data-version]');
    await expect(view).toBeVisible();
    await expect(page.getByTestId('partition-count-rows')).toHaveCount(0); // every partition has its count
    await expect(view).toContainText(formatCount(largest.numRecords!));

    await page.getByTestId('tab-overview').click();
    await expect(recordsFact).toHaveAttribute('data-value', String(records));
    await expect(recordsFact).toHaveAttribute('data-state', 'ready');
    await expect(recordsFact).toContainText(formatCount(records));
    await expect(page.getByTestId('overview-stats-loading')).toHaveCount(0);
    await expect(statsHint).toHaveAttribute('data-status', 'ok');
    await expect(statsHint).toContainText(`${formatCount(eager.totals.numFiles)} of ${formatCount(eager.totals.numFiles)} files have statistics`);
  } finally {
    await server.close();
  }
});

test('a refused stats read is an error in place of the record count, never 0 or "unknown"; loading again gives the count', async ({ page }) => {
  const eager = await new DeltaTable(new NodeFsStore(join(GENERATED, TABLE))).snapshot();
  const server = await statsServer(true);
  try {
    await page.goto(`/?url=${server.url}/${TABLE}`);
    await expect(page.getByTestId('overview')).toBeVisible();
    const recordsFact = page.getByTestId('overview-num-records');
    await expect(recordsFact).toHaveAttribute('data-state', 'error');
    await expect(recordsFact).not.toHaveAttribute('data-value', /.*/);
    const error = page.getByTestId('overview-stats-error');
    await expect(error).toHaveAttribute('data-code', 'ACCESS_DENIED');
    await expect(error).toContainText('checkpoint');
    await expect(page.getByTestId('count-rows')).toHaveCount(0);
    await expect(page.locator('[data-testid="health-hint"][data-hint="stats"]')).toContainText('could not be loaded');
    // The rest of the Overview is there.
    await expect(page.getByTestId('overview-num-files')).toHaveAttribute('data-value', String(eager.totals.numFiles));
    expect(await axeProblems(page)).toEqual([]);
    await shot(page, 'overview-stats-refused');
    // Asked again once the server lets the stats through: the count an eager load gives.
    server.allow();
    await page.getByTestId('overview-stats-retry').click();
    await expect(recordsFact).toHaveAttribute('data-value', String(eager.totals.numRecords));
    await expect(page.getByTestId('overview-stats-error')).toHaveCount(0);
  } finally {
    await server.close();
  }
});
