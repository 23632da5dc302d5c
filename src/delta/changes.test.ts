/**
 * Tests of `changes.ts` (Change Data Feed plans) on the real fixture tables of test/fixtures/tables.
 *
 * Row-level expectations are copied from the upstream test that asserts them, named next to each:
 * delta-kernel-rs `kernel/tests/cdf.rs` and `kernel/src/table_changes/mod.rs` (tests), and delta-rs
 * `crates/core/src/delta_datafusion/cdf/...` tests (`test_respect_ict`, `test_load_vacuumed_table`,
 * `test_load_non_cdf`, ...). Upstream tables print `null` as an empty cell and drop
 * `_commit_timestamp` (file modification times change with every checkout), so do we, except where
 * the timestamp is an in-commit timestamp.
 *
 * The plans are applied by a tiny test-only executor: parquet-wasm reads each planned file, the row
 * filter is applied by physical row index, and `_change_type` (from the file for `cdc` reads),
 * `_commit_version`, `_commit_timestamp` and partition values are attached.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import { changeTypeCounts, planChanges, rowFilterIndexes, rowFilterKeeps, type ChangePlan, type PlanChangesOptions } from './changes.ts';
import { DeltaError } from './errors.ts';
import { loadHistory } from './history.ts';
import { parquetWasm } from './parquet.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import type { ObjectStore } from './storage/object-store.ts';
import { copyFixture, fixture, commitPath, logLines, thrown } from '../../test/fixtures.ts';
import { CDF_WITH_DV, BASIC_CDF, NON_PARTITIONED, CDC_AND_DVS, TEN_INSERTS_V0, TEN_DELETES_V1, SIMPLE_V2, ID_HEADER, CM_NAME, CM_ID } from '../../test/expected/kernel-cdf.ts';

// ---------------------------------------------------------------------------------------------
// Test-only executor
// ---------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

async function readParquet(store: ObjectStore, path: string): Promise<Table> {
  const pw = await parquetWasm();
  const bytes = await store.get(path);
  const file = await pw.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const wasmTable = await file.read();
  return tableFromIPC(wasmTable.intoIPCStream());
}

/** Applies a plan: every planned read, its row filter, and the CDF columns. */
async function execute(store: ObjectStore, plan: ChangePlan): Promise<Row[]> {
  const logicalOf = new Map<string, string>();
  for (const f of plan.schema.fields) {
    const p = f.metadata?.['delta.columnMapping.physicalName'];
    logicalOf.set(plan.columnMappingMode !== 'none' && typeof p === 'string' ? p : f.name, f.name);
  }
  const out: Row[] = [];
  for (const v of plan.versions) {
    for (const read of v.reads) {
      const t = await readParquet(store, read.storePath);
      const cols = t.schema.fields.map((f, k) => ({ name: logicalOf.get(f.name) ?? f.name, isDate: DataType.isDate(f.type), vec: t.getChildAt(k)! }));
      for (let i = 0; i < t.numRows; i++) {
        if (!rowFilterKeeps(read.rows, i)) continue;
        const row: Row = {};
        for (const c of cols) {
          const val = c.vec.get(i);
          row[c.name] = c.isDate && typeof val === 'number' ? new Date(val).toISOString().slice(0, 10) : val;
        }
        for (const pc of plan.partitionColumns) row[pc.name] = read.partitionValues[pc.key] ?? null;
        row._change_type = read.changeType ?? row._change_type;
        row._commit_version = read.version;
        row._commit_timestamp = read.commitTimestampMs;
        out.push(row);
      }
    }
  }
  return out;
}

/** A value as arrow's pretty printer shows it (null as empty, numbers normalised). */
function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    const o = (v as { toJSON(): Record<string, unknown> }).toJSON();
    return `{${Object.entries(o).map(([k, x]) => `${k}: ${show(x)}`).join(', ')}}`;
  }
  return String(v);
}

/** Normalises an expected cell: `100.0` and `100` are the same double. */
function normExpected(s: string): string {
  return /^-?\d+\.\d+$/.test(s) ? String(Number(s)) : s;
}

/** Parses an upstream `assert_batches_sorted_eq!` table (lines starting with `|`; the first is the header). */
function parseTable(text: string): { header: string[]; rows: string[] } {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'));
  const cells = (l: string) => l.slice(1, -1).split('|').map((c) => c.trim());
  const header = cells(lines[0]);
  const rows = lines.slice(1).map((l) => cells(l).map(normExpected).join(' | '));
  return { header, rows: rows.sort() };
}

function showRows(rows: Row[], header: string[]): string[] {
  return rows
    .map((r) => header.map((h) => (h === '_commit_timestamp' ? new Date(r[h] as number).toISOString().replace('Z', '') : show(r[h]))).join(' | '))
    .sort();
}

function open(name: string): NodeFsStore {
  return new NodeFsStore(fixture(name));
}

/** Plans and executes a range of a fixture and compares with an upstream table. */
async function expectFeed(table: string, options: PlanChangesOptions, expected: string): Promise<ChangePlan> {
  const store = open(table);
  const plan = await planChanges(store, options);
  const { header, rows } = parseTable(expected);
  expect(showRows(await execute(store, plan), header)).toEqual(rows);
  return plan;
}


// Upstream expectations (delta-kernel-rs kernel/tests/cdf.rs): test/expected/kernel-cdf.ts

// ---------------------------------------------------------------------------------------------
// Row-level comparisons with upstream
// ---------------------------------------------------------------------------------------------

describe('row-level feed equals delta-kernel-rs kernel/tests/cdf.rs', () => {
  it('cdf_with_deletion_vector: cdf-table-with-dv 0..latest', async () => {
    await expectFeed('cdf-table-with-dv', { startVersion: 0 }, CDF_WITH_DV);
  });

  for (const t of ['cdf-table-kernel', 'cdf-table-rs']) {
    it(`basic_cdf: ${t} 0..latest`, async () => {
      await expectFeed(t, { startVersion: 0 }, BASIC_CDF);
    });
  }

  for (const t of ['cdf-table-non-partitioned-kernel', 'cdf-table-non-partitioned-rs']) {
    it(`cdf_non_partitioned: ${t} 0..latest`, async () => {
      await expectFeed(t, { startVersion: 0 }, NON_PARTITIONED);
    });
  }

  // compacted-log-files-table is cdf-table-with-cdc-and-dvs plus log compaction files (identical commits).
  for (const t of ['cdf-table-with-cdc-and-dvs-kernel', 'cdf-table-with-cdc-and-dvs-rs', 'compacted-log-files-table']) {
    it(`cdf_with_cdc_and_dvs: ${t} 0..latest`, async () => {
      await expectFeed(t, { startVersion: 0 }, CDC_AND_DVS);
    });
  }

  it('simple_cdf_version_ranges: cdf-table-simple 0..0, 1..1, 2..2, 0..2', async () => {
    await expectFeed('cdf-table-simple', { startVersion: 0, endVersion: 0 }, `${ID_HEADER}\n${TEN_INSERTS_V0}`);
    await expectFeed('cdf-table-simple', { startVersion: 1, endVersion: 1 }, `${ID_HEADER}\n${TEN_DELETES_V1}`);
    await expectFeed('cdf-table-simple', { startVersion: 2, endVersion: 2 }, `${ID_HEADER}\n${SIMPLE_V2}`);
    await expectFeed('cdf-table-simple', { startVersion: 0, endVersion: 2 }, `${ID_HEADER}\n${TEN_INSERTS_V0}\n${TEN_DELETES_V1}\n${SIMPLE_V2}`);
  });

  it('update_operations: cdf-table-update-ops 0..2 (change types come from the cdc files)', async () => {
    const pre = [20, 21, 22, 23, 24].map((i) => `| ${i} | update_pre | 1 |`).join('\n');
    const post = [30, 31, 32, 33, 34].map((i) => `| ${i} | update_post | 2 |`).join('\n');
    await expectFeed('cdf-table-update-ops', { startVersion: 0, endVersion: 2 }, `${ID_HEADER}\n${TEN_INSERTS_V0}\n${pre}\n${post}`);
  });

  it('false_data_change_is_ignored: cdf-table-data-change 0..1', async () => {
    const plan = await expectFeed('cdf-table-data-change', { startVersion: 0, endVersion: 1 }, `${ID_HEADER}\n${TEN_INSERTS_V0}`);
    expect(plan.versions[1].reads).toEqual([]);
  });

  it('partition_table: cdf-table-partitioned 0..2', async () => {
    await expectFeed(
      'cdf-table-partitioned',
      { startVersion: 0, endVersion: 2 },
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
  });

  it('backtick_column_names: cdf-table-backtick-column-names 0..latest', async () => {
    await expectFeed(
      'cdf-table-backtick-column-names',
      { startVersion: 0 },
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
    await expectFeed('cdf-table-delete-unconditional', { startVersion: 0 }, `${ID_HEADER}\n${TEN_INSERTS_V0}\n${TEN_DELETES_V1}`);
  });

  it('conditional_delete_all_rows: cdf-table-delete-conditional-all-rows 0..latest', async () => {
    await expectFeed('cdf-table-delete-conditional-all-rows', { startVersion: 0 }, `${ID_HEADER}\n${TEN_INSERTS_V0}\n${TEN_DELETES_V1}`);
  });

  it('conditional_delete_two_rows: cdf-table-delete-conditional-two-rows 0..latest', async () => {
    await expectFeed('cdf-table-delete-conditional-two-rows', { startVersion: 0 }, `${ID_HEADER}\n${TEN_INSERTS_V0}\n| 2 | delete | 1 |\n| 8 | delete | 1 |`);
  });

  for (const t of ['cdf-column-mapping-name-mode', 'cdf-column-mapping-name-mode-3-7']) {
    it(`cdf_with_column_mapping_name_mode: ${t} 1..latest`, async () => {
      const plan = await expectFeed(t, { startVersion: 1 }, CM_NAME);
      expect(plan.columnMappingMode).toBe('name');
    });
  }

  it('cdf_with_column_mapping_id_mode: cdf-column-mapping-id-mode 1..latest', async () => {
    const plan = await expectFeed('cdf-column-mapping-id-mode', { startVersion: 1 }, CM_ID);
    expect(plan.columnMappingMode).toBe('id');
  });
});

describe('row-level feed equals delta-rs tests', () => {
  it('test_load_vacuumed_table: checkpoint-cdf-table from version 3 (start snapshot from the checkpoint; commits 0-2 are gone)', async () => {
    // delta-rs resolves its starting timestamp to version 3; the timestamps there are commitInfo
    // times, not file times, so they are left out here.
    await expectFeed(
      'checkpoint-cdf-table',
      { startVersion: 3 },
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
    const e = await thrown(planChanges(open('checkpoint-cdf-table'), { startVersion: 2 }));
    expect(e.code).toBe('VERSION_NOT_FOUND');
    expect(e.message).toContain('oldest retained commit is version 3');
  });

  it('test_respect_ict: cdc_ict_table 2..3, _commit_timestamp is the in-commit timestamp', async () => {
    await expectFeed(
      'cdc_ict_table',
      { startVersion: 2, endVersion: 3 },
      `
| name  | age | birthyear | _change_type     | _commit_version | _commit_timestamp       |
| Dan   | 14  | 1995      | delete           | 2               | 2026-07-12T16:36:52.175 |
| Dave  | 22  | 1995      | delete           | 2               | 2026-07-12T16:36:52.175 |
| Kate  | 36  | 1995      | update_preimage  | 3               | 2026-07-12T16:36:53.881 |
| Kate  | 37  | 1995      | update_postimage | 3               | 2026-07-12T16:36:53.881 |
| Steve | 40  | 1986      | update_preimage  | 3               | 2026-07-12T16:36:53.881 |
| Steve | 41  | 1986      | update_postimage | 3               | 2026-07-12T16:36:53.881 |`,
    );
  });

  it('simple_table_with_cdc 0..latest (expectation derived from the log: v1 appends Mario, v2 UPDATE writes a cdc file; not an upstream assertion)', async () => {
    const plan = await expectFeed(
      'simple_table_with_cdc',
      { startVersion: 0 },
      `
| id | name  | _change_type     | _commit_version |
| 0  | Mario | insert           | 1               |
| 0  | Mario | update_preimage  | 2               |
| 0  | Mino  | update_postimage | 2               |`,
    );
    expect(plan.versions.map((v) => [v.version, v.hasCdcFiles, v.reads.map((r) => r.source)])).toEqual([
      [0, false, []],
      [1, false, ['add']],
      [2, true, ['cdc']],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Plan structure
// ---------------------------------------------------------------------------------------------

describe('plan structure', () => {
  it('cdf-table-with-dv: DV pairs give only the changed rows (kernel resolve_dvs), v0 reads all rows', async () => {
    const plan = await planChanges(open('cdf-table-with-dv'), { startVersion: 0 });
    const summary = plan.versions.map((v) => v.reads.map((r) => [r.source, r.changeType, r.rows.kind, r.rows.kind === 'all' ? null : Array.from(r.rows.rows)]));
    // The table's value column holds its row index, so the kernel comments give the rows:
    // 1. Remove [0, 9]  2. Restore [0, 9]  3. Remove [0, 1, 4, 5]  4. Restore [1, 4]
    // 5. Restore [0, 5] and Remove [3]  6. Restore 3
    expect(summary).toEqual([
      [['add', 'insert', 'all', null]],
      [['dvDelete', 'delete', 'only', [0, 9]]],
      [['dvRestore', 'insert', 'only', [0, 9]]],
      [['dvDelete', 'delete', 'only', [0, 1, 4, 5]]],
      [['dvRestore', 'insert', 'only', [1, 4]]],
      [
        ['dvDelete', 'delete', 'only', [3]],
        ['dvRestore', 'insert', 'only', [0, 5]],
      ],
      [['dvRestore', 'insert', 'only', [3]]],
    ]);
    expect(plan.numReads).toBe(8);
    expect(plan.resolvedFrom).toEqual({ start: 'version', end: 'latest' });
    expect(plan.startVersion).toBe(0);
    expect(plan.endVersion).toBe(6);
  });

  it('cdc commits read only their cdc files, with partition values; paths are decoded for the store', async () => {
    const plan = await planChanges(open('cdf-table-partitioned'), { startVersion: 1, endVersion: 1 });
    const [v1] = plan.versions;
    expect(v1.hasCdcFiles).toBe(true);
    expect(v1.operation).toBe('MERGE');
    expect(v1.reads).toHaveLength(1);
    expect(v1.reads[0]).toMatchObject({
      source: 'cdc',
      changeType: null,
      path: '_change_data/part=1/test%25file%25prefix-cdc-00000-3337563f-8c64-4cc2-a9c5-7c8ad04deb0b.c000.snappy.parquet',
      storePath: '_change_data/part=1/test%file%prefix-cdc-00000-3337563f-8c64-4cc2-a9c5-7c8ad04deb0b.c000.snappy.parquet',
      partitionValues: { part: '1' },
      rows: { kind: 'all' },
      sizeBytes: 1091,
      numRecords: null,
      estimatedRows: null,
    });
    expect(plan.partitionColumns.map((p) => [p.name, p.key, p.type.type])).toEqual([['part', 'part', 'long']]);
  });

  it('column mapping: the plan carries the end schema and partition keys; cdf-column-mapping tables start CDF at version 1', async () => {
    const plan = await planChanges(open('cdf-column-mapping-name-mode'), { startVersion: 1 });
    expect(plan.schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'value']);
    expect(plan.metadata.configuration['delta.enableChangeDataFeed']).toBe('true');
  });

  it('estimated rows (from stats and DV cardinalities) equal the rows each read yields', async () => {
    for (const t of ['cdf-table-with-dv', 'cdf-table-with-cdc-and-dvs-rs', 'cdf-table-simple', 'cdf-table-non-partitioned-rs', 'cdf-table-partitioned']) {
      const store = open(t);
      const plan = await planChanges(store, { startVersion: 0 });
      for (const v of plan.versions) {
        for (const r of v.reads) {
          const rows = await execute(store, { ...plan, versions: [{ ...v, reads: [r] }] });
          if (r.estimatedRows !== null) expect([t, v.version, r.path, r.estimatedRows]).toEqual([t, v.version, r.path, rows.length]);
          if (r.source !== 'cdc') expect(r.estimatedRows).not.toBeNull();
        }
      }
    }
  });

  it('changeTypeCounts: files and rows per version for the chart (cdf-table-with-dv, cdf-table-kernel)', async () => {
    const dv = changeTypeCounts(await planChanges(open('cdf-table-with-dv'), { startVersion: 0 }));
    expect(dv.map((c) => [c.version, c.insert.files, c.insert.estimatedRows, c.delete.files, c.delete.estimatedRows, c.cdc.files, c.estimatedRows])).toEqual([
      [0, 1, 10, 0, 0, 0, 10],
      [1, 0, 0, 1, 2, 0, 2],
      [2, 1, 2, 0, 0, 0, 2],
      [3, 0, 0, 1, 4, 0, 4],
      [4, 1, 2, 0, 0, 0, 2],
      [5, 1, 2, 1, 1, 0, 3],
      [6, 1, 1, 0, 0, 0, 1],
    ]);
    const basic = changeTypeCounts(await planChanges(open('cdf-table-kernel'), { startVersion: 0 }));
    // cdf-table: v0 an insert of 10 rows (stats), v1-v3 commits with cdc files only.
    expect(basic[0]).toMatchObject({ version: 0, insert: { estimatedRows: 10 }, delete: { files: 0 }, cdc: { files: 0 }, estimatedRows: 10 });
    for (const c of basic.slice(1)) {
      expect(c.cdc.files).toBeGreaterThan(0);
      expect(c.cdc.estimatedRows).toBeNull();
      expect(c.estimatedRows).toBeNull();
      expect(c.insert.files + c.delete.files).toBe(0);
    }
    expect(basic.map((c) => c.timestampMs)).toEqual((await planChanges(open('cdf-table-kernel'), { startVersion: 0 })).versions.map((v) => v.timestampMs));
  });

  it('rowFilterKeeps / rowFilterIndexes', () => {
    const rows = Float64Array.from([1, 4, 9]);
    expect([0, 1, 2, 4, 9].map((r) => rowFilterKeeps({ kind: 'exclude', rows }, r))).toEqual([true, false, true, false, false]);
    expect([0, 1, 2, 4, 9].map((r) => rowFilterKeeps({ kind: 'only', rows }, r))).toEqual([false, true, false, true, true]);
    expect(rowFilterKeeps({ kind: 'all' }, 123)).toBe(true);
    expect(Array.from(rowFilterIndexes({ kind: 'exclude', rows }, 6))).toEqual([0, 2, 3, 5]);
    expect(Array.from(rowFilterIndexes({ kind: 'only', rows }, 6))).toEqual([1, 4]);
    expect(Array.from(rowFilterIndexes({ kind: 'all' }, 3))).toEqual([0, 1, 2]);
  });
});

// ---------------------------------------------------------------------------------------------
// Commit timestamps
// ---------------------------------------------------------------------------------------------

describe('_commit_timestamp', () => {
  it('cdc_ict_table: every version carries its in-commit timestamp (commitInfo.inCommitTimestamp)', async () => {
    const dir = fixture('cdc_ict_table');
    const plan = await planChanges(open('cdc_ict_table'), { startVersion: 0 });
    const expected = [0, 1, 2, 3].map((v) => logLines(dir, v).find((a) => a.commitInfo)!.commitInfo.inCommitTimestamp);
    expect(plan.versions.map((v) => v.timestampMs)).toEqual(expected);
    expect(plan.versions.every((v) => v.timestampSource === 'inCommitTimestamp')).toBe(true);
    for (const v of plan.versions) for (const r of v.reads) expect(r.commitTimestampMs).toBe(v.timestampMs);
  });

  it('without in-commit timestamps: the history timestamps (monotonic file modification times), also for a sub-range', async () => {
    for (const t of ['cdf-table-with-cdc-and-dvs-rs', 'cdf-table-simple']) {
      const store = open(t);
      const history = await loadHistory(store, {});
      const tsOf = new Map(history.map((h) => [h.version, h.timestampMs]));
      for (const start of [0, 1]) {
        const plan = await planChanges(store, { startVersion: start });
        expect(plan.versions.map((v) => v.timestampMs)).toEqual(plan.versions.map((v) => tsOf.get(v.version)));
        expect(plan.versions.every((v) => v.timestampSource === 'fileModificationTime')).toBe(true);
      }
    }
  });

  it('file times are made monotonic across the range start, as history.ts does', async () => {
    const dir = copyFixture('cdf-table-simple');
    try {
      const t0 = 1_700_000_000_000;
      utimesSync(commitPath(dir, 0), new Date(t0), new Date(t0));
      utimesSync(commitPath(dir, 1), new Date(t0 - 5000), new Date(t0 - 5000)); // older than v0
      utimesSync(commitPath(dir, 2), new Date(t0 - 1000), new Date(t0 - 1000));
      const plan = await planChanges(new NodeFsStore(dir), { startVersion: 1 });
      expect(plan.versions.map((v) => v.timestampMs)).toEqual([t0 + 1, t0 + 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('timestamp bounds (Spark table_changes: start = first commit at or after, end = last commit at or before)', () => {
  const t0 = 1_700_000_000_000;
  const withTimes = async (fn: (store: NodeFsStore) => Promise<void>) => {
    const dir = copyFixture('cdf-table-simple');
    try {
      [0, 1, 2].forEach((v) => utimesSync(commitPath(dir, v), new Date(t0 + v * 10_000), new Date(t0 + v * 10_000)));
      await fn(new NodeFsStore(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('resolves start and end times to versions', async () => {
    await withTimes(async (store) => {
      const range = async (o: PlanChangesOptions) => {
        const p = await planChanges(store, o);
        return [p.startVersion, p.endVersion, p.versions.map((v) => v.version)];
      };
      expect(await range({ startTimestamp: t0 + 1, endTimestamp: t0 + 19_999 })).toEqual([1, 1, [1]]);
      expect(await range({ startTimestamp: t0 + 10_000, endTimestamp: t0 + 20_000 })).toEqual([1, 2, [1, 2]]);
      expect(await range({ startTimestamp: t0 - 86_400_000 })).toEqual([0, 2, [0, 1, 2]]); // before the first commit: from the first
      expect(await range({ startTimestamp: new Date(t0 + 5000).toISOString(), endVersion: 2 })).toEqual([1, 2, [1, 2]]);
      expect(await range({ startVersion: 0, endTimestamp: t0 + 10_000 })).toEqual([0, 1, [0, 1]]);
      // Both times between two commits: an empty feed, as Spark returns.
      const empty = await planChanges(store, { startTimestamp: t0 + 11_000, endTimestamp: t0 + 12_000 });
      expect([empty.startVersion, empty.endVersion, empty.versions, empty.numReads]).toEqual([2, 1, [], 0]);
      expect(empty.resolvedFrom).toEqual({ start: 'timestamp', end: 'timestamp' });
      expect(changeTypeCounts(empty)).toEqual([]);
    });
  });

  it('refuses out-of-range and reversed times', async () => {
    await withTimes(async (store) => {
      expect((await thrown(planChanges(store, { startTimestamp: t0 + 20_001 }))).code).toBe('TIMESTAMP_OUT_OF_RANGE');
      expect((await thrown(planChanges(store, { startVersion: 0, endTimestamp: t0 - 1 }))).code).toBe('TIMESTAMP_OUT_OF_RANGE');
      expect((await thrown(planChanges(store, { startTimestamp: t0 + 5000, endTimestamp: t0 + 4000 }))).code).toBe('INVALID_ARGUMENT');
      expect((await thrown(planChanges(store, { startVersion: 2, endTimestamp: t0 + 10_000 }))).code).toBe('INVALID_ARGUMENT');
      expect((await thrown(planChanges(store, { startTimestamp: 'yesterday-ish' }))).code).toBe('INVALID_ARGUMENT');
    });
  });

  it('delta-rs test_load_timestamp_out_of_range: a start time after the latest commit', async () => {
    const e = await thrown(planChanges(open('cdf-table-non-partitioned-rs'), { startTimestamp: '2099-12-22T17:10:21.675' }));
    expect(e.code).toBe('TIMESTAMP_OUT_OF_RANGE');
  });

  it('accepts a precomputed history', async () => {
    const store = open('cdc_ict_table');
    const history = await loadHistory(store, { metadata: (await planChanges(store, { startVersion: 0 })).metadata });
    // In-commit timestamps: v2 = 2026-07-12T16:36:52.175Z, v3 = ...53.881Z.
    const plan = await planChanges(store, { startTimestamp: '2026-07-12T16:36:52.175Z', endTimestamp: '2026-07-12T16:36:53.880Z', history });
    expect(plan.versions.map((v) => v.version)).toEqual([2]);
  });
});

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

describe('refusals', () => {
  it('kernel table_changes_checks_enable_cdf_flag: table-with-cdf (CDF disabled at version 2)', async () => {
    const store = open('table-with-cdf');
    for (const [s, e] of [
      [0, 1],
      [0, 0],
      [1, 1],
    ]) {
      const plan = await planChanges(store, { startVersion: s, endVersion: e });
      expect([plan.startVersion, plan.endVersion]).toEqual([s, e]);
    }
    for (const [s, e] of [
      [0, 2],
      [1, 2],
      [2, 2],
      [2, 3],
    ]) {
      const err = await thrown(planChanges(store, { startVersion: s, endVersion: e }));
      expect(err.code).toBe('CDF_NOT_ENABLED');
      expect(err.version).toBe(2);
      expect(err.message).toContain('version 2 ');
    }
  });

  it('kernel schema_evolution_fails: table-with-cdf 3..4 (id becomes NOT NULL) is refused', async () => {
    const err = await thrown(planChanges(open('table-with-cdf'), { startVersion: 3, endVersion: 4 }));
    expect(err.code).toBe('CDF_INCOMPATIBLE_SCHEMA');
    expect(err.version).toBe(3);
    expect(err.message).toContain('"id" became NOT NULL');
    // Each side alone is fine.
    await planChanges(open('table-with-cdf'), { startVersion: 4, endVersion: 4 });
  });

  it('delta-rs test_load_non_cdf: simple_table never enabled the feed; the error names every version', async () => {
    const err = await thrown(planChanges(open('simple_table'), { startVersion: 0 }));
    expect(err.code).toBe('CDF_NOT_ENABLED');
    expect(err.message).toContain('versions 0–4');
    expect(err.version).toBe(0);
  });

  it('column mapping tables before CDF was enabled (kernel NOTE: enabled in commit 1)', async () => {
    for (const t of ['cdf-column-mapping-name-mode', 'cdf-column-mapping-id-mode']) {
      const err = await thrown(planChanges(open(t), { startVersion: 0 }));
      expect(err.code).toBe('CDF_NOT_ENABLED');
      expect(err.message).toContain('version 0 ');
    }
  });

  it('kernel invalid_range_end_before_start / invalid_range_start_after_last_version_of_table; delta-rs test_load_bad_version_range', async () => {
    const simple = open('cdf-table-simple');
    expect((await thrown(planChanges(simple, { startVersion: 1, endVersion: 0 }))).code).toBe('INVALID_ARGUMENT');
    expect((await thrown(planChanges(simple, { startVersion: 3, endVersion: 4 }))).code).toBe('VERSION_NOT_FOUND');
    expect((await thrown(planChanges(simple, { startVersion: 3 }))).code).toBe('VERSION_NOT_FOUND');
    expect((await thrown(planChanges(simple, { startVersion: 0, endVersion: 9 }))).code).toBe('VERSION_NOT_FOUND');
    expect((await thrown(planChanges(open('cdf-table-non-partitioned-rs'), { startVersion: 4, endVersion: 1 }))).code).toBe('INVALID_ARGUMENT');
    expect((await thrown(planChanges(open('cdf-table-non-partitioned-rs'), { startVersion: 5 }))).code).toBe('VERSION_NOT_FOUND');
  });

  it('bad arguments', async () => {
    const simple = open('cdf-table-simple');
    for (const o of [{}, { startVersion: -1 }, { startVersion: 1.5 }, { startVersion: 0, startTimestamp: 0 }, { startVersion: 0, endVersion: 1, endTimestamp: 0 }] as PlanChangesOptions[]) {
      expect((await thrown(planChanges(simple, o))).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('a gap in the commits of the range is MISSING_COMMIT', async () => {
    const dir = copyFixture('cdf-table-simple');
    try {
      unlinkSync(commitPath(dir, 1));
      const err = await thrown(planChanges(new NodeFsStore(dir), { startVersion: 0 }));
      expect(err.code).toBe('MISSING_COMMIT');
      expect(err.version).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a protocol needing an unsupported reader feature inside the range is UNSUPPORTED_READER_FEATURE', async () => {
    const dir = copyFixture('cdf-table-simple');
    try {
      writeFileSync(
        commitPath(dir, 3),
        JSON.stringify({ protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['futureFeature'], writerFeatures: ['changeDataFeed', 'futureFeature'] } }) + '\n',
      );
      const err = await thrown(planChanges(new NodeFsStore(dir), { startVersion: 0 }));
      expect(err.code).toBe('UNSUPPORTED_READER_FEATURE');
      expect(err.version).toBe(3);
      expect(err.message).toContain('futureFeature');
      // The range before it is still readable.
      await planChanges(new NodeFsStore(dir), { startVersion: 0, endVersion: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('column mapping: a rename or drop inside the range is refused, an added column is not', async () => {
    const dir = copyFixture('cdf-column-mapping-name-mode');
    try {
      const meta = logLines(dir, 1).find((a) => a.metaData)!.metaData;
      const schema = JSON.parse(meta.schemaString);
      const withSchema = (fields: unknown[]) => JSON.stringify({ metaData: { ...meta, schemaString: JSON.stringify({ ...schema, fields }) } }) + '\n';
      // v5: add a nullable column (allowed); v6: rename "name" to "full_name" (same physical name); v7: drop "value".
      const added = [...schema.fields, { name: 'extra', type: 'string', nullable: true, metadata: { 'delta.columnMapping.id': 4, 'delta.columnMapping.physicalName': 'col-extra' } }];
      writeFileSync(commitPath(dir, 5), withSchema(added));
      const store = new NodeFsStore(dir);
      const ok = await planChanges(store, { startVersion: 1, endVersion: 5 });
      expect(ok.schema.fields.map((f) => f.name)).toEqual(['id', 'name', 'value', 'extra']);

      const renamed = added.map((f: any) => (f.name === 'name' ? { ...f, name: 'full_name' } : f));
      writeFileSync(commitPath(dir, 6), withSchema(renamed));
      let err = await thrown(planChanges(store, { startVersion: 1, endVersion: 6 }));
      expect(err.code).toBe('CDF_INCOMPATIBLE_SCHEMA');
      expect(err.message).toContain('"name" was renamed to "full_name"');
      await planChanges(store, { startVersion: 6, endVersion: 6 });

      writeFileSync(commitPath(dir, 7), withSchema(renamed.filter((f: any) => f.name !== 'value')));
      err = await thrown(planChanges(store, { startVersion: 6, endVersion: 7 }));
      expect(err.code).toBe('CDF_INCOMPATIBLE_SCHEMA');
      expect(err.version).toBe(6);
      expect(err.message).toContain('"value" was dropped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a remove without partition values in a partitioned table cannot be read as deletes (INVALID_LOG)', async () => {
    const dir = copyFixture('cdf-table-partitioned');
    try {
      const path = 'part=1/test%25file%25prefix-part-00000-0d75e3a6-013f-4f2d-9a0f-c5230f469c1b.c000.snappy.parquet';
      writeFileSync(commitPath(dir, 3), JSON.stringify({ remove: { path, deletionTimestamp: 1, dataChange: true } }) + '\n');
      const err = await thrown(planChanges(new NodeFsStore(dir), { startVersion: 3 }));
      expect(err.code).toBe('INVALID_LOG');
      expect(err.version).toBe(3);
      // With its partition values it is an ordinary delete of the file's rows.
      writeFileSync(commitPath(dir, 3), JSON.stringify({ remove: { path, deletionTimestamp: 1, dataChange: true, extendedFileMetadata: true, partitionValues: { part: '1' } } }) + '\n');
      const plan = await planChanges(new NodeFsStore(dir), { startVersion: 3 });
      expect(plan.versions[0].reads.map((r) => [r.source, r.changeType, r.partitionValues])).toEqual([['remove', 'delete', { part: '1' }]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("Spark's no-op MERGE guard: a MERGE reporting 0 inserted/updated/deleted rows yields no reads", async () => {
    const dir = copyFixture('cdf-table-simple');
    try {
      const add = logLines(dir, 0).find((a) => a.add)!.add;
      const ci = { commitInfo: { operation: 'MERGE', operationMetrics: { numTargetRowsInserted: '0', numTargetRowsUpdated: '0', numTargetRowsDeleted: '0' } } };
      writeFileSync(commitPath(dir, 3), [ci, { add: { ...add, path: add.path } }].map((a) => JSON.stringify(a)).join('\n') + '\n');
      const plan = await planChanges(new NodeFsStore(dir), { startVersion: 3 });
      expect(plan.versions[0]).toMatchObject({ version: 3, skipped: 'noOpMerge', reads: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an aborted signal cancels', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await thrown(planChanges(open('cdf-table-simple'), { startVersion: 0, signal: ac.signal }));
    expect(err.code).toBe('CANCELLED');
  });
});

describe('one listing (kernel LogSegment::for_table_changes)', () => {
  /** Counts the store's listings and `_last_checkpoint` reads. */
  function counting(inner: ObjectStore): { store: ObjectStore; lists: () => number; hints: () => number } {
    let lists = 0;
    let hints = 0;
    const store = Object.create(inner) as ObjectStore;
    store.list = (prefix, options) => {
      lists++;
      return inner.list(prefix, options);
    };
    store.get = (path, signal) => {
      if (path.endsWith('_last_checkpoint')) hints++;
      return inner.get(path, signal);
    };
    return { store, lists: () => lists, hints: () => hints };
  }

  it('a version range, a timestamp range and a range starting after a checkpoint each list the log once and read no _last_checkpoint', async () => {
    const cases: [string, PlanChangesOptions][] = [
      ['cdf-table-simple', { startVersion: 0 }],
      ['cdf-table-simple', { startTimestamp: 0 }],
      ['checkpoint-cdf-table', { startVersion: 3 }],
    ];
    for (const [name, options] of cases) {
      const c = counting(open(name));
      const plan = await planChanges(c.store, options);
      expect(plan.versions.length, name).toBeGreaterThan(0);
      expect(c.lists(), name).toBe(1);
      expect(c.hints(), name).toBe(0);
    }
  });
});
