/**
 * The Schema, Partitions and Files summaries on real fixture tables. Expected values are read from
 * the tables' commit files by hand in each test (a naive forward replay of the JSON adds and
 * removes), never from `src/delta`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeltaTable } from '../delta/table.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { fileSizeHistogram, partitionSummary } from './aggregates.ts';
import { filesQuery } from './files-page.ts';
import { schemaTimeline } from './schema-timeline.ts';

const TABLES = join(import.meta.dirname, '../../test/fixtures/tables');
const open = (name: string) => new DeltaTable(new NodeFsStore(join(TABLES, name)));

interface RawAdd {
  path: string;
  partitionValues: Record<string, string | null>;
  size: number;
  stats?: string;
  deletionVector?: { cardinality: number };
}

/** Active `add`s at `version` by a forward replay of the JSON commits (tables without checkpoints). */
function activeAdds(name: string, version = Infinity): RawAdd[] {
  const dir = join(TABLES, name, '_delta_log');
  const files = readdirSync(dir).filter((n) => /^\d{20}\.json$/.test(n)).sort();
  const live = new Map<string, RawAdd>();
  for (const f of files) {
    if (Number(f.slice(0, 20)) > version) break;
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const a = JSON.parse(line);
      if (a.add) live.set(decodeURIComponent(a.add.path), a.add);
      if (a.remove) live.delete(decodeURIComponent(a.remove.path));
    }
  }
  return [...live.values()];
}

/** Groups adds by the JSON of their partition values: files, bytes, records. */
function byPartition(adds: RawAdd[], keys: string[]): Map<string, { files: number; bytes: number; records: number | null }> {
  const out = new Map<string, { files: number; bytes: number; records: number | null }>();
  for (const a of adds) {
    const k = JSON.stringify(keys.map((key) => a.partitionValues[key] ?? null));
    const g = out.get(k) ?? { files: 0, bytes: 0, records: 0 as number | null };
    g.files++;
    g.bytes += a.size;
    const n = a.stats ? JSON.parse(a.stats).numRecords : undefined;
    // Records are unknown for a partition when one of its files has no stats.
    g.records = typeof n === 'number' && g.records !== null ? g.records + n : null;
    out.set(k, g);
  }
  return out;
}

describe('partitionSummary', () => {
  for (const name of ['delta-0.8.0-partitioned', 'basic_partitioned', 'delta-0.8.0-null-partition']) {
    it(`matches the add actions of ${name}, group by group`, async () => {
      const snap = await open(name).snapshot();
      const p = partitionSummary(snap);
      const keys = snap.metadata.partitionColumns;
      expect(p.columns.map((c) => c.name)).toEqual(keys);
      const expected = byPartition(activeAdds(name), keys);
      expect(p.numPartitions).toBe(expected.size);
      expect(p.truncated).toBe(false);
      for (const row of p.rows) {
        // String partition columns: the formatted value is the raw one.
        const e = expected.get(JSON.stringify(row.values.map((v) => (v === null ? null : v))));
        if (!e) {
          // Non-string columns (numbers) format the same as their raw text in these fixtures.
          throw new Error(`unexpected partition ${JSON.stringify(row.values)}`);
        }
        expect(row.numFiles).toBe(e.files);
        expect(row.sizeInBytes).toBe(e.bytes);
        expect(row.numRecords).toBe(e.records);
      }
      expect(p.rows.reduce((n, r) => n + r.numFiles, 0)).toBe(snap.files.length);
      // Largest first.
      for (let i = 1; i < p.rows.length; i++) expect(p.rows[i - 1].sizeInBytes).toBeGreaterThanOrEqual(p.rows[i].sizeInBytes);
    });
  }

  it('shows a null partition value as null', async () => {
    const p = partitionSummary(await open('delta-0.8.0-null-partition').snapshot());
    expect(p.rows.map((r) => r.values[0]).sort()).toEqual(['A', null].sort());
  });

  it('types and formats values (numbers, dates, timestamps) from partition-type-primitives', async () => {
    const snap = await open('partition-type-primitives').snapshot();
    const p = partitionSummary(snap);
    expect(p.columns.length).toBe(snap.metadata.partitionColumns.length);
    expect(p.warnings).toEqual([]);
    expect(p.rows.reduce((n, r) => n + r.numFiles, 0)).toBe(snap.files.length);
  });

  it('says nothing per partition for an unpartitioned table', async () => {
    const p = partitionSummary(await open('table-with-cdf').snapshot());
    expect(p.columns).toEqual([]);
    expect(p.rows).toEqual([]);
  });

  it('resolves physical partition keys under column mapping (table_with_partitioning_mapping)', async () => {
    const snap = await open('table_with_partitioning_mapping').snapshot();
    const p = partitionSummary(snap);
    expect(p.columns.map((c) => c.name)).toEqual(['newid']);
    expect(p.columns[0].type).toBe('integer');
    const key = p.columns[0].key;
    const expected = byPartition(activeAdds('table_with_partitioning_mapping'), [key]);
    expect(p.numPartitions).toBe(expected.size);
    for (const row of p.rows) expect(row.numFiles).toBe(expected.get(JSON.stringify(row.values))!.files);
  });
});

describe('fileSizeHistogram', () => {
  for (const name of ['delta-0.8.0-partitioned', 'checkpoints', 'table-with-dv-small-kernel', 'COVID-19_NYT']) {
    it(`bins every active file of ${name} once`, async () => {
      const snap = await open(name).snapshot();
      const h = fileSizeHistogram(snap);
      expect(h.numFiles).toBe(snap.files.length);
      expect(h.bins.reduce((n, b) => n + b.count, 0) + h.unknown).toBe(snap.files.length);
      expect(h.bins.reduce((n, b) => n + b.totalBytes, 0)).toBe(snap.totals.sizeInBytes);
      for (const b of h.bins) expect(b.endBytes).toBe(b.startBytes === 0 ? 2 : b.startBytes * 2);
    });
  }
});

describe('filesQuery', () => {
  it('pages every file once, in order, with decoded paths', async () => {
    const snap = await open('delta-0.8.0-partitioned').snapshot();
    const expected = activeAdds('delta-0.8.0-partitioned').map((a) => decodeURIComponent(a.path)).sort();
    const seen: string[] = [];
    for (let offset = 0; offset < snap.files.length; offset += 2) seen.push(...filesQuery(snap, { offset, limit: 2 }).rows.map((r) => r.path));
    expect(seen.sort()).toEqual(expected);
  });

  it('filters by path and by column=value, and sorts by size', async () => {
    const snap = await open('delta-0.8.0-partitioned').snapshot();
    const adds = activeAdds('delta-0.8.0-partitioned');
    const p = filesQuery(snap, { offset: 0, limit: 100, search: 'month=2' });
    expect(p.matched).toBe(adds.filter((a) => a.partitionValues.month === '2').length);
    expect(p.rows.every((r) => r.partitionValues[p.partitionColumns.indexOf('month')] === '2')).toBe(true);
    const byPath = filesQuery(snap, { offset: 0, limit: 100, search: 'DAY=4' });
    expect(byPath.matched).toBe(adds.filter((a) => a.path.includes('day=4')).length);
    const sorted = filesQuery(snap, { offset: 0, limit: 100, sort: 'size', descending: true });
    const sizes = sorted.rows.map((r) => r.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(filesQuery(snap, { offset: 0, limit: 10, search: 'no-such-file' }).matched).toBe(0);
  });

  it('gives stats per column and deletion vector cardinalities', async () => {
    const snap = await open('table-with-dv-small-kernel').snapshot();
    const adds = activeAdds('table-with-dv-small-kernel');
    const p = filesQuery(snap, { offset: 0, limit: 100 });
    expect(p.matched).toBe(adds.length);
    const total = p.rows.reduce((n, r) => n + (r.dvCardinality ?? 0), 0);
    expect(total).toBe(adds.reduce((n, a) => n + (a.deletionVector?.cardinality ?? 0), 0));
    expect(p.availableColumns.length).toBeGreaterThan(0);
    const stats = JSON.parse(adds[0].stats!);
    const col = p.statsColumns[0];
    const row = p.rows.find((r) => r.path === decodeURIComponent(adds[0].path))!;
    expect(row.stats?.[0].min).toBe(String(stats.minValues[col]));
    expect(row.stats?.[0].max).toBe(String(stats.maxValues[col]));
  });

  it('reads stats by physical name under column mapping', async () => {
    const snap = await open('table_with_column_mapping').snapshot();
    const p = filesQuery(snap, { offset: 0, limit: 10 });
    expect(p.rows.length).toBeGreaterThan(0);
    expect(p.rows.some((r) => r.stats?.some((s) => s.min !== null))).toBe(true);
  });
});

describe('schemaTimeline', () => {
  it('finds the type changes of type-widening at version 2', async () => {
    const t = await schemaTimeline(open('type-widening'));
    expect(t.entries[0]).toMatchObject({ version: 0, initial: true });
    const v2 = t.entries.find((e) => e.version === 2)!;
    expect(v2.changes).toContainEqual({ kind: 'type', path: 'byte_long', from: 'byte', to: 'long' });
    expect(v2.changes).toContainEqual({ kind: 'type', path: 'int_double', from: 'integer', to: 'double' });
    expect(v2.changes).toContainEqual({ kind: 'type', path: 'decimal_decimal_greater_scale', from: 'decimal(10,2)', to: 'decimal(20,5)' });
    expect(v2.changes.every((c) => c.kind === 'type')).toBe(true);
    // Version 1 set a table property only: no schema change.
    expect(t.entries.some((e) => e.version === 1)).toBe(false);
  });

  it('finds columns added by ADD COLUMNS (external-table-different-nullability)', async () => {
    const t = await schemaTimeline(open('external-table-different-nullability'));
    expect(t.entries.map((e) => e.version)).toEqual([0, 2, 4]);
    expect(t.entries[1].changes).toEqual([{ kind: 'added', path: 'j', to: 'integer', toNullable: true }]);
    expect(t.entries[2].changes).toEqual([{ kind: 'added', path: 'k', to: 'integer', toNullable: true }]);
    expect(t.entries[2].operation).toBe('ADD COLUMNS');
  });

  it('finds a nullability change (table-with-cdf)', async () => {
    const t = await schemaTimeline(open('table-with-cdf'));
    const last = t.entries[t.entries.length - 1];
    expect(last.version).toBe(4);
    expect(last.changes).toEqual([{ kind: 'nullability', path: 'id', fromNullable: true, toNullable: false }]);
  });

  it('follows a rename by column mapping id (table_with_partitioning_mapping)', async () => {
    const t = await schemaTimeline(open('table_with_partitioning_mapping'));
    expect(t.matchedBy).toBe('columnMappingId');
    // Turning column mapping on (v2) assigns ids but changes no column.
    expect(t.entries.some((e) => e.version === 2)).toBe(false);
    const v3 = t.entries.find((e) => e.version === 3)!;
    expect(v3.changes).toHaveLength(1);
    expect(v3.changes[0]).toMatchObject({ kind: 'renamed', path: 'newid', previousPath: 'id', from: 'id', to: 'newid' });
  });

  it('lists nested columns of the initial schema', async () => {
    const t = await schemaTimeline(open('delta-1.2.1-only-struct-stats'));
    const v1 = t.entries.find((e) => e.version === 1)!;
    expect(v1.changes.some((c) => c.kind === 'added' && c.path.startsWith('struct.'))).toBe(true);
    expect(v1.changes.some((c) => c.kind === 'added' && c.path === 'integer')).toBe(false);
  });
});
