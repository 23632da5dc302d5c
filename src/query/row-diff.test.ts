/**
 * Row-level diff (`row-diff.ts`) on a real deletion-vector + Change Data Feed table
 * (`cdf-table-with-cdc-and-dvs-kernel`, delta-kernel-rs), real DuckDB-WASM (Node engine).
 *
 * Expected rows are worked out outside the diff: (1) from delta-kernel-rs's transcribed change
 * feed (`CDC_AND_DVS`): the net effect of the commits between the versions; (2) from two
 * independent reads of the snapshots (`QuerySession.scan`), diffed here in JS by `id`.
 */
import type * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { thrown } from '../../test/fixtures.ts';
import { CDC_AND_DVS } from '../../test/expected/kernel-cdf.ts';
import { openSession, testEngine } from '../../test/query-helpers.ts';
import { expectedDiff, parseFeed } from '../../test/row-diff-expected.ts';
import { rowDiff } from './row-diff.ts';
import type { QuerySession } from './session.ts';

const TABLE = 'cdf-table-with-cdc-and-dvs-kernel';

afterAll(async () => (await testEngine()).close());

const FEED = parseFeed(CDC_AND_DVS);
const expectedFromFeed = (va: number, vb: number) => expectedDiff(FEED, va, vb);

/** Rows of a snapshot read by a plain scan: id → comment. */
async function read(s: QuerySession, version: number): Promise<Map<number, string | null>> {
  const t = await s.scan({ version });
  const out = new Map<number, string | null>();
  for (const r of t) out.set(Number(r!.id), (r!.comment as string | null) ?? null);
  return out;
}

function idsOf(t: arrow.Table, diff: string, side?: string): number[] {
  const out: number[] = [];
  for (const r of t) if (r!._diff === diff && (side === undefined || r!._side === side)) out.push(Number(r!.id));
  return out.sort((x, y) => x - y);
}

describe('rowDiff on a DV + CDF table', () => {
  for (const [va, vb] of [
    [8, 18],
    [0, 25],
    [18, 8],
    [9, 12],
    [20, 22],
  ] as const) {
    it(`by key id, ${va} → ${vb}: equals the kernel feed's net effect and two independent reads`, async () => {
      const s = await openSession(TABLE);
      try {
        const d = await rowDiff({ session: s, version: va }, { session: s, version: vb }, { key: ['id'] });
        const exp = expectedFromFeed(va, vb);
        expect(idsOf(d.rows, 'added')).toEqual(exp.added);
        expect(idsOf(d.rows, 'removed')).toEqual(exp.removed);
        expect(idsOf(d.rows, 'changed', 'A')).toEqual(exp.changed);
        expect(idsOf(d.rows, 'changed', 'B')).toEqual(exp.changed);
        expect(d.counts).toMatchObject({ added: exp.added.length, removed: exp.removed.length, changed: exp.changed.length });
        // Independent reads, diffed here.
        const A = await read(s, va);
        const B = await read(s, vb);
        expect(d.counts.rowsA).toBe(A.size);
        expect(d.counts.rowsB).toBe(B.size);
        expect(idsOf(d.rows, 'added')).toEqual([...B.keys()].filter((k) => !A.has(k)).sort((x, y) => x - y));
        expect(idsOf(d.rows, 'removed')).toEqual([...A.keys()].filter((k) => !B.has(k)).sort((x, y) => x - y));
        expect(idsOf(d.rows, 'changed', 'A')).toEqual([...A.keys()].filter((k) => B.has(k) && B.get(k) !== A.get(k)).sort((x, y) => x - y));
        expect(d.counts.unchanged).toBe([...A.keys()].filter((k) => B.has(k) && B.get(k) === A.get(k)).length);
        // Each changed pair shows A's then B's values, naming the differing column.
        for (const r of d.rows) {
          const id = Number(r!.id);
          if (r!._diff === 'changed') {
            expect(r!.comment ?? null).toBe((r!._side === 'A' ? A : B).get(id));
            expect(r!._changed_columns).toBe('comment');
          }
        }
        expect(d.checks.some((c) => c.startsWith('Agrees with the Change Data Feed'))).toBe(true);
        expect(d.checks.filter((c) => c.includes('as the log says'))).toHaveLength(2);
      } finally {
        await s.close();
      }
    });
  }

  it('whole rows, 8 → 18: multiset difference equals the feed (an update is one removed and one added row)', async () => {
    const s = await openSession(TABLE);
    try {
      const d = await rowDiff({ session: s, version: 8 }, { session: s, version: 18 });
      expect(d.key).toBeNull();
      const exp = expectedFromFeed(8, 18);
      expect(d.counts.changed).toBe(0);
      expect(d.counts.added).toBe(exp.added.length + exp.changed.length);
      expect(d.counts.removed).toBe(exp.removed.length + exp.changed.length);
      expect(d.counts.rowsB - d.counts.rowsA).toBe(d.counts.added - d.counts.removed);
      expect(idsOf(d.rows, 'added')).toEqual([...exp.added, ...exp.changed].sort((x, y) => x - y));
      expect(d.checks.some((c) => c.startsWith('Agrees with the Change Data Feed'))).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('two sessions (the same table opened twice, as two lakeFS refs are): same answer, no feed check', async () => {
    const s1 = await openSession(TABLE);
    const s2 = await openSession(TABLE);
    try {
      const d = await rowDiff({ session: s1, version: 9 }, { session: s2, version: 24 }, { key: ['id'] });
      const exp = expectedFromFeed(9, 24);
      expect(idsOf(d.rows, 'added')).toEqual(exp.added);
      expect(idsOf(d.rows, 'removed')).toEqual(exp.removed);
      expect(idsOf(d.rows, 'changed', 'B')).toEqual(exp.changed);
      expect(d.checks.some((c) => c.includes('Change Data Feed'))).toBe(false);
      // The copy of side B is dropped afterwards.
      const left = await s2.sql(`SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = '${s2.schemaName}' AND table_name LIKE '__dx_rowdiff_%'`);
      expect(Number(left.get(0)!.n)).toBe(0);
    } finally {
      await s1.close();
      await s2.close();
    }
  });

  it('a key that is not unique is refused (INVALID_ARGUMENT), a missing key column too', async () => {
    const s = await openSession(TABLE);
    try {
      const e = await thrown(rowDiff({ session: s, version: 8 }, { session: s, version: 18 }, { key: ['comment'] }));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toMatch(/not unique in version (8|18)/);
      const m = await thrown(rowDiff({ session: s, version: 8 }, { session: s, version: 18 }, { key: ['nope'] }));
      expect(m.code).toBe('INVALID_ARGUMENT');
    } finally {
      await s.close();
    }
  });

  it('the diff of a version with itself is empty', async () => {
    const s = await openSession(TABLE);
    try {
      const d = await rowDiff({ session: s, version: 12 }, { session: s, version: 12 }, { key: ['id'] });
      expect(d.rows.numRows).toBe(0);
      expect(d.counts.unchanged).toBe(d.counts.rowsA);
    } finally {
      await s.close();
    }
  });
});
