/** Chart data from result cells (`chart-data.ts`): sums per X and series, skipped rows, time X, the text alternative. */
import { describe, expect, it } from 'vitest';
import { buildChart, defaultSpec, MAX_SERIES, seriesKey } from './chart-data.ts';

const cols = [
  { name: 'day', type: 'DATE' },
  { name: 'kind', type: 'VARCHAR' },
  { name: 'n', type: 'BIGINT' },
];
const rows = [
  ['2024-01-02', 'a', '3'],
  ['2024-01-01', 'b', '5'],
  ['2024-01-01', 'a', '1'],
  ['2024-01-01', 'a', '2'],
  ['2024-01-03', 'b', null],
  [null, 'b', '7'],
];

describe('buildChart', () => {
  it('bar by a category: sums repeated X, keeps first-seen order, counts skipped rows', () => {
    const d = buildChart(cols, rows, { kind: 'bar', x: 1, y: 2, series: null });
    expect(d.xKind).toBe('category');
    expect(d.points.map((p) => [p.x, p[seriesKey(0)]])).toEqual([
      ['a', 6],
      ['b', 12],
    ]);
    expect(d.summed).toBe(true);
    expect(d.skipped).toBe(1);
    expect(d.summary).toContain('the sum of n by kind');
    expect(d.summary).toContain('n ranges from 6 (at kind a) to 12 (at kind b)');
    expect(d.summary).toContain('1 row skipped');
  });

  it('line over a DATE with a series column: time X sorted, one key per series', () => {
    const d = buildChart(cols, rows, { kind: 'line', x: 0, y: 2, series: 1 });
    expect(d.xKind).toBe('time');
    expect(d.series).toEqual(['a', 'b']);
    expect(d.points.map((p) => [new Date(p.x as number).toISOString().slice(0, 10), p[seriesKey(0)], p[seriesKey(1)]])).toEqual([
      ['2024-01-01', 3, 5],
      ['2024-01-02', 3, undefined],
    ]);
    expect(d.skipped).toBe(2); // NULL y, NULL date
    expect(d.summary).toContain('one series per kind (2)');
  });

  it('scatter keeps every row; more than MAX_SERIES series are skipped and counted', () => {
    const many = Array.from({ length: MAX_SERIES + 3 }, (_, i) => [String(i), `s${i}`, String(i * 2)]);
    const d = buildChart([{ name: 'x', type: 'INTEGER' }, { name: 's', type: 'VARCHAR' }, { name: 'y', type: 'DOUBLE' }], many, { kind: 'scatter', x: 0, y: 2, series: 1 });
    expect(d.scatter).toHaveLength(MAX_SERIES);
    expect(d.skipped).toBe(3);
    expect(d.summary).toContain(`${MAX_SERIES} points from ${MAX_SERIES + 3} rows`);
  });

  it('says when only the first rows of a larger result are charted', () => {
    const d = buildChart(cols, rows.slice(0, 2), { kind: 'bar', x: 1, y: 2, series: null }, 5000);
    expect(d.summary).toContain('(the first 2 of 5,000)');
  });
});

describe('defaultSpec', () => {
  it('X the first non-numeric column, Y the first numeric; none without numbers', () => {
    expect(defaultSpec(cols)).toEqual({ kind: 'line', x: 0, y: 2, series: null });
    expect(defaultSpec([{ name: 'a', type: 'VARCHAR' }])).toBeNull();
    expect(defaultSpec([{ name: 'a', type: 'INTEGER' }, { name: 'b', type: 'DOUBLE' }])).toEqual({ kind: 'scatter', x: 0, y: 1, series: null });
  });
});
