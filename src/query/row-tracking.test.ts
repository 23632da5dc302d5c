/**
 * Row tracking in SQL (`"t$rows"`, PROTOCOL.md "Row Tracking"): `_metadata.row_id` and
 * `_metadata.row_commit_version` on tables written by Spark 4.0.1 + Delta 4.0.0.
 *
 * - `spark_row_tracking` (peers/gen/tables.py, committed under tables-generated/peers): two
 *   appends, an UPDATE (copy-on-write: the rewritten file keeps Row IDs in the materialized column,
 *   its Row Commit Version column is NULL for the updated rows) and a DELETE that rewrites a file
 *   (materialized Row IDs 13, 14 where the new file's baseRowId is 20). Expectations derived by
 *   hand from the protocol and the files' contents (listed next to each case).
 * - `spark_row_tracking_dv` (scripts/fixtures/gen-row-tracking.py): deletion vectors, so the
 *   default generated Row ID counts the rows a DV removed; compared with Spark's own
 *   `_metadata.row_id` / `_metadata.row_commit_version` for every version.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaError } from '../delta/errors.ts';
import { FIXTURES } from '../../test/fixtures.ts';
import { openSession, rows, testEngine } from '../../test/query-helpers.ts';

afterAll(async () => (await testEngine()).close());

const GENERATED = join(FIXTURES, '..', 'tables-generated');
const SQL = 'SELECT id, _metadata.row_id AS row_id, _metadata.row_commit_version AS rcv FROM "t$rows" ORDER BY id';
const triples = (t: Parameters<typeof rows>[0]) => rows(t).map((r) => [Number(r.id), Number(r.row_id), Number(r.rcv)]);

describe('"t$rows" on spark_row_tracking', () => {
  it('latest version: materialized Row IDs win over baseRowId + row index; NULL materialized values fall back', async () => {
    const s = await openSession(join(GENERATED, 'peers/spark_row_tracking'));
    try {
      expect(triples(await s.sql(SQL))).toEqual([
        // v3 UPDATE's file (baseRowId 15, defaultRowCommitVersion 3): materialized ids 0..4;
        // commit versions NULL for the updated ids 0..2 (→ 3), materialized 1 for the copied 3, 4.
        [0, 0, 3], [1, 1, 3], [2, 2, 3], [3, 3, 1], [4, 4, 1],
        // v1's second file: no materialized columns: baseRowId 5 + index, defaultRowCommitVersion 1.
        [5, 5, 1], [6, 6, 1], [7, 7, 1], [8, 8, 1], [9, 9, 1],
        // v2's first file: baseRowId 10.
        [10, 10, 2], [11, 11, 2],
        // v4 DELETE's rewrite (baseRowId 20): materialized 13, 14 and commit version 2.
        [13, 13, 2], [14, 14, 2],
      ]);
      // row_index is the physical position in the file.
      const idx = rows(await s.sql('SELECT id, _metadata.row_index AS i FROM "t$rows" WHERE id IN (9, 14)  ORDER BY id'));
      expect(idx.map((r) => Number(r.i))).toEqual([4, 1]);
      // The plain view t is unchanged (no _metadata column).
      expect((await s.sql('SELECT * FROM t LIMIT 1')).schema.fields.map((f) => f.name)).toEqual(['id', 'v']);
    } finally {
      await s.close();
    }
  });

  it('time travel: "t@v2$rows" has default generated ids only', async () => {
    const s = await openSession(join(GENERATED, 'peers/spark_row_tracking'));
    try {
      const t = await s.sql('SELECT id, _metadata.row_id AS row_id, _metadata.row_commit_version AS rcv FROM "t@v2$rows" ORDER BY id');
      expect(triples(t)).toEqual([...Array(15).keys()].map((i) => [i, i, i < 10 ? 1 : 2]));
      // Row IDs are unique within a version.
      const dup = await s.sql('SELECT count(*) - count(DISTINCT _metadata.row_id) AS d FROM "t@v2$rows"');
      expect(Number(rows(dup)[0].d)).toBe(0);
      // An empty version still has the column.
      const v0 = await s.sql('SELECT * FROM "t@v0$rows"');
      expect(v0.numRows).toBe(0);
      expect(v0.schema.fields.map((f) => f.name)).toEqual(['id', 'v', '_metadata']);
    } finally {
      await s.close();
    }
  });
});

describe('"t$rows" against Spark', () => {
  const dir = join(GENERATED, 'row-tracking');
  it('spark_row_tracking_dv: every version equals Spark _metadata.row_id / row_commit_version (deletion vectors, UPDATE, OPTIMIZE)', async () => {
    const ref = JSON.parse(readFileSync(join(dir, 'spark_row_tracking_dv.reference.json'), 'utf8')) as {
      versions: Record<string, { id: number; v: string; row_id: number; row_commit_version: number }[]>;
    };
    const s = await openSession(join(dir, 'spark_row_tracking_dv'));
    try {
      let checked = 0;
      for (const [v, expected] of Object.entries(ref.versions)) {
        const t = await s.sql(`SELECT id, v, _metadata.row_id AS row_id, _metadata.row_commit_version AS row_commit_version FROM "t@v${v}$rows" ORDER BY id`);
        const got = rows(t).map((r) => ({ id: Number(r.id), v: r.v, row_id: Number(r.row_id), row_commit_version: Number(r.row_commit_version) }));
        expect(got, `version ${v}`).toEqual(expected);
        checked += expected.length;
      }
      expect(checked).toBeGreaterThan(50);
    } finally {
      await s.close();
    }
  });
});

describe('"t$rows" refused where row IDs cannot be relied upon', () => {
  it('no rowTracking feature: QUERY_ERROR naming the feature', async () => {
    const s = await openSession('simple_table');
    try {
      const e = await s.sql('SELECT * FROM "t$rows"').catch((x) => x);
      expect(e).toBeInstanceOf(DeltaError);
      expect(e.code).toBe('QUERY_ERROR');
      expect(e.message).toMatch(/no row tracking.*rowTracking/);
    } finally {
      await s.close();
    }
  });

  /** A copy of spark_row_tracking with `edit` applied to commit `version`'s text. */
  function edited(version: number, edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'dx-row-tracking-'));
    cpSync(join(GENERATED, 'peers/spark_row_tracking'), dir, { recursive: true });
    const f = join(dir, '_delta_log', `${String(version).padStart(20, '0')}.json`);
    const before = readFileSync(f, 'utf8');
    const after = edit(before);
    expect(after).not.toBe(before);
    writeFileSync(f, after);
    rmSync(join(dir, '_delta_log', `${String(version).padStart(20, '0')}.crc`), { force: true });
    return dir;
  }

  it('rowTracking supported but delta.enableRowTracking not set: refused, t still reads', async () => {
    const dir = edited(0, (t) => t.replace('"configuration":{"delta.enableRowTracking":"true",', '"configuration":{'));
    const s = await openSession(dir);
    try {
      const e = await s.sql('SELECT * FROM "t$rows"').catch((x) => x);
      expect(e).toBeInstanceOf(DeltaError);
      expect(e.code).toBe('QUERY_ERROR');
      expect(e.message).toMatch(/supported but not enabled.*delta\.enableRowTracking is not set/);
      expect(Number(rows(await s.sql('SELECT count(*) AS n FROM t'))[0].n)).toBe(14);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an active file without baseRowId: DATA_INTEGRITY naming it, not made-up ids', async () => {
    const dir = edited(1, (t) => t.replace('"baseRowId":5,', ''));
    const s = await openSession(dir);
    try {
      const e = await s.sql('SELECT _metadata.row_id FROM "t$rows"').catch((x) => x);
      expect(e).toBeInstanceOf(DeltaError);
      expect(e.code).toBe('DATA_INTEGRITY');
      expect(e.message).toContain('part-00001-e97ba395-c1fe-45d6-aa53-ad3030673e34-c000.snappy.parquet');
      expect(e.message).toMatch(/no baseRowId/);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
