/** The Node engine: DuckDB 0.9.1 with Parquet built in, no extension downloads, typed errors. */
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaError } from '../delta/errors.ts';
import { testEngine } from '../../test/query-helpers.ts';
import { fixture } from '../../test/fixtures.ts';

afterAll(async () => (await testEngine()).close());

describe('node engine', () => {
  it('runs DuckDB 0.9.1 with extension autoloading off', async () => {
    const e = await testEngine();
    const v = await e.query('SELECT version() AS v');
    expect(v.getChild('v')!.get(0)).toBe('v0.9.1');
    const s = await e.query(`SELECT current_setting('autoload_known_extensions') AS a, current_setting('autoinstall_known_extensions') AS b`);
    expect(s.toArray()[0].toJSON()).toEqual({ a: false, b: false });
  });

  it('a function from a non-bundled extension fails fast instead of downloading', async () => {
    const e = await testEngine();
    const started = Date.now();
    await expect(e.query(`SELECT * FROM read_json_auto('x.json')`)).rejects.toMatchObject({ code: 'QUERY_ERROR' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('returns results decoded with our apache-arrow (Int64 as bigint, decimals, UTC timestamps)', async () => {
    const e = await testEngine();
    const t = await e.query(`SELECT 9223372036854775807::BIGINT AS big, 1.25::DECIMAL(10,2) AS d, TIMESTAMPTZ '2021-01-01 00:00:00+00' AS ts`);
    expect(t).toBeInstanceOf(arrow.Table);
    expect(t.getChild('big')!.get(0)).toBe(9223372036854775807n);
    expect(t.schema.fields.map((f) => String(f.type))).toEqual(['Int64', 'Decimal[10e+2]', 'Timestamp<MICROSECOND, UTC>']);
  });

  it('inserts Arrow tables and reads registered buffers and local paths', async () => {
    const e = await testEngine();
    await e.insertArrow('engine_test_ins', arrow.tableFromArrays({ a: Int32Array.from([1, 2, 3]) }));
    expect(Number((await e.query('SELECT sum(a) AS s FROM engine_test_ins')).getChild('s')!.get(0))).toBe(6);
    const { readFileSync } = await import('node:fs');
    const file = `${fixture('table-without-dv-small-kernel')}/part-00000-517f5d32-9c95-48e8-82b4-0229cc194867-c000.snappy.parquet`;
    await e.registerBuffer('engine_test_buf.parquet', new Uint8Array(readFileSync(file)));
    await e.registerLocalPath('engine_test_path.parquet', file);
    const a = await e.query(`SELECT count(*) AS n FROM read_parquet('engine_test_buf.parquet')`);
    const b = await e.query(`SELECT count(*) AS n FROM read_parquet('engine_test_path.parquet')`);
    expect(Number(a.getChild('n')!.get(0))).toBe(10);
    expect(Number(b.getChild('n')!.get(0))).toBe(10);
    await e.dropFile('engine_test_buf.parquet');
    await e.dropFile('engine_test_path.parquet');
  });

  it('SQL errors are DeltaError QUERY_ERROR with DuckDB message', async () => {
    const e = await testEngine();
    const err = await e.query('SELECT * FROM no_such_table').catch((x) => x);
    expect(err).toBeInstanceOf(DeltaError);
    expect(err.code).toBe('QUERY_ERROR');
    expect(err.message).toMatch(/no_such_table/);
  });
});
