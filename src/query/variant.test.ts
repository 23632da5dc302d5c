/**
 * The Variant decoder on hand-encoded values (Parquet VariantEncoding.md, byte layouts written out
 * from the spec's tables), and the Arrow post-processing that turns variant structs into JSON text.
 */
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DeltaError } from '../delta/errors.ts';
import { decodeVariantColumns, isVariantStruct, variantDictionary, variantToJson } from './variant.ts';

const enc = new TextEncoder();
/** Metadata with a 1-byte-offset, unsorted dictionary. */
function metadata(keys: string[]): Uint8Array {
  const bytes = keys.map((k) => enc.encode(k));
  const offsets = [0];
  for (const b of bytes) offsets.push(offsets[offsets.length - 1] + b.length);
  return Uint8Array.from([0x01, keys.length, ...offsets, ...bytes.flatMap((b) => [...b])]);
}
const EMPTY = metadata([]);
const prim = (typeId: number, ...data: number[]) => Uint8Array.from([typeId << 2, ...data]);
const le = (v: bigint, n: number) => Array.from({ length: n }, (_, i) => Number((BigInt.asUintN(n * 8, v) >> BigInt(8 * i)) & 0xffn));
const f64 = (v: number) => [...new Uint8Array(new Float64Array([v]).buffer)];
const f32 = (v: number) => [...new Uint8Array(new Float32Array([v]).buffer)];

describe('variantToJson: primitives', () => {
  const cases: [string, Uint8Array, string][] = [
    ['null', prim(0), 'null'],
    ['true', prim(1), 'true'],
    ['false', prim(2), 'false'],
    ['int8 -5', prim(3, ...le(-5n, 1)), '-5'],
    ['int16', prim(4, ...le(-300n, 2)), '-300'],
    ['int32', prim(5, ...le(70000n, 4)), '70000'],
    ['int64 beyond 2^53', prim(6, ...le(9007199254740993n, 8)), '9007199254740993'],
    ['double', prim(7, ...f64(1.5)), '1.5'],
    ['double NaN (quoted)', prim(7, ...f64(NaN)), '"NaN"'],
    ['decimal4 keeps its scale', prim(8, 2, ...le(1230n, 4)), '12.30'],
    ['decimal8 negative', prim(9, 3, ...le(-5n, 8)), '-0.005'],
    ['decimal16', prim(10, 1, ...le(123456789012345678901234567n, 16)), '12345678901234567890123456.7'],
    ['date', prim(11, ...le(-1n, 4)), '"1969-12-31"'],
    ['timestamp (UTC)', prim(12, ...le(1_000_000n, 8)), '"1970-01-01 00:00:01+00:00"'],
    ['timestamp_ntz with micros', prim(13, ...le(1_500n, 8)), '"1970-01-01 00:00:00.0015"'],
    ['float shortest', prim(14, ...f32(1.1)), '1.1'],
    ['binary as base64', prim(15, ...le(3n, 4), 1, 2, 3), '"AQID"'],
    ['long string', prim(16, ...le(6n, 4), ...enc.encode('héllo')), '"héllo"'],
    ['time', prim(17, ...le(3_723_000_001n, 8)), '"01:02:03.000001"'],
    ['timestamp nanos', prim(18, ...le(1_000_000_001n, 8)), '"1970-01-01 00:00:01.000000001+00:00"'],
    ['uuid', prim(20, ...Array.from({ length: 16 }, (_, i) => i)), '"00010203-0405-0607-0809-0a0b0c0d0e0f"'],
    ['short string with a quote', Uint8Array.from([(4 << 2) | 1, ...enc.encode('a"bc')]), '"a\\"bc"'],
  ];
  for (const [name, value, json] of cases) {
    it(name, () => expect(variantToJson(value, EMPTY)).toBe(json));
  }
});

describe('variantToJson: objects and arrays', () => {
  it('an object with 1-byte ids and offsets; values stored out of key order', () => {
    const md = metadata(['b', 'a']);
    // Fields sorted by name: a (id 1) then b (id 0). Values: "hi" at offset 0, 1 (int8) at offset 3.
    const value = Uint8Array.from([0x02, 2, 1, 0, 3, 0, 5, (2 << 2) | 1, ...enc.encode('hi'), 3 << 2, 1]);
    expect(variantToJson(value, md)).toBe('{"a":1,"b":"hi"}');
  });

  it('an array of mixed values, nested in an object', () => {
    const md = metadata(['xs']);
    const arr = [0x03, 3, 0, 1, 2, 11, 1 << 2, 0, ...prim(7, ...f64(2.25))];
    const value = Uint8Array.from([0x02, 1, 0, 0, arr.length, ...arr]);
    expect(variantToJson(value, md)).toBe('{"xs":[true,null,2.25]}');
  });

  it('large objects (4-byte count, 2-byte ids and offsets)', () => {
    const md = metadata(['k']);
    // header: is_large=1, id size 2 (1<<2), offset size 2 (1) → value_header 0b10101 = 21
    const value = Uint8Array.from([(21 << 2) | 2, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 3 << 2, 7]);
    expect(variantToJson(value, md)).toBe('{"k":7}');
  });

  it('reads the dictionary with 2-byte offsets', () => {
    const md = Uint8Array.from([0x41, 2, 0, 0, 0, 1, 0, 3, 0, ...enc.encode('abc')]);
    expect(variantDictionary(md)).toEqual(['a', 'bc']);
  });

  it('rejects an unknown metadata version and truncated values', () => {
    expect(() => variantToJson(prim(0), Uint8Array.from([0x02, 0, 0]))).toThrow(DeltaError);
    expect(() => variantToJson(prim(6, 1, 2), EMPTY)).toThrow(/truncated/);
  });
});

describe('decodeVariantColumns', () => {
  it('replaces variant structs at any depth and keeps other columns', () => {
    const vType = new arrow.Struct([new arrow.Field('value', new arrow.Binary(), true), new arrow.Field('metadata', new arrow.Binary(), true)]);
    expect(isVariantStruct(vType)).toBe(true);
    const v = (n: number) => ({ value: prim(3, n), metadata: EMPTY });
    const table = new arrow.Table({
      id: arrow.vectorFromArray([1, 2], new arrow.Int32()),
      v: arrow.vectorFromArray([v(1), null], vType),
      list: arrow.vectorFromArray([[v(3), null], null], new arrow.List(new arrow.Field('element', vType, true))),
    });
    const out = decodeVariantColumns(table);
    expect(out.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['id:Int32', 'v:Utf8', 'list:List<Utf8>']);
    expect(out.getChild('v')!.toArray()).toEqual(['1', null]);
    expect([...out.getChild('list')!.get(0)!]).toEqual(['3', null]);
    expect(out.getChild('id')!.toArray()).toEqual(Int32Array.from([1, 2]));
  });

  it('returns the same table when there is no variant', () => {
    const t = arrow.tableFromArrays({ a: Int32Array.from([1]) });
    expect(decodeVariantColumns(t)).toBe(t);
  });
});
