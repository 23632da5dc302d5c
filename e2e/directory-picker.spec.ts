/**
 * "Open folder…" uses the File System Access API where the browser has it. The native dialog cannot
 * be driven by a test, so the page's `showDirectoryPicker` returns a REAL FileSystemDirectoryHandle:
 * a folder in the origin-private file system (OPFS) filled with a fixture table's files (fetched
 * from the e2e server, listed through its S3-style listing). Everything after the dialog — walking
 * the handle, reading the files in the worker — is the app's own code path.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { referenceReplay } from '../test/fixtures.ts';

const TABLES = join(import.meta.dirname, '..', 'test', 'fixtures', 'tables');

test('Open folder… walks a FileSystemDirectoryHandle and opens the table', async ({ page }) => {
  const table = 'table-with-dv-small-kernel';
  await page.goto('/');
  await expect(page.getByTestId('overview-version')).toBeVisible({ timeout: 30_000 }); // default sample first
  await page.evaluate(async (name) => {
    const list = await (await fetch(`/fixtures/${name}/?list-type=2&prefix=`)).text();
    const keys = [...list.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(name, { create: true });
    for (const key of keys) {
      const parts = key.split('/');
      let d = dir;
      for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p, { create: true });
      const f = await d.getFileHandle(parts[parts.length - 1], { create: true });
      const w = await f.createWritable();
      await w.write(await (await fetch(`/fixtures/${name}/${key}`)).arrayBuffer());
      await w.close();
    }
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () => dir;
  }, table);
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('overview-source')).toHaveText(table, { timeout: 30_000 });
  const ref = referenceReplay(join(TABLES, table), 1); // the table's latest version is 1
  await expect(page.getByTestId('overview-version')).toHaveAttribute('data-value', '1');
  await expect(page.getByTestId('overview-num-files')).toHaveAttribute('data-value', String(ref.numFiles));
  await expect(page.getByTestId('overview-num-records')).toHaveAttribute('data-value', String(ref.numRecords)); // 8 (kernel dv.rs)
});
