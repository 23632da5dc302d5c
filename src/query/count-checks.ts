/**
 * The count invariant (issue #11) of a query session's reads: rows read per file against the log's
 * `numRecords` minus deletion-vector cardinality, results of plain `SELECT … FROM t` queries against
 * the live row count, and bare `count(*)` answered from the log when the statistics allow it.
 */
import * as arrow from 'apache-arrow';
import { DeltaError } from '../delta/errors.ts';
import { countIndexes } from './file-registry.ts';
import type { ScanPlan } from './scan-plan.ts';
import { analyzeCountStar, type analyzeSimpleQuery } from './sql-text.ts';
import type { TableRef } from './table-refs.ts';

/**
 * Rows per file of a scan's `__dx_file` column (an index into `fileNames`, the registered names).
 */
export function countByFile(v: arrow.Vector, fileNames: string[]): Map<string, number> {
  const counts = countIndexes(v, fileNames.length + 1);
  const out = new Map<string, number>();
  fileNames.forEach((n, i) => {
    if (i > 0 && counts[i]) out.set(n, (out.get(n) ?? 0) + counts[i]);
  });
  return out;
}

/** Σ(numRecords − DV cardinality) over a plan's files, or null when a file has no `numRecords`. */
export function liveRowsOf(plan: ScanPlan): number | null {
  let n = 0;
  for (const f of plan.files) {
    if (f.numRecords === null) return null;
    n += f.numRecords - f.deletedRows;
  }
  return n;
}

/**
 * The count invariant for SQL whose rows are the table's rows one for one (`SELECT <columns or *>
 * FROM t [ORDER BY …] [LIMIT n]`, no WHERE; also over `"t@v3"` and `"t$rows"`): the result has exactly min(n, Σ(numRecords − DV
 * cardinality)) rows over the files read, when every file has `numRecords`. `lastPlans`: the plans
 * of the data views the query used.
 * @throws DeltaError `DATA_INTEGRITY` with the expected and actual counts.
 */
export function checkPlainRowCount(simple: ReturnType<typeof analyzeSimpleQuery>, refs: TableRef[], rows: number, lastPlans: ScanPlan[]): void {
  if (!simple?.plainRows || simple.where !== undefined || refs.length !== 1 || (refs[0].meta && refs[0].meta !== 'rows')) return;
  if (refs[0].name.toLowerCase() !== simple.table.toLowerCase() || lastPlans.length !== 1) return;
  const plan = lastPlans[0];
  if (plan.where !== undefined || plan.pruning.byPartition + plan.pruning.byStats > 0) return;
  const logged = liveRowsOf(plan);
  if (logged === null) return;
  const expected = simple.anyLimit !== undefined ? Math.min(simple.anyLimit, logged) : logged;
  if (rows === expected) return;
  throw new DeltaError(
    'DATA_INTEGRITY',
    `The query returned ${rows} rows, but the Delta log says version ${plan.version} has ${logged} live rows in the ${plan.files.length} files read${simple.anyLimit !== undefined ? ` (LIMIT ${simple.anyLimit}: ${expected} expected)` : ''}.`,
    { version: plan.version, hint: 'No result is shown rather than a short one. Reload the table; if it persists, the data files do not match the log.' },
  );
}

/**
 * The answer of a bare `SELECT count(*) [AS n] FROM <data ref>` (see `analyzeCountStar`) from the
 * log, after its view was built (so the snapshot was checked readable and every data file was
 * found and registered, as for any read): the sum of `numRecords` of the view's files, when every
 * file has that statistic and none has a deletion vector (Delta Spark answers such counts from
 * the same statistic). Undefined otherwise, and the query runs on DuckDB.
 */
export function countFromLog(sql: string, refs: TableRef[], lastPlans: ScanPlan[]): { rows: number; column: string } | undefined {
  const count = analyzeCountStar(sql);
  if (!count || refs.length !== 1 || refs[0].meta || refs[0].name.toLowerCase() !== count.table.toLowerCase()) return undefined;
  const plan = lastPlans.length === 1 ? lastPlans[0] : undefined;
  if (!plan || plan.where !== undefined || plan.limit !== undefined || plan.pruning.byPartition + plan.pruning.byStats + plan.pruning.byLimit > 0) return undefined;
  let rows = 0;
  for (const f of plan.files) {
    if (f.numRecords === null || f.deletionVector || f.deletedRows > 0) return undefined;
    rows += f.numRecords;
  }
  return Number.isSafeInteger(rows) ? { rows, column: count.column } : undefined;
}

/**
 * The count invariant of a scan (issue #11): for every file read, rows read = `numRecords` −
 * its deletion vector's cardinality when the log has `numRecords` — exactly without WHERE and
 * LIMIT, at most otherwise; without WHERE, a LIMIT n scan returns min(n, Σ) rows.
 * @param byName rows read per registered file name.
 * @param nameOf the registered name of a data file path.
 * @throws DeltaError `DATA_INTEGRITY` naming the file, version, expected and actual counts.
 */
export function checkFileCounts(plan: ScanPlan, byName: Map<string, number>, nameOf: (path: string) => string | undefined): void {
  const exact = plan.where === undefined && plan.limit === undefined;
  let total = 0;
  for (const f of plan.files) {
    const name = nameOf(f.path);
    const read = name ? (byName.get(name) ?? 0) : 0;
    total += read;
    if (f.numRecords === null) continue;
    const expected = f.numRecords - f.deletedRows;
    if (exact ? read !== expected : read > expected) {
      throw new DeltaError(
        'DATA_INTEGRITY',
        `Data file ${f.path} of table version ${plan.version}: ${read} rows were read where the log says ${expected} (numRecords ${f.numRecords}${f.deletedRows ? ` − ${f.deletedRows} deleted by its deletion vector` : ''}).`,
        { path: f.path, version: plan.version, hint: 'No result is shown rather than a wrong one. The file may be damaged or rewritten outside Delta.' },
      );
    }
  }
  const logged = liveRowsOf(plan);
  if (plan.where === undefined && plan.limit !== undefined && logged !== null && total !== Math.min(plan.limit, logged)) {
    throw new DeltaError('DATA_INTEGRITY', `A scan of version ${plan.version} with LIMIT ${plan.limit} read ${total} rows where the log says ${Math.min(plan.limit, logged)}.`, {
      version: plan.version,
    });
  }
}
