/**
 * Snapshot tests over every fixture table (real tables from delta-rs and delta-kernel-rs).
 *
 * Expected values never come from the code under test. Sources, per assertion:
 * - MANIFEST.json (test/fixtures/MANIFEST.json): `latest_version` (from file names), `protocol`
 *   and `partition_columns` (the corpus's own replay), and upstream-stated counts
 *   (`num_active_files_expected`, `num_rows_expected`, each with its `*_source` citation).
 * - the writer's version checksum files (`N.crc`: `numFiles`, `tableSizeBytes`, `numDeletedRecordsOpt`).
 * - `referenceReplay` in test/fixtures.ts: a naive forward replay of the JSON commits, independent of src/delta.
 */
import { describe, expect, it } from 'vitest';
import { DeltaError } from './errors.ts';
import { DeltaTable } from './table.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import { MANIFEST, fixture, hasFullHistory, readCrc, referenceReplay, commitVersions } from '../../test/fixtures.ts';

/** Tables that must be refused, and the reader feature that refuses them (from their protocol action). */
const REFUSED: Record<string, string> = {
  'table-with-geo': 'geospatial',
  simple_table_features: 'blahabl',
};
/** Not tables: crc-malformed has only a .crc file and no commits (corpus README). */
const NOT_TABLES = new Set(['crc-malformed']);

const sortSet = (a: string[] | null | undefined) => [...(a ?? [])].sort();

function open(name: string) {
  return new DeltaTable(new NodeFsStore(fixture(name)));
}

describe('every fixture table at its latest version', () => {
  for (const m of MANIFEST) {
    it(m.name, async () => {
      const table = open(m.name);
      if (NOT_TABLES.has(m.name)) {
        await expect(table.snapshot()).rejects.toMatchObject({ code: 'NOT_A_TABLE' });
        return;
      }
      if (REFUSED[m.name]) {
        const err = await table.snapshot().catch((e) => e);
        expect(err).toBeInstanceOf(DeltaError);
        expect(err.code).toBe('UNSUPPORTED_READER_FEATURE');
        expect(err.message).toContain(REFUSED[m.name]);
        // Metadata views may still show the table.
        const snap = await table.snapshot({}, { allowUnsupported: true });
        expect(snap.readSupportProblems.join(' ')).toContain(REFUSED[m.name]);
        expect(snap.version).toBe(m.latest_version);
        return;
      }
      const snap = await table.snapshot();
      // MANIFEST: latest version from the log's file names.
      expect(snap.version).toBe(m.latest_version);
      // MANIFEST: protocol and partition columns from the corpus's replay.
      expect(snap.protocol.minReaderVersion).toBe(m.protocol!.minReaderVersion);
      expect(snap.protocol.minWriterVersion).toBe(m.protocol!.minWriterVersion);
      expect(sortSet(snap.protocol.readerFeatures)).toEqual(sortSet(m.protocol!.readerFeatures));
      expect(sortSet(snap.protocol.writerFeatures)).toEqual(sortSet(m.protocol!.writerFeatures));
      expect(snap.metadata.partitionColumns).toEqual(m.partition_columns);
      expect(snap.metadata.configuration).toEqual(m.table_properties ?? {});
      // Upstream-stated counts (MANIFEST *_source names the upstream test).
      if (m.num_active_files_expected !== null) expect(snap.files.length).toBe(m.num_active_files_expected);
      if (m.num_rows_expected !== null && snap.totals.numRecords !== null) {
        expect(snap.totals.numRecords).toBe(m.num_rows_expected);
      }
      if (m.features_used.includes('empty-table')) expect(snap.files.length).toBe(0);
      // Independent forward replay of the JSON commits, where the whole history is there.
      if (hasFullHistory(fixture(m.name), snap.version)) {
        const ref = referenceReplay(fixture(m.name), snap.version);
        expect(snap.files.length).toBe(ref.numFiles);
        expect(snap.totals.sizeInBytes).toBe(ref.sizeBytes);
        // A checkpoint written without stats (parquet_row_group_skipping) drops them: the JSON
        // commits have numRecords, the snapshot built from the checkpoint cannot.
        if (snap.totals.numRecords !== null || !snap.segment.checkpoint) expect(snap.totals.numRecords).toBe(ref.numRecords);
        expect(snap.totals.numDeletedRecords).toBe(ref.numDeleted);
        const paths: string[] = [];
        snap.files.forEach((b, r) => paths.push(b.path[r]));
        expect(paths.sort()).toEqual(ref.paths);
      }
      // The writer's checksum file for this version.
      const crc = readCrc(fixture(m.name), snap.version);
      if (crc && typeof crc.numFiles === 'number' && m.name !== 'crc-full') {
        expect(snap.files.length).toBe(crc.numFiles);
        expect(snap.totals.sizeInBytes).toBe(crc.tableSizeBytes);
        if (typeof crc.numDeletedRecordsOpt === 'number') expect(snap.totals.numDeletedRecords).toBe(crc.numDeletedRecordsOpt);
      }
    });
  }
});

describe('every fixture table at an earlier version', () => {
  for (const m of MANIFEST) {
    if (NOT_TABLES.has(m.name) || REFUSED[m.name] || m.latest_version === null || m.latest_version < 1) continue;
    const dir = fixture(m.name);
    const versions = commitVersions(dir);
    // The oldest version whose state can be rebuilt: 0 when commit 0 exists.
    const earlier = versions.includes(0) ? Math.floor((m.latest_version - 1) / 2) : undefined;
    if (earlier === undefined) continue;
    it(`${m.name} @ v${earlier}`, async () => {
      const snap = await open(m.name).snapshot({ version: earlier });
      expect(snap.version).toBe(earlier);
      if (hasFullHistory(dir, earlier)) {
        const ref = referenceReplay(dir, earlier);
        expect(snap.files.length).toBe(ref.numFiles);
        expect(snap.totals.sizeInBytes).toBe(ref.sizeBytes);
        if (snap.totals.numRecords !== null || !snap.segment.checkpoint) expect(snap.totals.numRecords).toBe(ref.numRecords);
        expect(snap.protocol.minReaderVersion).toBe(ref.protocol.minReaderVersion);
        expect(snap.metadata.partitionColumns).toEqual(ref.metaData.partitionColumns);
        expect(snap.metadata.schemaString).toBe(ref.metaData.schemaString ?? '');
      }
      const crc = readCrc(dir, earlier);
      if (crc && typeof crc.numFiles === 'number') {
        expect(snap.files.length).toBe(crc.numFiles);
        expect(snap.totals.sizeInBytes).toBe(crc.tableSizeBytes);
      }
    });
  }
});

describe('column mapping and partition values', () => {
  it('id mode: partition values are keyed by physical name (partition_cm-id schema)', async () => {
    const snap = await open('partition_cm-id').snapshot();
    expect(snap.columnMappingMode).toBe('id');
    // physical name as written in the metaData schemaString of 00000000000000000000.json
    expect(snap.partitionColumns.map((c) => [c.name, c.key])).toEqual([['category', 'col-6dc68f07-711d-4f00-8bd6-1f5bc698e8ad']]);
  });

  it('name mode: partition_cm-name keys partition values by physical name too', async () => {
    const snap = await open('partition_cm-name').snapshot();
    expect(snap.columnMappingMode).toBe('name');
    const c = snap.partitionColumns[0];
    expect(c.key).not.toBe(c.name);
    expect(c.key).toMatch(/^col-/);
  });

  it('typed partition values per file (delta-0.8.0-partitioned: year/month/day strings from the add actions)', async () => {
    const snap = await open('delta-0.8.0-partitioned').snapshot();
    const values: string[] = [];
    for (let i = 0; i < snap.files.length; i++) {
      const pv = snap.partitionValues(i);
      values.push(`${pv.year}/${pv.month}/${pv.day}`);
    }
    // the partitionValues of the six add actions in 00000000000000000000.json
    expect(values.sort()).toEqual(['2020/1/1', '2020/2/3', '2020/2/5', '2021/12/20', '2021/12/4', '2021/4/5']);
  });

  it('null partition values stay null (delta-0.8.0-null-partition)', async () => {
    const snap = await open('delta-0.8.0-null-partition').snapshot();
    const vals = Array.from({ length: snap.files.length }, (_, i) => Object.values(snap.partitionValues(i))[0]);
    // the log has one add with {"k": null} and one with {"k": "A"}
    expect(vals.map(String).sort()).toEqual(['A', 'null']);
  });

  it('column mapping name mode data table: cdf-column-mapping-name-mode schema keeps logical names', async () => {
    const snap = await open('cdf-column-mapping-name-mode').snapshot();
    expect(snap.columnMappingMode).toBe('name');
    expect(snap.schema.fields.length).toBeGreaterThan(0);
  });
});

describe('stats from checkpoints read like JSON stats', () => {
  it('delta-1.2.1-only-struct-stats: stats_parsed decimals, dates and timestamps match the JSON stats of the same files', async () => {
    // The table's checkpoint has only stats_parsed; the commits before it carry the same files'
    // JSON stats. Read the JSON stats straight from the commit files as the expectation.
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = fixture('delta-1.2.1-only-struct-stats');
    const jsonStats = new Map<string, any>();
    for (const f of readdirSync(`${dir}/_delta_log`).filter((x) => /^\d{20}\.json$/.test(x))) {
      for (const line of readFileSync(`${dir}/_delta_log/${f}`, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const a = JSON.parse(line);
        if (a.add?.stats) jsonStats.set(a.add.path, JSON.parse(a.add.stats));
      }
    }
    const snap = await open('delta-1.2.1-only-struct-stats').snapshot();
    let compared = 0;
    snap.files.forEach((batch, row, i) => {
      if (batch.stats.get(row) !== null || !batch.statsParsed) return; // only rows whose stats come from stats_parsed
      const expected = jsonStats.get(batch.path[row]);
      if (!expected) return;
      const got = snap.files.stats(i)!;
      expect(got.numRecords).toBe(expected.numRecords);
      for (const k of ['decimal', 'date', 'timestamp', 'integer', 'double', 'string']) {
        if (k in expected.minValues) expect(got.minValues![k], k).toEqual(expected.minValues[k]);
        if (k in expected.maxValues) expect(got.maxValues![k], k).toEqual(expected.maxValues[k]);
      }
      compared++;
    });
    expect(compared).toBeGreaterThan(0);
  });
});
