/** The Files grid's table (`files-table.ts`) against the naive forward replay of the JSON commits (`referenceReplay`). */
import { describe, expect, it } from 'vitest';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { DeltaTable } from '../delta/table.ts';
import { fixture, referenceReplay } from '../../test/fixtures.ts';
import { filesTable } from './files-table.ts';

async function snapshotOf(name: string, version?: number) {
  const t = new DeltaTable(new NodeFsStore(fixture(name)));
  return version === undefined ? t.latestSnapshot() : t.snapshot({ version });
}

describe('filesTable', () => {
  it('one row per active file: paths, sizes and partition columns as the replay says', async () => {
    const ref = referenceReplay(fixture('delta-0.8.0-partitioned'), 0);
    const t = filesTable(await snapshotOf('delta-0.8.0-partitioned', 0));
    expect(t.numRows).toBe(ref.numFiles);
    const names = t.schema.fields.map((f) => f.name);
    expect(names.slice(0, 4)).toEqual(['path', 'year', 'month', 'day']);
    expect(names).toContain('modificationTime');
    expect([...t.getChild('path')!].sort()).toEqual(ref.paths.map((p) => decodeURIComponent(p)).sort());
    const size = [...t.getChild('size')!].reduce((n: number, v) => n + Number(v), 0);
    expect(size).toBe(ref.sizeBytes);
    // The search narrows the rows as the Files view's search does.
    const month2 = filesTable(await snapshotOf('delta-0.8.0-partitioned', 0), { search: 'month=2' });
    expect(month2.numRows).toBe(ref.paths.filter((p) => decodeURIComponent(p).includes('month=2/')).length);
  });

  it('deletion vectors: deletedRows sums to the log cardinalities; numRecords from stats', async () => {
    const ref = referenceReplay(fixture('table-with-dv-small-kernel'), 1);
    const t = filesTable(await snapshotOf('table-with-dv-small-kernel', 1));
    expect(t.numRows).toBe(ref.numFiles);
    expect([...t.getChild('deletedRows')!].reduce((n: number, v) => n + Number(v ?? 0), 0)).toBe(ref.numDeleted);
    const records = [...t.getChild('numRecords')!].reduce((n: number, v) => n + Number(v), 0);
    expect(records - ref.numDeleted).toBe(ref.numRecords);
  });

  it('every active file of a table with many versions and a checkpoint', async () => {
    const snap = await snapshotOf('checkpoints');
    const t = filesTable(snap);
    expect(t.numRows).toBe(snap.files.length);
  });
});
