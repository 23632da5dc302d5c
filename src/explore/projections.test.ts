/**
 * One projection, three surfaces: on real tables, the worker API (what the UI shows), the CLI's
 * JSON output and the SQL metadata tables (`"t$files"`, `"t$partitions"`) must give the same
 * numbers and the same type names for each projection of `src/explore/`:
 *
 * - file rows: paths, sizes, record counts, deleted rows, partition values, statistics;
 * - the schema: every column's path and Delta type name (worker `summary.schema` vs CLI `schema`);
 * - clustering columns (worker vs CLI `info`);
 * - partition aggregates (worker `partitions` vs `"t$partitions"`) and the totals (CLI `info`).
 *
 * The surfaces are the real ones (ExplorerService over DuckDB in Node, the CLI's `main` in
 * process); nothing here computes an expected value with `src/explore` itself.
 */
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../cli/main.ts';
import { createNodeEngine, type SqlEngine } from '../query/engine.ts';
import type { OpenedTable, Result, SnapshotSummary } from '../workers/api.ts';
import { ExplorerService } from '../workers/explorer-service.ts';
import { folderFiles } from '../../test/fixtures.ts';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures');

/** Partitioned (typed values, a null partition), column mapping, deletion vectors, nested stats, a checkpoint with stats_parsed, clustering. */
const TABLES = [
  'tables/partition-type-primitives',
  'tables/delta-0.8.0-null-partition',
  'tables/table_with_partitioning_mapping',
  'tables/table_with_column_mapping',
  'tables/table-with-dv-small-kernel',
  'tables/delta-1.2.1-only-struct-stats',
  'tables/parsed-stats',
  'tables/table_with_liquid_clustering',
  'tables-generated/peers/spark_liquid_clustering',
  'tables/golden-data-reader-array-primitives',
  'tables/timestamp-partitioned-table',
  'tables/delta-2.2.0-partitioned-types',
];

let engine: Promise<SqlEngine> | undefined;
afterAll(async () => (await engine)?.close());
const service = new ExplorerService({ engine: () => (engine ??= createNodeEngine()) });

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value;
}

/** The CLI's `--json` document of `command` on `dir`. */
async function cliJson(command: string, dir: string): Promise<any> {
  let out = '';
  let err = '';
  const code = await main([command, dir, '--json'], { out: (t) => (out += t), err: (t) => (err += t) });
  if (code !== 0) throw new Error(`delta-explorer ${command} exit ${code}: ${err}`);
  return JSON.parse(out);
}

/** Rows of a worker `sql` result, as plain objects (BigInts as numbers, maps as objects). */
async function sqlRows(tableId: string, query: string): Promise<Record<string, unknown>[]> {
  const r = ok(await service.sql(tableId, query, { maxRows: 100_000 }));
  const t = arrow.tableFromIPC(r.ipc);
  const plain = (v: unknown): unknown => {
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [k, plain(x)]));
    if (v && typeof v === 'object' && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') return plain((v as { toJSON(): unknown }).toJSON());
    return v;
  };
  return t.toArray().map((row) => {
    const o: Record<string, unknown> = {};
    for (const f of t.schema.fields) o[f.name] = plain(row[f.name]);
    return o;
  });
}

/** A JSON value of the CLI as the explorer's text (the rule of the Files view's cells). */
function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

interface Opened {
  dir: string;
  table: OpenedTable;
  summary: SnapshotSummary;
}

const opened = new Map<string, Promise<Opened>>();
function open(name: string): Promise<Opened> {
  let p = opened.get(name);
  if (!p) {
    p = (async () => {
      const dir = join(FIXTURES, name);
      const table = ok(await service.openFiles(folderFiles(dir), name.split('/').pop()!)) as OpenedTable;
      expect(table.kind).toBe('table');
      const summary = ok(await service.snapshot(table.tableId, {}));
      return { dir, table, summary };
    })();
    opened.set(name, p);
  }
  return p;
}

describe.each(TABLES)('%s: one projection on every surface', (name) => {
  it('file rows: worker Files view = CLI files = "t$files" (paths, sizes, records, deleted rows, partition values, stats)', async () => {
    const { dir, table, summary } = await open(name);
    const first = ok(await service.filesQuery(table.tableId, summary.version, { offset: 0, limit: 1 }));
    const page = ok(await service.filesQuery(table.tableId, summary.version, { offset: 0, limit: 2000, statsColumns: first.availableColumns }));
    const cli = await cliJson('files', dir);
    const sql = await sqlRows(table.tableId, 'SELECT path, size_bytes, num_records, deleted_records, has_deletion_vector, partition_values, stats FROM "t$files"');

    expect(page.total).toBe(summary.totals.numFiles);
    expect(cli.numFiles).toBe(page.total);
    expect(sql.length).toBe(page.total);
    expect(page.rows.length).toBe(page.total);
    expect(cli.partitionColumns).toEqual(page.partitionColumns);

    const cliByPath = new Map<string, any>(cli.files.map((f: any) => [f.path, f]));
    const sqlByPath = new Map(sql.map((r) => [r.path as string, r]));
    for (const w of page.rows) {
      const c = cliByPath.get(w.path);
      const s = sqlByPath.get(w.path);
      expect(c, w.path).toBeDefined();
      expect(s, w.path).toBeDefined();
      expect([c.size, s!.size_bytes]).toEqual([w.size, w.size]);
      expect([c.numRecords, s!.num_records ?? null]).toEqual([w.numRecords, w.numRecords]);
      const deleted = w.dvCardinality ?? 0;
      expect([c.deletionVector?.cardinality ?? 0, s!.deleted_records]).toEqual([deleted, deleted]);
      expect([c.deletionVector !== null, s!.has_deletion_vector]).toEqual([w.dvCardinality !== null, w.dvCardinality !== null]);
      // Partition values: one text per value everywhere.
      const sqlValues = s!.partition_values as Record<string, string | null>;
      page.partitionColumns.forEach((col, k) => {
        expect(asText(c.partitionValues[col]), `${w.path} ${col}`).toBe(w.partitionValues[k]);
        expect(sqlValues[col] ?? null, `${w.path} ${col}`).toBe(w.partitionValues[k]);
      });
      // Statistics: the same columns, the same min/max/null counts.
      if (w.stats === null) {
        expect(c.stats).toBeNull();
        expect(s!.stats).toBeNull();
        continue;
      }
      expect(JSON.parse(s!.stats as string).numRecords ?? null).toBe(w.numRecords);
      page.statsColumns.forEach((col, k) => {
        const ws = w.stats![k];
        const cs = c.stats?.[col];
        if (ws.min === null && ws.max === null && ws.nullCount === null) {
          expect(cs === undefined || (cs.min === null && cs.max === null && cs.nullCount === null), `${w.path} ${col}`).toBe(true);
          return;
        }
        expect({ min: asText(cs.min), max: asText(cs.max), nullCount: cs.nullCount }, `${w.path} ${col}`).toEqual(ws);
      });
    }
  });

  it('schema: every column path and Delta type name of the worker summary = CLI schema', async () => {
    const { dir, summary } = await open(name);
    const cli = await cliJson('schema', dir);
    const cliTypes: [string, string][] = [];
    const walk = (nodes: any[], parent: string | null) => {
      for (const n of nodes) {
        const path = parent === null ? n.name : `${parent}.${n.name}`;
        cliTypes.push([path, n.type]);
        if (n.fields) walk(n.fields, path);
        for (const pseudo of ['element', 'key', 'value']) if (n[pseudo]) walk([n[pseudo]], path);
      }
    };
    walk(cli.fields, null);
    const cliByPath = new Map(cliTypes);
    expect(summary.schema.rows.length).toBeGreaterThan(0);
    for (const r of summary.schema.rows) expect(cliByPath.get(r.path), r.path).toBe(r.type);
    // Every field of the CLI tree is a row of the worker's (pseudo element/key/value nodes may not be).
    const rowPaths = new Set(summary.schema.rows.map((r) => r.path));
    for (const [path] of cliTypes) if (!/\.(element|key|value)$/.test(path)) expect(rowPaths.has(path), path).toBe(true);
    expect(cli.columnMappingMode).toBe(summary.schema.columnMappingMode);
    expect(cli.partitionColumns).toEqual(summary.schema.partitionColumns);
  });

  it('clustering and totals: worker summary = CLI info; partitions: worker = "t$partitions"', async () => {
    const { dir, table, summary } = await open(name);
    const info = await cliJson('info', dir);
    expect(info.clusteringColumns).toEqual(summary.schema.clustering.columns.map((c) => c.name));
    expect([info.numFiles, info.sizeInBytes]).toEqual([summary.totals.numFiles, summary.totals.sizeInBytes]);

    const parts = ok(await service.partitions(table.tableId, summary.version));
    const sql = await sqlRows(table.tableId, 'SELECT file_count, total_size_bytes, record_count, deleted_record_count FROM "t$partitions"');
    const tuple = (files: number, bytes: number, live: number | null, deleted: number) => JSON.stringify([files, bytes, live, deleted]);
    if (!parts.columns.length) {
      expect(sql).toEqual(summary.totals.numFiles ? [{ file_count: summary.totals.numFiles, total_size_bytes: summary.totals.sizeInBytes, record_count: sql[0]?.record_count ?? null, deleted_record_count: sql[0]?.deleted_record_count ?? 0 }] : []);
      return;
    }
    expect(parts.truncated).toBe(false);
    const worker = parts.rows.map((r) => tuple(r.numFiles, r.sizeInBytes, r.numRecords === null ? null : r.numRecords - r.numDeletedRecords, r.numDeletedRecords)).sort();
    const fromSql = sql.map((r) => tuple(r.file_count as number, r.total_size_bytes as number, (r.record_count as number | null) ?? null, r.deleted_record_count as number)).sort();
    expect(fromSql).toEqual(worker);
  });
});
