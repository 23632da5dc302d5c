/**
 * What the data-integrity checks cost (issue #11), on the data-plane table, engine and access path
 * of the data plane suite, as ratios of paired runs in the same process:
 * - reading every row with the checks (each file's footer read and checked against `numRecords`,
 *   per-file row counts grouped by file name in the same pass: `QuerySession.scan`) against the
 *   same read without them (footers off, plain `SELECT * FROM t`);
 * - the first query of a session (footers read then, cached after) with and without footers.
 * Needs no native DuckDB.
 */
import { DeltaTable } from '../../src/delta/table.ts';
import { NodeFsStore } from '../../src/delta/storage/node-fs.ts';
import { createNodeEngine, QuerySession } from '../../src/query/index.ts';
import { paired, timeIt } from '../lib/measure.ts';
import type { ResultRow } from '../lib/report.ts';

/** A session with (true) or without (false) the footer checks of its file registry. */
async function open(dir: string, engine: Awaited<ReturnType<typeof createNodeEngine>>, checks: boolean): Promise<QuerySession> {
  const s = await QuerySession.open(new DeltaTable(new NodeFsStore(dir)), { engine, fileAccess: 'direct' });
  (s as unknown as { registry: { checkFooters: boolean } }).registry.checkFooters = checks;
  return s;
}

export async function runIntegrity(dir: string, rowsInTable: number, runs: number, log: (m: string) => void): Promise<ResultRow[]> {
  const engine = await createNodeEngine();
  const rows: ResultRow[] = [];
  const label = `${(rowsInTable / 1e6).toFixed(0)}M rows`;
  try {
    log('  integrity: first query, footers read vs not');
    const coldOff = await open(dir, engine, false);
    const coldOn = await open(dir, engine, true);
    const off = await timeIt(() => coldOff.sql('SELECT count(*) AS n FROM t WHERE qty >= 0'));
    const on = await timeIt(() => coldOn.sql('SELECT count(*) AS n FROM t WHERE qty >= 0'));
    const files = coldOn.lastPlans[0]?.files.length ?? 0;
    rows.push({ suite: 'integrity', case: label, metric: `first query, ${files} footers read and checked`, value: on.ms, unit: 'ms', floor: off.ms, ratio: on.ms / off.ms, note: 'floor: the same first query without footer checks' });
    await coldOff.close();
    await coldOn.close();

    log('  integrity: every row with per-file counts vs plain read');
    const plainS = await open(dir, engine, false);
    const checkedS = await open(dir, engine, true);
    const p = await paired(
      runs,
      async () => plainS.sql('SELECT * FROM t'),
      async () => checkedS.scan({}),
      { warmup: 1 },
    );
    rows.push({ suite: 'integrity', case: label, metric: 'all rows, footers + per-file counts (scan)', value: p.subjectMs, unit: 'ms', floor: p.floorMs, ratio: p.ratio, note: 'floor: SELECT * FROM t without footer checks; median of paired runs' });
    await plainS.close();
    await checkedS.close();
  } finally {
    await engine.close();
  }
  return rows;
}
