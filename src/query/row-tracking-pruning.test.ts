/**
 * `"t$rows"` is pruned like `t` (partition values, statistics, LIMIT; `scan-plan.ts`) and pruning
 * never changes a surviving row's `_metadata`: each kept file's Row IDs are its own `baseRowId` +
 * physical row index (or the materialized value), whichever other files are read.
 *
 * Expected rows are Spark 4.0.1's own `_metadata.row_id` / `_metadata.row_commit_version`, recorded
 * beside the fixtures by scripts/fixtures/gen-row-tracking.py (nothing is written here by hand):
 * - `spark_row_tracking_dv`: deletion vectors, UPDATE, OPTIMIZE; statistics on `id` prune files.
 * - `spark_row_tracking_part`: partitioned by `p`, with a DELETE (DV) and an UPDATE; partition
 *   values prune files.
 * A reader that renumbered rows over the files it kept (e.g. Row IDs counted from the first kept
 * file) fails every pruned case below.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaError } from '../delta/errors.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { FIXTURES } from '../../test/fixtures.ts';
import { CountingStore, openSession, rows, testEngine } from '../../test/query-helpers.ts';
import type { QuerySession } from './session.ts';

afterAll(async () => (await testEngine()).close());

const DIR = join(FIXTURES, '..', 'tables-generated', 'row-tracking');

interface RefRow {
  id: number;
  p?: string;
  v: string;
  row_id: number;
  row_commit_version: number;
}
interface Reference {
  versions: Record<string, RefRow[]>;
}

function reference(table: string): Reference {
  return JSON.parse(readFileSync(join(DIR, `${table}.reference.json`), 'utf8')) as Reference;
}

/** The query's rows as reference rows (`cols`: the reference's data columns). */
async function query(s: QuerySession, sql: string, cols: string[]): Promise<RefRow[]> {
  return rows(await s.sql(sql)).map((r) => {
    const o: Record<string, unknown> = {};
    for (const c of cols) o[c] = c === 'id' ? Number(r[c]) : r[c];
    o.row_id = Number(r.row_id);
    o.row_commit_version = Number(r.row_commit_version);
    return o as unknown as RefRow;
  });
}

const META = '_metadata.row_id AS row_id, _metadata.row_commit_version AS row_commit_version';

/** For each version and predicate: pruned = unpruned = Spark's rows filtered; returns the files pruned in all. */
async function checkAll(table: string, cols: string[], predicates: { where: string; keep: (r: RefRow) => boolean }[]): Promise<{ pruned: number; checked: number }> {
  const ref = reference(table);
  const s = await openSession(join(DIR, table));
  let pruned = 0;
  let checked = 0;
  try {
    for (const [v, all] of Object.entries(ref.versions)) {
      for (const { where, keep } of predicates) {
        const expected = all.filter(keep);
        const got = await query(s, `SELECT ${cols.join(', ')}, ${META} FROM "t@v${v}$rows" WHERE ${where} ORDER BY id`, cols);
        const plan = s.lastPlans[0];
        expect(plan, `v${v} ${where}: a plan`).toBeDefined();
        const dropped = plan.pruning.byPartition + plan.pruning.byStats;
        expect(plan.files.length + dropped, `v${v} ${where}`).toBe(plan.pruning.totalFiles);
        pruned += dropped;
        expect(got, `v${v} WHERE ${where} (pruned ${dropped} of ${plan.pruning.totalFiles} files)`).toEqual(expected);
        // The same question not of the simple shape (a subquery): no pruning, same rows.
        const whole = await query(s, `SELECT * FROM (SELECT ${cols.join(', ')}, ${META} FROM "t@v${v}$rows") AS x WHERE ${where} ORDER BY id`, cols);
        expect(s.lastPlans[0].pruning.byPartition + s.lastPlans[0].pruning.byStats, 'the subquery form is not pruned').toBe(0);
        expect(whole, `v${v} WHERE ${where} unpruned`).toEqual(got);
        checked += expected.length;
      }
    }
  } finally {
    await s.close();
  }
  return { pruned, checked };
}

describe('"t$rows" pruned by statistics (spark_row_tracking_dv)', () => {
  it('every version, several predicates on id: equal to Spark with and without pruning', async () => {
    const { pruned, checked } = await checkAll('spark_row_tracking_dv', ['id', 'v'], [
      { where: 'id >= 10', keep: (r) => r.id >= 10 },
      { where: 'id < 5', keep: (r) => r.id < 5 },
      { where: 'id = 13', keep: (r) => r.id === 13 },
      { where: 'id BETWEEN 5 AND 9', keep: (r) => r.id >= 5 && r.id <= 9 },
      { where: 'id = 100', keep: (r) => r.id === 100 },
    ]);
    expect(pruned).toBeGreaterThan(10);
    expect(checked).toBeGreaterThan(50);
  });

  it('a WHERE on a statistics column reads fewer files; LIMIT reads fewer files; the rows keep Spark\'s ids', async () => {
    const ref = reference('spark_row_tracking_dv');
    const latest = Math.max(...Object.keys(ref.versions).map(Number));
    const store = new CountingStore(new NodeFsStore(join(DIR, 'spark_row_tracking_dv')));
    const s = await openSession(join(DIR, 'spark_row_tracking_dv'), { store });
    try {
      const got = await query(s, `SELECT id, v, ${META} FROM "t$rows" WHERE id = 100`, ['id', 'v']);
      const plan = s.lastPlans[0];
      expect(plan.pruning.byStats).toBeGreaterThan(0);
      expect(new Set(store.dataGets).size).toBe(plan.files.length);
      expect(plan.files.length).toBeLessThan(plan.pruning.totalFiles);
      expect(got).toEqual(ref.versions[latest].filter((r) => r.id === 100));

      const s2 = await openSession(join(DIR, 'spark_row_tracking_dv'), { store });
      store.reset();
      try {
        // LIMIT prunes a plain select list only (`*` includes _metadata).
        const some = rows(await s2.sql('SELECT * FROM "t@v4$rows" LIMIT 3')).map((r) => {
          const m = r._metadata as Record<string, unknown>;
          return { id: Number(r.id), v: r.v, row_id: Number(m.row_id), row_commit_version: Number(m.row_commit_version) };
        });
        const p = s2.lastPlans[0];
        expect(p.pruning.byLimit).toBeGreaterThan(0);
        expect(new Set(store.dataGets).size).toBe(p.files.length);
        expect(some).toHaveLength(3);
        const byId = new Map(ref.versions['4'].map((r) => [r.id, r]));
        for (const r of some) expect(r).toEqual(byId.get(r.id));
      } finally {
        await s2.close();
      }
    } finally {
      await s.close();
    }
  });
});

describe('"t$rows" pruned by partition values (spark_row_tracking_part)', () => {
  it('every version: WHERE on the partition column equals Spark with and without pruning', async () => {
    const { pruned, checked } = await checkAll('spark_row_tracking_part', ['id', 'p', 'v'], [
      { where: "p = 'b'", keep: (r) => r.p === 'b' },
      { where: "p IN ('a', 'c')", keep: (r) => r.p === 'a' || r.p === 'c' },
      { where: "p = 'c' AND id > 20", keep: (r) => r.p === 'c' && r.id > 20 },
    ]);
    expect(pruned).toBeGreaterThan(5);
    expect(checked).toBeGreaterThan(20);
  });

  it('a WHERE on the partition column reads only that partition\'s files', async () => {
    const store = new CountingStore(new NodeFsStore(join(DIR, 'spark_row_tracking_part')));
    const s = await openSession(join(DIR, 'spark_row_tracking_part'), { store });
    try {
      await s.sql(`SELECT id, ${META} FROM "t$rows" WHERE p = 'b'`);
      const plan = s.lastPlans[0];
      expect(plan.pruning.byPartition).toBeGreaterThan(0);
      expect(plan.files.every((f) => f.partitionValues.p === 'b')).toBe(true);
      expect(new Set(store.dataGets).size).toBe(plan.files.length);
    } finally {
      await s.close();
    }
  });
});

describe('"t$rows" keeps the count invariant of t', () => {
  it('a SELECT * FROM "t$rows" whose file holds fewer rows than the log says is DATA_INTEGRITY naming it, not a short result', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dx-rows-count-')), 't');
    cpSync(join(DIR, 'spark_row_tracking_part'), dir, { recursive: true });
    const f = join(dir, '_delta_log', '00000000000000000001.json');
    const before = readFileSync(f, 'utf8');
    const after = before.replace(/\\"numRecords\\":(\d+)/, (_m, n: string) => `\\"numRecords\\":${Number(n) + 1}`);
    expect(after).not.toBe(before);
    writeFileSync(f, after);
    rmSync(join(dir, '_delta_log', '00000000000000000001.crc'), { force: true });
    const s = await openSession(dir);
    try {
      const e = await s.sql('SELECT * FROM "t@v1$rows"').catch((x) => x);
      expect(e).toBeInstanceOf(DeltaError);
      expect(e.code).toBe('DATA_INTEGRITY');
      // The registry's footer check (rows in the file vs numRecords) names the file first.
      expect(e.message).toMatch(/p=a\/part-.*\.parquet/);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
