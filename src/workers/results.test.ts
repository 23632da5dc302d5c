import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../query/engine.ts';
import { HeldResults } from './results.ts';

// Real DuckDB results (not hand-built Arrow): several record batches, NULLs, numbers, text, times.
describe('HeldResults', async () => {
  const engine = await createNodeEngine();
  const table: arrow.Table = await engine.query(
    `SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name-' || (i % 13) END AS name, (i * 1.5)::DECIMAL(10,2) AS price,
            TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE AS at
     FROM range(0, 5000) r(i) ORDER BY i DESC`,
  );

  it('pages the whole result in order', () => {
    const held = new HeldResults();
    const id = held.hold(table);
    const last = held.page(id, { offset: 4990, limit: 100 });
    expect(last.numRows).toBe(5000);
    expect(last.rows).toHaveLength(10);
    expect(last.rows.at(-1)![0]).toBe('0');
    expect(last.rows.at(-1)![1]).toBeNull();
    expect(held.page(id, { offset: 0, limit: 1 }).rows[0]).toEqual(['4999', 'name-7', '7498.50', '2024-01-04T11:19:00']);
  });

  it('sorts numbers as numbers, NULLs last, and filters', () => {
    const held = new HeldResults();
    const id = held.hold(table);
    const asc = held.page(id, { offset: 0, limit: 3, sort: [{ column: 2 }] });
    expect(asc.rows.map((r) => r[0])).toEqual(['0', '1', '2']);
    const byName = held.page(id, { offset: 0, limit: 5000, sort: [{ column: 1, desc: true }, { column: 0 }] });
    expect(byName.rows[0][1]).toBe('name-9');
    expect(byName.rows.at(-1)![1]).toBeNull(); // NULLs last even descending
    const f = held.page(id, { offset: 0, limit: 5000, filters: [{ column: 1, text: '=name-3' }] });
    const expected = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 7 !== 0 && i % 13 === 3).length;
    expect(f.numRows).toBe(expected);
    expect(held.page(id, { offset: 0, limit: 1, filters: [{ column: 0, text: '>=4998' }] }).numRows).toBe(2);
    expect(held.page(id, { offset: 0, limit: 1, filters: [{ column: 1, text: 'null' }] }).numRows).toBe(Math.ceil(5000 / 7));
  });

  it('profiles a column and copies it', () => {
    const held = new HeldResults();
    const id = held.hold(table);
    const p = held.profile(id, 1);
    expect(p.nulls).toBe(Math.ceil(5000 / 7));
    expect(p.distinct).toBe(13);
    expect(p.min).toBe('name-0');
    expect(p.max).toBe('name-9');
    const n = held.profile(id, 0);
    expect(n.min).toBe('0');
    expect(n.max).toBe('4999');
    expect(n.histogram!.reduce((s, b) => s + b.count, 0)).toBe(5000);
    const c = held.columnText(id, 0, { sort: [{ column: 0 }] });
    expect(c.text.split('\n').slice(0, 3)).toEqual(['0', '1', '2']);
    expect(c.values).toBe(5000);
  });

  it('forgets the oldest results beyond its cap', () => {
    const held = new HeldResults();
    const first = held.hold(table);
    for (let i = 0; i < 4; i++) held.hold(table);
    expect(() => held.page(first, { offset: 0, limit: 1 })).toThrow(/no longer held/);
  });
});
