/**
 * Early totals from the version checksum (issue #16) in the built app: a table opened by URL shows
 * the totals of its `<version>.crc` while the log is still being read, marked as the checksum's;
 * then the Overview shows the replay's totals, and where the checksum disagrees with the log
 * (`crc-full`, a real fixture whose checksum counts 10 files its log does not have) a warning says so.
 *
 * Deterministic without timing: the table is served by a server in this process that holds back a
 * log file the snapshot needs (the checkpoint, or the one commit) until the test has seen the early
 * totals (so the replay cannot have finished), then lets it through. Expected numbers come from the `.crc`
 * files themselves.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStaticHandler } from '../src/server/static.ts';
import { failOnPageErrors } from './page-errors.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TABLES = join(ROOT, 'test/fixtures/tables');

failOnPageErrors();

const crc = (table: string, version: number) =>
  JSON.parse(readFileSync(join(TABLES, table, '_delta_log', `${String(version).padStart(20, '0')}.crc`), 'utf8')) as { numFiles: number; tableSizeBytes: number };

/** A server of the fixtures (S3 listings, CORS) that holds back requests for `held` until `release()`. */
async function holdingServer(held: string): Promise<{ url: string; sawHeld: Promise<void>; release: () => void; close: () => Promise<void> }> {
  const handler = createStaticHandler({ mounts: [{ urlPrefix: '/', root: TABLES, dotfiles: true, listing: true }] });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let saw!: () => void;
  const sawHeld = new Promise<void>((r) => (saw = r));
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0].endsWith(held)) {
      saw();
      void released.then(() => handler(req, res));
    } else handler(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sawHeld,
    release,
    close: async () => {
      release();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

for (const { table, version, held, agrees } of [
  // Version 20 is a checkpoint: hold the checkpoint back. crc-full has one commit: hold it.
  { table: 'table_with_deletion_logs', version: 20, held: '00000000000000000020.checkpoint.parquet', agrees: true },
  { table: 'crc-full', version: 0, held: '00000000000000000000.json', agrees: false },
]) {
  test(`${table}: the checksum totals while loading, then the Overview ${agrees ? 'without a checksum warning' : 'warns that the checksum disagrees'}`, async ({ page }) => {
    const want = crc(table, version);
    const server = await holdingServer(`/${table}/_delta_log/${held}`);
    try {
      await page.goto(`/?url=${server.url}/${table}`);
      await server.sawHeld;
      const early = page.getByTestId('early-totals');
      await expect(early).toBeVisible();
      await expect(early).toHaveAttribute('data-num-files', String(want.numFiles));
      await expect(early).toHaveAttribute('data-size-bytes', String(want.tableSizeBytes));
      await expect(early).toContainText('From the version checksum');
      await expect(early).toContainText(`${String(version).padStart(20, '0')}.crc`);
      // The Overview has not replaced the loading screen: the commit is still held.
      await expect(page.getByTestId('overview')).toHaveCount(0);
      server.release();
      await expect(page.getByTestId('overview')).toBeVisible();
      await expect(early).toHaveCount(0);
      const warnings = page.getByTestId('overview-warnings');
      if (agrees) {
        await expect(warnings.filter({ hasText: 'checksum' })).toHaveCount(0);
      } else {
        await expect(warnings).toContainText('disagrees with the log replay');
        await expect(warnings).toContainText(`numFiles ${want.numFiles} in the checksum, 0 from the log`);
      }
    } finally {
      await server.close();
    }
  });
}
