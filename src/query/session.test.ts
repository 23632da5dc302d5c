/**
 * QuerySession: time travel in SQL, metadata tables, the table_changes hook, file pruning measured
 * in bytes read, and missing files.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaError } from '../delta/errors.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { DeltaTable } from '../delta/table.ts';
import { copyFixture, fixture, referenceReplay } from '../../test/fixtures.ts';
import { CountingStore, openSession, testEngine } from '../../test/query-helpers.ts';
import { QuerySession } from './session.ts';

afterAll(async () => (await testEngine()).close());

const col = (t: arrow.Table, name: string) => t.toArray().map((r) => r[name]);
const nums = (t: arrow.Table, name: string) => col(t, name).map(Number).sort((a, b) => a - b);

describe('time travel', () => {
  it('simple_table: five versions (write, merge, overwrite, update, delete)', async () => {
    const s = await openSession('simple_table');
    try {
      // v0 and v4: delta-rs python/tests/test_table_read.py::test_read_simple_table_update_incremental
      expect(nums(await s.sql('SELECT id FROM "t@v0"'), 'id')).toEqual([0, 1, 2, 3, 4]);
      expect(nums(await s.sql('SELECT id FROM "t@v4"'), 'id')).toEqual([5, 7, 9]);
      // v1..v3 derived by hand: forward replay of the log, then the active data files read raw.
      expect(nums(await s.sql('SELECT id FROM "t@v1"'), 'id')).toEqual([...Array(20).keys()]);
      expect(nums(await s.sql('SELECT id FROM "t@2"'), 'id')).toEqual([5, 6, 7, 8, 9]);
      expect(nums(await s.sql('SELECT id FROM "t@v3"'), 'id')).toEqual([5, 7, 9, 106, 108]);
      // `t` is the latest version; versions can be combined in one query.
      const diff = await s.sql('SELECT id FROM "t@v3" EXCEPT SELECT id FROM t ORDER BY id');
      expect(nums(diff, 'id')).toEqual([106, 108]);
    } finally {
      await s.close();
    }
  });

  it('delta-0.2.0 version 2', async () => {
    // delta-rs python/tests/test_table_read.py::test_read_simple_table_by_version_to_dict
    const s = await openSession('delta-0.2.0');
    try {
      expect(nums(await s.sql('SELECT value FROM "t@v2"'), 'value')).toEqual([1, 2, 3]);
    } finally {
      await s.close();
    }
  });

  it('table_with_deletion_logs: deletion vectors change between versions (checkpoint at 10)', async () => {
    // Derived by hand from the log: v0 writes 100 rows; v3 `DELETE id = 12` and v4 `DELETE id = 89`
    // add DVs of cardinality 1 and 2; later commits delete or update nothing (operationMetrics 0).
    const s = await openSession('table_with_deletion_logs');
    try {
      const at = async (v: string) => (await s.sql(`SELECT count(*) AS n, count(*) FILTER (WHERE id = 12) AS a, count(*) FILTER (WHERE id = 89) AS b FROM "t@${v}"`)).toArray()[0];
      const v0 = await at('v0');
      expect([Number(v0.n), Number(v0.a), Number(v0.b)]).toEqual([100, 1, 1]);
      const v3 = await at('v3');
      expect([Number(v3.n), Number(v3.a), Number(v3.b)]).toEqual([99, 0, 1]);
      const v15 = await at('v15');
      expect([Number(v15.n), Number(v15.a), Number(v15.b)]).toEqual([98, 0, 0]);
      const latest = (await s.sql('SELECT count(*) AS n FROM t')).toArray()[0];
      expect(Number(latest.n)).toBe(98);
    } finally {
      await s.close();
    }
  });

  it('cdf-table-kernel: updates and deletes across partitions, four versions', async () => {
    // Derived by hand: forward replay of the log, active files read raw, partition values from the log.
    const s = await openSession('cdf-table-kernel');
    try {
      const q = async (v: number) =>
        (await s.sql(`SELECT id, name, CAST(birthday AS VARCHAR) AS b FROM "t@v${v}" ORDER BY id`)).toArray().map((r) => `${r.id}:${r.name}:${r.b}`);
      expect(await q(0)).toEqual([
        '1:Steve:2023-12-22', '2:Bob:2023-12-23', '3:Dave:2023-12-23', '4:Kate:2023-12-23', '5:Emily:2023-12-24',
        '6:Carl:2023-12-24', '7:Dennis:2023-12-24', '8:Claire:2023-12-25', '9:Ada:2023-12-25', '10:Borb:2023-12-25',
      ]);
      expect(await q(1)).toEqual([
        '1:Steve:2023-12-22', '2:Bob:2023-12-22', '3:Dave:2023-12-22', '4:Kate:2023-12-22', '5:Emily:2023-12-24',
        '6:Carl:2023-12-24', '7:Dennis:2023-12-24', '8:Claire:2023-12-25', '9:Ada:2023-12-25', '10:Borb:2023-12-25',
      ]);
      expect(await q(2)).toEqual([
        '1:Steve:2023-12-22', '2:Bob:2023-12-22', '3:Dave:2023-12-22', '4:Kate:2023-12-22', '5:Emily:2023-12-29',
        '6:Carl:2023-12-29', '7:Dennis:2023-12-29', '8:Claire:2023-12-25', '9:Ada:2023-12-25', '10:Borb:2023-12-25',
      ]);
      expect(await q(3)).toEqual([
        '1:Steve:2023-12-22', '2:Bob:2023-12-22', '3:Dave:2023-12-22', '4:Kate:2023-12-22', '5:Emily:2023-12-29',
        '6:Carl:2023-12-29', '8:Claire:2023-12-25', '9:Ada:2023-12-25', '10:Borb:2023-12-25',
      ]);
      // Cross-check the file sets against the independent forward replay of test/fixtures.ts.
      for (const v of [0, 1, 2, 3]) {
        const files = await s.sql(`SELECT path FROM "t@v${v}$files" ORDER BY path`);
        expect(col(files, 'path')).toEqual(referenceReplay(fixture('cdf-table-kernel'), v).paths.map((p) => decodeURIComponent(p)).sort());
      }
    } finally {
      await s.close();
    }
  });

  it('timestamps: "t@<ISO-8601>" reads the version current at that time', async () => {
    const s = await openSession('simple_table');
    try {
      const h = (await s.sql('SELECT version, epoch_ms("timestamp") AS ms FROM "t$history" ORDER BY version')).toArray();
      const v2ms = Number(h[2].ms);
      const iso = new Date(v2ms).toISOString();
      expect(nums(await s.sql(`SELECT id FROM "t@${iso}"`), 'id')).toEqual([5, 6, 7, 8, 9]);
      // Just before version 3's commit: still version 2.
      const before3 = new Date(Number(h[3].ms) - 1).toISOString();
      expect(nums(await s.sql(`SELECT id FROM "t@${before3}"`), 'id')).toEqual([5, 6, 7, 8, 9]);
      await expect(s.sql('SELECT * FROM "t@1970-01-01T00:00:00Z"')).rejects.toMatchObject({ code: 'TIMESTAMP_OUT_OF_RANGE' });
      await expect(s.sql('SELECT * FROM "t@v99"')).rejects.toBeInstanceOf(DeltaError);
      // The scan API takes the same targets.
      expect(nums(await s.scan({ timestamp: iso, columns: ['id'] }), 'id')).toEqual([5, 6, 7, 8, 9]);
      expect(nums(await s.scan({ version: 0 }), 'id')).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await s.close();
    }
  });
});

describe('metadata tables', () => {
  it('"t$history": Trino columns, newest first', async () => {
    const s = await openSession('simple_table');
    try {
      const h = await s.sql('SELECT * FROM "t$history"');
      expect(h.schema.fields.map((f) => f.name)).toEqual([
        'version', 'timestamp', 'user_id', 'user_name', 'operation', 'operation_parameters', 'cluster_id', 'read_version', 'isolation_level', 'is_blind_append', 'operation_metrics',
      ]);
      // The commitInfo operations of simple_table's five commits.
      expect(col(h, 'version').map(Number)).toEqual([4, 3, 2, 1, 0]);
      expect(col(h, 'operation')).toEqual(['DELETE', 'UPDATE', 'WRITE', 'MERGE', 'WRITE']);
      const params = await s.sql(`SELECT operation_parameters['mode'][1] AS mode FROM "t$history" WHERE version = 2`);
      expect(col(params, 'mode')).toEqual(['Overwrite']);
      const v = await s.sql('SELECT max(version) AS v FROM "t@v2$history"');
      expect(Number(col(v, 'v')[0])).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('"t$properties" includes table properties and protocol versions/features', async () => {
    const s = await openSession('table_with_deletion_logs');
    try {
      const p = await s.sql('SELECT key, value FROM "t$properties" ORDER BY key');
      const map = Object.fromEntries(p.toArray().map((r) => [r.key, r.value]));
      expect(map['delta.enableDeletionVectors']).toBe('true');
      expect(map['delta.minReaderVersion']).toBe('3');
      expect(map['delta.feature.deletionVectors']).toBe('supported');
    } finally {
      await s.close();
    }
  });

  it('"t$files" and "t$partitions" agree with the snapshot totals', async () => {
    const s = await openSession('basic_partitioned');
    try {
      const files = await s.sql('SELECT count(*) AS n, sum(size_bytes) AS size, sum(num_records) AS recs FROM "t$files"');
      const row = files.toArray()[0];
      expect(Number(row.n)).toBe(s.snapshot.totals.numFiles);
      expect(Number(row.size)).toBe(s.snapshot.totals.sizeInBytes);
      expect(Number(row.recs)).toBe(6);
      const pv = await s.sql(`SELECT partition_values['letter'][1] AS letter FROM "t$files" ORDER BY letter NULLS FIRST`);
      expect(col(pv, 'letter')).toEqual([null, 'a', 'a', 'b', 'c', 'e']);
      const parts = await s.sql('SELECT * FROM "t$partitions"');
      expect(parts.schema.fields.map((f) => f.name)).toEqual(['letter', 'file_count', 'total_size_bytes', 'record_count', 'deleted_record_count']);
      expect(parts.toArray().map((r) => `${r.letter}:${r.file_count}:${r.record_count}`)).toEqual(['null:1:1', 'a:2:2', 'b:1:1', 'c:1:1', 'e:1:1']);
    } finally {
      await s.close();
    }
  });

  it('scan: a predicate on a column that is not selected', async () => {
    const s = await openSession('basic_partitioned');
    try {
      // the rows with letter 'a' in delta-kernel-rs read/mod.rs::data for basic_partitioned: numbers 1 and 4
      const t = await s.scan({ columns: ['number'], where: "letter = 'a'" });
      expect(t.schema.fields.map((f) => f.name)).toEqual(['number']);
      expect(col(t, 'number').map(Number).sort()).toEqual([1, 4]);
      await expect(s.scan({ columns: ['nope'], where: "letter = 'a'" })).rejects.toMatchObject({ code: 'QUERY_ERROR' });
    } finally {
      await s.close();
    }
  });

  it('"t$partitions" of an unpartitioned table with deletion vectors: one row of live records', async () => {
    const s = await openSession('table-with-dv-small-kernel');
    try {
      const parts = (await s.sql('SELECT * FROM "t$partitions"')).toArray();
      expect(parts.length).toBe(1);
      expect([Number(parts[0].file_count), Number(parts[0].record_count), Number(parts[0].deleted_record_count)]).toEqual([1, 8, 2]);
      const files = (await s.sql('SELECT has_deletion_vector, deleted_records FROM "t$files"')).toArray();
      expect([files[0].has_deletion_vector, Number(files[0].deleted_records)]).toEqual([true, 2]);
    } finally {
      await s.close();
    }
  });

  it('metadata tables work on a table whose data cannot be read', async () => {
    const s = await openSession('simple_table_features');
    try {
      const p = await s.sql(`SELECT value FROM "t$properties" WHERE key = 'delta.feature.blahabl'`);
      expect(col(p, 'value')).toEqual(['supported']);
      await expect(s.sql('SELECT * FROM t')).rejects.toMatchObject({ code: 'UNSUPPORTED_READER_FEATURE' });
    } finally {
      await s.close();
    }
  });
});

describe('table_changes hook', () => {
  it('is rewritten to the provider result', async () => {
    const calls: unknown[][] = [];
    const s = await openSession('cdf-table-kernel', {
      tableChanges: async ({ startVersion, endVersion, startTimestamp, endTimestamp }) => {
        calls.push([startVersion, endVersion, startTimestamp, endTimestamp]);
        const v = startVersion ?? 0;
        return arrow.tableFromArrays({ id: Int32Array.from([1, 2]), _change_type: ['insert', 'delete'], _commit_version: Int32Array.from([v, endVersion ?? v]) });
      },
    });
    try {
      const r = await s.sql('SELECT _change_type, count(*) AS n FROM table_changes(1, 3) GROUP BY 1 ORDER BY 1');
      expect(calls).toEqual([[1, 3, undefined, undefined]]);
      expect(col(r, '_change_type')).toEqual(['delete', 'insert']);
      await s.sql(`SELECT * FROM table_changes('2024-01-01T00:00:00Z', 2)`);
      expect(calls[1]).toEqual([undefined, 2, '2024-01-01T00:00:00Z', undefined]);
    } finally {
      await s.close();
    }
  });

  it('without a provider, table_changes reads the feed with the built-in reader (see changes.test.ts)', async () => {
    const s = await openSession('cdf-table-kernel');
    try {
      const r = await s.sql('SELECT count(*) AS n FROM table_changes(0)');
      expect(Number(col(r, 'n')[0])).toBe(23);
    } finally {
      await s.close();
    }
  });
});

describe('only the bytes a query needs', () => {
  const counting = (name: string) => new CountingStore(new NodeFsStore(fixture(name)));

  it('LIMIT 5 preview of COVID-19_NYT (8 files, 6 MB) reads one file', async () => {
    const store = counting('COVID-19_NYT');
    const s = await openSession('COVID-19_NYT', { store });
    try {
      const r = await s.sql('SELECT * FROM t LIMIT 5');
      expect(r.numRows).toBe(5);
      const total = s.snapshot.totals.sizeInBytes;
      expect(store.dataGets.length).toBe(1);
      expect(store.dataBytes).toBeLessThan(total / 5);
      expect(s.lastPlans[0].pruning.byLimit).toBe(7);
    } finally {
      await s.close();
    }
  });

  it('a partition filter reads only the matching partition files', async () => {
    const store = counting('basic_partitioned');
    const s = await openSession('basic_partitioned', { store });
    try {
      const r = await s.sql(`SELECT number FROM t WHERE letter = 'a'`);
      expect(nums(r, 'number')).toEqual([1, 4]);
      expect(s.lastPlans[0].pruning.byPartition).toBe(4);
      const expectedBytes = (await s.sql(`SELECT sum(size_bytes) AS b FROM "t$files" WHERE partition_values['letter'][1] = 'a'`)).toArray()[0].b;
      expect(store.dataGets.length).toBe(2);
      expect(store.dataGets.every((p) => p.startsWith('letter=a/'))).toBe(true);
      expect(store.dataBytes).toBe(Number(expectedBytes));
    } finally {
      await s.close();
    }
  });

  it('a filter on a timestamp partition column (typed from the log)', async () => {
    const store = counting('data-reader-timestamp_ntz');
    const s = await openSession('data-reader-timestamp_ntz', { store });
    try {
      const r = await s.sql(`SELECT id FROM t WHERE tsNtzPartition = TIMESTAMP '2013-07-05 17:01:00.123456'`);
      expect(nums(r, 'id')).toEqual([3, 4, 5]);
      expect(s.lastPlans[0].pruning.byPartition).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('a stats filter skips files whose min/max exclude it', async () => {
    // timestamp-truncation-stats: three files with ts_col in [1s,2s], [3s,4.0005s], [7s,8s]; the
    // middle file's JSON max is truncated to 4.000 s (kernel read/mod.rs timestamp truncation tests).
    const store = counting('timestamp-truncation-stats');
    const s = await openSession('timestamp-truncation-stats', { store });
    try {
      const r = await s.sql(`SELECT id FROM t WHERE ts_col > TIMESTAMPTZ '1970-01-01 00:00:04.0004+00'`);
      expect(nums(r, 'id')).toEqual([4, 5, 6]);
      expect(store.dataGets.length).toBe(2);
      expect(s.lastPlans[0].pruning.byStats).toBe(1);
      store.reset();
      // Past the last file's max: nothing to read at all.
      const none = await s.sql(`SELECT id FROM t WHERE ts_col > TIMESTAMPTZ '1970-01-01 00:00:09+00'`);
      expect(none.numRows).toBe(0);
      expect(store.dataGets.length).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('stats pruning on a long column (v1-single-part-struct-stats-only, stats_parsed only)', async () => {
    const store = counting('v1-single-part-struct-stats-only');
    const s = await openSession('v1-single-part-struct-stats-only', { store });
    try {
      expect(nums(await s.sql('SELECT id FROM t WHERE id IN (2, 4)'), 'id')).toEqual([2, 4]);
      expect(store.dataGets.length).toBe(2);
      store.reset();
      expect(nums(await s.sql('SELECT id FROM t WHERE id BETWEEN 2 AND 3 AND value IS NOT NULL'), 'id')).toEqual([2, 3]);
      // Files stay registered for the session: only the file of id 3 is new.
      expect(store.dataGets.length).toBe(1);
      expect(s.lastPlans[0].pruning.byStats).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('queries that are not of the simple shape read every file and stay correct', async () => {
    const store = counting('basic_partitioned');
    const s = await openSession('basic_partitioned', { store });
    try {
      // LIMIT applies after GROUP BY: no limit pruning may happen.
      const r = await s.sql(`SELECT letter, count(*) AS n FROM t GROUP BY letter ORDER BY letter NULLS FIRST LIMIT 2`);
      expect(r.toArray().map((x) => `${x.letter}:${x.n}`)).toEqual(['null:1', 'a:2']);
      expect(s.lastPlans[0].pruning.byLimit).toBe(0);
      expect(store.dataGets.length).toBe(6);
      // A WHERE on a partition column still prunes under aggregation: NULL <> 'z' is not true.
      const w = await s.sql(`SELECT letter, sum(number) AS s FROM t WHERE letter <> 'z' GROUP BY letter ORDER BY letter`);
      expect(w.toArray().map((x) => `${x.letter}:${x.s}`)).toEqual(['a:5', 'b:2', 'c:3', 'e:5']);
      expect(s.lastPlans[0].pruning.byPartition).toBe(1);
      // A join of two versions is not simple: both sides read in full.
      const j = await s.sql(`SELECT count(*) AS n FROM t AS x JOIN "t@v0" AS y ON x.number = y.number`);
      expect(Number(j.toArray()[0].n)).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });

  it('scan(): columns, where and limit without SQL', async () => {
    const store = counting('COVID-19_NYT');
    const s = await openSession('COVID-19_NYT', { store });
    try {
      const r = await s.scan({ columns: ['county', 'cases'], limit: 3 });
      expect(r.schema.fields.map((f) => f.name)).toEqual(['county', 'cases']);
      expect(r.numRows).toBe(3);
      expect(store.dataGets.length).toBe(1);
    } finally {
      await s.close();
    }
  });
});

describe('missing files', () => {
  it('a missing data file fails with FILE_NOT_FOUND naming it', async () => {
    const dir = copyFixture('basic_partitioned');
    try {
      const victim = 'letter=b/part-00000-6a5f7a7b-2a5f-45e2-8b9f-1d0b1f0a0d2c.c000.snappy.parquet';
      const files = referenceReplay(dir, 1).paths.map((p) => decodeURIComponent(p));
      const target = files.find((p) => p.startsWith('letter=b/')) ?? victim;
      rmSync(join(dir, target));
      const s = await QuerySession.open(new DeltaTable(new NodeFsStore(dir)), { engine: await testEngine() });
      try {
        const err = await s.sql('SELECT * FROM t').catch((e) => e);
        expect(err).toBeInstanceOf(DeltaError);
        expect(err.code).toBe('FILE_NOT_FOUND');
        expect(err.path).toBe(target);
        expect(err.message).toContain(target);
        // Other partitions are still readable: pruning never touches the missing file.
        expect(nums(await s.sql(`SELECT number FROM t WHERE letter = 'a'`), 'number')).toEqual([1, 4]);
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a missing deletion vector file fails with FILE_NOT_FOUND naming the DV file and the data file', async () => {
    const dir = copyFixture('table-with-dv-small-kernel');
    try {
      rmSync(join(dir, 'deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin'));
      const s = await QuerySession.open(new DeltaTable(new NodeFsStore(dir)), { engine: await testEngine() });
      try {
        const err = await s.sql('SELECT * FROM t').catch((e) => e);
        expect(err).toBeInstanceOf(DeltaError);
        expect(err.code).toBe('FILE_NOT_FOUND');
        expect(err.path).toBe('deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin');
        expect(err.message).toContain('deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin');
        expect(err.message).toContain('part-00000-fae5310a-a37d-4e51-827b-c3d5516560ca-c000.snappy.parquet');
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('direct file access', () => {
  it("fileAccess 'direct' registers local paths (no store.get of data files; only their footers are read by range)", async () => {
    const store = new CountingStore(new NodeFsStore(fixture('basic_partitioned')));
    // CountingStore has no url(); give it the inner store's.
    (store as unknown as { url: (p: string) => Promise<string | undefined> }).url = (p) => (store.inner as NodeFsStore).url(p);
    const s = await openSession('basic_partitioned', { store, fileAccess: 'direct' });
    try {
      expect(nums(await s.sql('SELECT number FROM t'), 'number')).toEqual([1, 2, 3, 4, 5, 6]);
      expect(store.dataGets).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

describe('count(*) from the log', () => {
  /** The test engine with every SQL text it runs recorded. */
  async function spyEngine() {
    const engine = await testEngine();
    const seen: string[] = [];
    return { seen, engine: { ...engine, query: (q: string) => (seen.push(q), engine.query(q)) } };
  }
  const field = (t: arrow.Table) => t.schema.fields.map((f) => `${f.name}: ${f.type}`);

  it('basic_partitioned: a bare count(*) is the sum of numRecords, with DuckDB\'s column name and type', async () => {
    const { seen, engine } = await spyEngine();
    const s = await openSession('basic_partitioned', { engine });
    try {
      const slow = await s.sql('SELECT count(*) FROM t WHERE true');
      expect(seen.at(-1)).toBe('SELECT count(*) FROM t WHERE true');
      for (const q of ['SELECT count(*) FROM t', 'select COUNT(*) from T;']) {
        const fast = await s.sql(q);
        expect(seen.at(-1), q).toMatch(/^SELECT CAST\(\d+ AS BIGINT\) AS "count_star\(\)"$/);
        expect(field(fast)).toEqual(field(slow));
        expect(fast.toArray().map((r) => r.toJSON())).toEqual(slow.toArray().map((r) => r.toJSON()));
      }
      const aliased = await s.sql('SELECT count(*) AS n FROM "t@v0"');
      expect(seen.at(-1)).toMatch(/^SELECT CAST\(\d+ AS BIGINT\) AS "n"$/);
      expect(aliased.toArray()[0].n).toBe((await s.sql('SELECT count(*) AS n FROM "t@v0" WHERE true')).toArray()[0].n);
    } finally {
      await s.close();
    }
  });

  it('deletion vectors or files without stats: counted by DuckDB', async () => {
    for (const [name, n] of [['table-with-dv-small-kernel', 8n], ['delta-0.2.0', 6n]] as const) {
      const { seen, engine } = await spyEngine();
      const s = await openSession(name, { engine });
      try {
        expect((await s.sql('SELECT count(*) AS n FROM t')).toArray()[0].n, name).toBe(n);
        expect(seen.at(-1), name).toBe('SELECT count(*) AS n FROM t');
      } finally {
        await s.close();
      }
    }
  });
});
