/**
 * Tests of `deletion-vectors.ts` against the Delta protocol (delta-io/delta PROTOCOL.md), the
 * RoaringBitmap format spec, Z85 (ZeroMQ RFC 32) and real fixture tables from delta-rs and
 * delta-kernel-rs (test/fixtures/tables). Each exact expectation names its upstream source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs, readdirSync, readFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { fileURLToPath } from 'node:url';
import CRC32 from 'crc-32';
import fc from 'fast-check';
import { readParquet } from 'parquet-wasm/node';
import { tableFromIPC } from 'apache-arrow';
import { DeltaError } from './errors.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import {
  decodeRoaringTreemap,
  dvFilePath,
  dvStorePath,
  dvUniqueId,
  isRowDeleted,
  loadDeletionVector,
  parseDeletionVectorBytes,
  z85Decode,
  type DeletionVectorDescriptor,
} from './deletion-vectors.ts';

const TABLES = fileURLToPath(new URL('../../test/fixtures/tables/', import.meta.url));

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

async function thrown(p: Promise<unknown>): Promise<DeltaError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DeltaError);
    return e as DeltaError;
  }
  throw new Error('expected a DeltaError, nothing was thrown');
}

function thrownSync(f: () => unknown): DeltaError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DeltaError);
    return e as DeltaError;
  }
  throw new Error('expected a DeltaError, nothing was thrown');
}

const rows = (a: Float64Array) => Array.from(a);

interface FoundDv {
  table: string;
  logFile: string;
  version: number | undefined;
  dataFile: string;
  dv: DeletionVectorDescriptor;
}

/** Every `add`/`remove` deletionVector of every `_delta_log/*.json` file (commits, compacted logs) of every fixture table. */
function collectFixtureDvs(): FoundDv[] {
  const out: FoundDv[] = [];
  for (const table of readdirSync(TABLES).sort()) {
    const logDir = nodePath.join(TABLES, table, '_delta_log');
    if (!existsSync(logDir)) continue;
    for (const f of readdirSync(logDir).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const m = /^(\d{20})\.json$/.exec(f);
      const text = readFileSync(nodePath.join(logDir, f), 'utf8');
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        const action = JSON.parse(line) as Record<string, { path?: string; deletionVector?: DeletionVectorDescriptor | null }>;
        for (const kind of ['add', 'remove'] as const) {
          const a = action[kind];
          if (a?.deletionVector) {
            out.push({ table, logFile: f, version: m ? Number(m[1]) : undefined, dataFile: a.path!, dv: a.deletionVector });
          }
        }
      }
    }
  }
  return out;
}

/** Reads one column of a Parquet file as numbers (test oracle, via parquet-wasm + apache-arrow). */
function readColumn(file: string, column: string): number[] {
  const table = tableFromIPC(readParquet(new Uint8Array(readFileSync(file))).intoIPCStream());
  return Array.from(table.getChild(column)!.toArray() as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Values of `column` in the rows of `table` not deleted by DVs, at the latest version (simple JSON-only log replay). */
async function visibleValues(table: string, column: string): Promise<number[]> {
  const dir = nodePath.join(TABLES, table);
  const logDir = nodePath.join(dir, '_delta_log');
  const active = new Map<string, { path: string; dv: DeletionVectorDescriptor | null; version: number }>();
  const commits = readdirSync(logDir).filter((n) => /^\d{20}\.json$/.test(n)).sort();
  for (const f of commits) {
    const version = Number(f.slice(0, 20));
    const actions = readFileSync(nodePath.join(logDir, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
    // Action reconciliation: a logical file is (path, deletionVector.uniqueId).
    const key = (a: { path: string; deletionVector?: DeletionVectorDescriptor | null }) =>
      `${a.path}|${a.deletionVector ? dvUniqueId(a.deletionVector) : ''}`;
    for (const a of actions) if (a.remove) active.delete(key(a.remove));
    for (const a of actions) if (a.add) active.set(key(a.add), { path: a.add.path, dv: a.add.deletionVector ?? null, version });
  }
  const store = new NodeFsStore(dir);
  const out: number[] = [];
  for (const f of active.values()) {
    const values = readColumn(nodePath.join(dir, decodeURIComponent(f.path)), column);
    const deleted = f.dv ? await loadDeletionVector(store, f.dv, { version: f.version, dataFile: f.path }) : new Float64Array();
    values.forEach((v, i) => {
      if (!isRowDeleted(deleted, i)) out.push(v);
    });
  }
  return out.sort((a, b) => a - b);
}

// --- a RoaringBitmap encoder written from RoaringFormatSpec, to build test inputs by hand ----------

type Kind = 'array' | 'bitmap' | 'run';
interface TestContainer {
  key: number;
  kind: Kind;
  /** low 16-bit values, ascending */
  values: number[];
}

class Bytes {
  private readonly parts: number[] = [];
  u8(v: number) {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number) {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number) {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  raw(b: Uint8Array | number[]) {
    for (const x of b) this.parts.push(x);
    return this;
  }
  get length() {
    return this.parts.length;
  }
  build() {
    return Uint8Array.from(this.parts);
  }
}

function runsOf(values: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const v of values) {
    const last = runs[runs.length - 1];
    if (last && v === last[0] + last[1] + 1) last[1]++;
    else runs.push([v, 0]);
  }
  return runs;
}

function containerData(c: TestContainer): number[] {
  const b = new Bytes();
  if (c.kind === 'array') for (const v of c.values) b.u16(v);
  else if (c.kind === 'bitmap') {
    const words = new Uint32Array(2048);
    for (const v of c.values) words[v >>> 5] |= 1 << (v & 31);
    for (const w of words) b.u32(w);
  } else {
    const runs = runsOf(c.values);
    b.u16(runs.length);
    for (const [start, lenMinus1] of runs) b.u16(start).u16(lenMinus1);
  }
  return Array.from(b.build());
}

/** A standard 32-bit RoaringBitmap. `runCookie`: use the SERIAL_COOKIE layout (forced when a run container is present). */
function roaring32(containers: TestContainer[], runCookie = containers.some((c) => c.kind === 'run')): Uint8Array {
  const n = containers.length;
  const b = new Bytes();
  if (runCookie) {
    b.u32((12347 | ((n - 1) << 16)) >>> 0);
    const flags = new Uint8Array(Math.ceil(n / 8));
    containers.forEach((c, i) => {
      if (c.kind === 'run') flags[i >>> 3] |= 1 << (i & 7);
    });
    b.raw(flags);
  } else {
    b.u32(12346).u32(n);
  }
  for (const c of containers) b.u16(c.key).u16(c.values.length - 1);
  const data = containers.map(containerData);
  if (!runCookie || n >= 4) {
    let offset = b.length + 4 * n;
    for (const d of data) {
      b.u32(offset);
      offset += d.length;
    }
  }
  for (const d of data) b.raw(d);
  return b.build();
}

/** The portable 64-bit treemap: uint64 bucket count, then (uint32 high key, 32-bit bitmap) per bucket. */
function treemap(buckets: { high: number; bitmap: Uint8Array }[]): Uint8Array {
  const b = new Bytes().u32(buckets.length).u32(0);
  for (const { high, bitmap } of buckets) b.u32(high).raw(bitmap);
  return b.build();
}

/** Encodes a set of row indexes (< 2^53) choosing container kinds; `preferRun` picks run containers when set. */
function encodeRows(values: number[], preferRun: (key: number) => boolean): Uint8Array {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const byHigh = new Map<number, Map<number, number[]>>();
  for (const v of sorted) {
    const high = Math.floor(v / 2 ** 32);
    const low = v - high * 2 ** 32;
    const key = low >>> 16;
    if (!byHigh.has(high)) byHigh.set(high, new Map());
    const m = byHigh.get(high)!;
    if (!m.has(key)) m.set(key, []);
    m.get(key)!.push(low & 0xffff);
  }
  return treemap(
    [...byHigh].map(([high, m]) => ({
      high,
      bitmap: roaring32(
        [...m].map(([key, vs]) => ({
          key,
          values: vs,
          kind: preferRun(key) ? 'run' : vs.length > 4096 ? 'bitmap' : 'array',
        })),
      ),
    })),
  );
}

function withMagic(treemapBytes: Uint8Array, magic = 1681511377): Uint8Array {
  return new Bytes().u32(magic).raw(treemapBytes).build();
}

/** A DV file (format version 1) holding the given serialized DVs; returns the bytes and each DV's offset. */
function dvFile(dvs: Uint8Array[]): { bytes: Uint8Array; offsets: number[] } {
  const parts: number[] = [1];
  const offsets: number[] = [];
  for (const d of dvs) {
    offsets.push(parts.length);
    const crc = CRC32.buf(d) >>> 0;
    parts.push(d.length >>> 24, (d.length >>> 16) & 0xff, (d.length >>> 8) & 0xff, d.length & 0xff);
    parts.push(...d);
    parts.push(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff);
  }
  return { bytes: Uint8Array.from(parts), offsets };
}

// ---------------------------------------------------------------------------------------------
// Z85 and derived fields
// ---------------------------------------------------------------------------------------------

describe('z85Decode', () => {
  it('decodes the test vector of the Z85 spec (ZeroMQ RFC 32/Z85)', () => {
    // RFC 32: the 8 bytes 86 4F D2 6F B5 59 F7 5B encode as "HelloWorld".
    expect(Array.from(z85Decode('HelloWorld'))).toEqual([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
    expect(z85Decode('')).toEqual(new Uint8Array(0));
    expect(Array.from(z85Decode('00000'))).toEqual([0, 0, 0, 0]);
    // 0xFFFFFFFF = 4294967295 is the largest value of a group: "%nSc0" in Z85.
    expect(Array.from(z85Decode('%nSc0'))).toEqual([255, 255, 255, 255]);
  });

  it('refuses bad lengths, characters outside the alphabet and groups above 2^32 - 1', () => {
    for (const bad of ['HelloWorl', 'Hell"World', 'Hello World', 'Hell\u00e9World', '#####', '%nSc1', '####0', '##093Hello', '##zzz']) {
      expect(thrownSync(() => z85Decode(bad)).code).toBe('INVALID_ARGUMENT');
    }
    expect(thrownSync(() => z85Decode('HelloWorl')).message).toMatch(/multiple of 5/);
    expect(thrownSync(() => z85Decode('Hell"World')).message).toMatch(/alphabet/);
    expect(thrownSync(() => z85Decode('%nSc1')).message).toMatch(/32 bits/);
    expect(thrownSync(() => z85Decode('##093Hello')).message).toMatch(/32 bits/); // a '#' tail only ends the text
    expect(thrownSync(() => z85Decode('##zzz')).message).toMatch(/16 bits/);
  });

  it("decodes the Rust z85 crate's '#' tail (delta-kernel-rs inline DVs)", () => {
    // "#" x k then the digits of the 4 - k tail bytes. 768 = 9 * 85 + 3 = 0x0300.
    expect(Array.from(z85Decode('HelloWorld##093'))).toEqual([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b, 0x03, 0x00]);
    expect(Array.from(z85Decode('###00'))).toEqual([0]);
    expect(Array.from(z85Decode('###30'))).toEqual([0xff]); // 3 * 85 + 0 = 255
    expect(Array.from(z85Decode('##960'))).toEqual([0xff, 0xff]); // 9 * 7225 + 6 * 85 + 0 = 65535
    expect(Array.from(z85Decode('#isxk'))).toEqual([0xab, 0xcd, 0xef]);
  });
});

describe('dvUniqueId / dvFilePath / dvStorePath', () => {
  // PROTOCOL.md "JSON Example 1 — On Disk with Relative Path (with Random Prefix)".
  const example1: DeletionVectorDescriptor = {
    storageType: 'u',
    pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^',
    offset: 4,
    sizeInBytes: 40,
    cardinality: 6,
  };
  // PROTOCOL.md "JSON Example 2 — On Disk with Absolute Path".
  const example2: DeletionVectorDescriptor = {
    storageType: 'p',
    pathOrInlineDv: 's3://mytable/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin',
    offset: 4,
    sizeInBytes: 40,
    cardinality: 6,
  };

  it('builds the uniqueId of PROTOCOL.md "Derived Fields"', () => {
    expect(dvUniqueId(example1)).toBe('uab^-aqEH.-t@S}K{vb[*k^@4');
    expect(dvUniqueId({ storageType: 'i', pathOrInlineDv: 'wi5b=', sizeInBytes: 4, cardinality: 1 })).toBe('iwi5b=');
    // Inline descriptors in commits carry "offset": null (e.g. cdf-table-with-dv); no "@" then.
    const inlineFromJson = JSON.parse('{"storageType":"i","pathOrInlineDv":"abcde","offset":null,"sizeInBytes":4,"cardinality":1}');
    expect(dvUniqueId(inlineFromJson)).toBe('iabcde');
  });

  it('derives file paths as PROTOCOL.md and delta-kernel-rs state them', () => {
    // PROTOCOL.md Example 1: relative to s3://mytable/ the DV is s3://mytable/ab/deletion_vector_d2c639aa-...bin
    expect(dvFilePath(example1)).toBe('ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin');
    expect(dvFilePath(example1, 's3://mytable/')).toBe('s3://mytable/ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin');
    expect(dvFilePath(example2)).toBe('s3://mytable/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin');
    expect(dvFilePath({ ...example1, storageType: 'i', offset: undefined })).toBeUndefined();
    // delta-kernel-rs kernel/src/actions/deletion_vector.rs tests
    // test_deletion_vector_path_absolute_path_with_known_uuid: "dv" + z85(550e8400-...) = "dvrsTVZ&*Sl-RXRWjryu/!"
    expect(dvFilePath({ ...example1, pathOrInlineDv: 'dvrsTVZ&*Sl-RXRWjryu/!' })).toBe(
      'dv/deletion_vector_550e8400-e29b-41d4-a716-446655440000.bin',
    );
    // test_deletion_vector_path_absolute_path_with_known_uuid_empty_prefix: "5<w-%>:JjlQ/G/]6C<1m"
    expect(dvFilePath({ ...example1, pathOrInlineDv: '5<w-%>:JjlQ/G/]6C<1m' })).toBe(
      'deletion_vector_123e4567-e89b-12d3-a456-426614174000.bin',
    );
    // test_deletion_vector_absolute_path: table-with-dv-small's "vBn[lx{q8@P<9BNH/isA"
    expect(dvFilePath({ ...example1, pathOrInlineDv: 'vBn[lx{q8@P<9BNH/isA' })).toBe(
      'deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin',
    );
  });

  it('refuses bad u paths and unknown storage types', () => {
    expect(thrownSync(() => dvFilePath({ ...example1, pathOrInlineDv: 'short' })).code).toBe('CORRUPT_DELETION_VECTOR');
    expect(thrownSync(() => dvFilePath({ ...example1, pathOrInlineDv: 'ab' + ' '.repeat(20) })).code).toBe(
      'CORRUPT_DELETION_VECTOR',
    );
    expect(thrownSync(() => dvFilePath({ ...example1, storageType: 'x' as 'u' })).code).toBe('UNSUPPORTED_READER_FEATURE');
  });

  it('maps absolute (p) paths under the table root to store paths', () => {
    const name = 'deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin';
    expect(dvStorePath(example2, 's3://mytable')).toBe(name);
    expect(dvStorePath(example2, 's3://mytable/')).toBe(name);
    expect(dvStorePath({ ...example2, pathOrInlineDv: `file:///data/my%20table/sub/${name}` }, '/data/my table')).toBe(`sub/${name}`);
    expect(dvStorePath({ ...example2, pathOrInlineDv: `file:/data/t/${name}` }, 'file:///data/t/')).toBe(name);
    expect(dvStorePath(example1, 'ignored')).toBe(`ab/${name}`);
    expect(dvStorePath({ ...example2, pathOrInlineDv: `file:///C:/data/t/${name}` }, 'C:\\data\\t')).toBe(name);
    const outside = thrownSync(() => dvStorePath(example2, 's3://othertable'));
    expect(outside.code).toBe('FILE_NOT_FOUND');
    expect(outside.message).toContain('outside the table root');
    expect(thrownSync(() => dvStorePath(example2, 's3://my')).code).toBe('FILE_NOT_FOUND');
    expect(thrownSync(() => dvStorePath({ ...example2, pathOrInlineDv: 's3://mytable/../x.bin' }, 's3://mytable')).code).toBe(
      'FILE_NOT_FOUND',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// RoaringBitmap decoding, built by hand
// ---------------------------------------------------------------------------------------------

describe('decodeRoaringTreemap', () => {
  const evens = Array.from({ length: 5000 }, (_, i) => 2 * i); // 5000 > 4096: a bitmap container

  it('decodes an array container (no-run cookie 12346)', () => {
    const bytes = treemap([
      {
        high: 0,
        bitmap: roaring32([
          { key: 0, kind: 'array', values: [1, 5, 65535] },
          { key: 3, kind: 'array', values: [0, 7] },
        ]),
      },
    ]);
    expect(rows(decodeRoaringTreemap(bytes))).toEqual([1, 5, 65535, 3 * 65536, 3 * 65536 + 7]);
  });

  it('decodes a bitmap container', () => {
    const bytes = treemap([{ high: 0, bitmap: roaring32([{ key: 1, kind: 'bitmap', values: evens }]) }]);
    expect(rows(decodeRoaringTreemap(bytes))).toEqual(evens.map((v) => 65536 + v));
    // A full bitmap container (65536 values: cardinality - 1 = 65535 in the header).
    const all = Array.from({ length: 65536 }, (_, i) => i);
    expect(rows(decodeRoaringTreemap(treemap([{ high: 0, bitmap: roaring32([{ key: 0, kind: 'bitmap', values: all }]) }])))).toEqual(all);
  });

  it('decodes run containers (cookie 12347, without offsets below 4 containers)', () => {
    const values = [...Array.from({ length: 11 }, (_, i) => 10 + i), 100, 65530, 65531, 65532, 65533, 65534, 65535];
    const bytes = treemap([{ high: 0, bitmap: roaring32([{ key: 2, kind: 'run', values }]) }]);
    expect(rows(decodeRoaringTreemap(bytes))).toEqual(values.map((v) => 2 * 65536 + v));
    // A run container may also hold many values: one run over a whole 2^16 block.
    const all = Array.from({ length: 65536 }, (_, i) => i);
    expect(rows(decodeRoaringTreemap(treemap([{ high: 0, bitmap: roaring32([{ key: 9, kind: 'run', values: all }]) }])))).toEqual(
      all.map((v) => 9 * 65536 + v),
    );
  });

  it('decodes all container kinds together, with the run cookie and offsets (>= 4 containers)', () => {
    const containers: TestContainer[] = [
      { key: 0, kind: 'array', values: [0, 9] },
      { key: 1, kind: 'bitmap', values: evens },
      { key: 2, kind: 'run', values: [100, 101, 102, 103] },
      { key: 7, kind: 'array', values: [42] },
      { key: 8, kind: 'run', values: [0] },
    ];
    const expected = containers.flatMap((c) => c.values.map((v) => c.key * 65536 + v));
    expect(rows(decodeRoaringTreemap(treemap([{ high: 0, bitmap: roaring32(containers) }])))).toEqual(expected);
    // The run cookie is also valid when no container is a run container.
    const noRuns = containers.filter((c) => c.kind !== 'run');
    expect(rows(decodeRoaringTreemap(treemap([{ high: 0, bitmap: roaring32(noRuns, true) }])))).toEqual(
      noRuns.flatMap((c) => c.values.map((v) => c.key * 65536 + v)),
    );
  });

  it('decodes several 32-bit buckets into 64-bit row indexes', () => {
    const b = (values: number[]) => roaring32([{ key: 0, kind: 'array', values }]);
    const bytes = treemap([
      { high: 0, bitmap: b([3]) },
      { high: 1, bitmap: b([1, 4]) },
      { high: 2 ** 21 - 1, bitmap: b([65535]) },
    ]);
    expect(rows(decodeRoaringTreemap(bytes))).toEqual([3, 2 ** 32 + 1, 2 ** 32 + 4, (2 ** 21 - 1) * 2 ** 32 + 65535]);
    expect((2 ** 21 - 1) * 2 ** 32 + 65535).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });

  it('decodes empty bitmaps', () => {
    expect(decodeRoaringTreemap(treemap([])).length).toBe(0);
    expect(decodeRoaringTreemap(treemap([{ high: 0, bitmap: roaring32([]) }])).length).toBe(0);
  });

  it('refuses malformed data with CORRUPT_DELETION_VECTOR', () => {
    const valid = treemap([
      { high: 0, bitmap: roaring32([{ key: 0, kind: 'array', values: [1, 2] }, { key: 1, kind: 'bitmap', values: evens }]) },
      { high: 5, bitmap: roaring32([{ key: 0, kind: 'run', values: [7, 8, 9] }]) },
    ]);
    expect(decodeRoaringTreemap(valid).length).toBe(2 + 5000 + 3);
    // every truncation
    for (let n = 0; n < valid.length; n += n < 64 ? 1 : 97) {
      expect(thrownSync(() => decodeRoaringTreemap(valid.subarray(0, n))).code).toBe('CORRUPT_DELETION_VECTOR');
    }
    // trailing bytes
    expect(thrownSync(() => decodeRoaringTreemap(new Bytes().raw(valid).u8(0).build())).message).toMatch(/unexpected bytes/);
    const bad: [string, Uint8Array, RegExp][] = [
      ['unknown cookie', treemap([{ high: 0, bitmap: new Bytes().u32(99).u32(0).build() }]), /cookie/],
      ['bucket keys out of order', treemap([{ high: 2, bitmap: roaring32([]) }, { high: 1, bitmap: roaring32([]) }]), /bucket keys/],
      ['duplicate bucket keys', treemap([{ high: 1, bitmap: roaring32([]) }, { high: 1, bitmap: roaring32([]) }]), /bucket keys/],
      ['row index >= 2^53', treemap([{ high: 2 ** 21, bitmap: roaring32([{ key: 0, kind: 'array', values: [0] }]) }]), /2\^53/],
      [
        'container keys out of order',
        treemap([{ high: 0, bitmap: roaring32([{ key: 3, kind: 'array', values: [1] }, { key: 2, kind: 'array', values: [1] }]) }]),
        /container keys/,
      ],
      ['array not ascending', treemap([{ high: 0, bitmap: roaring32([{ key: 0, kind: 'array', values: [5, 5] }]) }]), /ascending/],
      ['bucket count too large', new Bytes().u32(1000).u32(0).build(), /bucket count/],
      ['bucket count above 2^32', new Bytes().u32(0).u32(1).build(), /bucket count/],
    ];
    for (const [, bytes, message] of bad) {
      const e = thrownSync(() => decodeRoaringTreemap(bytes));
      expect(e.code).toBe('CORRUPT_DELETION_VECTOR');
      expect(e.message).toMatch(message);
    }
    // A bitmap container whose bits disagree with its header cardinality.
    const bm = roaring32([{ key: 0, kind: 'bitmap', values: evens }]);
    const flipped = bm.slice();
    flipped[flipped.length - 1] ^= 0x80; // one more bit
    expect(thrownSync(() => decodeRoaringTreemap(treemap([{ high: 0, bitmap: flipped }]))).message).toMatch(/bitmap container holds 5001/);
    // A run container whose runs disagree with the header, or pass 65535.
    const run = roaring32([{ key: 0, kind: 'run', values: [10, 11, 12] }]);
    const runLonger = run.slice();
    runLonger[runLonger.length - 2] = 5; // length - 1 = 5: 6 values, header says 3
    expect(thrownSync(() => decodeRoaringTreemap(treemap([{ high: 0, bitmap: runLonger }]))).message).toMatch(/run container/);
    const runPast = run.slice();
    runPast[runPast.length - 4] = 0xff; // start 65535 ...
    runPast[runPast.length - 3] = 0xff;
    expect(thrownSync(() => decodeRoaringTreemap(treemap([{ high: 0, bitmap: runPast }]))).message).toMatch(/passes 65535/);
  });

  it('round-trips random row sets (property test)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 70_000 }),
            fc.integer({ min: 0, max: 2 ** 40 }),
            fc.integer({ min: 2 ** 32 - 5, max: 2 ** 32 + 5 }),
          ),
          { maxLength: 300 },
        ),
        fc.func(fc.boolean()),
        (values, preferRun) => {
          const expected = [...new Set(values)].sort((a, b) => a - b);
          expect(rows(decodeRoaringTreemap(encodeRows(values, preferRun)))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never fails with anything but CORRUPT_DELETION_VECTOR on mutated input (fuzz)', () => {
    const seeds = [
      encodeRows([1, 2, 3, 70_000, 2 ** 33], () => false),
      encodeRows([0, 9, 10, 11, 12, 5_000_000], () => true),
      encodeRows(evens, () => false),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (seed, edits, cut) => {
          const bytes = seeds[seed].slice(0, seeds[seed].length - (cut % 3 === 0 ? cut % 17 : 0));
          for (const [at, v] of edits) if (bytes.length) bytes[at % bytes.length] = v;
          try {
            const out = decodeRoaringTreemap(bytes);
            for (let i = 1; i < out.length; i++) expect(out[i]).toBeGreaterThan(out[i - 1]);
          } catch (e) {
            expect(e).toBeInstanceOf(DeltaError);
            expect((e as DeltaError).code).toBe('CORRUPT_DELETION_VECTOR');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseDeletionVectorBytes', () => {
  it('decodes the inline DV of delta-kernel-rs tests to rows 3, 4, 7, 11, 18, 29', () => {
    // kernel/src/actions/deletion_vector.rs, dv_inline() + test_dv_row_indexes (sizeInBytes 44, cardinality 6);
    // PROTOCOL.md "JSON Example 3 — Inline" states the same rows.
    const raw = z85Decode('^Bg9^0rr910000000000iXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L');
    expect(rows(parseDeletionVectorBytes(raw.subarray(0, 44), { expectedCardinality: 6 }))).toEqual([3, 4, 7, 11, 18, 29]);
  });

  it("refuses PROTOCOL.md Example 3's text, which is in the older native layout", () => {
    // The example's bytes start 64 39 D3 D0: Delta's "native" RoaringBitmapArray magic 1681511376, big-endian,
    // not the portable format the same document specifies. delta-kernel-rs uses a corrected string (above).
    const raw = z85Decode('wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L');
    const e = thrownSync(() => parseDeletionVectorBytes(raw, { path: 'x.bin', version: 3 }));
    expect(e.code).toBe('CORRUPT_DELETION_VECTOR');
    expect(e.message).toMatch(/native/);
  });

  it('names the file and version on a bad magic number and a cardinality mismatch', () => {
    const good = withMagic(encodeRows([1, 2], () => false));
    expect(rows(parseDeletionVectorBytes(good, { path: 'dv.bin' }))).toEqual([1, 2]);
    const badMagic = thrownSync(() => parseDeletionVectorBytes(withMagic(encodeRows([1], () => false), 12345), { path: 'dv.bin', version: 7 }));
    expect(badMagic.code).toBe('CORRUPT_DELETION_VECTOR');
    expect(badMagic.message).toMatch(/magic/);
    expect(badMagic.message).toContain('dv.bin');
    expect(badMagic.message).toContain('version 7');
    expect(badMagic.path).toBe('dv.bin');
    expect(badMagic.version).toBe(7);
    const card = thrownSync(() => parseDeletionVectorBytes(good, { path: 'dv.bin', version: 2, expectedCardinality: 3 }));
    expect(card.code).toBe('CORRUPT_DELETION_VECTOR');
    expect(card.message).toMatch(/2 rows .* cardinality is 3/);
    expect(thrownSync(() => parseDeletionVectorBytes(new Uint8Array(3))).code).toBe('CORRUPT_DELETION_VECTOR');
  });
});

describe('isRowDeleted', () => {
  it('binary-searches sorted row indexes', () => {
    const r = Float64Array.from([0, 2, 9, 2 ** 40]);
    expect([0, 1, 2, 3, 9, 10, 2 ** 40, 2 ** 40 + 1, -1].map((x) => isRowDeleted(r, x))).toEqual([
      true, false, true, false, true, false, true, false, false,
    ]);
    expect(isRowDeleted(new Float64Array(), 0)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Real fixture tables
// ---------------------------------------------------------------------------------------------

describe('fixture tables', () => {
  const found = collectFixtureDvs();

  it('finds inline and on-disk DV descriptors in the expected tables', () => {
    const tables = new Set(found.map((f) => f.table));
    for (const t of [
      'table-with-dv-small-kernel',
      'table-with-dv-small-rs',
      'with-short-dv',
      'cdf-table-with-dv',
      'table_with_deletion_logs',
      'cdf-table-with-cdc-and-dvs-kernel',
      'cdf-table-with-cdc-and-dvs-rs',
      'compacted-log-files-table',
    ]) {
      expect(tables, t).toContain(t);
    }
    // The v1-*-struct-stats-only tables enable the deletionVectors feature but their JSON commits hold no DV.
    expect(found.some((f) => f.dv.storageType === 'i')).toBe(true);
    expect(found.some((f) => f.dv.storageType === 'u')).toBe(true);
  });

  it('decodes every DV descriptor of every fixture commit to its cardinality', async () => {
    const seen = new Set<string>();
    let checked = 0;
    for (const f of found) {
      const id = `${f.table}|${dvUniqueId(f.dv)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const where = `${f.table}/_delta_log/${f.logFile} (${f.dataFile})`;
      const store = new NodeFsStore(nodePath.join(TABLES, f.table));
      const deleted = await loadDeletionVector(store, f.dv, { version: f.version, dataFile: f.dataFile });
      expect(deleted.length, where).toBe(f.dv.cardinality);
      for (let i = 1; i < deleted.length; i++) expect(deleted[i], where).toBeGreaterThan(deleted[i - 1]);
      for (const r of deleted) expect(isRowDeleted(deleted, r)).toBe(true);
      // The synchronous decoder agrees with the loader on the raw bytes.
      if (f.dv.storageType === 'u') {
        const raw = readFileSync(nodePath.join(TABLES, f.table, dvFilePath(f.dv)!));
        const offset = f.dv.offset ?? 1;
        expect(raw[0], `${where}: DV file format version`).toBe(1);
        const data = raw.subarray(offset + 4, offset + 4 + f.dv.sizeInBytes);
        expect(rows(decodeRoaringTreemap(data.subarray(4)))).toEqual(rows(deleted));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('table-with-dv-small: deleted rows are 0 and 9', async () => {
    // delta-kernel-rs kernel/src/actions/deletion_vector.rs test_deletion_vector_read: rows [0, 9].
    const dv: DeletionVectorDescriptor = { storageType: 'u', pathOrInlineDv: 'vBn[lx{q8@P<9BNH/isA', offset: 1, sizeInBytes: 36, cardinality: 2 };
    for (const t of ['table-with-dv-small-kernel', 'table-with-dv-small-rs']) {
      expect(rows(await loadDeletionVector(new NodeFsStore(nodePath.join(TABLES, t)), dv))).toEqual([0, 9]);
    }
    // kernel/tests/integration/features/dv.rs test_table_scan(with_dv): 8 of 10 rows remain;
    // delta-rs python/tests/test_table_read.py test_read_deletion_vectors: values 1..8.
    expect(await visibleValues('table-with-dv-small-kernel', 'value')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await visibleValues('table-with-dv-small-rs', 'value')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('with-short-dv: ids 3..9 remain', async () => {
    // delta-kernel-rs kernel/tests/integration/read/mod.rs short_dv: the scan returns ids 3, 4, ..., 9.
    expect(await visibleValues('with-short-dv', 'id')).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const dv: DeletionVectorDescriptor = { storageType: 'u', pathOrInlineDv: 'U5OWRz5k%CFT.Td}yCPW', offset: 1, sizeInBytes: 38, cardinality: 3 };
    expect(rows(await loadDeletionVector(new NodeFsStore(nodePath.join(TABLES, 'with-short-dv')), dv))).toEqual([0, 1, 2]);
  });

  it('cdf-table-with-dv: on-disk and inline DVs hold the rows the upstream test describes', async () => {
    // delta-kernel-rs kernel/tests/cdf.rs cdf_with_deletion_vector: "0. Insert 0..=9, 1. Remove [0, 9],
    // 2. Restore [0, 9], 3. Remove [0, 1, 4, 5], 4. Restore [1, 4], 5. Restore [0, 5] and Remove [3],
    // 6. Restore 3" on one data file. So the DV of the file's add at version v deletes the values:
    const expected: Record<number, number[]> = { 1: [0, 9], 3: [0, 1, 4, 5], 4: [0, 5], 5: [3] };
    const dir = nodePath.join(TABLES, 'cdf-table-with-dv');
    const store = new NodeFsStore(dir);
    const adds = found.filter((f) => f.table === 'cdf-table-with-dv' && f.version !== undefined);
    for (const [v, values] of Object.entries(expected)) {
      const version = Number(v);
      const text = readFileSync(nodePath.join(dir, '_delta_log', `${String(version).padStart(20, '0')}.json`), 'utf8');
      const add = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)).find((a) => a.add)!.add;
      expect(adds.some((f) => f.version === version && dvUniqueId(f.dv) === dvUniqueId(add.deletionVector))).toBe(true);
      const column = readColumn(nodePath.join(dir, add.path), 'value');
      const deleted = await loadDeletionVector(store, add.deletionVector, { version, dataFile: add.path });
      expect(rows(deleted).map((r) => column[r]), `version ${version}`).toEqual(values);
    }
    // Versions 3-5 hold inline DVs; version 5's is written with the '#' tail.
    expect(found.filter((f) => f.table === 'cdf-table-with-dv' && f.dv.storageType === 'i').length).toBeGreaterThan(0);
  });

  it('compacted-log-files-table: ids 0, 1, 2, 10, 12 remain at the latest version', async () => {
    // delta-kernel-rs kernel/tests/integration/read/mod.rs compacted_log_files_table.
    expect(await visibleValues('compacted-log-files-table', 'id')).toEqual([0, 1, 2, 10, 12]);
  });
});

// ---------------------------------------------------------------------------------------------
// Broken copies
// ---------------------------------------------------------------------------------------------

describe('loadDeletionVector on damaged files', () => {
  const dvName = 'deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin';
  const dv: DeletionVectorDescriptor = { storageType: 'u', pathOrInlineDv: 'vBn[lx{q8@P<9BNH/isA', offset: 1, sizeInBytes: 36, cardinality: 2 };
  const original = readFileSync(nodePath.join(TABLES, 'table-with-dv-small-kernel', dvName));
  let tmp: string;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(nodePath.join(os.tmpdir(), 'dv-test-'));
  });
  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  async function tableWith(name: string, bytes: Uint8Array | undefined, file = dvName): Promise<NodeFsStore> {
    const dir = nodePath.join(tmp, name);
    await fs.mkdir(dir, { recursive: true });
    if (bytes) await fs.writeFile(nodePath.join(dir, file), bytes);
    return new NodeFsStore(dir);
  }
  const opts = { version: 1, dataFile: 'part-00000-fae5310a-a37d-4e51-827b-c3d5516560ca-c000.snappy.parquet' };

  it('reads the intact copy', async () => {
    expect(rows(await loadDeletionVector(await tableWith('intact', original), dv, opts))).toEqual([0, 9]);
  });

  it('reports a flipped data byte as a checksum mismatch', async () => {
    for (const at of [1 + 4 + 2, 1 + 4 + 20, 1 + 4 + 35]) {
      const bytes = Uint8Array.from(original);
      bytes[at] ^= 0x01;
      const e = await thrown(loadDeletionVector(await tableWith(`flip-${at}`, bytes), dv, opts));
      expect(e.code).toBe('CORRUPT_DELETION_VECTOR');
      expect(e.message).toMatch(/checksum/);
      expect(e.message).toContain(dvName);
      expect(e.message).toContain('table version 1');
      expect(e.path).toBe(dvName);
      expect(e.version).toBe(1);
    }
    const crcFlip = Uint8Array.from(original);
    crcFlip[crcFlip.length - 1] ^= 0xff;
    expect((await thrown(loadDeletionVector(await tableWith('flip-crc', crcFlip), dv, opts))).message).toMatch(/checksum/);
  });

  it('reports a truncated file as CORRUPT_DELETION_VECTOR', async () => {
    for (const keep of [0, 3, 10, original.length - 1]) {
      const e = await thrown(loadDeletionVector(await tableWith(`trunc-${keep}`, original.subarray(0, keep)), dv, opts));
      expect(e.code).toBe('CORRUPT_DELETION_VECTOR');
      expect(e.message).toMatch(/truncated/);
      expect(e.message).toContain(dvName);
    }
  });

  it('reports a size field that disagrees with sizeInBytes', async () => {
    const e = await thrown(loadDeletionVector(await tableWith('intact-size', original), { ...dv, sizeInBytes: 35 }, opts));
    expect(e.code).toBe('CORRUPT_DELETION_VECTOR');
    expect(e.message).toMatch(/size field says 36 bytes .* sizeInBytes 35/);
  });

  it('reports a cardinality that disagrees with the log', async () => {
    const e = await thrown(loadDeletionVector(await tableWith('intact-card', original), { ...dv, cardinality: 3 }, opts));
    expect(e.code).toBe('CORRUPT_DELETION_VECTOR');
    expect(e.message).toMatch(/holds 2 rows but the log says its cardinality is 3/);
    const max = await thrown(loadDeletionVector(await tableWith('intact-max', original), { ...dv, maxRowIndex: 8 }, opts));
    expect(max.message).toMatch(/maxRowIndex 8/);
  });

  it('reports a bad magic number under a valid checksum', async () => {
    const { bytes, offsets } = dvFile([withMagic(encodeRows([4], () => false), 1681511378)]);
    const e = await thrown(
      loadDeletionVector(await tableWith('magic', bytes), { ...dv, offset: offsets[0], sizeInBytes: bytes.length - 9, cardinality: 1 }, opts),
    );
    expect(e.code).toBe('CORRUPT_DELETION_VECTOR');
    expect(e.message).toMatch(/bad magic number 1681511378/);
  });

  it('reads several DVs of one file by offset, reading only their byte range', async () => {
    const a = withMagic(encodeRows([5, 6, 7], () => true));
    const b = withMagic(encodeRows([2 ** 33, 1], () => false));
    const { bytes, offsets } = dvFile([a, b]);
    const store = await tableWith('multi', bytes);
    const ranges: [number, number][] = [];
    const spy = { ...store, description: store.description, capabilities: store.capabilities, list: store.list.bind(store), get: store.get.bind(store), head: store.head.bind(store),
      getRange: (p: string, r: { start: number; end: number }, s?: AbortSignal) => {
        ranges.push([r.start, r.end]);
        return store.getRange(p, r, s);
      },
    };
    expect(rows(await loadDeletionVector(spy, { ...dv, offset: offsets[0], sizeInBytes: a.length, cardinality: 3 }))).toEqual([5, 6, 7]);
    expect(rows(await loadDeletionVector(spy, { ...dv, offset: offsets[1], sizeInBytes: b.length, cardinality: 2 }))).toEqual([1, 2 ** 33]);
    expect(ranges).toEqual([
      [offsets[0], offsets[0] + 4 + a.length + 4],
      [offsets[1], offsets[1] + 4 + b.length + 4],
    ]);
  });

  it('passes FILE_NOT_FOUND through for a missing DV file, naming the data file', async () => {
    const e = await thrown(loadDeletionVector(await tableWith('missing', undefined), dv, opts));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain(dvName);
    expect(e.message).toContain(`data file ${opts.dataFile}`);
    expect(e.message).toContain('table version 1');
    expect(e.path).toBe(dvName);
  });

  it('reads absolute (p) paths under the table root, and refuses others', async () => {
    const store = await tableWith('my table', original);
    const uri = `file://${nodePath.join(tmp, 'my table').split(nodePath.sep).map(encodeURIComponent).join('/')}/${dvName}`;
    const p: DeletionVectorDescriptor = { ...dv, storageType: 'p', pathOrInlineDv: uri };
    expect(rows(await loadDeletionVector(store, p, opts))).toEqual([0, 9]); // root from store.description
    expect(rows(await loadDeletionVector(store, p, { ...opts, tableRoot: `file://${nodePath.join(tmp, 'my table')}` }))).toEqual([0, 9]);
    const e = await thrown(loadDeletionVector(store, { ...p, pathOrInlineDv: `s3://elsewhere/${dvName}` }, opts));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain('outside the table root');
  });

  it('decodes inline DVs and refuses broken inline text', async () => {
    const store = await tableWith('inline', undefined);
    // cdf-table-with-dv/_delta_log/00000000000000000005.json: an inline DV whose Z85 text carries 2 padding bytes.
    const inline: DeletionVectorDescriptor = {
      storageType: 'i',
      pathOrInlineDv: '^Bg9^0rr910000000000iXQKl0rr91000005c8Xg##093',
      sizeInBytes: 34,
      cardinality: 1,
    };
    expect((await loadDeletionVector(store, inline)).length).toBe(1);
    expect((await thrown(loadDeletionVector(store, { ...inline, pathOrInlineDv: inline.pathOrInlineDv.slice(1) }))).code).toBe(
      'CORRUPT_DELETION_VECTOR',
    );
    expect((await thrown(loadDeletionVector(store, { ...inline, sizeInBytes: 30 }))).message).toMatch(/sizeInBytes 30/);
    expect((await thrown(loadDeletionVector(store, { ...inline, cardinality: 2 }, { version: 5 }))).message).toMatch(
      /inline deletion vector \(table version 5\).*cardinality is 2/,
    );
  });

  it('honours an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await thrown(loadDeletionVector(await tableWith('abort', original), dv, { signal: ac.signal }));
    expect(e.code).toBe('CANCELLED');
  });
});
