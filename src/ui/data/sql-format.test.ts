import { describe, expect, it } from 'vitest';
import { formatSql, sameTokens } from './sql-format.ts';

describe('formatSql (sql-formatter, DuckDB dialect)', () => {
  it('lays out a query with upper-case keywords and keeps the metadata table names intact', () => {
    const r = formatSql('select operation,count(*) from "t$history" where version>2 group by 1');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.text).toContain('"t$history"');
    expect(r.text).toMatch(/^SELECT\n/);
    expect(r.text).toMatch(/\nGROUP BY\n/);
    expect(r.text.split('\n').length).toBeGreaterThan(4);
  });

  it.each([
    'select * from "t@v3" except select * from t',
    'SELECT id FROM "t@2024-01-01T00:00:00Z" UNION ALL SELECT id FROM "t@v0$files"',
    "select s.a.b, x::varchar, list_transform([1,2], x -> x+1), {'a':1} as st from t where y ilike '%x%' -- note",
    'select * from table_changes(0, 3) qualify row_number() over (partition by id order by _commit_version desc)=1',
    'select * exclude (a) from t; select 1',
    `select 'it''s', "we""ird" from t`,
  ])('changes only layout and keyword case: %s', (q) => {
    const r = formatSql(q);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(sameTokens(q, r.text)).toBe(true);
    // Quoted identifiers and strings come out byte for byte.
    for (const lit of q.match(/"(?:[^"]|"")*"|'(?:[^']|'')*'/g) ?? []) expect(r.text).toContain(lit);
    // Formatting twice changes nothing more.
    const again = formatSql(r.text);
    expect(again.ok && again.text).toBe(r.text);
  });

  it('keeps a comment', () => {
    const r = formatSql('select 1 -- why\nfrom t');
    expect(r.ok && r.text).toContain('-- why');
  });

  it('leaves text it cannot read alone, with a reason', () => {
    const r = formatSql("select 'unterminated from t");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^Not formatted/);
    expect(formatSql('   ')).toEqual({ ok: false, reason: 'Nothing to format.' });
  });

  it('sameTokens tells a changed query from a re-laid one', () => {
    expect(sameTokens('select a from t', 'SELECT\n  a\nFROM\n  t')).toBe(true);
    expect(sameTokens('select "A" from t', 'select "a" from t')).toBe(false);
    expect(sameTokens("select 'x' from t", "select 'X' from t")).toBe(false);
    expect(sameTokens('select a from t', 'select a from t limit 1')).toBe(false);
  });
});
