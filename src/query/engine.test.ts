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

describe('engine errors surface (issue #11: never a short or empty result)', () => {
  /** A parquet file of `n` rows (`a` = 0..n-1) written by parquet-wasm with the given codec. */
  async function parquetWith(codec: 'SNAPPY' | 'BROTLI' | 'LZ4_RAW', n: number): Promise<Uint8Array> {
    const pw = await import('parquet-wasm');
    const t = arrow.tableFromArrays({ a: Int32Array.from({ length: n }, (_, i) => i) });
    const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression[codec]).setMaxRowGroupSize(10_000).build();
    return pw.writeParquet(pw.Table.fromIPCStream(arrow.tableToIPC(t, 'stream')), props);
  }

  it('a codec DuckDB 0.9.1 lacks is an error, where runQuery gave 0 rows', async () => {
    const e = await testEngine();
    await e.registerBuffer('engine_brotli.parquet', await parquetWith('BROTLI', 1000));
    await expect(e.query(`SELECT a FROM read_parquet('engine_brotli.parquet')`)).rejects.toMatchObject({ code: 'QUERY_ERROR', message: expect.stringMatching(/BROTLI/) });
  });

  it('an error part-way through a read is an error, not the rows before it', async () => {
    const e = await testEngine();
    await e.registerBuffer('engine_good.parquet', await parquetWith('SNAPPY', 100_000));
    await e.registerBuffer('engine_bad.parquet', await parquetWith('LZ4_RAW', 100_000));
    const sql = `SELECT a FROM read_parquet(['engine_good.parquet', 'engine_bad.parquet'])`;
    await expect(e.query(sql)).rejects.toMatchObject({ code: 'QUERY_ERROR' });
    // A failure computed per row, after the first batches were produced.
    const cast = `SELECT CASE WHEN i < 150000 THEN i::VARCHAR ELSE 'x' || i END::INTEGER AS v FROM range(200000) t(i)`;
    await expect(e.query(cast)).rejects.toMatchObject({ code: 'QUERY_ERROR', message: expect.stringMatching(/Could not convert|Conversion Error/i) });
    // The engine is still usable afterwards.
    expect(Number((await e.query(`SELECT count(*) AS n FROM read_parquet('engine_good.parquet')`)).getChild('n')!.get(0))).toBe(100_000);
  });

  it('several statements run in order and the last one gives the result', async () => {
    const e = await testEngine();
    const t = await e.query(`CREATE OR REPLACE TABLE engine_multi AS SELECT 1 AS x; INSERT INTO engine_multi VALUES (2); SELECT sum(x) AS s FROM engine_multi -- done; not a statement`);
    expect(Number(t.getChild('s')!.get(0))).toBe(3);
    await expect(e.query(`SELECT 'a;b' AS "c;d"`)).resolves.toMatchObject({ numRows: 1 });
  });

  it('a cancelled signal stops the query before it runs', async () => {
    const e = await testEngine();
    const ac = new AbortController();
    ac.abort();
    await expect(e.query('SELECT 1', { signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('a WebAssembly trap restarts the engine', () => {
  it('a crash becomes ENGINE_RESTARTED, the generation moves on, and the next query runs', async () => {
    const { createNodeEngine } = await import('./engine.ts');
    const e = await createNodeEngine();
    try {
      await e.query('CREATE TABLE before_trap AS SELECT 1 AS x');
      const g0 = e.generation;
      // DuckDB-WASM 1.28 traps ("memory access out of bounds") on SQL literals of a few MB.
      const huge = `SELECT '${'x'.repeat(8 * 1024 * 1024)}' AS s`;
      await expect(e.query(huge)).rejects.toMatchObject({ code: 'ENGINE_RESTARTED' });
      expect(e.generation).toBe(g0 + 1);
      expect(Number((await e.query('SELECT 41 + 1 AS v')).getChild('v')!.get(0))).toBe(42);
      // The restarted engine is empty: state from before is gone (holders rebuild by generation).
      await expect(e.query('SELECT * FROM before_trap')).rejects.toMatchObject({ code: 'QUERY_ERROR' });
    } finally {
      await e.close();
    }
  });
});
