/**
 * The one snapshot cache (`DeltaTable`, bounded, least recently used dropped first) and the
 * store capability guards (`hasUrls`, `hasBlobs`, `hasFileHandles`, `isSigner`, `isWriter`) that
 * replace probing optional methods. Real fixture tables, counted store reads.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../test/fixtures.ts';
import { DeltaError } from './errors.ts';
import { FileListStore } from './storage/browser-files.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import { hasBlobs, hasFileHandles, hasUrls, isSigner, isWriter, subStore, type ObjectStore } from './storage/object-store.ts';
import { DeltaTable, SNAPSHOT_CACHE_SIZE } from './table.ts';

/** A store over a fixture that counts the log files it reads. */
function countingStore(table: string): { store: ObjectStore; logReads: () => number } {
  const fs = new NodeFsStore(join(FIXTURES, table));
  let reads = 0;
  const count = (p: string) => {
    if (p.startsWith('_delta_log/')) reads++;
  };
  const store: ObjectStore = {
    description: fs.description,
    capabilities: fs.capabilities,
    list: (p, o) => fs.list(p, o),
    head: (p, s) => fs.head(p, s),
    get: (p, s) => (count(p), fs.get(p, s)),
    getRange: (p, r, s) => (count(p), fs.getRange(p, r, s)),
  };
  return { store, logReads: () => reads };
}

describe('DeltaTable snapshot cache', () => {
  it('gives the same snapshot for a version again without reading the log, and keeps only the last few', async () => {
    const { store, logReads } = countingStore('table_with_deletion_logs');
    const table = new DeltaTable(store);
    const v5 = await table.snapshot({ version: 5 });
    const afterFirst = logReads();
    expect(afterFirst).toBeGreaterThan(0);
    expect(await table.snapshot({ version: 5 })).toBe(v5);
    expect(logReads()).toBe(afterFirst);
    expect(table.cachedSnapshot(5)).toBe(v5);

    // Fill the cache past its size with other versions: version 5, least recently used, is dropped.
    for (let v = 6; v < 6 + SNAPSHOT_CACHE_SIZE; v++) await table.snapshot({ version: v });
    expect(table.cachedSnapshot(5)).toBeUndefined();
    const again = await table.snapshot({ version: 5 });
    expect(again).not.toBe(v5);
    expect(again.version).toBe(5);
    expect(again.totals).toEqual(v5.totals);
  });

  it('caches the latest under its version', async () => {
    const table = new DeltaTable(new NodeFsStore(join(FIXTURES, 'table_with_deletion_logs')));
    const latest = await table.snapshot();
    expect(table.cachedSnapshot(latest.version)).toBe(latest);
    expect(await table.snapshot({ version: latest.version })).toBe(latest);
  });

  it('a cached snapshot of a table it cannot read is still refused without allowUnsupported', async () => {
    const table = new DeltaTable(new NodeFsStore(join(FIXTURES, 'table-with-geo')));
    const s = await table.snapshot({}, { allowUnsupported: true });
    expect(table.cachedSnapshot(s.version)).toBe(s);
    const e = await table.snapshot({ version: s.version }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeltaError);
    expect((e as DeltaError).code).toBe('UNSUPPORTED_READER_FEATURE');
  });
});

describe('store capabilities', () => {
  it('each backend has exactly the capabilities it implements, and subStore keeps them', () => {
    const node = new NodeFsStore(join(FIXTURES, 'table_with_deletion_logs'));
    const files = new FileListStore([{ path: 't/a.txt', file: new File(['x'], 'a.txt') }], 'folder');
    const facts = (s: ObjectStore) => [hasUrls(s), hasBlobs(s), hasFileHandles(s), isSigner(s), isWriter(s)];
    expect(facts(node)).toEqual([true, true, false, false, false]);
    expect(facts(files)).toEqual([false, true, true, false, false]);
    expect(facts(subStore(node, '_delta_log'))).toEqual(facts(node));
    expect(facts(subStore(files, 't'))).toEqual(facts(files));
    const sub = subStore(files, 't');
    expect(hasFileHandles(sub) && sub.fileAt('a.txt')?.size).toBe(1);
  });
});
