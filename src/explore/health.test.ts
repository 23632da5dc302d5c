/**
 * Health hints over real fixture tables. Expected values come from the tables themselves: the
 * writer's `.crc` checksum files (`numFiles`, `numDeletionVectorsOpt`, `numDeletedRecordsOpt`) and
 * the checkpoint files named in `_delta_log/`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeltaTable } from '../delta/table.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { fixture } from '../../test/fixtures.ts';
import { computeHealth, parseIntervalMs, parseSizeBytes } from './health.ts';

const open = (name: string) => new DeltaTable(new NodeFsStore(fixture(name)));
const crc = (name: string, version: number) =>
  JSON.parse(readFileSync(join(fixture(name), '_delta_log', `${String(version).padStart(20, '0')}.crc`), 'utf8')) as {
    numFiles: number;
    numDeletedRecordsOpt?: number;
    numDeletionVectorsOpt?: number;
  };

describe('computeHealth', () => {
  it('table_with_deletion_logs: deletion-vector ratio from the .crc, no commits after the v20 checkpoint', async () => {
    const s = await open('table_with_deletion_logs').snapshot({ version: 20 });
    const h = computeHealth(s, 0);
    const c = crc('table_with_deletion_logs', 20);
    expect(h.numFiles).toBe(c.numFiles);
    expect(h.filesWithDeletionVectors).toBe(c.numDeletionVectorsOpt);
    expect(h.deletedRows).toBe(c.numDeletedRecordsOpt);
    expect(h.commitsSinceCheckpoint).toBe(0);
    expect(h.hints.map((x) => x.id)).toEqual(['small-files', 'partition-skew', 'deletion-vectors', 'checkpoint', 'log-size', 'tombstones', 'stats']);
    expect(h.hints.find((x) => x.id === 'deletion-vectors')!.value).toContain(`${c.numDeletedRecordsOpt} of`);
  });

  it('advice follows the values: no checkpoint, no deletion vectors, no partitions are said as such (issue #13)', async () => {
    const s = await open('COVID-19_NYT').snapshot();
    const h = computeHealth(s);
    const hint = (id: string) => h.hints.find((x) => x.id === id)!;
    expect(s.segment.checkpoint).toBeFalsy();
    expect(hint('checkpoint').value).toContain('(no checkpoint)');
    expect(hint('checkpoint').advice).toMatch(/^No checkpoint yet/);
    expect(hint('checkpoint').advice).not.toMatch(/load from a recent checkpoint/);
    expect(h.filesWithDeletionVectors).toBe(0);
    expect(hint('deletion-vectors').value).toBe('none');
    expect(hint('deletion-vectors').advice).not.toMatch(/Few rows/);
    expect(hint('partition-skew').advice).toMatch(/no partition columns/);
    // One byte formatter: the log's size in the unit that fits (KiB here, not "0.01 MiB").
    expect(hint('log-size').value).toMatch(/^\d+(\.\d+)? KiB listed$/);
    // The table with deletion vectors names its share of deleted rows in the advice.
    const dv = computeHealth(await open('table_with_deletion_logs').snapshot({ version: 20 }));
    const dvHint = dv.hints.find((x) => x.id === 'deletion-vectors')!;
    expect(dvHint.advice).toContain('%');
    expect(dv.hints.find((x) => x.id === 'checkpoint')!.advice).toBe('Snapshots load from checkpoint v20 plus 0 commits.');
  });

  it('counts commits since the last checkpoint (checkpoint at v10, snapshot at v15)', async () => {
    const s = await open('table_with_deletion_logs').snapshot({ version: 15 });
    expect(computeHealth(s).commitsSinceCheckpoint).toBe(5);
    const d = crc('table_with_deletion_logs', 15);
    expect(computeHealth(s).deletedRows).toBe(d.numDeletedRecordsOpt ?? 0);
  });

  it('a table without checkpoint replays every commit; files without stats make a warning', async () => {
    const s = await open('simple_table').snapshot();
    const h = computeHealth(s);
    expect(h.commitsSinceCheckpoint).toBe(s.version + 1);
    // simple_table was written without statistics.
    expect(h.filesWithStats).toBe(0);
    expect(h.hints.find((x) => x.id === 'stats')!.status).toBe('warn');
    expect(h.partitionSkew).toBeNull();
  });

  it('partition skew over a partitioned table; tombstones past retention counted with a late clock', async () => {
    const s = await open('delta-0.8.0-partitioned').snapshot();
    const h = computeHealth(s, Date.UTC(2100, 0, 1));
    expect(h.numPartitions).toBeGreaterThan(1);
    expect(h.partitionSkew).not.toBeNull();
    expect(h.tombstonesPastRetention).toBe(h.tombstones);
    expect(computeHealth(s, 0).tombstonesPastRetention).toBe(0);
  });

  it('parses intervals and sizes', () => {
    expect(parseIntervalMs('interval 7 days')).toBe(7 * 86_400_000);
    expect(parseIntervalMs('interval 1 week')).toBe(7 * 86_400_000);
    expect(parseIntervalMs('168 hours')).toBe(7 * 86_400_000);
    expect(parseIntervalMs('nonsense')).toBeUndefined();
    expect(parseSizeBytes('134217728')).toBe(134217728);
    expect(parseSizeBytes('128mb')).toBe(128 * 1024 * 1024);
  });
});
