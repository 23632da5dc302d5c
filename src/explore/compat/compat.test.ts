/**
 * The engine-compatibility data and the per-table verdicts. The data test is structural (every
 * known feature, every engine, read and write, a known source per cell, a reason per unknown); the
 * verdicts are checked on real fixture protocols against what the engines themselves did when run
 * here (src/explore/compat/probe-results.json, measured with deltalake 1.6.6 and DuckDB 1.4.4).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures.ts';
import { FEATURE_DESCRIPTIONS, SUPPORTED_READER_FEATURES, type Protocol } from '../../delta/features.ts';
import { DeltaTable } from '../../delta/table.ts';
import { NodeFsStore } from '../../delta/storage/node-fs.ts';
import { compatibilityFor, DROP_FEATURE } from './compat.ts';
import { ENGINES, KNOWN_FEATURES, SOURCES } from './engines.ts';

/** The latest protocol of a table, through this project's own reader (unsupported features allowed). */
async function protocolOf(dir: string): Promise<Protocol> {
  return (await new DeltaTable(new NodeFsStore(dir)).snapshot({}, { allowUnsupported: true })).protocol;
}

describe('compatibility data', () => {
  it('has a read and a write cell with a known source for every feature the reader knows, for every engine', () => {
    expect(KNOWN_FEATURES).toEqual(Object.keys(FEATURE_DESCRIPTIONS));
    expect(ENGINES.map((e) => e.id)).toEqual(['explorer', 'spark', 'databricks', 'delta-rs', 'duckdb', 'trino', 'flink', 'snowflake', 'bigquery', 'clickhouse']);
    let cells = 0;
    for (const e of ENGINES) {
      expect(SOURCES[e.versionsSource], e.id).toBeDefined();
      for (const f of Object.keys(FEATURE_DESCRIPTIONS)) {
        for (const side of [e.read, e.write]) {
          const c = side[f];
          expect(c, `${e.id} ${f}`).toBeDefined();
          expect(SOURCES[c.source], `${e.id} ${f} source ${c.source}`).toBeDefined();
          if (c.support === 'unknown') expect(c.note, `${e.id} ${f}: an unknown needs its reason`).toBeTruthy();
          cells++;
        }
      }
    }
    expect(cells).toBe(ENGINES.length * KNOWN_FEATURES.length * 2);
    for (const s of Object.values(SOURCES)) expect(s.url).toBeTruthy();
  });

  it("matches this reader's own support exactly", () => {
    const me = ENGINES.find((e) => e.id === 'explorer')!;
    for (const f of KNOWN_FEATURES) {
      const kind = FEATURE_DESCRIPTIONS[f];
      expect(kind).toBeTruthy();
      if (SUPPORTED_READER_FEATURES.has(f)) expect(me.read[f].support, f).toBe('yes');
      expect(me.write[f].support).toBe('no');
    }
    expect(me.read.geospatial.support).toBe('no');
    expect(me.read.catalogManaged.support).toBe('no');
  });
});

describe('compatibilityFor on fixture protocols, against what the engines did here', () => {
  const probe = JSON.parse(readFileSync(join(import.meta.dirname, 'probe-results.json'), 'utf8')) as {
    cases: { feature: string; table: string; deltalake: string | { QueryBuilder: string }; duckdb_delta: string }[];
  };
  const ok = (s: string) => s.startsWith('ok ');

  for (const c of probe.cases) {
    it(`${c.table}: delta-rs and DuckDB verdicts agree with the measured reads`, async () => {
      const dir = join(import.meta.dirname, '../../..', c.table);
      const verdicts = compatibilityFor(await protocolOf(dir));
      const rs = verdicts.find((v) => v.engineId === 'delta-rs')!;
      const duck = verdicts.find((v) => v.engineId === 'duckdb')!;
      const rsRead = typeof c.deltalake === 'string' ? c.deltalake : c.deltalake.QueryBuilder;
      // A measured failure that is not about features (a missing data file, a parse error of a
      // type) is not something the protocol verdict can predict: only check feature refusals.
      const featureRefusal = (s: string) => /features|TableFeatures|Unsupported/.test(s) && !/Unsupported Delta table type/.test(s);
      if (ok(rsRead)) expect(rs.read, c.table).not.toBe('no');
      else if (featureRefusal(rsRead)) expect(rs.read, `${c.table}: ${rsRead}`).toBe('no');
      if (ok(c.duckdb_delta)) expect(duck.read, c.table).not.toBe('no');
      else if (featureRefusal(c.duckdb_delta) && !/Reader features must not be present/.test(c.duckdb_delta)) expect(duck.read, `${c.table}: ${c.duckdb_delta}`).toBe('no');
    });
  }

  it('table-with-geo: geospatial blocks every engine that lists its features, unknown elsewhere', async () => {
    const v = compatibilityFor(await protocolOf(fixture('table-with-geo')));
    const by = Object.fromEntries(v.map((x) => [x.engineId, x]));
    for (const id of ['explorer', 'delta-rs', 'duckdb', 'trino']) {
      expect(by[id].read, id).toBe('no');
      expect(by[id].readBlockers.map((b) => b.feature)).toContain('geospatial');
      expect(by[id].unblock[0]).toMatch(/^geospatial: no DROP FEATURE/);
    }
    expect(by.spark.read).toBe('unknown');
  });

  it('deletion vectors: who reads, who does not, and the REORG/DROP FEATURE way out', async () => {
    const v = compatibilityFor(await protocolOf(fixture('table-with-dv-small-kernel')));
    const by = Object.fromEntries(v.map((x) => [x.engineId, x]));
    expect(by.spark).toMatchObject({ read: 'yes', readSince: '2.3.0' });
    expect(by.databricks).toMatchObject({ read: 'yes', readSince: '12.2 LTS' });
    expect(by.explorer.read).toBe('yes');
    expect(by.snowflake.read).toBe('yes');
    expect(by.bigquery.read).toBe('yes');
    expect(by.flink.read).toBe('no');
    expect(by.flink.unblock[0]).toContain('REORG TABLE t APPLY (PURGE)');
    expect(by.flink.unblock[0]).toBe(`deletionVectors: ${DROP_FEATURE.deletionVectors}`);
    expect(by.explorer.write).toBe('no');
    expect(by.trino.write).toBe('yes');
    expect(by.clickhouse.read).toBe('unknown');
  });

  it('legacy protocols: reader 1 / writer 2 is readable by everyone who reads at all', () => {
    const v = compatibilityFor({ minReaderVersion: 1, minWriterVersion: 2 });
    for (const x of v) expect(x.readBlockers, x.engineId).toEqual([]);
    expect(v.find((x) => x.engineId === 'spark')!.read).toBe('yes');
    // An engine whose highest reader version is unknown cannot be said to read reader-version-2 tables.
    const cm = compatibilityFor({ minReaderVersion: 2, minWriterVersion: 5 });
    expect(cm.find((x) => x.engineId === 'clickhouse')!.read).toBe('unknown');
    expect(cm.find((x) => x.engineId === 'trino')!.read).toBe('yes');
  });

  it('an unknown feature is unknown or blocking, never "yes"', () => {
    const v = compatibilityFor({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['zorderV9'], writerFeatures: ['zorderV9'] });
    for (const x of v) expect(x.read, x.engineId).not.toBe('yes');
    expect(v.find((x) => x.engineId === 'explorer')!.read).toBe('unknown');
  });
});
