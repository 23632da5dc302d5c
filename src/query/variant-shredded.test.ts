/**
 * Shredded variants (Delta protocol "Variant Shredding"; Parquet VariantShredding.md) read into the
 * same logical values as unshredded ones.
 *
 * Tables: test/fixtures/tables-generated/shredded-variant and its twin shredded-variant-twin were
 * BUILT BY HAND FROM THE SPECS (test/gen/shredded-variant.py, pyarrow) because no writer on this
 * machine produces shredded files: the same nine rows, once with `typed_value` columns (fully and
 * partially shredded objects, a shredded list, typed int64/string/decimal/date/timestamp fields, a
 * field holding a value of another type, missing fields) and once as plain `value` + `metadata`.
 * Expected JSON is written by hand from the generator's row comments, not from the code under test.
 * The corpus's spark-shredded-variant-preview-delta (Spark 4.0 + Delta 3.4 snapshot) carries the
 * `variantShredding-preview` feature with unshredded files; it must read too.
 */
import * as arrow from 'apache-arrow';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeltaError } from '../delta/errors.ts';
import { openSession } from '../../test/query-helpers.ts';
import { decodeVariantColumns, isShreddedVariantStruct } from './variant.ts';

const GENERATED = join(import.meta.dirname, '../../test/fixtures/tables-generated');

const EXPECTED: { id: number; n: string | null; v: string | null }[] = [
  { id: 0, n: '34', v: '{"a":1,"b":"x","d":12.30,"day":"2024-10-24","tags":["p","q"],"ts":"2024-10-24 18:21:54.937123+00:00"}' },
  { id: 1, n: 'null', v: '{"a":2,"b":"y","c":true}' },
  { id: 2, n: '"n/a"', v: '"not an object"' },
  { id: 3, n: '100', v: '{"a":null,"b":"z"}' },
  { id: 4, n: '7', v: '{"a":"str","tags":["r",null,5]}' },
  { id: 5, n: null, v: null },
  { id: 6, n: '-1', v: '{}' },
  { id: 7, n: '"x"', v: '42' },
  { id: 8, n: '9007199254740993', v: 'null' },
];

async function rows(dir: string, sql = 'SELECT id, n, v FROM t ORDER BY id') {
  const s = await openSession(dir);
  try {
    const res = await s.sql(sql);
    return res.toArray().map((r) => ({ id: Number(r.id), n: r.n as string | null, v: r.v as string | null }));
  } finally {
    await s.close();
  }
}

describe('shredded variant columns', () => {
  it('reconstructs every shredded shape into the unshredded text', async () => {
    const shredded = await rows(join(GENERATED, 'shredded-variant'));
    expect(shredded).toEqual(EXPECTED);
    expect(await rows(join(GENERATED, 'shredded-variant-twin'))).toEqual(EXPECTED);
  });

  it('works under a filter and a projection of one shredded column', async () => {
    expect(await rows(join(GENERATED, 'shredded-variant'), 'SELECT id, NULL AS n, v FROM t WHERE id IN (1, 4)')).toEqual([
      { id: 1, n: null, v: EXPECTED[1].v },
      { id: 4, n: null, v: EXPECTED[4].v },
    ]);
  });

  it('reads the corpus table that carries variantShredding-preview', async () => {
    // delta-rs python/tests/test_table_read.py reads the same rows from spark-variant-checkpoint:
    // v = parse_json('{"key": id}') for ids 0..99 plus 0 and 1 again (102 rows, MANIFEST).
    const s = await openSession('spark-shredded-variant-preview-delta');
    try {
      const res = await s.sql('SELECT id, v FROM t');
      expect(res.numRows).toBe(102);
      for (const r of res.toArray()) expect(r.v).toBe(`{"key":${r.id}}`);
    } finally {
      await s.close();
    }
  });

  it('a table mixing shredded and unshredded files for one column reads every file with its own layout', async () => {
    // The two generated files under one log: `n` and `v` are shredded in one file and plain in the
    // other, so the scan's two read_parquet branches have different struct types; the layout union
    // (variant-layouts.ts) gives both one type and each row is rebuilt from its own layout.
    const dir = join(mkdtempSync(join(tmpdir(), 'dx-mixed-variant-')), 'mixed');
    cpSync(join(GENERATED, 'shredded-variant'), dir, { recursive: true });
    const twin = join(GENERATED, 'shredded-variant-twin');
    const file = readdirSync(twin).find((f) => f.endsWith('.parquet'))!;
    copyFileSync(join(twin, file), join(dir, 'part-00001-twin.snappy.parquet'));
    const size = statSync(join(dir, 'part-00001-twin.snappy.parquet')).size;
    writeFileSync(
      join(dir, '_delta_log', '00000000000000000001.json'),
      JSON.stringify({ commitInfo: { timestamp: 1764720001000, operation: 'WRITE' } }) + '\n' +
        JSON.stringify({ add: { path: 'part-00001-twin.snappy.parquet', partitionValues: {}, size, modificationTime: 1764720001000, dataChange: true, stats: '{"numRecords":9}' } }) + '\n',
    );
    expect(await rows(dir, 'SELECT id, n, v FROM t ORDER BY id, v')).toEqual(EXPECTED.flatMap((r) => [r, r]));
    // Under a filter and with one column only, too.
    expect(await rows(dir, 'SELECT id, NULL AS n, v FROM t WHERE id = 4')).toEqual([{ id: 4, n: null, v: EXPECTED[4].v }, { id: 4, n: null, v: EXPECTED[4].v }]);
    // The Change Data Feed reader too: with CDF on from version 0, table_changes(0, 1) reads the
    // shredded file (v0) and the unshredded one (v1) as inserts.
    const log0 = join(dir, '_delta_log', '00000000000000000000.json');
    const before = readFileSync(log0, 'utf8');
    const after = before.replace('"configuration":{', '"configuration":{"delta.enableChangeDataFeed":"true",');
    expect(after).not.toBe(before);
    writeFileSync(log0, after);
    expect(await rows(dir, "SELECT id, n, v FROM table_changes(0, 1) WHERE _change_type = 'insert' ORDER BY id, v")).toEqual(EXPECTED.flatMap((r) => [r, r]));
  });

  it('Spark 4.0.1 table with three layouts of one column (two shredding schemas + unshredded) equals Spark to_json', async () => {
    // tables-generated/variant-mixed (scripts/fixtures/gen-mixed-shredding.py): the reference holds
    // Spark's own `SELECT id, to_json(v) … ORDER BY id`.
    const dir = join(GENERATED, 'variant-mixed');
    const ref = JSON.parse(readFileSync(join(dir, 'spark_variant_mixed_shredding.reference.json'), 'utf8')) as { rows: { id: number; j: string | null }[] };
    const s = await openSession(join(dir, 'spark_variant_mixed_shredding'));
    try {
      const got = (await s.sql('SELECT id, v FROM t ORDER BY id')).toArray().map((r) => ({ id: Number(r.id), j: r.v as string | null }));
      expect(got).toEqual(ref.rows);
      expect(got.length).toBe(10);
    } finally {
      await s.close();
    }
  });

  it('Spark 4.0.1 table with variants nested in a struct (and a struct in it) in three layouts equals Spark to_json', async () => {
    // tables-generated/variant-mixed (scripts/fixtures/gen-nested-shredding.py): s.v and s.t.w are
    // shredded as `a int, b string` in some files, `a string, c array<int>` in others and plain in
    // the rest; the reference holds Spark's own to_json(s.v), to_json(s.t.w) and the NULL flags.
    const dir = join(GENERATED, 'variant-mixed');
    type Row = { id: number; s_null: boolean; n: number | null; v: string | null; t_null: boolean; w: string | null };
    const ref = JSON.parse(readFileSync(join(dir, 'spark_variant_nested_mixed_shredding.reference.json'), 'utf8')) as { rows: Row[] };
    const s = await openSession(join(dir, 'spark_variant_nested_mixed_shredding'));
    try {
      const fields = await s.sql('SELECT id, s IS NULL AS s_null, s.n AS n, s.v AS v, s.t IS NULL AS t_null, s.t.w AS w FROM t ORDER BY id');
      const got = fields.toArray().map((r) => ({ id: Number(r.id), s_null: r.s_null, n: r.n, v: r.v, t_null: r.t_null, w: r.w }));
      expect(got).toEqual(ref.rows);
      expect(new Set(ref.rows.map((r) => r.v)).size).toBeGreaterThan(8);
      // The whole struct: its variants decoded in place.
      const whole = (await s.sql('SELECT id, s FROM t ORDER BY id')).toArray().map((r) => {
        const st = r.s as { n: number; v: string | null; t: { w: string | null } | null } | null;
        return { id: Number(r.id), s_null: st === null, n: st?.n ?? null, v: st?.v ?? null, t_null: st?.t == null, w: st?.t?.w ?? null };
      });
      expect(whole).toEqual(ref.rows);
      // Under a filter (fewer branches).
      expect((await s.sql('SELECT s.v AS v FROM t WHERE id = 7')).toArray().map((r) => r.v)).toEqual([ref.rows.find((r) => r.id === 7)!.v]);
    } finally {
      await s.close();
    }
    // The Change Data Feed reader too: a copy with CDF on from version 0 reads every file as inserts.
    const copy = join(mkdtempSync(join(tmpdir(), 'dx-nested-cdf-')), 't');
    cpSync(join(dir, 'spark_variant_nested_mixed_shredding'), copy, { recursive: true });
    const log0 = join(copy, '_delta_log', '00000000000000000000.json');
    const before = readFileSync(log0, 'utf8');
    const after = before.replace('"configuration":{', '"configuration":{"delta.enableChangeDataFeed":"true",');
    expect(after).not.toBe(before);
    writeFileSync(log0, after);
    rmSync(join(copy, '_delta_log', '00000000000000000000.crc'), { force: true });
    const c = await openSession(copy);
    try {
      const cdf = await c.sql("SELECT id, s.v AS v, s.t.w AS w FROM table_changes(0, 3) WHERE _change_type = 'insert' ORDER BY id");
      expect(cdf.toArray().map((r) => ({ id: Number(r.id), v: r.v, w: r.w }))).toEqual(ref.rows.map((r) => ({ id: r.id, v: r.v, w: r.w })));
    } finally {
      await c.close();
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('variants in an array and a map value with three layouts across files equal Spark to_json', async () => {
    // tables-generated/variant-mixed/spark_variant_collections_mixed_shredding
    // (scripts/fixtures/gen-nested-shredding-collections.py): Spark 4.0.1 writes variants in arrays and
    // maps unshredded, so pyarrow moved Spark's shredded and plain variant structs of the nested table
    // into a = [s.v, s.t.w] and m = {v: s.v, w: s.t.w}; the reference is Spark reading that table:
    // to_json(a), to_json(m).
    const dir = join(GENERATED, 'variant-mixed');
    const ref = JSON.parse(readFileSync(join(dir, 'spark_variant_collections_mixed_shredding.reference.json'), 'utf8')) as { rows: { id: number; a: string; m: string }[] };
    const s = await openSession(join(dir, 'spark_variant_collections_mixed_shredding'));
    try {
      const got = (await s.sql('SELECT id, a, m FROM t ORDER BY id')).toArray().map((r) => {
        const a = [...(r.a as Iterable<string | null>)].map((x) => x ?? 'null');
        const m = [...(r.m as Iterable<[string, string | null]>)].map(([k, x]) => `${JSON.stringify(k)}:${x ?? 'null'}`);
        return { id: Number(r.id), a: `[${a.join(',')}]`, m: `{${m.join(',')}}` };
      });
      expect(got).toEqual(ref.rows);
      expect(got.length).toBe(11);
      // One element and one map value alone (DuckDB's map extract gives a list of the values).
      const one = (await s.sql("SELECT a[2] AS w, m['v'][1] AS v FROM t WHERE id = 6")).toArray()[0];
      expect(`[${one.v},${one.w}]`).toBe(ref.rows.find((r) => r.id === 6)!.a);
    } finally {
      await s.close();
    }
  });

  it('refuses corrupt shredding instead of guessing', () => {
    const meta = new Uint8Array([0x11, 0, 0]); // version 1, sorted, empty dictionary
    const type = new arrow.Struct([
      new arrow.Field('metadata', new arrow.Binary(), false),
      new arrow.Field('value', new arrow.Binary(), true),
      new arrow.Field('typed_value', new arrow.Int64(), true),
    ]);
    expect(isShreddedVariantStruct(type)).toBe(true);
    // value (int8 5) AND typed_value set for a value that is not an object: "engines should fail".
    const both = arrow.vectorFromArray([{ metadata: meta, value: new Uint8Array([0x0c, 5]), typed_value: 7n }], type);
    const t = new arrow.Table({ v: both });
    expect(() => decodeVariantColumns(t)).toThrow(DeltaError);
    // A struct with other fields is not taken for a variant.
    expect(isShreddedVariantStruct(new arrow.Struct([...type.children, new arrow.Field('x', new arrow.Int32())]))).toBe(false);
  });
});
