/**
 * The worker API, run in Node without the worker: opening folders (table root detection), snapshot
 * summaries, history, file pages, structured errors, progress and cancellation.
 * Expected numbers come from the fixtures' own `.crc` files and MANIFEST.json, not from the core.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RelativeFile } from '../delta/storage/browser-files.ts';
import type { OpenedTable, OpenResult, Result, TableCandidates, WorkerProgress } from './api.ts';
import { ExplorerService } from './explorer-service.ts';
import { folderFiles as folder } from '../../test/fixtures.ts';

const TABLES = join(import.meta.dirname, '../../test/fixtures/tables');


function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

function crc(table: string, version: number): { numFiles: number; numDeletedRecordsOpt?: number; allFiles?: { stats: string }[] } {
  return JSON.parse(readFileSync(join(TABLES, table, '_delta_log', `${String(version).padStart(20, '0')}.crc`), 'utf8'));
}

async function openTable(svc: ExplorerService, files: RelativeFile[], label: string): Promise<OpenedTable> {
  const r = ok(await svc.openFiles(files, label));
  expect(r.kind).toBe('table');
  return r as OpenedTable;
}

describe('ExplorerService over table_with_deletion_logs (classic checkpoint at 20, deletion vectors)', () => {
  const files = folder(join(TABLES, 'table_with_deletion_logs'));

  it('opens the folder as the table and summarizes the latest snapshot as the .crc does', async () => {
    const svc = new ExplorerService();
    const t = await openTable(svc, files, 'table_with_deletion_logs');
    expect(t.root).toBe('');
    expect(t.logOnly).toBe(false);
    const s = ok(await svc.snapshot(t.tableId, {}));
    const c = crc('table_with_deletion_logs', 20);
    const records = c.allFiles!.reduce((n, f) => n + JSON.parse(f.stats).numRecords, 0) - (c.numDeletedRecordsOpt ?? 0);
    expect(s.version).toBe(20);
    expect(s.latestVersion).toBe(20);
    expect(s.totals.numFiles).toBe(c.numFiles);
    // The summary paints without checkpoint stats; the record count comes with them.
    expect(s.totals).toMatchObject({ statsPending: true, numRecords: null });
    expect(ok(await svc.snapshotStats(t.tableId, s.version)).totals.numRecords).toBe(records);
    expect(s.checkpoint).toMatchObject({ version: 20, kind: 'classic', format: 'parquet', parts: 1 });
    expect(s.commitsSinceCheckpoint).toBe(0);
    expect(s.lastCheckpoint.status).toBe('valid');
    expect(s.protocol).toEqual({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors', 'appendOnly', 'invariants'] });
    expect(s.features.map((f) => f.name)).toEqual(['deletionVectors', 'appendOnly', 'invariants']);
    expect(s.features.every((f) => f.supported)).toBe(true);
    expect(s.readSupportProblems).toEqual([]);
    // Crosses postMessage unchanged (structured clone keeps no class or Map).
    expect(structuredClone(s)).toEqual(s);
  });

  it('caches snapshots by version and time travels', async () => {
    const svc = new ExplorerService();
    const t = await openTable(svc, files, 'x');
    const v5 = ok(await svc.snapshot(t.tableId, { version: 5 }));
    expect(v5.version).toBe(5);
    expect(v5.latestVersion).toBe(20);
    expect(v5.checkpoint).toBeNull();
    expect(v5.commitsSinceCheckpoint).toBe(6);
    expect(v5.totals.numFiles).toBe(crc('table_with_deletion_logs', 5).numFiles);
    const again = ok(await svc.snapshot(t.tableId, { version: 5 }));
    expect(again.loadDurationMs).toBe(0);
  });

  it('reports progress through the callback', async () => {
    const svc = new ExplorerService();
    const t = await openTable(svc, files, 'x');
    const seen: WorkerProgress[] = [];
    ok(await svc.snapshot(t.tableId, { version: 12 }, (p) => seen.push(p)));
    expect(seen.map((p) => p.phase)).toContain('checkpoint');
    expect(seen.map((p) => p.phase)).toContain('commits');
    expect(seen.at(-1)).toMatchObject({ phase: 'replay', done: 1, total: 1 });
    // Version 12 has a checksum file: its totals ride on the reports from the replay on (issue #16).
    expect(seen.at(-1)?.checksum).toMatchObject({ version: 12, path: '_delta_log/00000000000000000012.crc' });
  });

  it('gives history rows newest first, plain', async () => {
    const svc = new ExplorerService();
    const t = await openTable(svc, files, 'x');
    const rows = ok(await svc.history(t.tableId));
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: 21 }, (_, i) => 20 - i));
    expect(rows[0].operation).toBe(JSON.parse(readFileSync(join(TABLES, 'table_with_deletion_logs/_delta_log/00000000000000000020.json'), 'utf8').split('\n').find((l: string) => l.includes('commitInfo'))!).commitInfo.operation);
    expect(structuredClone(rows)).toEqual(rows);
  });

  it('pages files and refuses bad pages', async () => {
    const svc = new ExplorerService();
    const t = await openTable(svc, files, 'x');
    const page = ok(await svc.filesPage(t.tableId, 20, 0, 10));
    expect(page.total).toBe(1);
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({ index: 0, path: 'part-00000-cb251d5e-b665-437a-a9a7-fbfc5137c77d.c000.snappy.parquet', size: 10499, numRecords: 100 });
    expect(page.rows[0].deletionVector?.cardinality).toBe(2);
    expect((await svc.filesPage(t.tableId, 20, 5, 10)).ok && ok(await svc.filesPage(t.tableId, 20, 5, 10)).rows).toEqual([]);
    const bad = await svc.filesPage(t.tableId, 20, -1, 10);
    expect(bad.ok === false && bad.error.code).toBe('INVALID_ARGUMENT');
  });

  it('returns structured errors: unknown table, missing version', async () => {
    const svc = new ExplorerService();
    const unknown = await svc.snapshot('nope', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const t = await openTable(svc, files, 'x');
    const r = await svc.snapshot(t.tableId, { version: 99 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('VERSION_NOT_FOUND');
      expect(r.error.message).toMatch(/99/);
    }
  });

  it('names the missing commit when the log has a gap', async () => {
    const svc = new ExplorerService();
    const gap = files.filter((f) => !/_delta_log\/0+(5\.json|10\.checkpoint\.parquet|20\.checkpoint\.parquet)$/.test(f.path) && f.path !== '_delta_log/_last_checkpoint');
    const t = await openTable(svc, gap, 'gap');
    const r = await svc.snapshot(t.tableId, {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('MISSING_COMMIT');
  });

  it('cancels a running call by request id', async () => {
    const svc = new ExplorerService();
    const t = await openTable(svc, files, 'x');
    const pending = svc.history(t.tableId, undefined, 'req-1');
    await svc.cancel('req-1');
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    // The table still works afterwards.
    expect(ok(await svc.history(t.tableId)).length).toBe(21);
    await svc.cancel('unknown'); // no-op
  });
});

describe('ExplorerService: where is the table?', () => {
  const nested = (names: string[]): RelativeFile[] =>
    names.flatMap((n) => folder(join(TABLES, n)).map((f) => ({ path: `${n}/${f.path}`, file: f.file })));

  it('lists the tables of a folder holding several, and opens the one picked', async () => {
    const svc = new ExplorerService();
    const r = ok(await svc.openFiles(nested(['simple_table', 'app-txn-checkpoint', 'delta-0.8.0']), 'tables'));
    expect(r.kind).toBe('candidates');
    const c = r as TableCandidates;
    expect(c.candidates.map((x) => x.path)).toEqual(['app-txn-checkpoint', 'delta-0.8.0', 'simple_table']);
    expect(c.candidates[0]).toMatchObject({ latestVersion: 1, hasCheckpoint: true });
    const t = ok(await svc.openCandidate(c.sourceId, 'app-txn-checkpoint'));
    expect(t.root).toBe('app-txn-checkpoint');
    const s = ok(await svc.snapshot(t.tableId, {}));
    expect(s.version).toBe(1);
    expect(s.metadata.partitionColumns).toEqual(['modified']);
    // The folder stays open after closing the table: another pick works.
    await svc.close(t.tableId);
    ok(await svc.openCandidate(c.sourceId, 'simple_table'));
    expect(await svc.openCandidate(c.sourceId, 'nope')).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    await svc.closeSource(c.sourceId);
    expect(await svc.openCandidate(c.sourceId, 'simple_table')).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('opens the only table of a parent folder directly', async () => {
    const svc = new ExplorerService();
    const r = ok(await svc.openFiles(nested(['simple_table']), 'parent'));
    expect(r).toMatchObject({ kind: 'table', root: 'simple_table' });
  });

  it('opens a lone _delta_log folder as a log-only table', async () => {
    const svc = new ExplorerService();
    const log = folder(join(TABLES, 'table_with_deletion_logs/_delta_log'));
    const r = ok(await svc.openFiles(log, '_delta_log')) as OpenedTable;
    expect(r).toMatchObject({ kind: 'table', logOnly: true });
    expect(ok(await svc.snapshot(r.tableId, {})).version).toBe(20);
  });

  it('says NOT_A_TABLE for a folder without _delta_log, and for an empty one', async () => {
    const svc = new ExplorerService();
    const data = folder(join(TABLES, 'table_with_deletion_logs')).filter((f) => !f.path.startsWith('_delta_log/'));
    const r = await svc.openFiles(data, 'just-data');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('NOT_A_TABLE');
      expect(r.error.message).toContain('just-data');
      expect(r.error.hint).toBeTruthy();
    }
    expect(await svc.openFiles([], 'empty')).toMatchObject({ ok: false, error: { code: 'NOT_A_TABLE' } });
  });

  it('walks a FileSystemDirectoryHandle', async () => {
    const svc = new ExplorerService();
    // A minimal stand-in for the File System Access API over a fixture folder.
    const handle = (dir: string, name: string): unknown => ({
      kind: 'directory',
      name,
      async *entries() {
        for (const n of readdirSync(dir).sort()) {
          const abs = join(dir, n);
          if (statSync(abs).isDirectory()) yield [n, handle(abs, n)];
          else yield [n, { kind: 'file', name: n, getFile: async () => new File([readFileSync(abs)], n) }];
        }
      },
    });
    const progress: WorkerProgress[] = [];
    const r: Result<OpenResult> = await svc.openDirectoryHandle(
      handle(join(TABLES, 'v2-checkpoints-parquet-with-sidecars'), 'v2') as FileSystemDirectoryHandle,
      (p) => progress.push(p),
    );
    const t = ok(r) as OpenedTable;
    expect(t.label).toBe('v2');
    expect(progress.at(-1)?.phase).toBe('open');
    const s = ok(await svc.snapshot(t.tableId, {}));
    expect(s.version).toBe(6);
    expect(s.checkpoint).toMatchObject({ kind: 'v2', format: 'parquet' });
    // MANIFEST.json: num_rows_expected 1233 (delta-kernel-rs v2_checkpoints.rs, 3+30+100+100+1000).
    const manifest = JSON.parse(readFileSync(join(TABLES, '../MANIFEST.json'), 'utf8')) as { name: string; num_rows_expected: number | null }[];
    expect(ok(await svc.snapshotStats(t.tableId, s.version)).totals.numRecords).toBe(manifest.find((m) => m.name === 'v2-checkpoints-parquet-with-sidecars')!.num_rows_expected);
  });
});
