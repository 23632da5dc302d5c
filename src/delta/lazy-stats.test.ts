/**
 * Checkpoint stats loaded later (`stats: 'lazy'`, the app's Overview): until `Snapshot.loadStats`
 * a file's stats are never read as "no stats" — every read throws `STATS_NOT_LOADED` and the
 * totals and health say "pending" — and after it everything equals an eager load. The shared
 * snapshot cache (`DeltaTable`) gives callers that want stats a loaded snapshot. Expected values
 * come from an eager load of the same fixture (the ranged reader's equality with whole-file reads
 * is `log/checkpoint-ranges.test.ts`).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../test/fixtures.ts';
import { computeHealth } from '../explore/health.ts';
import { partitionAggregates } from './aggregates.ts';
import { statsPending } from './log/checkpoint-reader.ts';
import { DeltaError } from './errors.ts';
import { loadSnapshot, numRecordsAt, statsAt, type Snapshot } from './snapshot.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import { DeltaTable } from './table.ts';

/** Classic checkpoint at 20 with deletion vectors; partitioned checkpoint; V2 with sidecars. */
const TABLES = ['table_with_deletion_logs', 'checkpoints_vacuumed', 'v2-checkpoints-parquet-with-sidecars'];

function records(s: Snapshot): (number | null)[] {
  const out: (number | null)[] = [];
  s.files.forEach((b, r) => out.push(numRecordsAt(b, r)));
  return out;
}

function expectNotLoaded(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DeltaError);
    expect((e as DeltaError).code).toBe('STATS_NOT_LOADED');
    expect((e as DeltaError).path).toMatch(/checkpoint/);
    return;
  }
  throw new Error('expected STATS_NOT_LOADED');
}

describe.each(TABLES)('%s loaded with stats: lazy', (table) => {
  const dir = join(FIXTURES, table);

  it('refuses to read stats before loadStats, says pending, then equals an eager load', async () => {
    const eager = await loadSnapshot(new NodeFsStore(dir), { allowUnsupported: true });
    expect(eager.statsPending).toBe(false);
    const lazy = await loadSnapshot(new NodeFsStore(dir), { allowUnsupported: true, stats: 'lazy' });
    expect(lazy.statsPending).toBe(true);
    // What needs no stats is there at once.
    expect(lazy.totals).toMatchObject({ numFiles: eager.totals.numFiles, sizeInBytes: eager.totals.sizeInBytes, numDeletedRecords: eager.totals.numDeletedRecords, numRecords: null, statsPending: true });
    // Every way of reading a checkpoint file's stats refuses (never null = "no stats").
    // (The first active file that came from the checkpoint: files of later commits carry their stats inline.)
    let at = -1;
    lazy.files.forEach((b, _r, i) => {
      if (at < 0 && statsPending(b)) at = i;
    });
    expect(at).toBeGreaterThanOrEqual(0);
    const { batch, row } = lazy.files.locate(at);
    expectNotLoaded(() => numRecordsAt(batch, row));
    expectNotLoaded(() => statsAt(batch, row));
    expectNotLoaded(() => lazy.files.get(at));
    expectNotLoaded(() => partitionAggregates(lazy));
    // Sizes only: fine, and the same as eager.
    expect(partitionAggregates(lazy, 1000, false).partitionSizes).toEqual(partitionAggregates(eager, 1000, false).partitionSizes);
    // Health: the stats-derived hints wait; the others are those of the eager load.
    const now = Date.UTC(2030, 0, 1);
    const hLazy = computeHealth(lazy, now);
    const hEager = computeHealth(eager, now);
    expect(hLazy.statsPending).toBe(true);
    expect(hLazy.hints.find((h) => h.id === 'stats')!.status).toBe('pending');
    expect(hLazy.hints.filter((h) => h.id !== 'stats' && h.id !== 'deletion-vectors')).toEqual(hEager.hints.filter((h) => h.id !== 'stats' && h.id !== 'deletion-vectors'));
    if (hEager.filesWithDeletionVectors) expect(hLazy.hints.find((h) => h.id === 'deletion-vectors')!.status).toBe('pending');

    await lazy.loadStats();
    expect(lazy.statsPending).toBe(false);
    expect(lazy.totals).toEqual(eager.totals);
    expect(eager.totals.numRecords).not.toBeNull();
    expect(records(lazy)).toEqual(records(eager));
    expect(partitionAggregates(lazy)).toEqual(partitionAggregates(eager));
    expect(computeHealth(lazy, now)).toEqual(hEager);
  });

  it('stats: false is lazy too: unread stats throw, and loadStats can still load them', async () => {
    const snap = await loadSnapshot(new NodeFsStore(dir), { allowUnsupported: true, stats: false });
    expect(snap.statsPending).toBe(true);
    expectNotLoaded(() => records(snap));
    await snap.loadStats();
    const eager = await loadSnapshot(new NodeFsStore(dir), { allowUnsupported: true });
    expect(records(snap)).toEqual(records(eager));
  });

  it("the shared cache: a lazy snapshot cached, then asked for with stats, comes with them", async () => {
    const t = new DeltaTable(new NodeFsStore(dir));
    const lazy = await t.snapshot({}, { allowUnsupported: true, stats: 'lazy' });
    expect(lazy.statsPending).toBe(true);
    // A metadata-only caller (stats: false) gets the cached one as it is.
    expect((await t.snapshot({ version: lazy.version }, { allowUnsupported: true, stats: false })).statsPending).toBe(true);
    // The default (stats wanted) loads them into the cached snapshot.
    const withStats = await t.snapshot({ version: lazy.version }, { allowUnsupported: true });
    expect(withStats).toBe(lazy);
    expect(withStats.statsPending).toBe(false);
    const eager = await loadSnapshot(new NodeFsStore(dir), { allowUnsupported: true });
    expect(withStats.totals).toEqual(eager.totals);
    // A stats: false load is cached as lazy, so a later caller can still get stats.
    const t2 = new DeltaTable(new NodeFsStore(dir));
    const meta = await t2.snapshot({ version: eager.version }, { allowUnsupported: true, stats: false });
    expect(meta.statsPending).toBe(true);
    expect((await t2.snapshot({ version: eager.version }, { allowUnsupported: true })).totals).toEqual(eager.totals);
  });
});

it('JSON-commit-only tables have their stats inline: nothing pending with stats: lazy', async () => {
  const dir = join(FIXTURES, 'simple_table');
  const lazy = await loadSnapshot(new NodeFsStore(dir), { stats: 'lazy' });
  const eager = await loadSnapshot(new NodeFsStore(dir));
  expect(lazy.segment.checkpoint).toBeUndefined();
  expect(lazy.statsPending).toBe(false);
  expect(lazy.totals).toEqual(eager.totals);
});
