/**
 * The fast paths of log replay give exactly what the plain paths give:
 * - the commit-line scanner (and chunked decoding) vs `JSON.parse` of every line;
 * - checkpoint columns read straight from Arrow buffers, streamed in record batches, vs the whole
 *   file decoded at once;
 * - the reconciliation key set vs a JS `Set`;
 * - per-partition aggregates and the size histogram vs a naive count over `files.get(i)`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyActionSet, type ActionSet, type FileActionBatch } from './actions.ts';
import { partitionAggregates, sizeHistogram } from './aggregates.ts';
import { addAction, parseJsonLog } from './log/commit-reader.ts';
import { decodeParquetCheckpoint, decodeParquetCheckpointParts } from './log/checkpoint-reader.ts';
import { KeySet } from './key-set.ts';
import { numRecordsAt } from './snapshot.ts';
import { DeltaTable } from './table.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import { fixture } from '../../test/fixtures.ts';
import { generateCheckpointTable } from '../../bench/gen/checkpoint-table.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

/** The plain path: JSON.parse of every line. */
function plainParse(text: string): ActionSet {
  const out = emptyActionSet();
  let lineNo = 0;
  let first = true;
  for (const line of text.split('\n')) {
    lineNo++;
    if (!line.trim()) continue;
    addAction(out, JSON.parse(line), { path: 'x.json' }, lineNo, first);
    first = false;
  }
  out.adds.padSparse();
  out.removes.padSparse();
  out.cdcs.padSparse();
  return out;
}

/**
 * Every row of a batch as plain values (with the fields reconciliation and views read). The line
 * ordinal only orders a commit's rows; checkpoint batches number their rows per batch.
 */
function rowsOf(b: FileActionBatch, withOrdinal = true): unknown[] {
  const rows: unknown[] = [];
  for (let i = 0; i < b.length; i++) {
    const a = b.kind === 'add' ? b.addAt(i) : b.kind === 'remove' ? b.removeAt(i) : b.cdcAt(i);
    rows.push([a, b.hasPartitionValues[i], b.dvUniqueId(i), withOrdinal ? b.ordinal[i] : 0, b.modificationTime[i], b.deletionTimestamp[i], numRecordsAt(b, i)]);
  }
  return JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)));
}

const str = fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('a"b', 'c\\\\d', 'é/ü', 'x\ny', 'tab\there', '%20a', ''));
const num = fc.oneof(fc.integer({ min: -1e9, max: 1e12 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(0));
const fileAction = fc.record(
  {
    path: fc.oneof(str, fc.integer()),
    partitionValues: fc.oneof(fc.dictionary(str, fc.oneof(str, fc.constant(null)), { maxKeys: 3 }), fc.constant(null), fc.constant({ k: 1 })),
    size: fc.oneof(num, fc.constant(null), fc.constant('12')),
    modificationTime: fc.oneof(num, fc.constant(null)),
    deletionTimestamp: fc.oneof(num, fc.constant(null)),
    dataChange: fc.oneof(fc.boolean(), fc.constant(null)),
    stats: fc.oneof(
      fc.constant(null),
      str,
      fc.record({ numRecords: fc.nat(), minValues: fc.dictionary(str, fc.oneof(str, num)) }).map((o) => JSON.stringify(o)),
    ),
    tags: fc.oneof(fc.constant(null), fc.dictionary(str, fc.oneof(str, fc.constant(null)), { maxKeys: 2 })),
    deletionVector: fc.oneof(fc.constant(null), fc.constant({ storageType: 'u', pathOrInlineDv: 'ab', offset: 1, sizeInBytes: 10, cardinality: 2 })),
    baseRowId: fc.oneof(fc.nat(), fc.constant(null)),
    extendedFileMetadata: fc.oneof(fc.boolean(), fc.constant(null)),
    clusteringProvider: fc.oneof(str, fc.constant(null)),
    unknownField: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: ['path'] },
);
const line = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('add', 'remove'), fileAction).map(([k, a]) => JSON.stringify({ [k]: a })) },
  { weight: 1, arbitrary: fc.constant('{"commitInfo":{"timestamp":1}}') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('add', 'remove'), fileAction).map(([k, a]) => ` ${JSON.stringify({ [k]: a }, null, 1).replaceAll('\n', '')} `) },
);

describe('commit scanner', () => {
  it('reads every line as JSON.parse does (random add/remove lines)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = lines.join('\n') + '\n';
        let expected: ActionSet;
        try {
          expected = plainParse(text);
        } catch {
          // The plain path rejects the text: so must the scanner (with a DeltaError).
          expect(() => parseJsonLog(text, { path: 'x.json' })).toThrow();
          return;
        }
        const got = parseJsonLog(text, { path: 'x.json' });
        const bytes = parseJsonLog(new TextEncoder().encode(text), { path: 'x.json' }, 64);
        for (const k of ['adds', 'removes', 'cdcs'] as const) {
          expect(rowsOf(got[k])).toEqual(rowsOf(expected[k]));
          expect(rowsOf(bytes[k])).toEqual(rowsOf(expected[k]));
        }
        expect(got.commitInfoFirst).toBe(expected.commitInfoFirst);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('the corpus-shaped 300k commit lines and a real commit with stats and deletion vectors', () => {
    const real = readFileSync(join(fixture('table_with_deletion_logs'), '_delta_log', '00000000000000000004.json'), 'utf8');
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ add: { path: `part_${i % 100}/file_${i}.parquet`, partitionValues: { partition_col: `part_${i % 100}` }, size: 1048576, modificationTime: 1234567890 + i, dataChange: true } }));
    for (const text of [real, lines.join('\n') + '\n']) {
      const expected = plainParse(text);
      const got = parseJsonLog(new TextEncoder().encode(text), { path: 'x.json' }, 4096);
      expect(rowsOf(got.adds)).toEqual(rowsOf(expected.adds));
      expect(rowsOf(got.removes)).toEqual(rowsOf(expected.removes));
    }
  });

  it('stats stay escaped until read, and read as the plain path gives them', () => {
    const stats = JSON.stringify({ numRecords: 7, minValues: { s: 'a"\\b\u00e9' } });
    const text = JSON.stringify({ add: { path: 'p.parquet', partitionValues: {}, size: 1, modificationTime: 2, dataChange: true, stats } });
    const got = parseJsonLog(text, { path: 'x.json' });
    expect(got.adds.stats.get(0)).toBe(stats);
    expect(numRecordsAt(got.adds, 0)).toBe(7);
  });
});

describe('checkpoint columns', () => {
  it('a streamed multi-row-group checkpoint reads like the whole file decoded at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dx-cp-'));
    try {
      await generateCheckpointTable(dir, { layout: 'classic', numFiles: 50_000, tombstones: 500, parts: 1, trailingCommits: 0, addsPerCommit: 0, removesPerCommit: 0, partitions: 30, rowGroupRows: 8192 });
      const file = join(dir, '_delta_log', '00000000000000001000.checkpoint.parquet');
      expect(statSync(file).size).toBeGreaterThan(4 * 1024 * 1024); // above the synchronous-decode limit
      const bytes = new Uint8Array(readFileSync(file));
      const whole = await decodeParquetCheckpoint(bytes, { path: file });
      const parts = await decodeParquetCheckpointParts(new Blob([bytes]), { path: file });
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.flatMap((s) => rowsOf(s.adds, false))).toEqual(rowsOf(whole.adds, false));
      expect(parts.flatMap((s) => rowsOf(s.removes, false))).toEqual(rowsOf(whole.removes, false));
      expect(parts.find((s) => s.metaData)?.metaData).toEqual(whole.metaData);
      expect(parts.find((s) => s.protocol)?.protocol).toEqual(whole.protocol);
      const snap = await new DeltaTable(new NodeFsStore(dir)).snapshot();
      expect(snap.files.length).toBe(50_000);
      expect(snap.tombstones.length).toBe(500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('KeySet', () => {
  it('adds and finds like a Set', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('a', 'b', 'x'.repeat(60), 'x'.repeat(59) + 'y')), { maxLength: 300 }), fc.array(fc.string({ maxLength: 70 }), { maxLength: 50 }), (adds, probes) => {
        const ks = new KeySet(4);
        const s = new Set<string>();
        for (const a of adds) {
          expect(ks.add(a)).toBe(!s.has(a));
          s.add(a);
        }
        for (const p of [...probes, ...adds]) expect(ks.has(p)).toBe(s.has(p));
        expect(ks.size).toBe(s.size);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe('aggregates', () => {
  for (const name of ['delta-0.8.0-partitioned', 'table_with_deletion_logs', 'checkpoint_with_partitions']) {
    it(`${name}: per-partition aggregates and size histogram match a naive count`, async () => {
      const snap = await new DeltaTable(new NodeFsStore(fixture(name))).snapshot();
      const keys = snap.partitionColumns.map((c) => c.key);
      const naive = new Map<string, { n: number; size: number }>();
      const sizes: number[] = [];
      for (let i = 0; i < snap.files.length; i++) {
        const f = snap.files.get(i);
        const k = JSON.stringify(keys.map((key) => f.partitionValues[key] ?? null));
        const a = naive.get(k) ?? { n: 0, size: 0 };
        a.n++;
        a.size += f.size;
        naive.set(k, a);
        sizes.push(f.size);
      }
      const agg = partitionAggregates(snap);
      expect(agg.numPartitions).toBe(naive.size);
      for (const p of agg.partitions) {
        const a = naive.get(JSON.stringify(keys.map((key) => p.values[key])))!;
        expect(p.numFiles).toBe(a.n);
        expect(p.sizeInBytes).toBe(a.size);
      }
      const hist = sizeHistogram(snap);
      expect(hist.counts.reduce((x, y) => x + y, 0)).toBe(snap.files.length);
      expect(hist.totalBytes.reduce((x, y) => x + y, 0)).toBe(sizes.reduce((x, y) => x + y, 0));
      hist.bucketStartBytes.forEach((start, b) => {
        const inBucket = sizes.filter((s) => s >= start && (b + 1 >= hist.bucketStartBytes.length || s < hist.bucketStartBytes[b + 1]));
        expect(inBucket.length).toBe(hist.counts[b]);
      });
    });
  }
});
