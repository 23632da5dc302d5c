/** The SQL text readings that drive pruning: conjuncts, simple comparisons, the simple query shape. */
import { describe, expect, it } from 'vitest';
import { analyzeCountStar, analyzeSimpleQuery, parseSimpleComparison, splitConjuncts, tokenize } from './sql-text.ts';

describe('tokenize', () => {
  it('handles quotes, escapes and comments', () => {
    const t = tokenize(`SELECT "a""b", 'it''s' -- c\n/* x */ FROM t`);
    expect(t.map((x) => [x.kind, x.value])).toEqual([
      ['ident', 'SELECT'],
      ['qident', 'a"b'],
      ['punct', ','],
      ['string', "it's"],
      ['ident', 'FROM'],
      ['ident', 't'],
    ]);
  });
});

describe('splitConjuncts', () => {
  it('splits top-level ANDs only', () => {
    expect(splitConjuncts(`a = 1 AND (b = 2 OR c = 3) AND d BETWEEN 1 AND 5 AND s = 'x AND y'`)).toEqual([
      'a = 1',
      '(b = 2 OR c = 3)',
      'd BETWEEN 1 AND 5',
      "s = 'x AND y'",
    ]);
    expect(splitConjuncts('CASE WHEN a AND b THEN 1 END = 1 and c')).toEqual(['CASE WHEN a AND b THEN 1 END = 1', 'c']);
    expect(splitConjuncts('  ')).toEqual([]);
  });
});

describe('parseSimpleComparison', () => {
  it('recognises column/literal comparisons', () => {
    expect(parseSimpleComparison('x >= 5')).toEqual({ column: 'x', op: '>=', literals: ['5'] });
    expect(parseSimpleComparison('5 < x')).toEqual({ column: 'x', op: '>', literals: ['5'] });
    expect(parseSimpleComparison(`"My Col" = 'a''b'`)).toEqual({ column: 'My Col', op: '=', literals: [`'a''b'`] });
    expect(parseSimpleComparison('(x != -2.5e3)')).toEqual({ column: 'x', op: '<>', literals: ['-2.5e3'] });
    expect(parseSimpleComparison("d = DATE '2021-01-01'")).toEqual({ column: 'd', op: '=', literals: ["DATE '2021-01-01'"] });
    expect(parseSimpleComparison('x IS NULL')).toEqual({ column: 'x', op: 'IS NULL', literals: [] });
    expect(parseSimpleComparison('x is not null')).toEqual({ column: 'x', op: 'IS NOT NULL', literals: [] });
    expect(parseSimpleComparison("x IN (1, 'b', TRUE)")).toEqual({ column: 'x', op: 'IN', literals: ['1', "'b'", 'TRUE'] });
    expect(parseSimpleComparison('x BETWEEN 1 AND 3')).toEqual({ column: 'x', op: 'BETWEEN', literals: ['1', '3'] });
  });

  it('refuses anything else', () => {
    for (const s of ['x + 1 > 2', 'lower(x) = 1', 't.x = 1', 'x = y', 'x NOT IN (1)', 'x > 1 OR y < 2', 'x LIKE 1', 'NOT x = 1']) {
      expect(parseSimpleComparison(s), s).toBeUndefined();
    }
  });
});

describe('analyzeSimpleQuery', () => {
  it('reads where and limit of the simple shape', () => {
    expect(analyzeSimpleQuery('SELECT * FROM t')).toMatchObject({ table: 't', where: undefined, limit: undefined, plainRows: true });
    expect(analyzeSimpleQuery("SELECT a, \"b\" FROM t WHERE a = 1 AND b > 'x' LIMIT 10;")).toMatchObject({ table: 't', where: "a = 1 AND b > 'x'", limit: 10, plainRows: true });
    expect(analyzeSimpleQuery('select * from "t@v3" x where a > 1 limit 5')).toMatchObject({ table: 't@v3', where: 'a > 1', limit: 5 });
  });

  it('keeps the predicate but drops the limit when rows are not the first n', () => {
    expect(analyzeSimpleQuery('SELECT count(*) FROM t WHERE a = 1 LIMIT 5')).toMatchObject({ table: 't', where: 'a = 1', limit: undefined, plainRows: false });
    expect(analyzeSimpleQuery('SELECT a FROM t WHERE a = 1 ORDER BY a LIMIT 5')).toMatchObject({ table: 't', where: 'a = 1', limit: undefined, plainRows: true, anyLimit: 5 });
    expect(analyzeSimpleQuery('SELECT a FROM t GROUP BY a')?.plainRows).toBe(false);
    expect(analyzeSimpleQuery('SELECT DISTINCT a FROM t')?.plainRows).toBe(false);
    expect(analyzeSimpleQuery('SELECT DISTINCT a FROM t LIMIT 5')?.limit).toBeUndefined();
    expect(analyzeSimpleQuery('SELECT a FROM t GROUP BY a LIMIT 5')?.limit).toBeUndefined();
  });

  it('refuses joins, subqueries, set operations and several tables', () => {
    for (const q of [
      'SELECT * FROM t JOIN u ON t.a = u.a',
      'SELECT * FROM t, u',
      'SELECT * FROM t WHERE a IN (SELECT a FROM t)',
      'SELECT * FROM t UNION ALL SELECT * FROM t',
      'WITH x AS (SELECT * FROM t) SELECT * FROM x',
      'SELECT 1',
      'SELECT * FROM read_parquet(\'x\')',
    ]) {
      expect(analyzeSimpleQuery(q), q).toBeUndefined();
    }
  });
});

describe('analyzeCountStar', () => {
  it('reads a bare count(*) of one table, with DuckDB\'s column name or the alias', () => {
    expect(analyzeCountStar('SELECT count(*) FROM t')).toEqual({ table: 't', column: 'count_star()' });
    expect(analyzeCountStar('select COUNT( * ) as n from "t@v3";')).toEqual({ table: 't@v3', column: 'n' });
    expect(analyzeCountStar('SELECT count(*) "Rows" FROM t AS x -- note')).toEqual({ table: 't', column: 'Rows' });
    expect(analyzeCountStar('/* c */ SELECT count(*) AS N FROM t x')).toEqual({ table: 't', column: 'N' });
  });
  it('refuses anything else', () => {
    for (const q of [
      'SELECT count(*) FROM t WHERE a = 1',
      'SELECT count(1) FROM t',
      'SELECT count(a) FROM t',
      'SELECT count(DISTINCT a) FROM t',
      'SELECT count(*), 1 FROM t',
      'SELECT count(*) FROM t, u',
      'SELECT count(*) FROM t JOIN u ON true',
      'SELECT count(*) FROM t LIMIT 1',
      'SELECT count(*) FROM t GROUP BY a',
      'SELECT count(*) FROM s.t',
      'SELECT count(*) AS FROM t',
      'SELECT count(*) FROM t AS',
      'SELECT "count"(*) FROM t',
      'SELECT count(*) FROM (SELECT 1)',
      'SELECT count(*) FROM t; SELECT 1',
      'SELECT count(*) FROM t UNION ALL SELECT 1',
    ]) {
      expect(analyzeCountStar(q), q).toBeUndefined();
    }
  });
});
