/**
 * The checkpoint decode pool (worker_threads over Comlink): multi-part, V2-with-sidecars and
 * stats-only checkpoints give the same snapshot through the pool as in-thread, the work really
 * goes to the workers (task counts), and a file the workers cannot decode falls back to the
 * in-thread reader's named error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FIXTURES } from '../../../test/fixtures.ts';
import { NodeFsStore } from '../storage/node-fs.ts';
import { DeltaTable } from '../table.ts';
import { decodePool, setDecodeWorkerFactory } from './decode-pool.ts';
import { startNodeDecodePool } from './decode-pool-node.ts';
import { decodeCheckpointPart } from './checkpoint-reader.ts';

const TABLES = [
  join(FIXTURES, 'v1-multi-part-partitioned-struct-stats-only'),
  join(FIXTURES, 'v1-multi-part-struct-stats-only'),
  join(FIXTURES, 'parquet_row_group_skipping'),
  join(FIXTURES, 'v2-checkpoints-parquet-with-sidecars'),
  join(FIXTURES, 'v2-parquet-sidecars-struct-stats-only'),
  join(FIXTURES, 'v2-classic-checkpoint-parquet'),
  join(FIXTURES, '../tables-generated/peers/spark_multipart_checkpoint'),
  join(FIXTURES, '../tables-generated/peers/spark_v2_checkpoint_parquet'),
];

/** Everything a snapshot says about its files, in a comparable form. */
async function fingerprint(dir: string): Promise<string> {
  const s = await new DeltaTable(new NodeFsStore(dir)).snapshot();
  const rows: string[] = [];
  s.files.forEach((b, r) => rows.push(JSON.stringify([b.key(r), b.size[r], b.numRecords?.[r], b.stats.get(r), b.statsParsed?.get(r) ?? null, [...b.partitionValues].map(([k, v]) => [k, v[r]])])));
  rows.sort();
  return JSON.stringify({ v: s.version, totals: s.totals, tombstones: s.tombstones.length, rows });
}

afterAll(() => setDecodeWorkerFactory(undefined));

describe('checkpoint decode pool', () => {
  it('gives the same snapshots as in-thread decoding (multi-part, V2 with sidecars, stats_parsed)', { timeout: 120_000 }, async () => {
    setDecodeWorkerFactory(undefined);
    const expected = [];
    for (const t of TABLES) expected.push(await fingerprint(t));
    startNodeDecodePool(2, { minBytes: 0 });
    const pool = decodePool()!;
    expect(pool.size).toBe(2);
    for (const [i, t] of TABLES.entries()) expect(await fingerprint(t), t).toBe(expected[i]);
    // Every parquet part and sidecar went through the workers, none failed.
    expect(pool.counts.failures).toBe(0);
    expect(pool.counts.tasks).toBeGreaterThanOrEqual(6 + 3 + 3 + 5);
  });

  it('a task whose bytes are missing rejects (the wasm panic inside the worker is caught), and the pool goes on', { timeout: 60_000 }, async () => {
    startNodeDecodePool(1, { minBytes: 0 });
    const pool = decodePool()!;
    const store = new NodeFsStore(join(FIXTURES, 'v1-multi-part-struct-stats-only'));
    const part = (await store.list('_delta_log/')).find((m) => m.path.endsWith('.parquet'))!;
    const bytes = await store.get(part.path);
    const tail = bytes.slice(bytes.length - 4096 > 0 ? bytes.length - 4096 : 0);
    const start = bytes.length - tail.length;
    // Only the tail: the footer reads, the column chunks are not there.
    await expect(pool.run({ size: bytes.length, pieces: [{ start, bytes: tail }], columns: ['add.path'], rowGroups: [0], batchRows: 1024 }, 30_000)).rejects.toThrow();
    const ok = await pool.run({ size: bytes.length, pieces: [{ start: 0, bytes: bytes.slice() }], columns: ['add.path'], rowGroups: [0], batchRows: 1024 }, 30_000);
    expect(ok.length).toBeGreaterThan(0);
  });

  it('a file the workers cannot decode ends in the named in-thread error', { timeout: 60_000 }, async () => {
    startNodeDecodePool(1, { minBytes: 0 });
    const store = new NodeFsStore(join(FIXTURES, 'v1-multi-part-struct-stats-only'));
    const part = (await store.list('_delta_log/')).find((m) => m.path.endsWith('.parquet'))!;
    const bytes = await store.get(part.path);
    // Damage the column data but keep the footer: the footer reads, the pages do not decode.
    const damaged = bytes.slice();
    for (let i = 4; i < damaged.length / 2; i++) damaged[i] = 0xff;
    await expect(decodeCheckpointPart(damaged, { path: part.path, version: 1 })).rejects.toMatchObject({ code: 'CORRUPT_CHECKPOINT', path: part.path });
  });
});
