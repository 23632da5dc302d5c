/**
 * Generated bad input for the data plane: real fixture tables copied to a temp folder and damaged
 * (missing, truncated or garbage data files; missing, corrupt or checksum-failing deletion vector
 * files; stats of the wrong type under pruning; an enormous partition value; a refused reader
 * feature). Every case ends in the rows of the undamaged table or a typed DeltaError whose code is
 * right and whose message, `path` and `version` name the file and version — under a time bound.
 * The log-level cases are in src/delta/bad-input.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as arrow from 'apache-arrow';
import { DeltaError, type DeltaErrorCode } from '../delta/errors.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { DeltaTable } from '../delta/table.ts';
import { copyFixture, fixture, logLines, thrown } from '../../test/fixtures.ts';
import { commitName, garbage, rewriteCommit, within, writeCommit } from '../../test/bad-input.ts';
import { sortedPretty, testEngine } from '../../test/query-helpers.ts';
import { QuerySession } from './session.ts';

afterAll(async () => (await testEngine()).close());

const BOUND_MS = 30_000;
const DV = 'deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin';
const DV_DATA = 'part-00000-fae5310a-a37d-4e51-827b-c3d5516560ca-c000.snappy.parquet';
/** A data file of basic_partitioned's partition letter=b (one row, number 2). */
const B_FILE = 'letter=b/part-00000-41954fb0-ef91-47e5-bd41-b75169c41c17.c000.snappy.parquet';

interface Case {
  name: string;
  fixture: string;
  damage: (dir: string) => void;
  sql: string;
  /** Same rows as the same SQL on the undamaged fixture, or a typed error. */
  expect:
    | { kind: 'same' }
    | { kind: 'fails'; code: DeltaErrorCode; path: string; version: number; message?: (string | RegExp)[] };
  /** Further checks on the damaged copy's session (other queries still work, ...). */
  also?: (s: QuerySession, dir: string) => Promise<void>;
}

const num = (t: arrow.Table, c: string) => t.toArray().map((r) => Number(r[c])).sort((a, b) => a - b);

const CASES: Case[] = [
  {
    name: 'missing data file',
    fixture: 'basic_partitioned',
    damage: (dir) => rmSync(join(dir, B_FILE)),
    sql: 'SELECT * FROM t',
    expect: { kind: 'fails', code: 'FILE_NOT_FOUND', path: B_FILE, version: 1, message: ['Data file'] },
    also: async (s) => {
      // pruning never touches the missing file; the metadata tables do not read data
      expect(num(await s.sql(`SELECT number FROM t WHERE letter = 'a'`), 'number')).toEqual([1, 4]);
      expect(Number((await s.sql('SELECT count(*) AS n FROM "t$files"')).toArray()[0].n)).toBe(6);
    },
  },
  {
    name: 'data file replaced by garbage (not parquet)',
    fixture: 'basic_partitioned',
    damage: (dir) => writeFileSync(join(dir, B_FILE), garbage(statSync(join(dir, B_FILE)).size)),
    sql: 'SELECT * FROM t',
    expect: { kind: 'fails', code: 'DATA_INTEGRITY', path: B_FILE, version: 1 },
  },
  {
    name: 'truncated data file',
    fixture: 'basic_partitioned',
    damage: (dir) => truncateSync(join(dir, B_FILE), 100),
    sql: 'SELECT * FROM t',
    expect: { kind: 'fails', code: 'DATA_INTEGRITY', path: B_FILE, version: 1 },
  },
  {
    name: 'missing deletion vector file',
    fixture: 'table-with-dv-small-kernel',
    damage: (dir) => rmSync(join(dir, DV)),
    sql: 'SELECT * FROM t',
    expect: { kind: 'fails', code: 'FILE_NOT_FOUND', path: DV, version: 1, message: [DV_DATA] },
  },
  {
    name: 'deletion vector checksum mismatch (one data byte flipped)',
    fixture: 'table-with-dv-small-kernel',
    damage: (dir) => {
      const bytes = readFileSync(join(dir, DV));
      bytes[1 + 4 + 10] ^= 0x01; // version byte, size field, then the bitmap: flip a bitmap byte
      writeFileSync(join(dir, DV), bytes);
    },
    sql: 'SELECT * FROM t',
    expect: { kind: 'fails', code: 'CORRUPT_DELETION_VECTOR', path: DV, version: 1, message: [/checksum/] },
  },
  {
    name: 'truncated deletion vector file',
    fixture: 'table-with-dv-small-kernel',
    damage: (dir) => truncateSync(join(dir, DV), 20),
    sql: 'SELECT * FROM t',
    expect: { kind: 'fails', code: 'CORRUPT_DELETION_VECTOR', path: DV, version: 1 },
  },
  {
    name: 'stats of the wrong type do not break pruning (rows as undamaged)',
    fixture: 'simple_table',
    damage: (dir) => {
      const bad = [JSON.stringify({ numRecords: 'many', minValues: 5, maxValues: 'x' }), 'not json', 42, JSON.stringify({ minValues: { id: 'a' }, maxValues: { id: [] } })];
      let k = 0;
      for (let v = 0; v <= 4; v++) rewriteCommit(dir, v, (as) => as.map((a) => (a.add ? { add: { ...a.add, stats: bad[k++ % bad.length] } } : a)));
    },
    sql: 'SELECT id FROM t WHERE id > 6',
    expect: { kind: 'same' },
    also: async (s) => {
      expect(num(await s.sql('SELECT id FROM t WHERE id >= 5 AND id < 8'), 'id')).toEqual([5, 7]);
    },
  },
  {
    name: 'stats of the wrong type inside valid JSON objects (min/max of another type than the column)',
    fixture: 'basic_partitioned',
    damage: (dir) => {
      for (let v = 0; v <= 1; v++) {
        rewriteCommit(dir, v, (as) =>
          as.map((a) =>
            a.add ? { add: { ...a.add, stats: JSON.stringify({ numRecords: 1, minValues: { number: 'zzz', a_float: {} }, maxValues: { number: 'aaa', a_float: [1] }, nullCount: { number: 'x' } }) } } : a,
          ),
        );
      }
    },
    sql: 'SELECT number, letter FROM t WHERE number > 2',
    expect: { kind: 'same' },
  },
  {
    name: 'enormous partition value (2 MB) is read back whole',
    fixture: 'basic_partitioned',
    damage: (dir) => {
      const add = logLines(dir, 1).find((a) => a.add)!.add;
      copyFileSync(join(dir, decodeURIComponent(add.path)), join(dir, 'huge.parquet'));
      writeCommit(dir, 2, [
        { commitInfo: { timestamp: 1, operation: 'WRITE' } },
        { add: { ...add, path: 'huge.parquet', partitionValues: { letter: 'h'.repeat(2 * 1024 * 1024) }, dataChange: true } },
      ]);
    },
    sql: 'SELECT number FROM "t@v1" ORDER BY number',
    expect: { kind: 'same' },
    also: async (s) => {
      const r = (await s.sql(`SELECT length(letter) AS n FROM t WHERE length(letter) > 1000`)).toArray();
      expect(r.map((x) => Number(x.n))).toEqual([2 * 1024 * 1024]);
    },
  },
  {
    name: 'unknown reader feature: data refused naming the commit, metadata tables still work',
    fixture: 'simple_table',
    damage: (dir) =>
      writeCommit(dir, 5, [
        { commitInfo: { timestamp: 1, operation: 'UPGRADE PROTOCOL' } },
        { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['futureFeature'], writerFeatures: ['futureFeature'] } },
      ]),
    sql: 'SELECT * FROM t',
    expect: { kind: 'fails', code: 'UNSUPPORTED_READER_FEATURE', path: commitName(5), version: 5, message: ['futureFeature'] },
    also: async (s) => {
      expect(Number((await s.sql('SELECT count(*) AS n FROM "t$history"')).toArray()[0].n)).toBe(6);
      expect(num(await s.sql('SELECT id FROM "t@v4"'), 'id')).toEqual([5, 7, 9]);
    },
  },
];

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

async function session(dir: string): Promise<QuerySession> {
  return QuerySession.open(new DeltaTable(new NodeFsStore(dir)), { engine: await testEngine() });
}

describe('bad input in the data plane: undamaged rows or a typed error naming file and version', () => {
  for (const c of CASES) {
    it(`${c.fixture}: ${c.name}`, async () => {
      const dir = copyFixture(c.fixture);
      made.push(dir);
      c.damage(dir);
      await within(BOUND_MS, (async () => {
        const s = await session(dir);
        try {
          if (c.expect.kind === 'same') {
            const base = await session(fixture(c.fixture));
            try {
              expect(sortedPretty(await s.sql(c.sql))).toEqual(sortedPretty(await base.sql(c.sql)));
            } finally {
              await base.close();
            }
          } else {
            const e = c.expect;
            const err = await thrown(s.sql(c.sql));
            expect(err).toBeInstanceOf(DeltaError);
            expect(err.code, err.message).toBe(e.code);
            expect(err.path).toBe(e.path);
            expect(err.version).toBe(e.version);
            expect(err.message).toContain(e.path);
            expect(err.message).toMatch(new RegExp(`version ${e.version}\\b`));
            for (const m of e.message ?? []) expect(err.message).toMatch(m);
          }
          await c.also?.(s, dir);
        } finally {
          await s.close();
        }
      })(), c.name);
    }, BOUND_MS + 5_000);
  }
});
