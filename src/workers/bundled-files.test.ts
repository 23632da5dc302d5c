/**
 * A folder handed over the way the page hands over a big one (`worker-client.ts`: the small log
 * files last, newest first, in slices through `stageFiles`, bundled and read ahead in the worker)
 * gives the same answers as the same files opened directly: History (count, first/last version,
 * every entry), snapshot summaries at several versions, and file pages. Tables: a generated
 * 3,000-commit log (the bench's shape, no checkpoint) and a fixture with a checkpoint and `.crc`s.
 * Also: a bundled file whose bytes are not all there is a `STORAGE_ERROR` naming it, never short data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateManyCommitsTable } from '../../bench/gen/json-tables.ts';
import { folderFiles } from '../../test/fixtures.ts';
import { BundlePrefetch, bundleOrder, bundleSmallLogFiles, FileListStore, isBundled, type FolderFile, type RelativeFile } from '../delta/storage/browser-files.ts';
import type { OpenedTable, Result } from './api.ts';
import { ExplorerService } from './explorer-service.ts';

const TABLES = join(import.meta.dirname, '../../test/fixtures/tables');

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

/** Opens `files` as the page does for a big folder: ordered, staged in slices of `slice`. */
async function openStaged(svc: ExplorerService, files: RelativeFile[], label: string, slice: number): Promise<OpenedTable> {
  const ordered = bundleOrder(files);
  let i = 0;
  for (; ordered.length - i > slice; i += slice) await svc.stageFiles('stage1', ordered.slice(i, i + slice));
  return ok(await svc.openFiles(ordered.slice(i), label, undefined, 'stage1')) as OpenedTable;
}

async function answers(svc: ExplorerService, t: OpenedTable, versions: number[]) {
  const history = ok(await svc.history(t.tableId));
  const snapshots = [];
  for (const version of versions) {
    const s = ok(await svc.snapshot(t.tableId, { version }));
    // Wall-clock durations are the only fields that may differ.
    snapshots.push({ s: { ...s, loadDurationMs: 0 }, page: ok(await svc.filesPage(t.tableId, version, 0, 50)) });
  }
  return { history, snapshots };
}

const dir = mkdtempSync(join(tmpdir(), 'bundled-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundled log files give the same answers as the files themselves', () => {
  it('3,000 commits, no checkpoint: History and snapshots unchanged', async () => {
    await generateManyCommitsTable(dir, { commits: 3_000, addsPerCommit: 5, partitions: 100 });
    const files = folderFiles(dir);
    const direct = new ExplorerService();
    const a = await answers(direct, ok(await direct.openFiles(files, 'many')) as OpenedTable, [2_999, 1_500, 0]);
    const staged = new ExplorerService();
    const b = await answers(staged, await openStaged(staged, files, 'many', 37), [2_999, 1_500, 0]);
    expect(a.history.length).toBe(3_000);
    expect(b.history.length).toBe(3_000);
    expect(b.history[0].version).toBe(a.history[0].version);
    expect(b.history.at(-1)!.version).toBe(a.history.at(-1)!.version);
    expect(b.history.map((h) => h.operation)).toEqual(a.history.map((h) => h.operation));
    expect(b.history).toEqual(a.history);
    expect(b.snapshots).toEqual(a.snapshots);
    expect(b.snapshots[0].s.totals.numFiles).toBe(3_000 * 5 - 299);
  }, 120_000);

  it('a table with a checkpoint and .crc files: History and snapshots unchanged', async () => {
    const files = folderFiles(join(TABLES, 'table_with_deletion_logs'));
    const direct = new ExplorerService();
    const a = await answers(direct, ok(await direct.openFiles(files, 't')) as OpenedTable, [20, 10, 1]);
    const staged = new ExplorerService();
    const b = await answers(staged, await openStaged(staged, files, 't', 3), [20, 10, 1]);
    expect(b.history).toEqual(a.history);
    expect(b.snapshots).toEqual(a.snapshots);
  });

  it('bundles only small _delta_log commits and checksums, newest first, with the files\' times', () => {
    const files = folderFiles(join(TABLES, 'table_with_deletion_logs'));
    const ordered = bundleOrder(files);
    const log = ordered.filter((f) => /_delta_log\/[^/]+\.(json|crc)$/.test(f.path)).map((f) => f.path);
    expect(log).toEqual([...log].sort().reverse());
    const bundled = bundleSmallLogFiles(ordered);
    expect(bundled.map((f) => f.path)).toEqual(ordered.map((f) => f.path));
    const parts = bundled.filter(isBundled);
    expect(parts.length).toBe(log.length);
    expect(bundled.filter((f) => !isBundled(f)).every((f) => !/_delta_log\/[^/]+\.(json|crc)$/.test(f.path))).toBe(true);
    for (const p of parts) {
      const orig = files.find((f) => f.path === p.path)!.file;
      expect([p.size, p.lastModified, p.name]).toEqual([orig.size, orig.lastModified, orig.name]);
    }
  });

  it('reads a bundled file\'s bytes exactly, ranges too, through a prefetch or not', async () => {
    const enc = new TextEncoder();
    const files: RelativeFile[] = ['a', 'bb', 'ccc'].map((s, i) => ({ path: `_delta_log/${String(i).padStart(20, '0')}.json`, file: new File([enc.encode(s.repeat(5))], `${i}.json`, { lastModified: 1000 + i }) }));
    const bundled = bundleSmallLogFiles(files);
    expect(bundled.every(isBundled)).toBe(true);
    const prefetch = new BundlePrefetch();
    prefetch.add(bundled);
    for (const store of [new FileListStore(bundled, 'x', prefetch), new FileListStore(bundled, 'x')]) {
      expect(new TextDecoder().decode(await store.get(files[1].path))).toBe('bbbbbbbbbb');
      expect(new TextDecoder().decode(await store.getRange(files[2].path, { start: 2, end: 6 }))).toBe('cccc');
      expect(await store.list('_delta_log/')).toEqual(files.map((f) => ({ path: f.path, sizeBytes: f.file.size, lastModifiedMs: f.file.lastModified })));
      expect(await store.fileAt(files[0].path)!.text()).toBe('aaaaa');
    }
  });

  it('a bundled file whose bytes are not all in its bundle is a STORAGE_ERROR naming it', async () => {
    const bundle = new Blob(['0123456789']);
    const part: FolderFile = { path: '_delta_log/00000000000000000000.json', bundle, offset: 6, size: 8, lastModified: 0, name: '00000000000000000000.json' };
    await expect(new FileListStore([part]).get(part.path)).rejects.toMatchObject({ code: 'STORAGE_ERROR', path: part.path });
  });
});
