/**
 * Data plane: the app's SQL path (`QuerySession` over DuckDB-WASM 1.28, files registered by local
 * path) against native DuckDB (`@duckdb/node-api`) reading the same parquet files. Each run times
 * native (the floor) then WASM on the same query; both engines are warmed by one unmeasured run,
 * and the first (cold) query of each is reported separately.
 */
import { DeltaTable } from '../../src/delta/table.ts';
import { NodeFsStore } from '../../src/delta/storage/node-fs.ts';
import { createNodeEngine, QuerySession } from '../../src/query/index.ts';
import { loadNativeDuckDb } from '../gen/data-table.ts';
import { paired, timeIt } from '../lib/measure.ts';
import type { ResultRow, TargetResult } from '../lib/report.ts';

export const DATA_QUERIES: { name: string; sql: string }[] = [
  { name: 'COUNT(*)', sql: 'SELECT count(*) AS n FROM t' },
  {
    name: 'filtered aggregate',
    sql: 'SELECT category, count(*) AS n, sum(amount) AS total, avg(qty) AS avg_qty FROM t WHERE amount > 500 AND qty < 25 GROUP BY category ORDER BY category',
  },
  { name: 'LIMIT 100 preview', sql: 'SELECT * FROM t LIMIT 100' },
];

/** Plain rows of a result (numbers as numbers) for comparing the two engines. */
function plain(rows: unknown[][]): string {
  return JSON.stringify(rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? Number(v.toPrecision(10)) : v))));
}

export async function runDataPlane(dir: string, rowsInTable: number, runs: number, log: (m: string) => void): Promise<{ rows: ResultRow[]; target: TargetResult } | { skip: string }> {
  const { mod, reason } = await loadNativeDuckDb();
  if (!mod) return { skip: reason! };
  const native = await (await mod.DuckDBInstance.create(':memory:')).connect();
  const glob = `${dir.replaceAll("'", "''")}/*/*.parquet`;
  const nativeCold = await timeIt(() => native.run(`CREATE VIEW t AS SELECT id, amount, name, qty, category FROM read_parquet('${glob}', hive_partitioning = true)`));
  const engine = await createNodeEngine();
  const out: ResultRow[] = [];
  let worst = 0;
  let worstName = '';
  try {
    const wasmOpen = await timeIt(() => QuerySession.open(new DeltaTable(new NodeFsStore(dir)), { engine, fileAccess: 'direct' }));
    const session = wasmOpen.value;
    out.push({ suite: 'data plane', case: `${(rowsInTable / 1e6).toFixed(0)}M rows`, metric: 'open (snapshot + session)', value: wasmOpen.ms, unit: 'ms', floor: nativeCold.ms, note: 'floor: native CREATE VIEW over read_parquet' });
    for (const q of DATA_QUERIES) {
      log(`  data plane: ${q.name}`);
      const cold = {
        native: await timeIt(async () => (await native.runAndReadAll(q.sql)).getRows()),
        wasm: await timeIt(async () => session.sql(q.sql)),
      };
      const nRows = plain(cold.native.value as unknown[][]);
      const wRows = plain(cold.wasm.value.toArray().map((r) => Object.values(r.toJSON())));
      const same = q.name.startsWith('LIMIT') ? cold.wasm.value.numRows === (cold.native.value as unknown[][]).length : nRows === wRows;
      const p = await paired(
        runs,
        async () => (await native.runAndReadAll(q.sql)).getRows(),
        async () => session.sql(q.sql),
        { warmup: 0 },
      );
      // Diagnostic: the same SQL straight on the engine, over the view the session built (what
      // DuckDB-WASM itself costs, without the session's per-query planning).
      let rawNote = '';
      try {
        const rawSql = q.sql.replace(/\bFROM t\b/, `FROM "${session.schemaName}"."t"`);
        const raw = await paired(runs, async () => (await native.runAndReadAll(q.sql)).getRows(), async () => engine.query(rawSql), { warmup: 1 });
        rawNote = `; engine alone (no session) ${raw.subjectMs.toFixed(1)} ms = ${raw.ratio.toFixed(2)}x`;
      } catch {
        rawNote = '';
      }
      if (p.ratio > worst) {
        worst = p.ratio;
        worstName = q.name;
      }
      out.push({
        suite: 'data plane',
        case: `${(rowsInTable / 1e6).toFixed(0)}M rows`,
        metric: q.name,
        value: p.subjectMs,
        unit: 'ms',
        floor: p.floorMs,
        ratio: p.ratio,
        note: `warm, median of ${runs}; cold first run ${cold.wasm.ms.toFixed(0)} ms vs native ${cold.native.ms.toFixed(0)} ms${rawNote}${same ? '' : '; RESULTS DIFFER'}`,
      });
    }
    await session.close();
  } finally {
    await engine.close();
    native.closeSync();
  }
  return {
    rows: out,
    target: { target: 'data plane within 3x native DuckDB', measured: worst, limit: 3, unit: 'x', met: worst <= 3, detail: `worst query: ${worstName} (warm, median of ${runs} runs)` },
  };
}
