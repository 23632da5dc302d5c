/**
 * Partition aggregates where the partition keys are many and wide: four partition columns of
 * 10,000 distinct values each make 10^16 combinations, past 2^53, where a numeric combined key
 * rounds odd keys onto their neighbours: partitions (9999, 9999, 9999, j) for neighbouring j would
 * be counted as one. Every file here is its own partition, so the count, the sizes and each
 * partition's values are known from the log we write.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeHealth } from '../explore/health.ts';
import { partitionAggregates } from './aggregates.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import { DeltaTable } from './table.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const N = 10_000;
const COLS = ['a', 'b', 'c', 'd'];

function writeTable(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dx-agg-'));
  dirs.push(dir);
  mkdirSync(join(dir, '_delta_log'));
  const schema = { type: 'struct', fields: [...COLS.map((name) => ({ name, type: 'string', nullable: true, metadata: {} })), { name: 'x', type: 'long', nullable: true, metadata: {} }] };
  const lines = [
    JSON.stringify({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } }),
    JSON.stringify({ metaData: { id: 'agg', format: { provider: 'parquet', options: {} }, schemaString: JSON.stringify(schema), partitionColumns: COLS, configuration: {}, createdTime: 0 } }),
  ];
  const add = (path: string, values: number[], size: number) =>
    lines.push(JSON.stringify({ add: { path, partitionValues: Object.fromEntries(COLS.map((c, k) => [c, String(values[k])])), size, modificationTime: 0, dataChange: true, stats: JSON.stringify({ numRecords: 1 }) } }));
  // The diagonal: 10,000 distinct values per column (value i gets code i, in first-seen order).
  for (let i = 0; i < N; i++) add(`f${i}.parquet`, [i, i, i, i], 1000 + i);
  // Neighbours of the last diagonal partition in the last column.
  for (let j = N - 10; j < N - 1; j++) add(`g${j}.parquet`, [N - 1, N - 1, N - 1, j], 100 + j - (N - 10));
  writeFileSync(join(dir, '_delta_log', '00000000000000000000.json'), lines.join('\n') + '\n');
  return dir;
}

describe('partitionAggregates', () => {
  it('keeps every partition apart when the combinations exceed 2^53 (4 columns × 10,000 values)', async () => {
    const snapshot = await new DeltaTable(new NodeFsStore(writeTable())).snapshot();
    const agg = partitionAggregates(snapshot, 2 * N);
    expect(agg.numPartitions).toBe(N + 9);
    expect(agg.partitionSizes).toHaveLength(N + 9);
    expect(agg.partitions[0].values).toEqual({ a: String(N - 1), b: String(N - 1), c: String(N - 1), d: String(N - 1) });
    for (const p of agg.partitions) {
      expect(p.numFiles).toBe(1);
      const v = p.sizeInBytes >= 1000 ? [p.sizeInBytes - 1000, p.sizeInBytes - 1000, p.sizeInBytes - 1000, p.sizeInBytes - 1000] : [N - 1, N - 1, N - 1, N - 10 + p.sizeInBytes - 100];
      expect(p.values).toEqual(Object.fromEntries(COLS.map((c, k) => [c, String(v[k])])));
    }
    // Health's skew comes from the same aggregates: largest / median.
    const sizes = agg.partitions.map((p) => p.sizeInBytes).sort((a, b) => a - b);
    const mid = sizes.length >> 1;
    const median = sizes.length % 2 ? sizes[mid] : (sizes[mid - 1] + sizes[mid]) / 2;
    expect(computeHealth(snapshot, 0).partitionSkew).toBeCloseTo(sizes[sizes.length - 1] / median, 9);
  }, 120_000);
});
