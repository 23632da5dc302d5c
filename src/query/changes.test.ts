/**
 * Change Data Feed rows from the data plane (`changes.ts` through `QuerySession`): real fixture
 * tables, real DuckDB-WASM (Node engine).
 *
 * Row-level expectations are the upstream tables, named next to each: delta-kernel-rs
 * `kernel/tests/cdf.rs` (arrow-rs pretty print without `_commit_timestamp`, which kernel projects
 * out because file modification times change with every checkout; compared sorted like
 * `assert_batches_sorted_eq!`) and delta-rs CDF tests (`test_respect_ict`, `test_load_vacuumed_table`),
 * as transcribed in `src/delta/changes.test.ts`. Cells are compared as arrow-rs prints them
 * (doubles as `100.0`, dates as `YYYY-MM-DD`, structs as `{a: 1}`, null as an empty cell), column
 * padding ignored. Every query goes through SQL: `SELECT <columns> FROM table_changes(a, b)`.
 */
import { readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaError } from '../delta/errors.ts';
import { copyFixture, fixture, commitPath, logLines, thrown } from '../../test/fixtures.ts';
import { openSession, testEngine } from '../../test/query-helpers.ts';
import { quoteIdent } from './engine.ts';
import type { QuerySession } from './session.ts';
import { formatCell, tableCells } from './values.ts';
import { CDF_WITH_DV, BASIC_CDF, NON_PARTITIONED, CDC_AND_DVS, TEN_INSERTS_V0, TEN_DELETES_V1, SIMPLE_V2, ID_HEADER, CM_NAME, CM_ID } from '../../test/expected/kernel-cdf.ts';

afterAll(async () => (await testEngine()).close());

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Parses an upstream arrow-rs table (lines starting with `|`; the first is the header). */
function parseTable(text: string): { header: string[]; rows: string[] } {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'));
  const cells = (l: string) => l.slice(1, -1).split('|').map((c) => c.trim());
  return { header: cells(lines[0]), rows: lines.slice(1).map((l) => cells(l).join(' | ')).sort() };
}

/** Rows of a result as arrow-rs prints their cells, joined with ` | `, sorted. */
function shownRows(t: arrow.Table): string[] {
  return tableCells(t)
    .map((r) => r.map((c) => formatCell(c)).join(' | '))
    .sort();
}

async function withSession<T>(nameOrDir: string, fn: (s: QuerySession) => Promise<T>): Promise<T> {
  const s = await openSession(nameOrDir);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

/**
 * `SELECT * FROM table_changes(<args>)` has the expected columns (in order) plus `_commit_timestamp`,
 * and, without `_commit_timestamp` (as upstream projects it out), the expected rows.
 */
async function expectFeed(table: string, args: string, expected: string): Promise<void> {
  const { header, rows } = parseTable(expected);
  await withSession(table, async (s) => {
    const t = await s.sql(`SELECT * FROM table_changes(${args})`);
    expect(t.schema.fields.map((f) => f.name)).toEqual([...header, '_commit_timestamp']);
    expect(shownRows(t.select(header))).toEqual(rows);
    // The same through an explicit projection (column pruning through the view).
    const projected = await s.sql(`SELECT ${header.map(quoteIdent).join(', ')} FROM table_changes(${args})`);
    expect(shownRows(projected)).toEqual(rows);
  });
}

const writeCommit = (dir: string, v: number, actions: unknown[]) => writeFileSync(commitPath(dir, v), actions.map((a) => JSON.stringify(a)).join('\n') + '\n');

async function withCopy<T>(name: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = copyFixture(name);
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Upstream expectations (delta-kernel-rs kernel/tests/cdf.rs): test/expected/kernel-cdf.ts

// ---------------------------------------------------------------------------------------------
// Row-level comparisons with upstream
// ---------------------------------------------------------------------------------------------

describe('SELECT * FROM table_changes(a, b) equals delta-kernel-rs kernel/tests/cdf.rs', () => {
  it('cdf_with_deletion_vector: cdf-table-with-dv 0..latest', async () => {
    await expectFeed('cdf-table-with-dv', '0', CDF_WITH_DV);
  });

  for (const t of ['cdf-table-kernel', 'cdf-table-rs']) {
    it(`basic_cdf: ${t} 0..latest`, async () => {
      await expectFeed(t, '0', BASIC_CDF);
    });
  }

  for (const t of ['cdf-table-non-partitioned-kernel', 'cdf-table-non-partitioned-rs']) {
    it(`cdf_non_partitioned: ${t} 0..latest`, async () => {
      await expectFeed(t, '0', NON_PARTITIONED);
    });
  }

  // compacted-log-files-table is cdf-table-with-cdc-and-dvs plus log compaction files (identical commits).
  for (const t of ['cdf-table-with-cdc-and-dvs-kernel', 'cdf-table-with-cdc-and-dvs-rs', 'compacted-log-files-table']) {
    it(`cdf_with_cdc_and_dvs: ${t} 0..latest`, async () => {
      await expectFeed(t, '0', CDC_AND_DVS);
    });
  }

  it('simple_cdf_version_ranges: cdf-table-simple 0..0, 1..1, 2..2, 0..2', async () => {
    await expectFeed('cdf-table-simple', '0, 0', `${ID_HEADER}\n${TEN_INSERTS_V0}`);
    await expectFeed('cdf-table-simple', '1, 1', `${ID_HEADER}\n${TEN_DELETES_V1}`);
    await expectFeed('cdf-table-simple', '2, 2', `${ID_HEADER}\n${SIMPLE_V2}`);
    await expectFeed('cdf-table-simple', '0, 2', `${ID_HEADER}\n${TEN_INSERTS_V0}\n${TEN_DELETES_V1}\n${SIMPLE_V2}`);
  });

  it('update_operations: cdf-table-update-ops 0..2 (change types come from the cdc files, even non-standard ones)', async () => {
    const pre = [20, 21, 22, 23, 24].map((i) => `| ${i} | update_pre | 1 |`).join('\n');
    const post = [30, 31, 32, 33, 34].map((i) => `| ${i} | update_post | 2 |`).join('\n');
    await expectFeed('cdf-table-update-ops', '0, 2', `${ID_HEADER}\n${TEN_INSERTS_V0}\n${pre}\n${post}`);
  });

  it('false_data_change_is_ignored: cdf-table-data-change 0..1', async () => {
    await expectFeed('cdf-table-data-change', '0, 1', `${ID_HEADER}\n${TEN_INSERTS_V0}`);
  });

  it('partition_table: cdf-table-partitioned 0..2 (partition values typed from the log, also for cdc files)', async () => {
    await expectFeed(
      'cdf-table-partitioned',
      '0, 2',
      `
| id | text | part | _change_type     | _commit_version |
| 0  | old  | 0    | insert           | 0               |
| 1  | old  | 1    | insert           | 0               |
| 2  | old  | 0    | insert           | 0               |
| 3  | old  | 1    | insert           | 0               |
| 4  | old  | 0    | insert           | 0               |
| 5  | old  | 1    | insert           | 0               |
| 3  | old  | 1    | delete           | 1               |
| 1  | old  | 1    | update_preimage  | 1               |
| 1  | new  | 1    | update_postimage | 1               |
| 0  | old  | 0    | delete           | 2               |
| 2  | old  | 0    | delete           | 2               |
| 4  | old  | 0    | delete           | 2               |`,
    );
    await withSession('cdf-table-partitioned', async (s) => {
      const t = await s.sql('SELECT part FROM table_changes(0, 2) LIMIT 1');
      expect(arrow.DataType.isInt(t.schema.fields[0].type) && (t.schema.fields[0].type as arrow.Int).bitWidth).toBe(64);
    });
  });

  it('backtick_column_names: cdf-table-backtick-column-names 0..latest', async () => {
    await expectFeed(
      'cdf-table-backtick-column-names',
      '0',
      `
| id.num | id.num\`s | struct_col               | _change_type | _commit_version |
| 2      | 10       | {field: 1, field.one: 2} | insert       | 0               |
| 4      | 10       | {field: 1, field.one: 2} | insert       | 0               |
| 1      | 10       | {field: 1, field.one: 2} | insert       | 1               |
| 3      | 10       | {field: 1, field.one: 2} | insert       | 1               |
| 5      | 10       | {field: 1, field.one: 2} | insert       | 1               |`,
    );
  });

  it('unconditional_delete: cdf-table-delete-unconditional 0..latest', async () => {
    await expectFeed('cdf-table-delete-unconditional', '0', `${ID_HEADER}\n${TEN_INSERTS_V0}\n${TEN_DELETES_V1}`);
  });

  it('conditional_delete_all_rows: cdf-table-delete-conditional-all-rows 0..latest', async () => {
    await expectFeed('cdf-table-delete-conditional-all-rows', '0', `${ID_HEADER}\n${TEN_INSERTS_V0}\n${TEN_DELETES_V1}`);
  });

  it('conditional_delete_two_rows: cdf-table-delete-conditional-two-rows 0..latest', async () => {
    await expectFeed('cdf-table-delete-conditional-two-rows', '0', `${ID_HEADER}\n${TEN_INSERTS_V0}\n| 2 | delete | 1 |\n| 8 | delete | 1 |`);
  });

  for (const t of ['cdf-column-mapping-name-mode', 'cdf-column-mapping-name-mode-3-7']) {
    it(`cdf_with_column_mapping_name_mode: ${t} 1..latest (physical names in the files)`, async () => {
      await expectFeed(t, '1', CM_NAME);
    });
  }

  it('cdf_with_column_mapping_id_mode: cdf-column-mapping-id-mode 1..latest', async () => {
    await expectFeed('cdf-column-mapping-id-mode', '1', CM_ID);
  });
});

describe('table_changes equals delta-rs CDF tests', () => {
  it('test_load_vacuumed_table: checkpoint-cdf-table from version 3 (commits 0-2 are gone)', async () => {
    await expectFeed(
      'checkpoint-cdf-table',
      '3',
      `
| id | name   | birthday   | _change_type     | _commit_version |
| 11 | Ossama | 2024-12-30 | insert           | 4               |
| 11 | Ossama | 2024-12-30 | update_preimage  | 5               |
| 12 | Nick   | 2023-12-29 | insert           | 4               |
| 12 | Nick   | 2023-12-29 | update_preimage  | 5               |
| 12 | Ossama | 2024-12-30 | update_postimage | 5               |
| 13 | Nick   | 2023-12-29 | update_postimage | 5               |
| 13 | Ryan   | 2023-12-22 | insert           | 4               |
| 13 | Ryan   | 2023-12-22 | update_preimage  | 5               |
| 14 | Ryan   | 2023-12-22 | update_postimage | 5               |
| 14 | Zach   | 2023-12-25 | insert           | 4               |
| 14 | Zach   | 2023-12-25 | update_preimage  | 5               |
| 15 | Zach   | 2023-12-25 | update_postimage | 5               |
| 7  | Dennis | 2023-12-29 | delete           | 3               |`,
    );
    await withSession('checkpoint-cdf-table', async (s) => {
      const e = await thrown(s.sql('SELECT * FROM table_changes(2)'));
      expect(e.code).toBe('VERSION_NOT_FOUND');
    });
  });

  it('test_respect_ict: cdc_ict_table 2..3, _commit_timestamp is the in-commit timestamp', async () => {
    // delta-rs prints the timestamp without a zone; the column here is TIMESTAMPTZ (UTC), so it is
    // cast to a plain TIMESTAMP for the comparison.
    const expected = parseTable(`
| name  | age | birthyear | _change_type     | _commit_version | _commit_timestamp       |
| Dan   | 14  | 1995      | delete           | 2               | 2026-07-12T16:36:52.175 |
| Dave  | 22  | 1995      | delete           | 2               | 2026-07-12T16:36:52.175 |
| Kate  | 36  | 1995      | update_preimage  | 3               | 2026-07-12T16:36:53.881 |
| Kate  | 37  | 1995      | update_postimage | 3               | 2026-07-12T16:36:53.881 |
| Steve | 40  | 1986      | update_preimage  | 3               | 2026-07-12T16:36:53.881 |
| Steve | 41  | 1986      | update_postimage | 3               | 2026-07-12T16:36:53.881 |`);
    await withSession('cdc_ict_table', async (s) => {
      const t = await s.sql(
        'SELECT name, age, birthyear, _change_type, _commit_version, CAST(_commit_timestamp AS TIMESTAMP) AS _commit_timestamp FROM table_changes(2, 3)',
      );
      expect(shownRows(t)).toEqual(expected.rows);
    });
  });

  it('simple_table_with_cdc 0..latest (derived from the log, not an upstream assertion: v1 appends Mario, v2 UPDATE writes a cdc file)', async () => {
    await expectFeed(
      'simple_table_with_cdc',
      '0',
      `
| id | name  | _change_type     | _commit_version |
| 0  | Mario | insert           | 1               |
| 0  | Mario | update_preimage  | 2               |
| 0  | Mino  | update_postimage | 2               |`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Columns, timestamps, deletion vectors
// ---------------------------------------------------------------------------------------------

describe('columns and commit timestamps', () => {
  it('the table columns then _change_type VARCHAR, _commit_version BIGINT, _commit_timestamp TIMESTAMPTZ; ordered by version', async () => {
    await withSession('cdf-table-kernel', async (s) => {
      const t = await s.sql('SELECT * FROM table_changes(0, 3)');
      expect(t.schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'birthday', '_change_type', '_commit_version', '_commit_timestamp']);
      const [ct, cv, ts] = t.schema.fields.slice(3).map((f) => f.type);
      expect(arrow.DataType.isUtf8(ct)).toBe(true);
      expect(arrow.DataType.isInt(cv) && cv.bitWidth === 64).toBe(true);
      expect(arrow.DataType.isTimestamp(ts) && !!ts.timezone).toBe(true);
      const versions = t.toArray().map((r) => Number(r._commit_version));
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(t.numRows).toBe(23);
    });
  });

  it('cdc_ict_table: _commit_timestamp of every version equals commitInfo.inCommitTimestamp', async () => {
    const dir = fixture('cdc_ict_table');
    const ict = new Map([0, 1, 2, 3].map((v) => [v, logLines(dir, v).find((a) => a.commitInfo)!.commitInfo.inCommitTimestamp as number]));
    await withSession('cdc_ict_table', async (s) => {
      const t = await s.sql('SELECT DISTINCT _commit_version AS v, epoch_ms(_commit_timestamp) AS ms FROM table_changes(0, 3) ORDER BY v');
      const got = t.toArray().map((r) => [Number(r.v), Number(r.ms)]);
      expect(got.length).toBeGreaterThan(0);
      for (const [v, ms] of got) expect([v, ms]).toEqual([v, ict.get(v)]);
      // Versions without rows (v0 creates the table) still carry theirs in the summary.
      const summary = await s.changeSummary({ from: 0, to: 3 });
      expect(summary.map((x) => [x.version, x.timestampMs])).toEqual([...ict.entries()]);
    });
  });

  it('cdf-table-with-dv: a growing DV yields exactly the newly deleted rows, a shrinking one the restored rows (checked against time travel)', async () => {
    await withSession('cdf-table-with-dv', async (s) => {
      for (let v = 1; v <= 6; v++) {
        const feed = await s.sql(`SELECT value, _change_type FROM table_changes(${v}, ${v})`);
        const of = (type: string) =>
          feed
            .toArray()
            .filter((r) => r._change_type === type)
            .map((r) => Number(r.value))
            .sort((a, b) => a - b);
        const diff = async (a: number, b: number) =>
          (await s.sql(`SELECT value FROM "t@v${a}" EXCEPT ALL SELECT value FROM "t@v${b}"`))
            .toArray()
            .map((r) => Number(r.value))
            .sort((x, y) => x - y);
        expect([v, 'delete', of('delete')]).toEqual([v, 'delete', await diff(v - 1, v)]);
        expect([v, 'insert', of('insert')]).toEqual([v, 'insert', await diff(v, v - 1)]);
      }
      // The kernel comments: 1. Remove [0, 9] 3. Remove [0, 1, 4, 5] 5. Remove [3].
      const deletes = await s.sql(`SELECT _commit_version AS v, list(value ORDER BY value) AS rows FROM table_changes(0) WHERE _change_type = 'delete' GROUP BY 1 ORDER BY 1`);
      expect(deletes.toArray().map((r) => [Number(r.v), Array.from(r.rows.toArray() as Int32Array)])).toEqual([
        [1, [0, 9]],
        [3, [0, 1, 4, 5]],
        [5, [3]],
      ]);
    });
  });

  it('a column added inside the range reads as NULL for older files; a later widened type is CAST (type widening)', async () => {
    // cdf-table-simple + v3: metaData adding `extra` (nullable string) + v4: remove of a v2 data file.
    await withCopy('cdf-table-simple', async (dir) => {
      const meta = logLines(dir, 0).find((a) => a.metaData)!.metaData;
      const schema = JSON.parse(meta.schemaString);
      schema.fields.push({ name: 'extra', type: 'string', nullable: true, metadata: {} });
      writeCommit(dir, 3, [{ metaData: { ...meta, schemaString: JSON.stringify(schema) } }]);
      // v1 removed the v0 files; re-add one at v4 with dataChange (an insert) and remove it at v5.
      const add = logLines(dir, 0).find((a) => a.add)!.add;
      writeCommit(dir, 4, [{ add: { ...add, dataChange: true } }]);
      writeCommit(dir, 5, [{ remove: { path: add.path, deletionTimestamp: 1, dataChange: true, extendedFileMetadata: true, partitionValues: {}, size: add.size } }]);
      await withSession(dir, async (s) => {
        const t = await s.sql('SELECT id, extra, _change_type, _commit_version FROM table_changes(2, 5)');
        expect(shownRows(t)).toEqual(
          [
            ...[20, 21, 22, 23, 24].map((i) => `${i} |  | insert | 2`),
            ...[0, 1, 2, 3, 4].map((i) => `${i} |  | insert | 4`),
            ...[0, 1, 2, 3, 4].map((i) => `${i} |  | delete | 5`),
          ].sort(),
        );
        expect(t.schema.fields.map((f) => f.name)).toEqual(['id', 'extra', '_change_type', '_commit_version']);
      });
    });
    // cdf-table-with-dv (`value` integer) + v7: value widened to long + v8: remove of the data file.
    await withCopy('cdf-table-with-dv', async (dir) => {
      const v0 = logLines(dir, 0);
      const meta = v0.find((a) => a.metaData)!.metaData;
      const schema = JSON.parse(meta.schemaString);
      schema.fields[0] = { ...schema.fields[0], type: 'long', metadata: { 'delta.typeChanges': [{ fromType: 'integer', toType: 'long' }] } };
      writeCommit(dir, 7, [
        { protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors', 'typeWidening'], writerFeatures: ['deletionVectors', 'changeDataFeed', 'typeWidening'] } },
        { metaData: { ...meta, schemaString: JSON.stringify(schema), configuration: { ...meta.configuration, 'delta.enableTypeWidening': 'true' } } },
      ]);
      const add = logLines(dir, 6).find((a) => a.add)!.add;
      writeCommit(dir, 8, [{ remove: { path: add.path, deletionTimestamp: 1, dataChange: true, extendedFileMetadata: true, partitionValues: {}, size: add.size } }]);
      await withSession(dir, async (s) => {
        const t = await s.sql('SELECT value, _change_type, _commit_version FROM table_changes(7, 8)');
        const f = t.schema.fields[0].type;
        expect(arrow.DataType.isInt(f) && f.bitWidth).toBe(64);
        expect(shownRows(t)).toEqual(Array.from({ length: 10 }, (_, i) => `${i} | delete | 8`).sort());
        // Across the widening the core refuses the range (CDF_INCOMPATIBLE_SCHEMA).
        expect((await thrown(s.sql('SELECT * FROM table_changes(6, 8)'))).code).toBe('CDF_INCOMPATIBLE_SCHEMA');
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Timestamps as bounds, the changes() API, the summary
// ---------------------------------------------------------------------------------------------

describe('timestamp bounds, changes() and changeSummary()', () => {
  const t0 = 1_700_000_000_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const withTimes = (fn: (s: QuerySession) => Promise<void>) =>
    withCopy('cdf-table-simple', async (dir) => {
      [0, 1, 2].forEach((v) => utimesSync(commitPath(dir, v), new Date(t0 + v * 10_000), new Date(t0 + v * 10_000)));
      await withSession(dir, fn);
    });
  const versionsOf = (t: arrow.Table) => [...new Set(t.toArray().map((r) => Number(r._commit_version)))];

  it("table_changes('<ISO>', '<ISO>') resolves like Spark: first commit at or after the start, last at or before the end", async () => {
    await withTimes(async (s) => {
      expect(versionsOf(await s.sql(`SELECT * FROM table_changes('${iso(t0 + 1)}', '${iso(t0 + 19_999)}')`))).toEqual([1]);
      expect(versionsOf(await s.sql(`SELECT * FROM table_changes('${iso(t0 + 10_000)}', '${iso(t0 + 20_000)}')`))).toEqual([1, 2]);
      expect(versionsOf(await s.sql(`SELECT * FROM table_changes('${iso(t0 + 5000)}')`))).toEqual([1, 2]);
      expect(versionsOf(await s.sql(`SELECT * FROM table_changes(0, '${iso(t0 + 10_000)}')`))).toEqual([0, 1]);
      // Both times between two commits: an empty feed with the feed's columns.
      const empty = await s.sql(`SELECT * FROM table_changes('${iso(t0 + 11_000)}', '${iso(t0 + 12_000)}')`);
      expect(empty.numRows).toBe(0);
      expect(empty.schema.fields.map((f) => f.name)).toEqual(['id', '_change_type', '_commit_version', '_commit_timestamp']);
      // _commit_timestamp is the commit time.
      const ts = await s.sql('SELECT DISTINCT _commit_version AS v, epoch_ms(_commit_timestamp) AS ms FROM table_changes(0, 2) ORDER BY v');
      expect(ts.toArray().map((r) => [Number(r.v), Number(r.ms)])).toEqual([0, 1, 2].map((v) => [v, t0 + v * 10_000]));
      const e = await thrown(s.sql(`SELECT * FROM table_changes('${iso(t0 + 30_000)}')`));
      expect(e.code).toBe('TIMESTAMP_OUT_OF_RANGE');
      expect((await thrown(s.sql(`SELECT * FROM table_changes('not a time')`))).code).toBe('INVALID_ARGUMENT');
    });
  });

  it('changes({from, to}) and changes({fromTimestamp, toTimestamp}) return the same rows as SQL, as Arrow', async () => {
    await withTimes(async (s) => {
      const bySql = await s.sql('SELECT * FROM table_changes(1, 2)');
      const byVersion = await s.changes({ from: 1, to: 2 });
      const byTime = await s.changes({ fromTimestamp: iso(t0 + 1), toTimestamp: t0 + 20_000 });
      expect(shownRows(byVersion)).toEqual(shownRows(bySql));
      expect(shownRows(byTime)).toEqual(shownRows(bySql));
      expect(byVersion.numRows).toBe(15);
      expect(s.lastChangePlans.map((p) => [p.startVersion, p.endVersion])).toEqual([[1, 2]]);
      expect((await thrown(s.changes({ from: 0, fromTimestamp: t0 }))).code).toBe('INVALID_ARGUMENT');
      expect((await thrown(s.changes({}))).code).toBe('INVALID_ARGUMENT');
    });
  });

  it('a table_changes relation can be joined with the table and queried repeatedly', async () => {
    await withSession('cdf-table-kernel', async (s) => {
      const q = `SELECT count(*) AS n FROM table_changes(0, 3) AS c JOIN t USING (id) WHERE c._change_type = 'insert'`;
      expect(Number((await s.sql(q)).getChild('n')!.get(0))).toBe(9); // id 7 was deleted at v3
      expect(Number((await s.sql(q)).getChild('n')!.get(0))).toBe(9);
      expect(s.lastChangePlans.map((p) => p.endVersion)).toEqual([3]);
      const both = await s.sql('SELECT (SELECT count(*) FROM table_changes(0, 0)) AS a, (SELECT count(*) FROM table_changes(3)) AS b');
      expect([Number(both.getChild('a')!.get(0)), Number(both.getChild('b')!.get(0))]).toEqual([10, 1]);
    });
  });

  it('changeSummary: changeTypeCounts plus the rows per _change_type counted by DuckDB', async () => {
    await withSession('cdf-table-with-dv', async (s) => {
      const sum = await s.changeSummary({ from: 0 });
      expect(sum.map((x) => [x.version, x.rows.insert, x.rows.delete, x.totalRows, x.estimatedRows])).toEqual([
        [0, 10, 0, 10, 10],
        [1, 0, 2, 2, 2],
        [2, 2, 0, 2, 2],
        [3, 0, 4, 4, 4],
        [4, 2, 0, 2, 2],
        [5, 2, 1, 3, 3],
        [6, 1, 0, 1, 1],
      ]);
    });
    await withSession('cdf-table-kernel', async (s) => {
      const sum = await s.changeSummary({ from: 0, to: 3 });
      // v1-v3 are cdc commits: no estimate from the log, actual counts from the files.
      expect(sum.map((x) => [x.version, x.cdc.files > 0, x.estimatedRows, x.rows])).toEqual([
        [0, false, 10, { insert: 10, update_preimage: 0, update_postimage: 0, delete: 0 }],
        [1, true, null, { insert: 0, update_preimage: 3, update_postimage: 3, delete: 0 }],
        [2, true, null, { insert: 0, update_preimage: 3, update_postimage: 3, delete: 0 }],
        [3, true, null, { insert: 0, update_preimage: 0, update_postimage: 0, delete: 1 }],
      ]);
      expect(sum.map((x) => x.totalRows)).toEqual([10, 6, 6, 1]);
    });
    await withSession('cdf-table-update-ops', async (s) => {
      const sum = await s.changeSummary({ from: 0, to: 2 });
      expect(sum.map((x) => [x.version, x.totalRows, x.otherRows])).toEqual([
        [0, 10, {}],
        [1, 5, { update_pre: 5 }],
        [2, 5, { update_post: 5 }],
      ]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

describe('errors', () => {
  it('delta-rs test_load_non_cdf: simple_table never enabled the feed → CDF_NOT_ENABLED naming the versions', async () => {
    await withSession('simple_table', async (s) => {
      const e = await thrown(s.sql('SELECT * FROM table_changes(0)'));
      expect(e.code).toBe('CDF_NOT_ENABLED');
      expect(e.message).toContain('versions 0–4');
      expect((await thrown(s.changes({ from: 1, to: 2 }))).message).toContain('versions 1–2');
    });
  });

  it('kernel table_changes_checks_enable_cdf_flag: table-with-cdf 0..2 names version 2; 0..1 passes the check', async () => {
    await withSession('table-with-cdf', async (s) => {
      const e = await thrown(s.sql('SELECT * FROM table_changes(0, 2)'));
      expect(e.code).toBe('CDF_NOT_ENABLED');
      expect(e.version).toBe(2);
      expect(e.message).toContain('version 2 ');
      // The fixture is log-only (its add paths are fake): 0..1 is planned, then its data is missing.
      const missing = await thrown(s.sql('SELECT * FROM table_changes(0, 1)'));
      expect(missing.code).toBe('FILE_NOT_FOUND');
      expect(missing.message).toContain('fake/path/');
    });
  });

  it('kernel schema_evolution_fails: table-with-cdf 3..4 → CDF_INCOMPATIBLE_SCHEMA', async () => {
    await withSession('table-with-cdf', async (s) => {
      const e = await thrown(s.sql('SELECT * FROM table_changes(3, 4)'));
      expect(e.code).toBe('CDF_INCOMPATIBLE_SCHEMA');
      expect(e.version).toBe(3);
    });
  });

  it('an unsupported reader feature inside the range → UNSUPPORTED_READER_FEATURE', async () => {
    await withCopy('cdf-table-simple', async (dir) => {
      writeCommit(dir, 3, [{ protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['futureFeature'], writerFeatures: ['changeDataFeed', 'futureFeature'] } }]);
      await withSession(dir, async (s) => {
        const e = await thrown(s.sql('SELECT * FROM table_changes(0)'));
        expect(e.code).toBe('UNSUPPORTED_READER_FEATURE');
        expect(e.message).toContain('futureFeature');
        expect((await s.sql('SELECT * FROM table_changes(0, 2)')).numRows).toBe(25);
      });
    });
  });

  it('a deleted change data file → FILE_NOT_FOUND naming it (and the version reading it)', async () => {
    await withCopy('cdf-table-partitioned', async (dir) => {
      const cdc = '_change_data/part=1/test%file%prefix-cdc-00000-3337563f-8c64-4cc2-a9c5-7c8ad04deb0b.c000.snappy.parquet';
      unlinkSync(join(dir, cdc));
      await withSession(dir, async (s) => {
        const e = await thrown(s.sql('SELECT * FROM table_changes(0, 2)'));
        expect(e.code).toBe('FILE_NOT_FOUND');
        expect(e.message).toContain(cdc);
        expect(e.message).toContain('Change data file');
        expect(e.path).toBe(cdc);
        expect(e.version).toBe(1);
        // Versions not reading it still work.
        expect((await s.sql('SELECT * FROM table_changes(2, 2)')).numRows).toBe(3);
      });
    });
  });

  it('a deleted data file and a deleted deletion vector file → FILE_NOT_FOUND naming them', async () => {
    await withCopy('cdf-table-simple', async (dir) => {
      const add = logLines(dir, 0).find((a) => a.add)!.add;
      const path = decodeURIComponent(add.path);
      unlinkSync(join(dir, path));
      await withSession(dir, async (s) => {
        const e = await thrown(s.changes({ from: 0, to: 0 }));
        expect(e.code).toBe('FILE_NOT_FOUND');
        expect(e.message).toContain(path);
        expect(e.version).toBe(0);
      });
    });
    await withCopy('cdf-table-with-dv', async (dir) => {
      const dv = 'deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin';
      unlinkSync(join(dir, dv));
      await withSession(dir, async (s) => {
        const e = await thrown(s.sql('SELECT * FROM table_changes(0)'));
        expect(e.code).toBe('FILE_NOT_FOUND');
        expect(e.message).toContain(dv);
      });
    });
  });
});
