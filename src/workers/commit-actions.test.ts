/**
 * `commitActions` and the summary's `health`, through the worker's service over a real fixture
 * folder: the raw lines are the commit file's own, counted per action kind; a missing commit is
 * `VERSION_NOT_FOUND`; the health's deletion-vector numbers match the writer's `.crc`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpenedTable, Result } from './api.ts';
import { ExplorerService } from './explorer-service.ts';
import { folderFiles as folder } from '../../test/fixtures.ts';

const TABLES = join(import.meta.dirname, '../../test/fixtures/tables');

const ok = <T,>(r: Result<T>): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe('commitActions over table_with_deletion_logs', () => {
  it('returns the commit file lines and counts, VERSION_NOT_FOUND past the end; health as the .crc', async () => {
    const name = 'table_with_deletion_logs';
    const svc = new ExplorerService();
    const t = ok(await svc.openFiles(folder(join(TABLES, name)), name)) as OpenedTable;
    const text = readFileSync(join(TABLES, name, '_delta_log', '00000000000000000003.json'), 'utf8');
    const lines = text.split('\n').filter((l) => l.trim());
    const a = ok(await svc.commitActions(t.tableId, 3));
    expect(a.lines).toEqual(lines);
    expect(a.totalLines).toBe(lines.length);
    expect(a.truncated).toBe(0);
    const counts: Record<string, number> = {};
    for (const l of lines) {
      const k = Object.keys(JSON.parse(l) as object)[0];
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(a.counts).toEqual(counts);

    const missing = await svc.commitActions(t.tableId, 99);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('VERSION_NOT_FOUND');

    const s = ok(await svc.snapshot(t.tableId, {}));
    const c = JSON.parse(readFileSync(join(TABLES, name, '_delta_log', '00000000000000000020.crc'), 'utf8')) as { numDeletedRecordsOpt: number; numDeletionVectorsOpt: number };
    expect(s.health.deletedRows).toBe(c.numDeletedRecordsOpt);
    expect(s.health.filesWithDeletionVectors).toBe(c.numDeletionVectorsOpt);
  });
});
