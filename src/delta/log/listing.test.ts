/**
 * Log segment rules on real tables (and on damaged copies of them made in a temp folder).
 * Expected states come from the writer's `.crc` files, test/fixtures/MANIFEST.json, or the
 * independent forward replay in test/fixtures.ts (`referenceReplay`); each test says which.
 */
import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { DeltaTable } from '../table.ts';
import { NodeFsStore } from '../storage/node-fs.ts';
import { buildLogSegment, parseLogFileName } from './listing.ts';
import { readCheckpoint } from './checkpoint-reader.ts';
import { copyFixture, fixture, readCrc, referenceReplay } from '../../../test/fixtures.ts';

const store = (dir: string) => new NodeFsStore(dir);
const keys = async (t: DeltaTable, version?: number, useCompaction = true) => {
  const s = await t.snapshot({ version }, { useCompaction });
  const k: string[] = [];
  s.files.forEach((b, r) => k.push(b.key(r)));
  return k.sort();
};

describe('log file names (protocol "Checkpoint Naming Scheme", "Log Compaction Files")', () => {
  it('parses every kind', () => {
    expect(parseLogFileName('00000000000000000010.json')).toEqual({ type: 'commit', version: 10 });
    expect(parseLogFileName('00000000000000000010.checkpoint.parquet')).toMatchObject({ kind: 'classic', version: 10 });
    expect(parseLogFileName('00000000000000000010.checkpoint.0000000002.0000000003.parquet')).toMatchObject({ kind: 'multi-part', part: 2, numParts: 3 });
    expect(parseLogFileName('00000000000000000010.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json')).toMatchObject({ kind: 'v2', format: 'json' });
    expect(parseLogFileName('00000000000000000004.00000000000000000006.compacted.json')).toEqual({ type: 'compaction', version: 4, endVersion: 6 });
    expect(parseLogFileName('_last_checkpoint')).toBeUndefined();
    expect(parseLogFileName('00000000000000000010.json.tmp')).toBeUndefined();
  });
});

describe('checkpoint kinds', () => {
  // [table, expected kind, format, parts, version]: from the file names in each table's _delta_log.
  const cases: [string, string, string, number, number][] = [
    ['simple_table_with_checkpoint', 'classic', 'parquet', 1, 10],
    ['v1-multi-part-struct-stats-only', 'multi-part', 'parquet', 3, 5],
    ['parquet_row_group_skipping', 'multi-part', 'parquet', 5, 1],
    ['v2-checkpoints-json-with-sidecars', 'v2', 'json', 1, 6],
    ['v2-checkpoints-parquet-with-sidecars', 'v2', 'parquet', 1, 6],
    ['v2-checkpoints-json-without-sidecars', 'v2', 'json', 1, 2],
    ['v2-classic-checkpoint-parquet', 'classic', 'parquet', 1, 1],
    ['v2-classic-checkpoint-json', 'classic', 'parquet', 1, 1],
  ];
  for (const [name, kind, format, parts, version] of cases) {
    it(`${name}: ${kind} ${format} checkpoint with ${parts} part(s)`, async () => {
      const seg = await buildLogSegment(store(fixture(name)));
      expect(seg.checkpoint).toMatchObject({ kind, format, version });
      expect(seg.checkpoint!.parts).toHaveLength(parts);
      const snap = await new DeltaTable(store(fixture(name))).snapshot();
      // The writer's .crc (when there is one) records the file count at this version.
      const crc = readCrc(fixture(name), snap.version);
      if (crc) expect(snap.files.length).toBe(crc.numFiles);
    });
  }

  it('reads the sidecars a V2 checkpoint references (v2-checkpoints-parquet-with-sidecars)', async () => {
    const dir = fixture('v2-checkpoints-parquet-with-sidecars');
    const seg = await buildLogSegment(store(dir));
    const sets = await readCheckpoint(store(dir), seg.checkpoint!);
    const sidecarFiles = readdirSync(join(dir, '_delta_log', '_sidecars')).filter((f) => f.startsWith('00000000000000000006.'));
    // the top-level file plus one set per sidecar; its file actions live only in the sidecars
    expect(sets.length).toBe(1 + sidecarFiles.length);
    expect(sets[0].sidecars.length).toBe(sidecarFiles.length);
    expect(sets[0].checkpointMetadata?.version).toBe(6);
    // .crc of version 6 (written by the writer) gives the file count
    const snap = await new DeltaTable(store(dir)).snapshot();
    expect(snap.files.length).toBe(readCrc(dir, 6).numFiles);
    expect(snap.totals.numRecords).toBe(1233); // MANIFEST num_rows_expected (kernel v2_checkpoints tests)
  });

  it('a missing sidecar is an error naming it and the checkpoint version', async () => {
    const dir = copyFixture('v2-checkpoints-parquet-with-sidecars');
    const side = readdirSync(join(dir, '_delta_log', '_sidecars')).filter((f) => f.startsWith('00000000000000000006.'))[0];
    rmSync(join(dir, '_delta_log', '_sidecars', side));
    const err = await new DeltaTable(store(dir)).snapshot().catch((e) => e);
    expect(err.code).toBe('FILE_NOT_FOUND');
    expect(err.version).toBe(6);
    expect(err.message).toContain(side);
  });
});

describe('_last_checkpoint', () => {
  it('missing: the listing finds the checkpoint (with_checkpoint_no_last_checkpoint-kernel)', async () => {
    const seg = await buildLogSegment(store(fixture('with_checkpoint_no_last_checkpoint-kernel')));
    expect(seg.lastCheckpoint.status).toBe('missing');
    expect(seg.checkpoint?.version).toBe(2); // 00000000000000000002.checkpoint.parquet
    expect(seg.version).toBe(3);
  });

  it('behind: a newer checkpoint than the hint is used (table_failed_last_checkpoint_update)', async () => {
    const seg = await buildLogSegment(store(fixture('table_failed_last_checkpoint_update')));
    expect(seg.lastCheckpoint.hint?.version).toBe(1); // the file says {"version":1}
    expect(seg.checkpoint?.version).toBe(3); // 00000000000000000003.checkpoint.parquet exists
  });

  it('corrupt: ignored with a warning, same snapshot (simple_table_with_checkpoint)', async () => {
    const dir = copyFixture('simple_table_with_checkpoint');
    writeFileSync(join(dir, '_delta_log', '_last_checkpoint'), '{"version": 10, "size": 1'); // truncated JSON
    const seg = await buildLogSegment(store(dir));
    expect(seg.lastCheckpoint.status).toBe('corrupt');
    expect(seg.warnings.join(' ')).toMatch(/_last_checkpoint/);
    expect(seg.checkpoint?.version).toBe(10);
    expect(await keys(new DeltaTable(store(dir)))).toEqual(await keys(new DeltaTable(store(fixture('simple_table_with_checkpoint')))));
  });

  it('stale: pointing at a checkpoint that does not exist falls back to listing', async () => {
    const dir = copyFixture('simple_table_with_checkpoint');
    writeFileSync(join(dir, '_delta_log', '_last_checkpoint'), '{"version":7,"size":3}');
    const seg = await buildLogSegment(store(dir));
    expect(seg.lastCheckpoint.status).toBe('stale');
    expect(seg.checkpoint?.version).toBe(10);
    // independent forward replay of all JSON commits
    const ref = referenceReplay(dir, 10);
    const snap = await new DeltaTable(store(dir)).snapshot();
    expect(snap.files.length).toBe(ref.numFiles);
  });

  it('time travel below the hint lists from the start', async () => {
    const dir = fixture('simple_table_with_checkpoint');
    const seg = await buildLogSegment(store(dir), { version: 4 });
    expect(seg.checkpoint).toBeUndefined();
    expect(seg.deltas.map((d) => d.version)).toEqual([0, 1, 2, 3, 4]);
    const snap = await new DeltaTable(store(dir)).snapshot({ version: 4 });
    expect(snap.files.length).toBe(referenceReplay(dir, 4).numFiles);
  });
});

describe('incomplete multi-part checkpoints are ignored', () => {
  it('v1-multi-part-struct-stats-only with part 2 of 3 deleted', async () => {
    const dir = copyFixture('v1-multi-part-struct-stats-only');
    rmSync(join(dir, '_delta_log', '00000000000000000005.checkpoint.0000000002.0000000003.parquet'));
    rmSync(join(dir, '_delta_log', '_last_checkpoint'), { force: true });
    const seg = await buildLogSegment(store(dir));
    expect(seg.checkpoint).toBeUndefined();
    expect(seg.warnings.join(' ')).toMatch(/incomplete 3-part checkpoint at version 5/);
    // the commits give the same state as the writer's .crc for version 5
    const snap = await new DeltaTable(store(dir)).snapshot();
    expect(snap.files.length).toBe(readCrc(dir, 5).numFiles);
    expect(snap.totals.sizeInBytes).toBe(readCrc(dir, 5).tableSizeBytes);
  });

  it('...also when _last_checkpoint still names it', async () => {
    const dir = copyFixture('v1-multi-part-struct-stats-only');
    rmSync(join(dir, '_delta_log', '00000000000000000005.checkpoint.0000000003.0000000003.parquet'));
    const seg = await buildLogSegment(store(dir));
    expect(seg.checkpoint).toBeUndefined();
    expect(seg.lastCheckpoint.status).toBe('stale');
    const snap = await new DeltaTable(store(dir)).snapshot();
    expect(snap.files.length).toBe(readCrc(dir, 5).numFiles);
  });
});

describe('commits must be contiguous', () => {
  it('a gap is an error naming the missing version', async () => {
    const dir = copyFixture('simple_table');
    rmSync(join(dir, '_delta_log', '00000000000000000002.json'));
    const err = await new DeltaTable(store(dir)).snapshot().catch((e) => e);
    expect(err.code).toBe('MISSING_COMMIT');
    expect(err.version).toBe(2);
    expect(err.path).toBe('_delta_log/00000000000000000002.json');
    // versions before the gap still open
    const snap = await new DeltaTable(store(dir)).snapshot({ version: 1 });
    expect(snap.files.length).toBe(referenceReplay(dir, 1).numFiles);
  });

  it('a version newer than the latest is VERSION_NOT_FOUND', async () => {
    const err = await new DeltaTable(store(fixture('simple_table'))).snapshot({ version: 99 }).catch((e) => e);
    expect(err.code).toBe('VERSION_NOT_FOUND');
    expect(err.message).toContain('latest version is 4');
  });

  it('a version cleaned up from the log is VERSION_NOT_FOUND (checkpoints_vacuumed: commits before 5 deleted)', async () => {
    const t = new DeltaTable(store(fixture('checkpoints_vacuumed')));
    const err = await t.snapshot({ version: 2 }).catch((e) => e);
    expect(err.code).toBe('VERSION_NOT_FOUND');
    expect((await t.snapshot({ version: 5 })).version).toBe(5); // 00000000000000000005.checkpoint.parquet
    expect(await t.earliestVersion()).toBe(5);
  });

  it('a table whose log starts with a checkpoint (checkpoint_with_partitions, no commit 0)', async () => {
    const t = new DeltaTable(store(fixture('checkpoint_with_partitions')));
    const snap = await t.snapshot();
    expect(snap.version).toBe(2); // MANIFEST latest_version
    expect(snap.segment.checkpoint).toBeDefined();
  });
});

describe('log compaction (compacted-log-files-table)', () => {
  const dir = fixture('compacted-log-files-table');
  it('uses compaction files that fit in the segment', async () => {
    const seg = await buildLogSegment(store(dir));
    expect(seg.deltas.some((d) => 'endVersion' in d)).toBe(true);
  });
  it('gives the same files as replaying the commits, at every version', async () => {
    const t = new DeltaTable(store(dir));
    for (let v = 0; v <= 25; v++) {
      expect(await keys(t, v, true), `version ${v}`).toEqual(await keys(t, v, false));
    }
  });
  it('ignores a compaction file that reaches past the target version', async () => {
    const seg = await buildLogSegment(store(dir), { version: 12 });
    for (const d of seg.deltas) if ('endVersion' in d) expect(d.endVersion).toBeLessThanOrEqual(12);
    expect(seg.deltas.some((d) => 'endVersion' in d && d.version === 6 && d.endVersion === 10)).toBe(true);
  });
});

describe('time: commit timestamps and timestamp to version', () => {
  it('in-commit timestamps come from commitInfo (cdc_ict_table)', async () => {
    const t = new DeltaTable(store(fixture('cdc_ict_table')));
    const h = await t.history();
    // commitInfo.inCommitTimestamp of each commit file, read by hand from the log
    const expected = [1783874213881, 1783874212175, 1683874206883, 1783874203271];
    expect(h.map((e) => e.version)).toEqual([3, 2, 1, 0]);
    expect(h.map((e) => e.timestampMs)).toEqual(expected);
    expect(h.every((e) => e.timestampSource === 'inCommitTimestamp')).toBe(true);
    expect(await t.versionAt(1783874212175)).toBe(2);
    expect(await t.versionAt(1783874213000)).toBe(2);
    expect(await t.versionAt(1783874213881)).toBe(3);
  });

  it('without in-commit timestamps, file modification times, made monotonic', async () => {
    const dir = copyFixture('simple_table');
    const day = (d: number) => Date.UTC(2020, 0, d) / 1000;
    // versions 0..4 written on Jan 1, 2, 3, 3 (same second as v2) and 5, 2020
    const times = [day(1), day(2), day(3), day(3), day(5)];
    times.forEach((s, v) => utimesSync(join(dir, '_delta_log', `${String(v).padStart(20, '0')}.json`), s, s));
    const t = new DeltaTable(store(dir));
    const h = (await t.history()).slice().reverse();
    expect(h.map((e) => e.timestampMs)).toEqual([day(1) * 1000, day(2) * 1000, day(3) * 1000, day(3) * 1000 + 1, day(5) * 1000]);
    expect(await t.versionAt('2020-01-02T12:00:00Z')).toBe(1);
    expect(await t.versionAt('2020-01-03')).toBe(2);
    expect(await t.versionAt('2020-01-04T00:00:00Z')).toBe(3);
    expect(await t.versionAt('2030-01-01')).toBe(4);
    await expect(t.versionAt('2019-12-31')).rejects.toMatchObject({ code: 'TIMESTAMP_OUT_OF_RANGE' });
    const snap = await t.snapshot({ timestamp: '2020-01-02T00:00:00Z' });
    expect(snap.version).toBe(1);
    expect(snap.files.length).toBe(referenceReplay(dir, 1).numFiles);
  });
});
