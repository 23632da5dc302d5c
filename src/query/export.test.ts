/**
 * Exports: CSV and JSON Lines text, and Parquet read back by DuckDB with the Delta types kept
 * (DECIMAL, TIMESTAMP WITH TIME ZONE / TIMESTAMP, nested STRUCT / LIST / MAP).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openSession, sortedPretty, testEngine } from '../../test/query-helpers.ts';
import { exportTable, toCsv, toJsonLines } from './export.ts';

afterAll(async () => (await testEngine()).close());

const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function roundTrip(table: string, sql: string) {
  const s = await openSession(table);
  try {
    const result = await s.sql(sql);
    const bytes = await exportTable(result, 'parquet');
    expect(bytes.length).toBeGreaterThan(0);
    expect(text(bytes.subarray(0, 4))).toBe('PAR1');
    const engine = await testEngine();
    const name = `export_${table}.parquet`;
    await engine.registerBuffer(name, bytes);
    try {
      const types = await engine.query(`DESCRIBE SELECT * FROM read_parquet('${name}')`);
      const typeOf = Object.fromEntries(types.toArray().map((r) => [r.column_name, r.column_type]));
      const back = await engine.query(`SELECT * FROM read_parquet('${name}')`);
      return { result, back, typeOf };
    } finally {
      await engine.dropFile(name);
    }
  } finally {
    await s.close();
  }
}

describe('parquet export', () => {
  it('keeps decimals as decimals (basic-decimal-table)', async () => {
    const { result, back, typeOf } = await roundTrip('basic-decimal-table', 'SELECT * FROM t');
    expect(typeOf).toEqual({ part: 'DECIMAL(12,5)', col1: 'DECIMAL(5,2)', col2: 'DECIMAL(10,5)', col3: 'DECIMAL(20,10)' });
    expect(sortedPretty(back)).toEqual(sortedPretty(result));
  });

  it('keeps timestamps (UTC instants and wall-clock) and nested types (stats-writing-all-types)', async () => {
    const { result, back, typeOf } = await roundTrip(
      'stats-writing-all-types',
      'SELECT timestamp_col, timestamp_ntz_col, date_col, decimal_col, binary_col, array_col, map_col, nested_struct FROM t',
    );
    expect(typeOf.timestamp_col).toBe('TIMESTAMP WITH TIME ZONE');
    expect(typeOf.timestamp_ntz_col).toBe('TIMESTAMP');
    expect(typeOf.date_col).toBe('DATE');
    expect(typeOf.decimal_col).toMatch(/^DECIMAL\(\d+,2\)$/);
    expect(typeOf.binary_col).toBe('BLOB');
    expect(typeOf.array_col).toBe('INTEGER[]');
    expect(typeOf.map_col).toMatch(/^MAP\(VARCHAR, (INTEGER|BIGINT)\)$/);
    expect(typeOf.nested_struct).toBe('STRUCT(inner_int INTEGER, inner_string VARCHAR, inner_double DOUBLE)');
    expect(sortedPretty(back)).toEqual(sortedPretty(result));
  });

  it('keeps widened types (type-widening)', async () => {
    const { result, back, typeOf } = await roundTrip('type-widening', 'SELECT * FROM t');
    expect(typeOf.int_long).toBe('BIGINT');
    // Table types after widening (schema of version 2): decimal(21,1), decimal(20,5), long.
    expect(typeOf.long_decimal).toBe('DECIMAL(21,1)');
    expect(typeOf.decimal_decimal_greater_scale).toBe('DECIMAL(20,5)');
    expect(typeOf.date_timestamp_ntz).toBe('TIMESTAMP');
    expect(sortedPretty(back)).toEqual(sortedPretty(result));
  });

  it('writes variant columns as their JSON text', async () => {
    const { back, typeOf } = await roundTrip('unshredded-variant', 'SELECT id, v FROM t WHERE id = 3');
    expect(typeOf.v).toBe('VARCHAR');
    expect(back.toArray().map((r) => r.v)).toEqual(['{"key":3}']);
  });
});

describe('text exports', () => {
  it('CSV: header, quoting, nulls, exact decimals and timestamps', async () => {
    const s = await openSession('basic_partitioned');
    try {
      const r = await s.sql(`SELECT letter, number, a_float, 'x,"y"' AS q FROM t ORDER BY number`);
      const csv = toCsv(r);
      const lines = csv.trimEnd().split('\n');
      expect(lines[0]).toBe('letter,number,a_float,q');
      expect(lines[1]).toBe('a,1,1.1,"x,""y"""');
      expect(lines[6]).toBe(',6,6.6,"x,""y"""');
      expect(text(await exportTable(r, 'csv'))).toBe(csv);
    } finally {
      await s.close();
    }
    const t = await openSession('with-short-dv');
    try {
      const r = await t.sql('SELECT id, "timestamp" FROM t ORDER BY id LIMIT 1');
      expect(toCsv(r)).toBe('id,timestamp\n3,2023-05-31T18:58:33.633Z\n');
    } finally {
      await t.close();
    }
  });

  it('JSON Lines: exact 64-bit integers and decimals, ISO timestamps, nested JSON', async () => {
    const s = await openSession('type-widening');
    try {
      const r = await s.sql('SELECT int_long, long_decimal, date_timestamp_ntz FROM t ORDER BY int_long');
      expect(toJsonLines(r)).toBe(
        '{"int_long":2,"long_decimal":4.0,"date_timestamp_ntz":"2024-09-09T00:00:00"}\n' +
          '{"int_long":9223372036854775807,"long_decimal":123456789012345678.9,"date_timestamp_ntz":"2024-09-09T12:34:56.123456"}\n',
      );
    } finally {
      await s.close();
    }
    const n = await openSession('stats-writing-all-types');
    try {
      const r = await n.sql('SELECT array_col, map_col, nested_struct, binary_col FROM t WHERE int_col = 1000');
      expect(text(await exportTable(r, 'jsonl'))).toBe(
        '{"array_col":[1,2,3],"map_col":{"key1":100},"nested_struct":{"inner_int":10,"inner_string":"nested_a","inner_double":1.1},"binary_col":"AQID"}\n',
      );
    } finally {
      await n.close();
    }
  });
});
