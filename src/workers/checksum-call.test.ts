/**
 * The worker's `versionChecksum` call over dropped fixture folders (crc-full: a checksum that
 * disagrees with its log; table_with_deletion_logs: checksums that agree; simple_table: none).
 * Expected values: the .crc files and commits, read by hand (see src/delta/checksum.test.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenedTable, Result } from './api.ts';
import { ExplorerService } from './explorer-service.ts';
import { folderFiles } from '../../test/fixtures.ts';

const TABLES = join(import.meta.dirname, '../../test/fixtures/tables');

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

async function checksumOf(table: string, version?: number) {
  const svc = new ExplorerService();
  const t = ok(await svc.openFiles(folderFiles(join(TABLES, table)), table)) as OpenedTable;
  const v = version ?? ok(await svc.snapshot(t.tableId)).version;
  return ok(await svc.versionChecksum(t.tableId, v));
}

describe('versionChecksum', () => {
  it('crc-full: mismatch with the histograms for the health view', async () => {
    const r = await checksumOf('crc-full');
    expect(r.status).toBe('mismatch');
    expect(r.mismatches.find((m) => m.field === 'numFiles')).toEqual({ field: 'numFiles', checksum: 10, replay: 0 });
    expect(r.fileSizeHistogram?.totalBytes[0]).toBe(5259);
    expect(r.deletedRecordCounts).toEqual([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.message).toMatch(/may be corrupt/);
  });

  it('table_with_deletion_logs: the latest checksum matches', async () => {
    const r = await checksumOf('table_with_deletion_logs');
    expect(r.status).toBe('match');
    expect(r.compared).toContain('numDeletedRecordsOpt');
  });

  it('simple_table: no checksum', async () => {
    expect((await checksumOf('simple_table')).status).toBe('missing');
  });
});
