/**
 * Partition values (protocol appendix "Partition Value Serialization", `partition-values.ts`):
 * every value of every fixture table parses as its column's type; the parsing and formatting rules
 * value by value. Expected values are read from the logs by hand (`test/schema-fixtures.ts`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  columnMappingMode,
  formatPartitionValue,
  parsePartitionValue,
  parsePartitionValues,
  parseSchema,
  partitionColumnInfo,
  type DataType,
  type PartitionValue,
} from '../schema.ts';
import { catchError, classicCheckpoints, commits, field, readCheckpoint, schemaOf, tableNames, type RawAction, type RawMetadata } from '../../../test/schema-fixtures.ts';

const T = (type: DataType['type']): DataType => ({ type }) as DataType;
const dec = (precision: number, scale: number): DataType => ({ type: 'decimal', precision, scale });

describe('partition values of every fixture', () => {
  it('parses every partitionValues entry of every JSON commit and classic checkpoint', async () => {
    let parsedValues = 0;
    const orphanKeys = new Set<string>();
    for (const table of tableNames()) {
      const cps = classicCheckpoints(table);
      // Metadata in force before the first JSON commit: from the first checkpoint, if any.
      let meta: RawMetadata | undefined;
      const checkpointActions = new Map<string, RawAction[]>();
      for (const cp of cps) checkpointActions.set(cp.file, await readCheckpoint(table, cp.file));
      const first = cps[0] && checkpointActions.get(cps[0].file)!.find((a) => a.metaData?.schemaString);
      meta = first?.metaData;

      const check = (m: RawMetadata, pvs: Record<string, string | null>, version: number | undefined, path: string): void => {
        const schema = parseSchema(m.schemaString!, { version, path });
        const cols = partitionColumnInfo(schema, m.partitionColumns ?? [], columnMappingMode(m.configuration), { version, path });
        const keys = new Set(cols.map((c) => c.key));
        for (const k of Object.keys(pvs)) if (!keys.has(k)) orphanKeys.add(`${table}:${k}`);
        const values = parsePartitionValues(pvs, cols, { version, path });
        parsedValues += Object.keys(values).length;
      };

      for (const [file, actions] of checkpointActions) {
        const m = actions.find((a) => a.metaData?.schemaString)?.metaData;
        for (const a of actions) if (a.add?.partitionValues && m) check(m, a.add.partitionValues, undefined, file);
      }
      for (const c of commits(table)) {
        for (const a of c.actions) {
          if (a.metaData?.schemaString) meta = a.metaData;
          for (const fa of [a.add, a.remove, a.cdc]) {
            if (fa?.partitionValues && meta) check(meta, fa.partitionValues, c.version, c.file);
          }
        }
      }
    }
    expect(parsedValues).toBeGreaterThan(200);
    // table-with-cdf carries a partition value for a column that is neither a partition column
    // nor in its schema ("partitionValues":{"partition_foo":"partition_bar"}, partitionColumns []).
    expect([...orphanKeys]).toEqual(['table-with-cdf:partition_foo']);
  });
});

describe('parsePartitionValue on fixture values', () => {
  it('delta-2.2.0-partitioned-types', () => {
    // Raw: "partitionValues":{"c1":"4","c2":"c"} (c1 integer, c2 string).
    expect(parsePartitionValue('4', T('integer'))).toBe(4);
    expect(parsePartitionValue('c', T('string'))).toBe('c');
  });

  it('partition-type-primitives: all partition columns are strings', async () => {
    const { schema, meta } = await schemaOf('partition-type-primitives');
    const cols = partitionColumnInfo(schema, meta.partitionColumns!, 'none');
    // Raw: {"is_active":"true","event_date":"2023-01-02","category":"A","year":"2021.0"}; all four are `string` columns.
    expect(parsePartitionValues({ is_active: 'true', event_date: '2023-01-02', category: 'A', year: '2021.0' }, cols)).toEqual({
      year: '2021.0',
      is_active: 'true',
      event_date: '2023-01-02',
      category: 'A',
    });
    // Hand-worked: the same raw strings under the types the names suggest.
    expect(parsePartitionValue('true', T('boolean'))).toBe(true);
    expect(parsePartitionValue('2023-01-02', T('date'))).toBe('2023-01-02');
    expect(catchError(() => parsePartitionValue('2021.0', T('integer'), { column: 'year' })).message).toContain('"year"');
    expect(parsePartitionValue('2021.0', T('double'))).toBe(2021);
  });

  it('basic-decimal-table: negative, small and large decimals', () => {
    // Raw values of the four add actions, column part decimal(12,5).
    const t = dec(12, 5);
    expect(parsePartitionValue('-2342342.23423', t)).toBe('-2342342.23423');
    expect(parsePartitionValue('0.00004', t)).toBe('0.00004');
    expect(parsePartitionValue('234.00000', t)).toBe('234.00000');
    expect(parsePartitionValue('2342222.23454', t)).toBe('2342222.23454');
    // Hand-worked: 12-5 = 7 integer digits at most.
    expect(parsePartitionValue('9999999.99999', t)).toBe('9999999.99999');
    expect(catchError(() => parsePartitionValue('10000000', t)).code).toBe('INVALID_PARTITION_VALUE');
    expect(parsePartitionValue('234', t)).toBe('234.00000');
  });

  it('decimal cases from delta-kernel-rs (kernel/src/expressions/scalars.rs test_parse_decimal)', () => {
    expect(parsePartitionValue('0.999', dec(3, 3))).toBe('0.999');
    expect(parsePartitionValue('0', dec(1, 0))).toBe('0');
    expect(parsePartitionValue('0.00', dec(3, 2))).toBe('0.00');
    expect(parsePartitionValue('-123', dec(3, 0))).toBe('-123');
    expect(parsePartitionValue('-123.', dec(3, 0))).toBe('-123');
    expect(parsePartitionValue('12.3', dec(3, 1))).toBe('12.3');
    expect(parsePartitionValue('0.00123', dec(5, 5))).toBe('0.00123');
    expect(parsePartitionValue('1234.5E-4', dec(5, 5))).toBe('0.12345');
    expect(parsePartitionValue('-0', dec(1, 0))).toBe('0');
    expect(parsePartitionValue('12.000000000000000000', dec(38, 18))).toBe('12.000000000000000000');
    // test_parse_decimal_expect_fail
    for (const [raw, p, s] of [
      ['1.000', 3, 3], ['iowjef', 1, 0], ['123Ef', 1, 0], ['1d2E3', 1, 0], ['a', 1, 0], ['2.a', 1, 1],
      ['E45', 1, 0], ['1.2.3', 1, 0], ['1.2E1.3', 1, 0], ['123.45', 5, 1], ['.45', 5, 1], ['+', 1, 0],
      ['-', 1, 0], ['0.-0', 2, 1], ['--1.0', 1, 1], ['+-1.0', 1, 1], ['-+1.0', 1, 1], ['++1.0', 1, 1], ['1.0E1+', 1, 1],
    ] as const) {
      expect(catchError(() => parsePartitionValue(raw, dec(p, s))).code, raw).toBe('INVALID_PARTITION_VALUE');
    }
    // Divergence (documented): trailing zero digits beyond the scale are accepted, kernel rejects them.
    expect(parsePartitionValue('12.30', dec(3, 1))).toBe('12.3');
  });

  it('timestamp-partitioned-table', () => {
    // Raw: "partitionValues":{"time":"1971-07-22T03:06:40.000000Z"}; delta-kernel-rs
    // test_timestamp_iso8601_parse case z_seconds gives "1971-07-22T03:06:40Z" → 49000000000000.
    expect(parsePartitionValue('1971-07-22T03:06:40.000000Z', T('timestamp'))).toBe(49000000000000n);
    expect(formatPartitionValue(49000000000000n, T('timestamp'))).toBe('1971-07-22T03:06:40Z');
  });

  it('delta-0.8.0-null-partition', () => {
    // Raw: {"k":"A"} and {"k":null}.
    expect(parsePartitionValue('A', T('string'))).toBe('A');
    expect(parsePartitionValue(null, T('string'))).toBeNull();
    expect(parsePartitionValues({ k: null }, [{ name: 'k', key: 'k', type: T('string'), field: { name: 'k', type: T('string'), nullable: true, metadata: {} } }])).toEqual({ k: null });
  });

  it('data-reader-timestamp_ntz', () => {
    // Raw: {"tsNtzPartition":"2013-07-05 17:01:00.123456"}, {"tsNtzPartition":"2021-11-18 02:30:00.123456"}, {"tsNtzPartition":null}.
    // Expected: Date.UTC(2013,6,5,17,1,0)*1000 + 123456 and Date.UTC(2021,10,18,2,30,0)*1000 + 123456, computed by hand with node.
    expect(parsePartitionValue('2013-07-05 17:01:00.123456', T('timestamp_ntz'))).toBe(1373043660123456n);
    expect(parsePartitionValue('2021-11-18 02:30:00.123456', T('timestamp_ntz'))).toBe(1637202600123456n);
    expect(parsePartitionValue(null, T('timestamp_ntz'))).toBeNull();
    expect(formatPartitionValue(1373043660123456n, T('timestamp_ntz'))).toBe('2013-07-05 17:01:00.123456');
  });

  it('table_with_column_mapping: values keyed by physical name', async () => {
    const { schema, meta } = await schemaOf('table_with_column_mapping');
    const cols = partitionColumnInfo(schema, meta.partitionColumns!, columnMappingMode(meta.configuration));
    // Raw: "partitionValues":{"col-173b4db9-b5ad-427f-9e75-516aae37fbbb":"BMS"}
    expect(parsePartitionValues({ 'col-173b4db9-b5ad-427f-9e75-516aae37fbbb': 'BMS' }, cols)).toEqual({ 'Company Very Short': 'BMS' });
  });
});

describe('parsePartitionValue rules', () => {
  it('null and empty string are null for every type (protocol "Partition Value Serialization")', () => {
    const types: DataType[] = [
      T('string'), T('long'), T('integer'), T('short'), T('byte'), T('float'), T('double'), T('boolean'), T('binary'),
      T('date'), T('timestamp'), T('timestamp_ntz'), T('void'), T('variant'), dec(10, 2),
      { type: 'array', elementType: T('long'), containsNull: true }, { type: 'unknown', name: 'geometry(OGC:CRS84)' },
    ];
    for (const t of types) {
      expect(parsePartitionValue('', t)).toBeNull();
      expect(parsePartitionValue(null, t)).toBeNull();
      expect(parsePartitionValue(undefined, t)).toBeNull();
    }
  });

  it('integers: ranges, long as number or bigint', () => {
    expect(parsePartitionValue('-128', T('byte'))).toBe(-128);
    expect(catchError(() => parsePartitionValue('128', T('byte'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(parsePartitionValue('32767', T('short'))).toBe(32767);
    expect(catchError(() => parsePartitionValue('-32769', T('short'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(parsePartitionValue('2147483647', T('integer'))).toBe(2147483647);
    expect(catchError(() => parsePartitionValue('2147483648', T('integer'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(catchError(() => parsePartitionValue('1.5', T('integer'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(catchError(() => parsePartitionValue(' 1', T('integer'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(parsePartitionValue('9007199254740991', T('long'))).toBe(9007199254740991);
    expect(parsePartitionValue('9007199254740992', T('long'))).toBe(9007199254740992n);
    expect(parsePartitionValue('-9223372036854775808', T('long'))).toBe(-9223372036854775808n);
    expect(catchError(() => parsePartitionValue('9223372036854775808', T('long'))).code).toBe('INVALID_PARTITION_VALUE');
  });

  it('floating point incl. NaN and infinities', () => {
    // delta-0.8.0-numeric-partition raw values for y (double): "9.9", "10.0".
    expect(parsePartitionValue('9.9', T('double'))).toBe(9.9);
    expect(parsePartitionValue('10.0', T('double'))).toBe(10);
    expect(parsePartitionValue('NaN', T('double'))).toBeNaN();
    expect(parsePartitionValue('Infinity', T('float'))).toBe(Infinity);
    expect(parsePartitionValue('-Infinity', T('double'))).toBe(-Infinity);
    expect(parsePartitionValue('1.0E10', T('double'))).toBe(1e10);
    expect(catchError(() => parsePartitionValue('abc', T('double'))).code).toBe('INVALID_PARTITION_VALUE');
  });

  it('booleans, dates, binary, void, nested types', () => {
    expect(parsePartitionValue('TRUE', T('boolean'))).toBe(true);
    expect(catchError(() => parsePartitionValue('yes', T('boolean'))).code).toBe('INVALID_PARTITION_VALUE');
    // Protocol: date "Encoded as {year}-{month}-{day}. For example, 1970-01-01".
    expect(parsePartitionValue('1970-01-01', T('date'))).toBe('1970-01-01');
    expect(parsePartitionValue('2020-2-9', T('date'))).toBe('2020-02-09');
    expect(parsePartitionValue('2024-02-29', T('date'))).toBe('2024-02-29');
    expect(catchError(() => parsePartitionValue('2023-02-29', T('date'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(catchError(() => parsePartitionValue('2023-13-01', T('date'))).code).toBe('INVALID_PARTITION_VALUE');
    // Protocol: binary example "\u0001\u0002\u0003".
    expect(parsePartitionValue('\u0001\u0002\u0003', T('binary'))).toEqual(new Uint8Array([1, 2, 3]));
    expect(formatPartitionValue(new Uint8Array([1, 2, 255]), T('binary'))).toBe('0x0102ff');
    expect(catchError(() => parsePartitionValue('x', T('void'))).code).toBe('INVALID_PARTITION_VALUE');
    expect(catchError(() => parsePartitionValue('x', T('variant'))).code).toBe('INVALID_PARTITION_VALUE');
  });

  it('timestamps: cases from delta-kernel-rs (scalars.rs test_timestamp_*_parse)', () => {
    // test_timestamp_space_form_parse, both types.
    for (const t of [T('timestamp'), T('timestamp_ntz')]) {
      expect(parsePartitionValue('2011-01-11 13:06:07', t)).toBe(1294751167000000n);
      expect(parsePartitionValue('2011-01-11 13:06:07.123456', t)).toBe(1294751167123456n);
      expect(parsePartitionValue('1970-01-01 00:00:00', t)).toBe(0n);
    }
    // test_timestamp_iso8601_parse.
    const iso: [string, bigint][] = [
      ['1971-07-22T03:06:40.678910Z', 49000000678910n],
      ['1971-07-22T03:06:40Z', 49000000000000n],
      ['2024-06-15T14:30:00Z', 1718461800000000n],
      ['2024-06-15t14:30:00z', 1718461800000000n],
      ['2024-06-15T14:30:00+00:00', 1718461800000000n],
      ['2024-06-15T14:30:00-00:00', 1718461800000000n],
      ['2024-06-15T14:30:00+05:00', 1718443800000000n],
      ['2024-06-15T14:30:00-05:00', 1718479800000000n],
      ['2024-06-15T14:30:00+05:30', 1718442000000000n],
      ['2024-06-15T14:30:00+0530', 1718442000000000n],
      ['2024-06-15T14:30:00.456+05:00', 1718443800456000n],
      ['2024-06-15 14:30:00+05:00', 1718443800000000n],
      ['1970-01-01T00:00:00+05:00', -18000000000n],
    ];
    for (const [raw, micros] of iso) expect(parsePartitionValue(raw, T('timestamp')), raw).toBe(micros);
    // test_timestamp_parse_fails (timestamp_ntz rejects zones and date-only; timestamp rejects date-only and +24:00).
    for (const raw of ['1971-07-22T03:06:40.678910Z', '1971-07-22T03:06:40Z', '2024-06-15T14:30:00+05:00', '2024-06-15 14:30:00+05:00', '1971-07-22']) {
      expect(catchError(() => parsePartitionValue(raw, T('timestamp_ntz'))).code, raw).toBe('INVALID_PARTITION_VALUE');
    }
    for (const raw of ['1971-07-22', '2024-06-15T14:30:00+24:00']) {
      expect(catchError(() => parsePartitionValue(raw, T('timestamp'))).code, raw).toBe('INVALID_PARTITION_VALUE');
    }
    // Divergence (documented): a zoneless T form is read as UTC, like the space form; kernel rejects it.
    expect(parsePartitionValue('2024-06-15T14:30:00', T('timestamp'))).toBe(1718461800000000n);
    // Hand-worked: nanoseconds are truncated; pre-epoch values are negative.
    expect(parsePartitionValue('1970-01-01 00:00:00.123456789', T('timestamp'))).toBe(123456n);
    expect(parsePartitionValue('1969-12-31 23:59:59.999999', T('timestamp'))).toBe(-1n);
    expect(formatPartitionValue(-1n, T('timestamp'))).toBe('1969-12-31T23:59:59.999999Z');
    expect(catchError(() => parsePartitionValue('2024-06-15 24:00:00', T('timestamp'))).code).toBe('INVALID_PARTITION_VALUE');
  });

  it('errors name the column, value, type and location', () => {
    const e = catchError(() =>
      parsePartitionValue('abc', T('integer'), { column: 'year', version: 3, path: '_delta_log/00000000000000000003.json' }),
    );
    expect(e.code).toBe('INVALID_PARTITION_VALUE');
    expect(e.message).toContain('"abc"');
    expect(e.message).toContain('"year"');
    expect(e.message).toContain('integer');
    expect(e.message).toContain('version 3');
    expect(e.version).toBe(3);
    expect(e.path).toBe('_delta_log/00000000000000000003.json');
  });
});

describe('formatPartitionValue', () => {
  it('formats each family', () => {
    expect(formatPartitionValue(null, T('long'))).toBe('null');
    expect(formatPartitionValue(9223372036854775807n, T('long'))).toBe('9223372036854775807');
    expect(formatPartitionValue(NaN, T('double'))).toBe('NaN');
    expect(formatPartitionValue(true, T('boolean'))).toBe('true');
    expect(formatPartitionValue('-12.50', dec(4, 2))).toBe('-12.50');
    expect(formatPartitionValue(1500000n, T('timestamp'))).toBe('1970-01-01T00:00:01.5Z');
  });

  it('round-trips through parsePartitionValue (property)', () => {
    const micros = fc.bigInt({ min: -62135596800000000n, max: 253402300799999999n }); // years 0001..9999
    fc.assert(
      fc.property(micros, (m) => {
        for (const t of [T('timestamp'), T('timestamp_ntz')]) {
          expect(parsePartitionValue(formatPartitionValue(m, t), t)).toBe(m);
        }
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (days) => {
        // Date's own calendar (proleptic Gregorian, UTC) as the independent reference.
        const d = new Date(days * 86400000).toISOString().slice(0, 10);
        expect(parsePartitionValue(d, T('date'))).toBe(d);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n) + 1n, max: 10n ** 12n - 1n }), fc.integer({ min: 0, max: 12 }), (unscaled, scale) => {
        const t = dec(12, scale);
        const neg = unscaled < 0n;
        const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
        const text = (neg ? '-' : '') + (scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits);
        const parsed = parsePartitionValue(text, t);
        expect(parsePartitionValue(formatPartitionValue(parsed, t), t)).toBe(parsed);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const v: PartitionValue = parsePartitionValue(n.toString(), T('long'));
        expect(BigInt(v as number | bigint)).toBe(n);
        expect(formatPartitionValue(v, T('long'))).toBe(n.toString());
      }),
    );
    fc.assert(
      fc.property(fc.double(), (x) => {
        const v = parsePartitionValue(formatPartitionValue(x, T('double')), T('double'));
        expect(Object.is(v, x) || (x === 0 && v === 0)).toBe(true);
      }),
    );
  });
});
