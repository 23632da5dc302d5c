/**
 * Every fixture table with data files, read end to end through the data plane (real DuckDB-WASM):
 * row counts against the log's statistics and the upstream-stated counts of MANIFEST.json; log-only
 * tables fail naming a missing data file; tables needing unsupported reader features are refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DeltaError } from '../delta/errors.ts';
import { NodeFsStore } from '../delta/storage/node-fs.ts';
import { DeltaTable } from '../delta/table.ts';
import { MANIFEST, fixture } from '../../test/fixtures.ts';
import { openSession, sortedPretty, testEngine } from '../../test/query-helpers.ts';
import { QuerySession } from './session.ts';
import { FileRegistry } from './file-registry.ts';
import { nextId, planScan } from './scan-plan.ts';
import { buildScanSql } from './scan-sql.ts';
import { decodeVariantColumns } from './variant.ts';

afterAll(async () => (await testEngine()).close());

/** How a table is expected to behave when its data is read. */
function expectation(name: string): 'missing' | 'refused' | 'read' | 'no-snapshot' {
  const m = MANIFEST.find((e) => e.name === name)!;
  if (m.latest_version === null) return 'no-snapshot';
  if (m.features_used.includes('log-only') || m.features_used.includes('missing-data-files')) return 'missing';
  return 'read';
}

describe('every fixture table', () => {
  for (const entry of MANIFEST) {
    const kind = expectation(entry.name);
    if (kind === 'no-snapshot') continue;
    it(`${entry.name}: ${kind === 'missing' ? 'FILE_NOT_FOUND naming a data file' : 'row count'}`, async () => {
      const table = new DeltaTable(new NodeFsStore(fixture(entry.name)));
      let snap;
      try {
        snap = await table.snapshot();
      } catch (e) {
        // Tables needing reader features we lack are refused by the core, before any data is read.
        expect(e).toBeInstanceOf(DeltaError);
        expect((e as DeltaError).code).toBe('UNSUPPORTED_READER_FEATURE');
        return;
      }
      const session = await QuerySession.open(table, { engine: await testEngine(), snapshot: snap });
      try {
        if (kind === 'missing' && snap.files.length > 0) {
          const err = await session.sql('SELECT count(*) AS n FROM t').then(
            () => undefined,
            (e) => e,
          );
          expect(err).toBeInstanceOf(DeltaError);
          expect(err.code).toBe('FILE_NOT_FOUND');
          // The message names the data file (one of the active paths).
          const paths: string[] = [];
          snap.files.forEach((b, r) => paths.push(decodeURIComponent(b.path[r])));
          expect(paths.some((p) => err.message.includes(p))).toBe(true);
          return;
        }
        const res = await session.sql('SELECT count(*) AS n FROM t');
        const n = Number(res.getChild('n')!.get(0));
        const totals = snap.totals;
        if (totals.numRecords !== null) expect(n, 'sum(numRecords) - DV cardinalities').toBe(totals.numRecords);
        if (entry.num_rows_expected !== null) expect(n, entry.num_rows_expected_source ?? '').toBe(entry.num_rows_expected);
        // A full SELECT * must also work (types, nested columns, column mapping, DVs).
        const all = await session.sql('SELECT * FROM t');
        expect(all.numRows).toBe(n);
        expect(all.schema.fields.map((f) => f.name)).toEqual(snap.schema.fields.map((f) => f.name));
      } finally {
        await session.close();
      }
    });
  }
});

describe('refusals', () => {
  it('a table with an unknown reader feature is refused with UNSUPPORTED_READER_FEATURE', async () => {
    // simple_table_features lists reader feature "blahabl".
    const session = await openSession('simple_table_features');
    try {
      await expect(session.sql('SELECT * FROM t')).rejects.toMatchObject({ code: 'UNSUPPORTED_READER_FEATURE' });
    } finally {
      await session.close();
    }
  });
});

describe('partition values as constants (one read_parquet per value) or joined per row', () => {
  for (const entry of MANIFEST) {
    if (!entry.partition_columns?.length || expectation(entry.name) !== 'read') continue;
    it(`${entry.name}: same rows and types both ways`, async () => {
      const table = new DeltaTable(new NodeFsStore(fixture(entry.name)));
      let snap;
      try {
        snap = await table.snapshot();
      } catch {
        return; // refused reader feature: covered above
      }
      const engine = await testEngine();
      const registry = new FileRegistry(engine, table.store, `pc${nextId()}`);
      const ctx = { engine, store: table.store, registry, schema: 'main' };
      const plan = await planScan(snap);
      const constants = await buildScanSql(plan, ctx);
      const joined = await buildScanSql(plan, { ...ctx, maxConstantBranches: 0 });
      try {
        if (plan.files.length) {
          expect(constants.sql).not.toMatch(/JOIN "main"."__pv_/);
          expect(joined.sql).toMatch(/JOIN "main"."__pv_/);
        }
        const a = decodeVariantColumns(await engine.query(`SELECT * FROM (${constants.sql})`));
        const b = decodeVariantColumns(await engine.query(`SELECT * FROM (${joined.sql})`));
        expect(a.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(b.schema.fields.map((f) => `${f.name}: ${f.type}`));
        expect(a.numRows).toBe(b.numRows);
        expect(sortedPretty(a)).toEqual(sortedPretty(b));
      } finally {
        for (const t of [...constants.helperTables, ...joined.helperTables]) await engine.query(`DROP TABLE IF EXISTS ${t}`);
        await registry.dropAll();
      }
    });
  }
});
