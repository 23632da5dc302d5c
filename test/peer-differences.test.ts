/**
 * The documented peer differences (peers/peer-differences.ts) excuse a mismatch only while their
 * evidence holds: here each kind of evidence is given a wrong answer of ours (Spark's count, a
 * change feed with a row too many, a table that breaks no rule) and must refuse it. Runs on the
 * corpus fixtures and their committed peer answers (test/fixtures/corpus-references).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { tableFromArrays, type Table } from 'apache-arrow';
import { PEER_DIFFERENCES } from '../peers/peer-differences.ts';
import type { Reference, SparkRows } from '../peers/conformance.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const ref = (name: string) => JSON.parse(readFileSync(join(fixtures, 'corpus-references', `${name}.reference.json`), 'utf8')) as Reference;
const dir = (name: string) => join(fixtures, 'tables', name);
const rowsOf = (n: number): Table => tableFromArrays({ value: Int32Array.from({ length: n }, (_, i) => i) });

describe('documented peer differences need their evidence', () => {
  it('rows "counted by the log": our count must be the log\'s, Spark\'s must not, and our rows delta-rs\'s reader\'s', async () => {
    const r = ref('cdf-table-with-dv');
    const d = PEER_DIFFERENCES['cdf-table-with-dv'].rows!;
    const spark = (r.versions['5'].spark.rows as SparkRows).rows!.length;
    expect(spark).toBe(10);
    // The log's count (10 − 1 deleted) and delta-rs's reader's rows (row 3 deleted by the DV).
    const right = tableFromArrays({ value: Int32Array.from([0, 1, 2, 4, 5, 6, 7, 8, 9]) });
    expect(await d.evidence({ ref: r, tableDir: dir('cdf-table-with-dv'), version: 5, ours: right })).toBeUndefined();
    expect(await d.evidence({ ref: r, tableDir: dir('cdf-table-with-dv'), version: 5, ours: rowsOf(9) })).toMatch(/vs delta-rs's reader: row only in ours: \{"value":3\}/);
    expect(await d.evidence({ ref: r, tableDir: dir('cdf-table-with-dv'), version: 5, ours: rowsOf(spark) })).toMatch(/ours 10 rows, the log's stats 9/);
    expect(await d.evidence({ ref: r, tableDir: dir('cdf-table-with-dv'), version: 5, ours: new Error('boom') })).toMatch(/we failed/);
  });

  it('a change feed must change exactly the rows whose deletion state changed', async () => {
    const r = ref('cdf-table-with-dv');
    const i = r.changes!.findIndex((c) => c.from === 5 && c.to === 5);
    const d = PEER_DIFFERENCES['cdf-table-with-dv'].changes!;
    const feed = (types: string[]) => tableFromArrays({ value: Int32Array.from(types.map((_, k) => k)), _change_type: types, _commit_version: BigInt64Array.from(types.map(() => 5n)) });
    expect(await d.evidence({ ref: r, tableDir: dir('cdf-table-with-dv'), index: i, ours: feed(['delete', 'insert', 'insert']) })).toBeUndefined();
    expect(await d.evidence({ ref: r, tableDir: dir('cdf-table-with-dv'), index: i, ours: feed(['delete', 'insert']) })).toMatch(/v5: ours 2 change rows, the deletion vectors changed 3 rows/);
  });

  it('log facts must be there: non-monotonic in-commit timestamps, a commit without commitInfo, a schema change', async () => {
    const ict = PEER_DIFFERENCES.cdc_ict_table.timestamp!;
    expect(await ict.evidence({ ref: ref('cdc_ict_table'), tableDir: dir('cdc_ict_table'), ours: null })).toBeUndefined();
    expect(await ict.evidence({ ref: ref('cdc_ict_table'), tableDir: dir('crc-full'), ours: null })).toMatch(/increase/);
    const noInfo = PEER_DIFFERENCES['partition_cm-id'].history!;
    expect(await noInfo.evidence({ ref: ref('partition_cm-id'), tableDir: dir('partition_cm-id'), ours: null })).toBeUndefined();
    expect(await noInfo.evidence({ ref: ref('partition_cm-id'), tableDir: dir('basic_partitioned'), ours: null })).toMatch(/every commit has a commitInfo/);
    const strict = PEER_DIFFERENCES['table-with-geo'].history!;
    expect(await strict.evidence({ ref: ref('table-with-geo'), tableDir: dir('table-with-geo'), ours: null })).toBeUndefined();
    expect(await strict.evidence({ ref: ref('table-with-geo'), tableDir: dir('basic_partitioned'), ours: null })).toMatch(/strict snapshot loads/);
  });
});
