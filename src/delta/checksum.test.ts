/**
 * Version checksum files against the log replay, on every fixture table that has them (158 `.crc`
 * files written by Spark / Databricks / delta-rs / kernel test generators), plus the corpus's
 * crc-full (every optional field, deliberately inconsistent with its log: it records 10 files while
 * its only commit adds none) and crc-malformed (not JSON).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, MANIFEST } from '../../test/fixtures.ts';
import { binOf, checkVersionChecksum, DELETED_RECORD_BINS, parseChecksum } from './checksum.ts';
import { NodeFsStore } from './storage/node-fs.ts';
import { DeltaTable } from './table.ts';

/**
 * Disagreements that are really in the fixtures: cdc_ict_table's commit 1 has inCommitTimestamp
 * 1683874206883 while its .crc (and commitInfo.timestamp) say 1783874206883 — the upstream test data
 * edited the commit (kernel tests use it for a non-monotonic timestamp), not the checksum.
 */
const KNOWN: Record<string, Record<number, { field: string; checksum: number; replay: number }[]>> = {
  cdc_ict_table: { 1: [{ field: 'inCommitTimestampOpt', checksum: 1783874206883, replay: 1683874206883 }] },
};

const crcVersions = (name: string) =>
  readdirSync(join(fixture(name), '_delta_log'))
    .map((f) => /^(\d{20})\.crc$/.exec(f))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => Number(m[1]));

describe('version checksums of the fixture tables', () => {
  const tables = MANIFEST.map((m) => m.name).filter((n) => crcVersions(n).length && n !== 'crc-full' && n !== 'crc-malformed');

  it('finds the tables with checksums', () => {
    expect(tables.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of tables) {
    it(`${name}: every checksum agrees with the replay`, async () => {
      const table = new DeltaTable(new NodeFsStore(fixture(name)));
      const latest = (await table.snapshot({}, { allowUnsupported: true })).version;
      for (const v of crcVersions(name)) {
        if (v > latest) continue;
        let snap;
        try {
          snap = await table.snapshot({ version: v }, { allowUnsupported: true });
        } catch (e) {
          // Versions before the oldest retained checkpoint cannot be rebuilt (checkpoints_vacuumed style).
          expect((e as { code?: string }).code, `${name}@${v}`).toMatch(/VERSION_NOT_FOUND|INVALID_LOG/);
          continue;
        }
        const r = await checkVersionChecksum(snap);
        const known = KNOWN[name]?.[v] ?? [];
        expect(r.mismatches, `${name}@${v}`).toEqual(known);
        expect(r.status).toBe(known.length ? 'mismatch' : 'match');
        expect(r.compared).toContain('numFiles');
        expect(r.compared).toContain('tableSizeBytes');
      }
    });
  }
});

describe('crc-full and crc-malformed', () => {
  it('crc-full: histograms kept, every disagreement with the log named', async () => {
    const snap = await new DeltaTable(new NodeFsStore(fixture('crc-full'))).snapshot({}, { allowUnsupported: true });
    const r = await checkVersionChecksum(snap);
    expect(r.status).toBe('mismatch');
    // Its .crc (read by hand): numFiles 10, tableSizeBytes 5259, all ten files in the first size bin,
    // deletedRecordCounts [10,0,...]; its commit 0 has a protocol, metaData and commitInfo but no add.
    const byField = Object.fromEntries(r.mismatches.map((m) => [m.field, m]));
    expect(byField.numFiles).toEqual({ field: 'numFiles', checksum: 10, replay: 0 });
    expect(byField.tableSizeBytes).toEqual({ field: 'tableSizeBytes', checksum: 5259, replay: 0 });
    expect(byField['fileSizeHistogram.fileCounts[0]']).toEqual({ field: 'fileSizeHistogram.fileCounts[0]', checksum: 10, replay: 0 });
    expect(byField['deletedRecordCountsHistogramOpt[0]']).toMatchObject({ checksum: 10, replay: 0 });
    // setTransactions and domainMetadata appear only in the checksum (the commit has no txn/domainMetadata action).
    expect(byField.setTransactions.checksum).toContain('spark-app-1');
    expect(byField.domainMetadata.checksum).toContain('delta.rowTracking');
    // What agrees does not appear: metadata id, protocol, in-commit timestamp.
    for (const f of ['metadata.id', 'protocol.readerFeatures', 'protocol.writerFeatures', 'inCommitTimestampOpt', 'numMetadata']) {
      expect(r.compared).toContain(f);
      expect(byField[f]).toBeUndefined();
    }
    expect(r.fileSizeHistogram!.sortedBinBoundaries.length).toBe(95);
    expect(r.fileSizeHistogram!.fileCounts[0]).toBe(10);
    expect(r.deletedRecordCounts).toEqual([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.message).toContain('00000000000000000000.crc');
    expect(r.message).toContain('numFiles 10 in the checksum, 0 from the log');
  });

  it('crc-malformed: reported, not thrown', () => {
    const text = readFileSync(join(fixture('crc-malformed'), '_delta_log', '00000000000000000000.crc'), 'utf8');
    expect(parseChecksum(text)).toMatch(/not valid JSON/);
    expect(parseChecksum('{"numFiles":1}')).toMatch(/tableSizeBytes is missing/);
    expect(parseChecksum('[1]')).toBe('it is not a JSON object');
  });

  it('a table without checksums is "missing", nothing more', async () => {
    const snap = await new DeltaTable(new NodeFsStore(fixture('simple_table'))).snapshot();
    expect(await checkVersionChecksum(snap)).toMatchObject({ status: 'missing', mismatches: [], compared: [] });
  });

  it('bins follow the protocol ranges', () => {
    expect([0, 1, 9, 10, 99, 100, 2_147_483_646, 2_147_483_647, 5e9].map((n) => binOf(DELETED_RECORD_BINS, n))).toEqual([0, 1, 1, 2, 2, 3, 8, 9, 9]);
    expect([0, 1023, 1024, 4095, 4096, 1e12].map((n) => binOf([0, 1024, 4096], n))).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
